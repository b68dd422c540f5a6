"""Every exercise check of chapters 03-05 accepts a right answer and rejects typical wrong ones with a useful hint.

The checks of notebooks 01 and 02 have their own files, test_checks_ch01.py and test_checks_ch02.py.
"""
import numpy as np

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import mnist
from nndl.checks import ch03, ch04, ch05, check, Hint
from nndl.functions import sigmoid_prime
from nndl.network import Network


def test_the_check_decorator_handles_stubs_hints_and_crashes(capsys):
    @check("fine")
    def check_positive(f):
        if f() <= 0:
            raise Hint("make it positive")

    assert printed(capsys, check_positive, lambda: 1) == "✓ fine\n"
    assert printed(capsys, check_positive, lambda: -1) == "✗ Not yet. make it positive\n"
    assert printed(capsys, check_positive, stub).startswith("… Not done yet")
    assert printed(capsys, check_positive, None).startswith("… Not done yet: your answer is still None")
    assert printed(capsys, check_positive, lambda: None).startswith("✗ Your code raised TypeError")


# ----- 03 ---------------------------------------------------------------------------------------
def test_gradient_step(capsys):
    assert_accepts(capsys, ch03.check_gradient_step, lambda v, g, eta: v - eta * g)
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: v + eta * g], "uphill")
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: -eta * g], "Δv itself")
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: v - g], "learning rate")


def test_descend(capsys):
    def descend(surface, start, eta, steps):
        path = [np.asarray(start, dtype=float)]
        for _ in range(steps):
            path.append(path[-1] - eta * surface.gradient(path[-1]))
        return np.array(path)
    assert_accepts(capsys, ch03.check_descend, descend)
    assert_rejects(capsys, ch03.check_descend, [lambda s, v, eta, n: descend(s, v, eta, n)[1:]], "start included")
    frozen = lambda s, v, eta, n: np.array([v - k * eta * s.gradient(v) for k in range(n + 1)])
    assert_rejects(capsys, ch03.check_descend, [frozen], "gradient at the current point")


# ----- 04 ---------------------------------------------------------------------------------------
def test_output_error(capsys):
    assert_accepts(capsys, ch04.check_output_error, lambda a, y, z: (a - y) * sigmoid_prime(z))
    assert_rejects(capsys, ch04.check_output_error, [lambda a, y, z: a - y], "σ'(z^L)")
    assert_rejects(capsys, ch04.check_output_error, [lambda a, y, z: (y - a) * sigmoid_prime(z)], "sign")


def test_hidden_error(capsys):
    assert_accepts(capsys, ch04.check_hidden_error, lambda w, d, z: (w.T @ d) * sigmoid_prime(z))
    assert_rejects(capsys, ch04.check_hidden_error, [lambda w, d, z: (w @ d) * sigmoid_prime(z)], "transpose")
    assert_rejects(capsys, ch04.check_hidden_error, [lambda w, d, z: w.T @ d], "σ'(z^l)")


def reference_backprop_mini_batch(net, X, Y):
    return net.backprop_batch(X, Y)


def test_backprop_mini_batch(capsys):
    assert_accepts(capsys, ch04.check_backprop_mini_batch, reference_backprop_mini_batch)

    def averaged(net, X, Y):
        nb, nw = net.backprop_batch(X, Y)
        return [b / X.shape[1] for b in nb], [w / X.shape[1] for w in nw]
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [averaged], "averaged")

    def per_column(net, X, Y):  # forgot to sum: one gradient per example
        nb, nw = net.backprop(X[:, [0]], Y[:, [0]])
        return nb, nw
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [per_column], "differs from the sum")


# ----- 05 ---------------------------------------------------------------------------------------
def test_no_hidden_layer(capsys):
    _, _, test_data = mnist.load_data()
    net = Network([784, 10], seed=0, dtype=np.float32)
    assert_rejects(capsys, ch05.check_no_hidden_layer, [Network([784, 30, 10], seed=0), test_data], "Network([784, 10])")
    assert_rejects(capsys, ch05.check_no_hidden_layer, [net, test_data], "train it")
    training_data, _, _ = mnist.load_data()
    net.SGD(training_data, 1, 10, 3.0, quiet=True)
    assert_accepts(capsys, ch05.check_no_hidden_layer, net, test_data)


def test_choose_by_validation(capsys):
    assert_accepts(capsys, ch05.check_choose_by_validation,
                   lambda runs: max(runs, key=lambda r: r["validation"])["eta"])
    assert_rejects(capsys, ch05.check_choose_by_validation, [lambda runs: max(runs, key=lambda r: r["test"])["eta"]],
                   "test accuracy")
    out = printed(capsys, ch05.check_choose_by_validation, lambda runs: runs[1]["eta"])
    assert out.startswith("✗ Your code raised IndexError"), out
