"""The checks of notebook 13 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import training
from nndl.checks import ch13, numerical_gradient
from nndl.functions import sigmoid, sigmoid_prime


# ----- the references: the chain against finite differences, eq. (123) against the book -------------------------

@pytest.mark.parametrize("w, b, a0, y", ch13.CHAIN_CASES)
def test_the_chains_reference_gradient_is_the_finite_differences_of_its_cost(w, b, a0, y):
    by_differences = numerical_gradient(lambda bb: ch13.chain_cost(w, bb, a0, y), np.array(b, dtype=float))
    np.testing.assert_allclose(ch13.chain_gradient_reference(w, b, a0, y), by_differences, rtol=1e-6, atol=1e-10)


def test_the_books_exploding_chain_multiplies_the_gradient_by_25_per_layer():
    """w = 100 and every z_j = 0: each factor w σ'(0) = 25, so ∂C/∂b_1 = 25³ ∂C/∂b_4 (the book's example)."""
    b = ch13.exploding_biases_reference(100.0, 0.3, 4)
    np.testing.assert_allclose(b, [-30.0, -50.0, -50.0, -50.0])
    gradient = ch13.chain_gradient_reference([100.0] * 4, b, 0.3, 0.0)
    np.testing.assert_allclose(gradient[:-1] / gradient[1:], 25.0)


def test_eq_123_is_largest_near_6_9_where_it_is_about_0_45_and_matches_a_direct_measurement():
    w = np.linspace(4.0, 40.0, 36_001)
    width = ch13.range_width(w)
    assert abs(w[width.argmax()] - 6.9) < 0.05 and abs(width.max() - 0.45) < 0.005  # the book's part 3
    a = np.linspace(-1.0, 1.0, 2_000_001)
    for w0, b in ((6.9, 0.0), (10.0, -3.0), (-5.0, 1.0)):
        kept = a[np.abs(w0 * sigmoid_prime(w0 * a + b)) >= 1]
        assert abs((kept.max() - kept.min()) - ch13.range_width(w0)) < 1e-5


def test_package_speeds_takes_pairs_as_the_notebook_gives_them():
    net, data = ch13.network_and_data([4, 3, 3, 2], 0, 5)
    X = np.array([x.ravel() for x, _ in data])
    Y = np.array([y.ravel() for _, y in data])
    assert ch13.package_speeds(net, data) == training.layer_speeds(net, X, Y)


# ----- Exercise 1: speeds_of_learning -----------------------------------------------------------------------------

def speeds_of_learning(net, data):
    total = [np.zeros(b.shape) for b in net.biases[:-1]]
    for x, y in data:
        nabla_b, _ = net.backprop(x, y)
        total = [t + nb for t, nb in zip(total, nabla_b)]
    return [float(np.linalg.norm(t / len(data))) for t in total]


def by_matrices(net, data):
    X = np.hstack([x for x, _ in data])
    Y = np.hstack([y for _, y in data])
    nabla_b, _ = net.backprop_batch(X, Y)
    return np.array([np.linalg.norm(nb) / len(data) for nb in nabla_b[:-1]])


def changed(net, data):
    net.biases[0] += 1.0
    return speeds_of_learning(net, data)


@pytest.mark.parametrize("answer", [speeds_of_learning, by_matrices])
def test_speeds_of_learning_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch13.check_speeds_of_learning, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda net, data: [len(data) * s for s in speeds_of_learning(net, data)], ["n times", "average"]),
    (lambda net, data: [s * s for s in speeds_of_learning(net, data)], ["squared length"]),
    (lambda net, data: speeds_of_learning(net, data)[::-1], ["first hidden layer first"]),
    (lambda net, data: [np.mean([np.linalg.norm(net.backprop(x, y)[0][l]) for x, y in data])
                        for l in range(len(net.sizes) - 2)], ["average of the lengths"]),
    (lambda net, data: [np.linalg.norm(np.mean([net.backprop(x, y)[1][l] for x, y in data], axis=0))
                        for l in range(len(net.sizes) - 2)], ["weights' gradients"]),
    (lambda net, data: [float(np.sum(np.mean([net.backprop(x, y)[0][l] for x, y in data], axis=0)))
                        for l in range(len(net.sizes) - 2)], ["sum of the entries"]),
    (lambda net, data: [np.linalg.norm(np.mean([net.backprop(x, y)[0][l] for x, y in data], axis=0))
                        for l in range(len(net.sizes) - 1)], ["leave out the output layer"]),
    (lambda net, data: speeds_of_learning(net, data)[:1], ["one speed per hidden layer"]),
    (lambda net, data: [0.5 * s for s in speeds_of_learning(net, data)], ["differ from ‖δ^l‖"]),
    (changed, ["changed the network"]),
    (ch13.package_speeds, ["package function layer_speeds"]),
])
def test_speeds_of_learning_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch13.check_speeds_of_learning, (wrong,), *phrases)


# ----- Exercise 3: chain_gradient ---------------------------------------------------------------------------------

def chain_gradient(w, b, a0, y):
    zs, a = [], a0
    for wj, bj in zip(w, b):
        zs.append(wj * a + bj)
        a = sigmoid(zs[-1])
    gradient = np.zeros(len(w))
    gradient[-1] = sigmoid_prime(zs[-1]) * (a - y)
    for j in range(len(w) - 2, -1, -1):
        gradient[j] = sigmoid_prime(zs[j]) * w[j + 1] * gradient[j + 1]
    return gradient


def as_products(w, b, a0, y):
    """Eq. (122) written out for every j: a product of the later factors, computed afresh each time."""
    zs, a = [], a0
    for wj, bj in zip(w, b):
        zs.append(wj * a + bj)
        a = sigmoid(zs[-1])
    return [sigmoid_prime(zs[j]) * np.prod([w[k] * sigmoid_prime(zs[k]) for k in range(j + 1, len(w))]) * (a - y)
            for j in range(len(w))]


def without_last_prime(w, b, a0, y):
    zs, a = [], a0
    for wj, bj in zip(w, b):
        zs.append(wj * a + bj)
        a = sigmoid(zs[-1])
    return chain_gradient(w, b, a0, y) / sigmoid_prime(zs[-1])


def in_place(w, b, a0, y):
    b += 0.0
    w *= 1.0
    w[0] = 5.0
    return chain_gradient(w, b, a0, y)


@pytest.mark.parametrize("answer", [chain_gradient, as_products])
def test_chain_gradient_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch13.check_chain_gradient, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, b, a0, y: -chain_gradient(w, b, a0, y), ["sign is reversed"]),
    (without_last_prime, ["σ'(z_L) is missing"]),
    (lambda w, b, a0, y: chain_gradient(w, b, a0, y) * np.asarray(w), ["its own w_j"]),
    (lambda w, b, a0, y: chain_gradient(w, b, a0, y)[::-1], ["reverse order"]),
    (lambda w, b, a0, y: chain_gradient(w, b, a0, y)[1:], ["return"]),
    (lambda w, b, a0, y: chain_gradient(w, b, a0, y) * 1.1, ["is off", "σ'(z_j)"]),
    (in_place, ["changed the arrays"]),
    (ch13.chain_gradient_reference, ["package function"]),
])
def test_chain_gradient_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch13.check_chain_gradient, (wrong,), *phrases)


def test_chain_gradient_refuses_the_packages_backpropagation(capsys):
    def by_package(w, b, a0, y):
        nabla_b, _ = ch13.chain_network(w, b).backprop(np.array([[a0]]), np.array([[y]]))
        return [nb[0, 0] for nb in nabla_b]
    assert_rejects(capsys, ch13.check_chain_gradient, (by_package,), "package function Network.backprop")


# ----- Exercise 5: exploding_biases -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [lambda w, a0, layers: np.array([-w * a0] + [-w / 2] * (layers - 1)),
                                    lambda w, a0, layers: [-w * a0] + [-w * sigmoid(0.0) for _ in range(layers - 1)]])
def test_exploding_biases_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch13.check_exploding_biases, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, a0, layers: np.full(layers, -w * a0), ["input is not a_0", "σ(0)"]),
    (lambda w, a0, layers: np.array([w * a0] + [w / 2] * (layers - 1)), ["signs are reversed"]),
    (lambda w, a0, layers: np.array([-w * a0] + [-w] * (layers - 1)), ["not 0"]),
    (lambda w, a0, layers: np.array([-w * a0] + [-w / 2] * layers), ["return"]),
    (ch13.exploding_biases_reference, ["package function"]),
])
def test_exploding_biases_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch13.check_exploding_biases, (wrong,), *phrases)


@pytest.mark.parametrize("check", [ch13.check_speeds_of_learning, ch13.check_chain_gradient,
                                   ch13.check_exploding_biases])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


def test_no_hint_gives_the_answer(capsys):
    """The hints for the speeds never print a speed; those for the chain never print a gradient."""
    net, data = ch13.network_and_data([5, 4, 3, 2], 1, 7)
    speeds = ch13.package_speeds(net, data)
    out = assert_rejects(capsys, ch13.check_speeds_of_learning,
                         (lambda net, data: [0.5 * s for s in speeds_of_learning(net, data)],), "differ")
    assert not any(f"{s:.3g}" in out for s in speeds)
    w, b, a0, y = ch13.CHAIN_CASES[0]
    out = assert_rejects(capsys, ch13.check_chain_gradient, (lambda w, b, a0, y: np.zeros(len(w)),), "is off")
    assert not any(f"{g:.3g}" in out for g in ch13.chain_gradient_reference(w, b, a0, y))


# ----- Exercise 8, answered in words: the numbers its model answer states -----------------------------------------

@pytest.mark.parametrize("w1", [1.0, 0.1, 0.01, -0.5, 3.0])
def test_the_identity_neuron_is_x_plus_a_constant_within_w1_squared_over_96(w1):
    """b = -w1/2, w2 = 4/w1: w2 σ(w1 x + b) = x + (2/w1 - 1/2) + an error of at most w1²/96 on [0, 1], for any w1;
    its slope w1 w2 σ'(w1 x + b) lies between 1 - w1²/16 and 1."""
    x = np.linspace(0.0, 1.0, 10_001)
    b, w2 = -w1 / 2, 4 / w1
    error = w2 * sigmoid(w1 * x + b) - (2 / w1 - 1 / 2) - x
    assert np.abs(error).max() <= w1 ** 2 / 96 * (1 + 1e-9)
    slope = w1 * w2 * sigmoid_prime(w1 * x + b)
    assert 1 - w1 ** 2 / 16 <= slope.min() and slope.max() <= 1 + 1e-12


def test_the_identity_neurons_error_follows_the_taylor_series_and_shrinks_like_w1_squared():
    """σ(u) = 1/2 + u/4 - u³/48 + O(u⁵), so the error is -w1² Δ³/12 + ...: largest at the ends, about w1²/96."""
    u = 1e-2
    assert (sigmoid(u) - 1 / 2 - u / 4) / u ** 3 == pytest.approx(-1 / 48, rel=1e-3)
    for w1 in (0.1, 0.01):
        x = np.array([0.0, 1.0])
        error = 4 / w1 * sigmoid(w1 * (x - 1 / 2)) - (2 / w1 - 1 / 2) - x
        np.testing.assert_allclose(error, -w1 ** 2 * (x - 1 / 2) ** 3 / 12, rtol=w1 ** 2)


def test_no_bias_removes_the_identity_neurons_constant_when_w1_is_small():
    """At x = 0 the output w2 σ(b) is 1/(w1 (1 - σ(b))) >= 1/w1 times its slope w2 w1 σ'(b), whatever b and w2."""
    b = np.linspace(-30.0, 30.0, 601)
    for w1 in (1.0, 0.1):
        ratio = sigmoid(b) / (w1 * sigmoid_prime(b))
        np.testing.assert_allclose(ratio, 1 / (w1 * (1 - sigmoid(b))))
        assert ratio.min() >= 1 / w1
