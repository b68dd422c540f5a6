"""Momentum-based gradient descent (eqs. 107-108) in ``Network.SGD``, against the book's per-example form."""
import numpy as np
import pytest

from nndl import Network

rng = np.random.default_rng(11)


def toy_data(n, n_in=6, n_out=4):
    return [(rng.normal(size=(n_in, 1)), np.eye(n_out)[:, [k]]) for k in rng.integers(0, n_out, n)]


def reference_sgd(net, data, epochs, batch, eta, mu, lmbda):
    """Momentum written out with the book's one-example ``backprop``: v ← μv - η∇C, w ← w + v, per mini-batch.

    ∇C is the mini-batch's mean gradient plus λ's term (λ/n) w for the
    weights; the order of the examples is drawn from the network's random
    generator exactly as ``SGD`` draws it.
    """
    n = len(data)
    v_w = [np.zeros_like(w) for w in net.weights]
    v_b = [np.zeros_like(b) for b in net.biases]
    for _ in range(epochs):
        order = net.rng.permutation(n)
        for k in range(0, n, batch):
            examples = [data[i] for i in order[k:k + batch]]
            grads = [net.backprop(x, y) for x, y in examples]
            m = len(examples)
            for l in range(len(net.weights)):
                g_w = sum(g[1][l] for g in grads) / m + (lmbda / n) * net.weights[l]
                g_b = sum(g[0][l] for g in grads) / m
                v_w[l] = mu * v_w[l] - eta * g_w
                v_b[l] = mu * v_b[l] - eta * g_b
            net.weights = [w + v for w, v in zip(net.weights, v_w)]
            net.biases = [b + v for b, v in zip(net.biases, v_b)]


@pytest.mark.parametrize("mu, lmbda, activation", [(0.5, 0.0, "sigmoid"), (0.9, 3.0, "sigmoid"), (0.7, 1.0, "tanh"),
                                                   (1.0, 0.0, "relu")])
def test_momentum_equals_the_per_example_reference(mu, lmbda, activation):
    data = toy_data(47)  # 47 = 4 mini-batches of 10 and a last one of 7
    fast = Network([6, 7, 5, 4], cost="cross-entropy", seed=4, activation=activation)
    slow = Network([6, 7, 5, 4], cost="cross-entropy", seed=4, activation=activation)
    fast.SGD(data, 3, 10, 0.2, lmbda=lmbda, mu=mu, quiet=True)
    reference_sgd(slow, data, 3, 10, 0.2, mu, lmbda)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        assert np.allclose(a, b, rtol=0, atol=1e-10)


def test_mu_zero_is_plain_gradient_descent_bit_for_bit():
    data = toy_data(30)
    plain = Network([6, 5, 4], cost="cross-entropy", seed=1)
    zero = Network([6, 5, 4], cost="cross-entropy", seed=1)
    plain.SGD(data, 2, 10, 0.5, lmbda=1.0, quiet=True)
    zero.SGD(data, 2, 10, 0.5, lmbda=1.0, mu=0.0, quiet=True)
    assert all(np.array_equal(a, b) for a, b in zip(plain.weights + plain.biases, zero.weights + zero.biases))


def test_momentum_changes_the_path():
    """A test that the option is used at all: with μ > 0 the weights end elsewhere than without."""
    data = toy_data(30)
    plain = Network([6, 5, 4], cost="cross-entropy", seed=1)
    moving = Network([6, 5, 4], cost="cross-entropy", seed=1)
    plain.SGD(data, 2, 10, 0.5, quiet=True)
    moving.SGD(data, 2, 10, 0.5, mu=0.5, quiet=True)
    assert not np.allclose(plain.weights[0], moving.weights[0], atol=1e-6)


def test_momentum_with_dropout_is_reproducible():
    data = toy_data(30)
    runs = []
    for _ in range(2):
        net = Network([6, 8, 4], cost="cross-entropy", seed=3)
        net.SGD(data, 2, 10, 0.5, mu=0.8, dropout=0.5, quiet=True)
        runs.append(net.weights + net.biases)
    assert all(np.array_equal(a, b) for a, b in zip(*runs))


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.5", True, None])
def test_a_momentum_coefficient_outside_0_to_1_is_refused_with_the_reason(bad):
    net = Network([6, 5, 4], cost="cross-entropy", seed=1)
    with pytest.raises(ValueError, match=r"the momentum coefficient mu must be a number from 0 \(no momentum\) to 1"):
        net.SGD(toy_data(10), 1, 10, 0.5, mu=bad, quiet=True)
