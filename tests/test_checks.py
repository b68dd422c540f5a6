"""Every exercise check of chapters 03-05 accepts a right answer and rejects typical wrong ones with a useful hint.

The checks of notebooks 01 and 02 have their own files, test_checks_ch01.py and test_checks_ch02.py.
"""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import mnist
from nndl.checks import ch03, ch04, ch06, check, Hint
from nndl.functions import sigmoid_prime
from nndl.network import Network


def test_the_check_decorator_handles_stubs_hints_and_crashes(capsys):
    @check("fine")
    def check_positive(f):
        if f() <= 0:
            raise Hint("make it positive")

    assert printed(capsys, check_positive, lambda: 1) == "✓ fine\n"
    assert printed(capsys, check_positive, lambda: -1) == "✗ Not yet: make it positive\n"
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
    # an independent matrix form, written out here (the check forbids the package's backprop_batch)
    activations, zs = [X], []
    for b, w in zip(net.biases, net.weights):
        zs.append(w @ activations[-1] + b)
        activations.append(1 / (1 + np.exp(-zs[-1])))
    deltas = [(activations[-1] - Y) * sigmoid_prime(zs[-1])]
    for w, z in zip(net.weights[:0:-1], zs[-2::-1]):
        deltas.insert(0, (w.T @ deltas[0]) * sigmoid_prime(z))
    return ([np.sum(d, axis=1, keepdims=True) for d in deltas],
            [d @ a.T for d, a in zip(deltas, activations[:-1])])


def test_backprop_mini_batch(capsys):
    assert_accepts(capsys, ch04.check_backprop_mini_batch, reference_backprop_mini_batch)

    def averaged(net, X, Y):
        nb, nw = reference_backprop_mini_batch(net, X, Y)
        return [b / X.shape[1] for b in nb], [w / X.shape[1] for w in nw]
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [averaged], "averaged")

    def one_gradient_per_example(net, X, Y):  # forgot to sum: a column per example in nabla_b
        nb, nw = reference_backprop_mini_batch(net, X, Y)
        return [b * np.ones((1, X.shape[1])) for b in nb], nw
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [one_gradient_per_example], "no column per example")


def loop_with_backprop(net, X, Y):
    gradients = [net.backprop(X[:, [j]], Y[:, [j]]) for j in range(X.shape[1])]
    return ([sum(g[0][l] for g in gradients) for l in range(2)], [sum(g[1][l] for g in gradients) for l in range(2)])


def loop_over_columns(net, X, Y):
    parts = [reference_backprop_mini_batch(net, x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(X.T, Y.T)]
    return ([sum(p[0][l] for p in parts) for l in range(2)], [sum(p[1][l] for p in parts) for l in range(2)])


@pytest.mark.parametrize("shortcut, phrase", [
    (lambda net, X, Y: net.backprop_batch(X, Y), "calls the package's Network.backprop_batch"),
    (lambda net, X, Y: Network.backprop_batch(net, X, Y), "calls the package's Network.backprop_batch"),
    (lambda net, X, Y: net.backprop(X, Y), "calls the package's Network.backprop"),
    (loop_with_backprop, "takes the mini-batch apart"),
    (loop_over_columns, "takes the mini-batch apart"),
], ids=["backprop_batch", "class-backprop_batch", "backprop-on-matrix", "loop-backprop", "loop-zip"])
def test_backprop_mini_batch_catches_what_the_exercise_forbids(capsys, shortcut, phrase):
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [shortcut], phrase)
    assert_accepts(capsys, ch04.check_backprop_mini_batch, reference_backprop_mini_batch)  # all put back
    net = Network([2, 2], seed=0)
    assert len(net.backprop_batch(np.ones((2, 3)), np.ones((2, 3)))[1]) == 1


# ----- 06 ---------------------------------------------------------------------------------------
def test_no_hidden_layer(capsys):
    _, _, test_data = mnist.load_data()
    net = Network([784, 10], seed=0, dtype=np.float32)
    assert_rejects(capsys, ch06.check_no_hidden_layer, [Network([784, 30, 10], seed=0), test_data], "Network([784, 10])")
    assert_rejects(capsys, ch06.check_no_hidden_layer, [net, test_data], "train it")
    training_data, _, _ = mnist.load_data()
    net.SGD(training_data, 1, 10, 3.0, quiet=True)
    assert_accepts(capsys, ch06.check_no_hidden_layer, net, test_data)


def test_choose_by_validation(capsys):
    assert_accepts(capsys, ch06.check_choose_by_validation,
                   lambda runs: max(runs, key=lambda r: r["validation"])["eta"])
    assert_rejects(capsys, ch06.check_choose_by_validation, [lambda runs: max(runs, key=lambda r: r["test"])["eta"]],
                   "test accuracy")
    out = printed(capsys, ch06.check_choose_by_validation, lambda runs: runs[1]["eta"])
    assert out.startswith("✗ Your code raised IndexError"), out


def test_an_unfinished_exercise_shows_one_line_not_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    from nndl.checks import NOT_DONE, show_unfinished_exercises_briefly
    shell = InteractiveShell.instance()
    show_unfinished_exercises_briefly(shell)
    result = shell.run_cell("def perceptron(x, w, b):\n    raise NotImplementedError()\n\nperceptron(1, 2, 3)")
    assert isinstance(result.error_in_exec, NotImplementedError), "still an error: Run All's tag and nbgrader see it"
    out = capsys.readouterr()
    assert f"NotImplementedError: {NOT_DONE}" in out.out + out.err and "Traceback" not in out.out + out.err
    result = shell.run_cell("1 / 0")
    assert "Traceback" in "".join(capsys.readouterr()), "other errors keep their traceback"
