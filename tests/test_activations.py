"""tanh and ReLU hidden neurons (issue 19): functions, gradients, the fast path, initialisation, saving."""
import numpy as np
import pytest

from nndl import Network
from nndl.activations import ACTIVATIONS, check_activation
from nndl.functions import relu, relu_prime, sigmoid, tanh, tanh_prime

rng = np.random.default_rng(7)
Z = np.concatenate([rng.normal(0, 3, 200), [-1e3, -20.0, -1e-3, 1e-3, 20.0, 1e3]])


def test_tanh_is_the_rescaled_sigmoid():
    """σ(z) = (1 + tanh(z/2))/2 (eq. 111), against σ's own formula 1/(1 + e^(-z)) (eq. 4)."""
    z = Z[:200]
    assert np.allclose((1 + tanh(z / 2)) / 2, 1 / (1 + np.exp(-z)), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("fn, prime", [(tanh, tanh_prime), (relu, relu_prime), (sigmoid, None)])
def test_each_derivative_matches_a_central_difference(fn, prime):
    prime = prime or ACTIVATIONS["sigmoid"].prime
    z = Z[np.abs(Z) > 1e-2]  # away from ReLU's kink at 0, where neither side's slope is the derivative
    h = 1e-6
    assert np.allclose(prime(z), (fn(z + h) - fn(z - h)) / (2 * h), rtol=1e-6, atol=1e-9)


def test_the_functions_by_definition():
    z = Z[:200]
    e, f = np.exp(z), np.exp(-z)
    assert np.allclose(tanh(z), (e - f) / (e + f), rtol=1e-12, atol=1e-15)
    assert np.array_equal(relu(z), np.where(z > 0, z, 0.0)) and np.array_equal(relu_prime(z), (z > 0) * 1.0)
    assert tanh(np.float32(1)).dtype == np.float32 and relu(3).dtype == np.float64


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_times_prime_is_bp2s_product_from_the_outputs_alone(name):
    """The fast path's δ ⊙ f'(z), written from a = f(z), with and without dropout's kept/scaled outputs."""
    act = ACTIVATIONS[name]
    z = rng.normal(0, 2, (10, 6))
    delta = rng.normal(size=(10, 6))
    for keep in (1.0, 0.6):
        kept = rng.random(z.shape) < keep
        a = act.fn(z) * kept / keep
        product = delta.copy()
        act.times_prime(product, a, np.empty_like(a), keep, kept)
        assert np.allclose(product, delta * act.prime(z) * kept / keep, rtol=1e-13, atol=1e-15), keep


def test_a_dropped_tanh_neuron_passes_no_gradient_even_where_tanh_z_is_0():
    act = ACTIVATIONS["tanh"]
    a = np.array([[0.0, 0.0]])  # the first was kept with z = 0, the second was dropped
    kept = np.array([[True, False]])
    delta = np.ones((1, 2))
    act.times_prime(delta, a, np.empty_like(a), 0.5, kept)
    assert delta.tolist() == [[2.0, 0.0]]


def finite_difference_gradient(net, x, y, cost):
    """∂C/∂w for every weight, one at a time, by central differences: the independent computation."""
    h = 1e-6
    grads = []
    for w in net.weights:
        g = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            old = w[index]
            w[index] = old + h
            plus = cost(net.feedforward(x), y)
            w[index] = old - h
            minus = cost(net.feedforward(x), y)
            w[index] = old
            g[index] = (plus - minus) / (2 * h)
        grads.append(g)
    return grads


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("cost", [None, "cross-entropy", "log-likelihood"])
def test_backprop_and_the_matrix_form_match_finite_differences(name, cost):
    net = Network([4, 5, 3, 3], cost=cost, seed=3, activation=name)
    x = rng.normal(size=(4, 1))
    y = np.array([[0.0], [1.0], [0.0]])
    c = net.cost.fn if net.cost else (lambda a, y: 0.5 * float(np.sum((a - y) ** 2)))
    expected = finite_difference_gradient(net, x, y, c)
    _, nabla_w = net.backprop(x, y)
    for got, want in zip(nabla_w, expected):
        assert np.allclose(got, want, rtol=1e-5, atol=1e-8)
    X = rng.normal(size=(4, 7))
    Y = np.eye(3)[:, rng.integers(0, 3, 7)]
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    per_example = [net.backprop(X[:, [i]], Y[:, [i]]) for i in range(7)]
    for l in range(3):
        assert np.allclose(nabla_w[l], sum(e[1][l] for e in per_example), rtol=1e-10, atol=1e-12)
        assert np.allclose(nabla_b[l], sum(e[0][l] for e in per_example), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["tanh", "relu"])
def test_sgd_steps_equal_the_books_per_example_steps(name):
    """Fast mini-batch training with tanh/ReLU hidden layers gives the per-example update to 1e-10."""
    fast = Network([6, 8, 5, 4], cost="cross-entropy", seed=2, activation=name)
    slow = Network([6, 8, 5, 4], cost="cross-entropy", seed=2, activation=name)
    data = [(rng.normal(size=(6, 1)), np.eye(4)[:, [k]]) for k in rng.integers(0, 4, 30)]
    for start in range(0, 30, 10):
        batch = data[start:start + 10]
        fast.update_mini_batch(batch, 0.3, lmbda=1.0, n=30)
        slow.update_mini_batch_per_example(batch, 0.3, lmbda=1.0, n=30)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        assert np.allclose(a, b, rtol=0, atol=1e-10)


def test_initial_weights_keep_the_weighted_inputs_spread_layer_after_layer():
    """N(0, 1/n_in) for sigmoid and tanh; after ReLU layers N(0, 2/n_in) (half their outputs are 0)."""
    for name, variance in (("sigmoid", 1.0), ("tanh", 1.0), ("relu", 2.0)):
        net = Network([400, 300, 300, 10], cost="cross-entropy", seed=0, activation=name)
        assert np.var(net.weights[0]) == pytest.approx(1 / 400, rel=0.02)
        assert np.var(net.weights[1]) == pytest.approx(variance / 300, rel=0.02)
        assert np.var(net.weights[2]) == pytest.approx(variance / 300, rel=0.05)


def test_sigmoid_networks_start_exactly_as_before():
    """The default is the book's network: same weights for a seed as without the option."""
    a = Network([784, 30, 10], cost="cross-entropy", seed=5)
    b = Network([784, 30, 10], cost="cross-entropy", seed=5, activation="sigmoid")
    assert all(np.array_equal(u, v) for u, v in zip(a.weights, b.weights))
    rng = np.random.default_rng(5)
    biases = [rng.standard_normal((y, 1)) for y in (30, 10)]
    weights = [rng.standard_normal((30, 784)) / np.sqrt(784), rng.standard_normal((10, 30)) / np.sqrt(30)]
    assert all(np.array_equal(u, v) for u, v in zip(a.weights + a.biases, weights + biases))


@pytest.mark.parametrize("bad", ["softplus", "ReLU ", None, 3, ["tanh"]])
def test_an_unknown_activation_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="activation must be one of 'sigmoid', 'tanh', 'relu'"):
        Network([2, 3, 1], activation=bad)
    assert check_activation("relu") is ACTIVATIONS["relu"]


def test_save_and_load_keep_the_activation(tmp_path):
    net = Network([5, 4, 2], cost="cross-entropy", seed=1, activation="tanh")
    net.save(tmp_path / "tanh.npz")
    loaded = Network.load(tmp_path / "tanh.npz")
    assert loaded.activation is ACTIVATIONS["tanh"] and "activation='tanh'" in repr(loaded)
    x = rng.normal(size=(5, 3))
    assert np.array_equal(loaded.feedforward(x), net.feedforward(x))
    plain = Network([5, 4, 2], seed=1)
    plain.save(tmp_path / "plain.npz")
    assert "activation" not in np.load(tmp_path / "plain.npz").files  # a sigmoid network's file is as before
    assert Network.load(tmp_path / "plain.npz").activation is ACTIVATIONS["sigmoid"]


def test_a_file_naming_an_unknown_activation_is_refused(tmp_path):
    net = Network([5, 4, 2], seed=1, activation="relu")
    net.save(tmp_path / "net.npz")
    arrays = dict(np.load(tmp_path / "net.npz"))
    arrays["activation"] = np.array("swish")
    np.savez(tmp_path / "odd.npz", **arrays)
    with pytest.raises(ValueError, match="names the activation 'swish', which this version of nndl does not know"):
        Network.load(tmp_path / "odd.npz")


def test_dead_relu_layer_is_reported_in_relus_terms():
    """Every ReLU of the last hidden layer with z < 0 on every input: the gradient has vanished."""
    net = Network([3, 4, 2], cost="cross-entropy", seed=0, activation="relu")
    net.biases[0][:] = -100.0
    X = np.abs(rng.normal(size=(3, 20)))
    data = [(X[:, [i]], i % 2) for i in range(20)]
    with pytest.warns(UserWarning, match=r"every neuron of the last hidden layer is saturated \(ReLU'\(z\) < 0.0001"):
        net.SGD(data, 1, 5, 0.1, quiet=True)
