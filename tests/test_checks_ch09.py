"""The checks of notebook 09 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network
from nndl.checks import ch09


def l2_step(w, nabla_w, eta, lmbda, n, m):
    return (1 - eta * lmbda / n) * w - eta / m * nabla_w


def l1_step(w, nabla_w, eta, lmbda, n, m):
    return w - eta * lmbda / n * np.sign(w) - eta / m * nabla_w


def test_l2_step_accepts_the_right_answer(capsys):
    assert_accepts(capsys, ch09.check_l2_step, l2_step)


def test_the_l2_reference_is_the_packages_weight_decay():
    """Independent of the check: the package's update with a zero-gradient mini-batch is pure decay (eq. 93)."""
    from nndl.costs import CrossEntropyCost
    net = Network([2, 1], seed=3, cost=CrossEntropyCost)
    x = np.zeros((2, 1))
    z = float(net.biases[0][0, 0])
    y = 1 / (1 + np.exp(-z))  # the output itself: a - y = 0, so the gradient vanishes
    before = net.weights[0].copy()
    net.update_mini_batch([(x, np.array([[y]]))], eta=0.5, lmbda=5.0, n=50)
    np.testing.assert_allclose(net.weights[0], l2_step(before, np.zeros_like(before), 0.5, 5.0, 50, 1), rtol=1e-12)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, g, eta, lmbda, n, m: w - eta / m * g, ["unregularised"]),
    (lambda w, g, eta, lmbda, n, m: (1 - eta * lmbda / m) * w - eta / m * g, ["size of the whole training set"]),
    (lambda w, g, eta, lmbda, n, m: (1 - lmbda / n) * w - eta / m * g, ["missing η"]),
    (lambda w, g, eta, lmbda, n, m: (1 - eta * lmbda / n) * w - eta * g, ["divide by m"]),
    (lambda w, g, eta, lmbda, n, m: (1 + eta * lmbda / n) * w - eta / m * g, ["eq. 87"]),
    (lambda w, g, eta, lmbda, n, m: l2_step(w, g, eta, lmbda, n, m).ravel(), ["shaped like w"]),
])
def test_l2_step_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_l2_step, (wrong,), *phrases)


def test_l1_step_accepts_the_right_answer(capsys):
    assert_accepts(capsys, ch09.check_l1_step, l1_step)


@pytest.mark.parametrize("wrong, phrases", [
    (l2_step, ["L2's weight decay", "derivative of |w|"]),
    (lambda w, g, eta, lmbda, n, m: w + eta * lmbda / n * np.sign(w) - eta / m * g, ["sign is flipped"]),
    (lambda w, g, eta, lmbda, n, m: w - lmbda / n * np.sign(w) - eta / m * g, ["multiplied by η"]),
    (lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.where(w >= 0, 1.0, -1.0) - eta / m * g, ["sgn(0) = 0"]),
    (lambda w, g, eta, lmbda, n, m: w - eta / m * g, ["sgn(w)"]),
])
def test_l1_step_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_l1_step, (wrong,), *phrases)


def epochs_trained(accuracies, n):
    best_epoch = 0
    for epoch, accuracy in enumerate(accuracies):
        if accuracy > accuracies[best_epoch]:
            best_epoch = epoch
        elif epoch - best_epoch >= n:
            return epoch + 1
    return len(accuracies)


def test_epochs_trained_accepts_the_right_answer_and_matches_the_package(capsys):
    assert_accepts(capsys, ch09.check_epochs_trained, epochs_trained)
    assert ch09._epochs_trained([90, 91, 92, 92, 91, 90], 3) == 6  # best at epoch 2, three epochs without a new best
    assert ch09._epochs_trained([90, 91, 92, 92, 91, 93, 92, 92, 92], 3) == 9  # 93 comes just in time


def test_the_packages_early_stopping_trains_as_many_epochs_as_the_reference():
    from nndl.costs import CrossEntropyCost
    rng = np.random.default_rng(0)
    data = [(rng.normal(size=(4, 1)), int(rng.integers(2))) for _ in range(40)]
    net = Network([4, 3, 2], seed=0, cost=CrossEntropyCost)
    history = net.SGD(data[:30], 40, 5, 3.0, test_data=data[30:], early_stopping_n=2, quiet=True)
    assert history.epochs == ch09._epochs_trained(history.test_correct, 2) < 40


@pytest.mark.parametrize("wrong, phrases", [
    (lambda accuracies, n: epochs_trained(accuracies, n) - 1, ["stopping epoch included"]),
    (lambda accuracies, n: ch09._epochs_trained(accuracies, n, ties_improve=True), ["equal to the best"]),
    (lambda accuracies, n: min(len(accuracies), epochs_trained(accuracies, n) + 1), ["best accuracy so far"]),
])
def test_epochs_trained_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_epochs_trained, (wrong,), *phrases)


def l1_sgd_epoch(net, mini_batches, eta, lmbda, n):
    for X, Y in mini_batches:
        m = X.shape[1]
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        net.weights = [l1_step(w, nw, eta, lmbda, n, m) for w, nw in zip(net.weights, nabla_w)]
        net.biases = [b - (eta / m) * nb for b, nb in zip(net.biases, nabla_b)]


def in_place(net, mini_batches, eta, lmbda, n):
    for X, Y in mini_batches:
        m = X.shape[1]
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        for w, b, nw, nb in zip(net.weights, net.biases, nabla_w, nabla_b):
            w -= eta * lmbda / n * np.sign(w) + eta / m * nw
            b -= eta / m * nb


def epoch_with(weight_step, bias_step=lambda b, nb, eta, lmbda, n, m: b - eta / m * nb, first_m_only=False):
    """An l1_sgd_epoch with a wrong step for the weights (or the biases), or with m taken from the first mini-batch."""
    def wrong(net, mini_batches, eta, lmbda, n):
        first_m = mini_batches[0][0].shape[1]
        for X, Y in mini_batches:
            m = first_m if first_m_only else X.shape[1]
            nabla_b, nabla_w = net.backprop_batch(X, Y)
            net.weights = [weight_step(w, nw, eta, lmbda, n, m) for w, nw in zip(net.weights, nabla_w)]
            net.biases = [bias_step(b, nb, eta, lmbda, n, m) for b, nb in zip(net.biases, nabla_b)]
    return wrong


def gradient_once(net, mini_batches, eta, lmbda, n):
    """The gradients of every mini-batch taken at the starting weights, then all the steps."""
    gradients = [(X.shape[1], net.backprop_batch(X, Y)) for X, Y in mini_batches]
    for m, (nabla_b, nabla_w) in gradients:
        net.weights = [l1_step(w, nw, eta, lmbda, n, m) for w, nw in zip(net.weights, nabla_w)]
        net.biases = [b - (eta / m) * nb for b, nb in zip(net.biases, nabla_b)]


@pytest.mark.parametrize("answer", [l1_sgd_epoch, in_place])
def test_l1_sgd_epoch_accepts_the_right_answer(capsys, answer):
    assert_accepts(capsys, ch09.check_l1_sgd_epoch, answer)


def test_the_l1_reference_is_the_packages_step_plus_a_constant_pull_towards_0():
    """Independent of the check: with λ = 0 the reference is the package's update_mini_batch, batch by batch;
    with λ > 0 one mini-batch moves each weight a further ηλ/n · sgn(w) (eq. 97) and leaves the biases alone."""
    net, batches = ch09._l1_epoch_case(4)
    package, _ = ch09._l1_epoch_case(4)
    ch09.l1_regularised_epoch(net, batches, 0.5, 0.0, 11)
    for X, Y in batches:
        package.update_mini_batch(list(zip(X.T[:, :, None], Y.T[:, :, None])), 0.5)
    for ours, theirs in zip(net.weights + net.biases, package.weights + package.biases):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    plain, one_batch = ch09._l1_epoch_case(4)
    l1, _ = ch09._l1_epoch_case(4)
    ch09.l1_regularised_epoch(plain, one_batch[:1], 0.5, 0.0, 11)
    ch09.l1_regularised_epoch(l1, one_batch[:1], 0.5, 2.0, 11)
    start, _ = ch09._l1_epoch_case(4)
    for w, w_plain, w0 in zip(l1.weights, plain.weights, start.weights):
        np.testing.assert_allclose(w, w_plain - 0.5 * 2.0 / 11 * np.sign(w0), rtol=1e-12)
    for b, b_plain in zip(l1.biases, plain.biases):
        np.testing.assert_array_equal(b, b_plain)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda net, mini_batches, eta, lmbda, n: None, ["did not change"]),
    (epoch_with(lambda w, nw, eta, lmbda, n, m: w - eta / m * nw), ["without regularisation"]),
    (epoch_with(lambda w, nw, eta, lmbda, n, m: l2_step(w, nw, eta, lmbda, n, m)), ["L2's weight decay"]),
    (epoch_with(l1_step, l1_step), ["biases"]),
    (epoch_with(lambda w, nw, eta, lmbda, n, m: l1_step(w, nw, eta, lmbda, m, m)), ["not by the mini-batch's"]),
    (epoch_with(lambda w, nw, eta, lmbda, n, m: l1_step(w, nw, eta, lmbda, n, 1),
                lambda b, nb, eta, lmbda, n, m: b - eta * nb),
     ["divide by m"]),
    (epoch_with(l1_step, first_m_only=True), ["last mini-batch is smaller"]),
    (gradient_once, ["at the current weights"]),
])
def test_l1_sgd_epoch_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_l1_sgd_epoch, (wrong,), *phrases)


@pytest.mark.parametrize("check", [ch09.check_l2_step, ch09.check_l1_step, ch09.check_epochs_trained,
                                   ch09.check_l1_sgd_epoch])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")
