"""Every exercise check accepts a right answer and rejects typical wrong ones with a useful hint."""
import numpy as np
import pytest

from nndl import descent, mnist
from nndl.checks import ch01, ch02, ch03, ch04, ch05, check, Hint
from nndl.functions import sigmoid, sigmoid_prime
from nndl.network import Network


def stub(*args):
    raise NotImplementedError()


def verdict(capsys, check_function, *args):
    capsys.readouterr()  # forget earlier output
    assert check_function(*args) is None  # a notebook shows the printed line only
    out = capsys.readouterr().out
    return out.startswith("✓"), out


def accepts(capsys, check_function, *args):
    ok, out = verdict(capsys, check_function, *args)
    assert ok, out
    return True


def assert_rejects(capsys, check_function, args, *words):
    ok, out = verdict(capsys, check_function, *args)
    assert not ok and out.startswith("✗"), out
    for word in words:
        assert word in out, out


def test_the_check_decorator_handles_stubs_hints_and_crashes(capsys):
    @check("fine")
    def check_positive(f):
        if f() <= 0:
            raise Hint("make it positive")

    assert verdict(capsys, check_positive, lambda: 1) == (True, "✓ fine\n")
    assert verdict(capsys, check_positive, lambda: -1) == (False, "✗ Not yet. make it positive\n")
    ok, out = verdict(capsys, check_positive, stub)
    assert not ok and out.startswith("… Not done yet")
    ok, out = verdict(capsys, check_positive, None)
    assert not ok and out.startswith("… Not done yet: your answer is still None")
    ok, out = verdict(capsys, check_positive, lambda: None)
    assert not ok and "Your code raised TypeError" in out


# ----- 01 ---------------------------------------------------------------------------------------
nand = lambda x1, x2: int(-2 * x1 - 2 * x2 + 3 > 0)


def test_perceptron(capsys):
    assert accepts(capsys, ch01.check_perceptron, lambda x, w, b: int(np.dot(w, x) + b > 0))
    assert_rejects(capsys, ch01.check_perceptron, [lambda x, w, b: int(np.dot(w, x) + b >= 0)], "'> 0'")
    assert_rejects(capsys, ch01.check_perceptron, [lambda x, w, b: float(np.dot(w, x) + b)], "0 or 1")
    assert_rejects(capsys, ch01.check_perceptron, [lambda x, w, b: int(np.sum(x) + b > 0)])
    assert "Not done yet" in verdict(capsys, ch01.check_perceptron, stub)[1]


def test_logic_gates(capsys):
    good = (([1, 1], -1.5), ([1, 1], -0.5), ([-1], 0.5))
    assert accepts(capsys, ch01.check_logic_gates, *good)
    assert_rejects(capsys, ch01.check_logic_gates, [good[1], good[1], good[2]], "AND", "(0, 1)")
    assert_rejects(capsys, ch01.check_logic_gates, [good[0], good[1], ([1], 0.5)], "NOT")
    assert_rejects(capsys, ch01.check_logic_gates, [good[0], good[1], ([1, 1], 0.5)], "1 weight")


def test_half_adder(capsys):
    def adder(x1, x2):
        a = nand(x1, x2)
        return nand(nand(x1, a), nand(x2, a)), nand(a, a)
    assert accepts(capsys, ch01.check_half_adder, adder)
    assert_rejects(capsys, ch01.check_half_adder, [lambda x1, x2: (x1 | x2, x1 & x2)], "sum bit", "x1=1, x2=1")
    assert_rejects(capsys, ch01.check_half_adder, [lambda x1, x2: (x1 ^ x2, x1 | x2)], "carry")
    assert_rejects(capsys, ch01.check_half_adder, [lambda x1, x2: x1 ^ x2], "pair")


# ----- 02 ---------------------------------------------------------------------------------------
def test_scaled_neuron(capsys):
    assert accepts(capsys, ch02.check_scaled_neuron, lambda x, w, b, c: sigmoid(c * (np.dot(w, x) + b)))
    assert_rejects(capsys, ch02.check_scaled_neuron, [lambda x, w, b, c: sigmoid(c * np.dot(w, x) + b)], "multiply both")
    assert_rejects(capsys, ch02.check_scaled_neuron, [lambda x, w, b, c: sigmoid(-c * (np.dot(w, x) + b))], "c = 1")


def bit_layer():
    digits = np.arange(10)
    bits = np.array([(digits >> k) & 1 for k in (3, 2, 1, 0)])
    return 20 * (2 * bits - 1), -np.full((4, 1), 0.0)


def test_bitwise_layer(capsys):
    assert accepts(capsys, ch02.check_bitwise_layer, *bit_layer())
    w, b = bit_layer()
    assert_rejects(capsys, ch02.check_bitwise_layer, [w[::-1], b], "most significant bit first")
    assert_rejects(capsys, ch02.check_bitwise_layer, [w.T, b], "(4, 10) matrix")
    assert_rejects(capsys, ch02.check_bitwise_layer, [w, b.ravel()], "(4, 1) column")


# ----- 03 ---------------------------------------------------------------------------------------
def test_gradient_step(capsys):
    assert accepts(capsys, ch03.check_gradient_step, lambda v, g, eta: v - eta * g)
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: v + eta * g], "uphill")
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: -eta * g], "Δv itself")
    assert_rejects(capsys, ch03.check_gradient_step, [lambda v, g, eta: v - g], "learning rate")


def test_descend(capsys):
    def descend(surface, start, eta, steps):
        path = [np.asarray(start, dtype=float)]
        for _ in range(steps):
            path.append(path[-1] - eta * surface.gradient(path[-1]))
        return np.array(path)
    assert accepts(capsys, ch03.check_descend, descend)
    assert_rejects(capsys, ch03.check_descend, [lambda s, v, eta, n: descend(s, v, eta, n)[1:]], "start included")
    frozen = lambda s, v, eta, n: np.array([v - k * eta * s.gradient(v) for k in range(n + 1)])
    assert_rejects(capsys, ch03.check_descend, [frozen], "gradient at the current point")


# ----- 04 ---------------------------------------------------------------------------------------
def test_output_error(capsys):
    assert accepts(capsys, ch04.check_output_error, lambda a, y, z: (a - y) * sigmoid_prime(z))
    assert_rejects(capsys, ch04.check_output_error, [lambda a, y, z: a - y], "σ'(z^L)")
    assert_rejects(capsys, ch04.check_output_error, [lambda a, y, z: (y - a) * sigmoid_prime(z)], "sign")


def test_hidden_error(capsys):
    assert accepts(capsys, ch04.check_hidden_error, lambda w, d, z: (w.T @ d) * sigmoid_prime(z))
    assert_rejects(capsys, ch04.check_hidden_error, [lambda w, d, z: (w @ d) * sigmoid_prime(z)], "transpose")
    assert_rejects(capsys, ch04.check_hidden_error, [lambda w, d, z: w.T @ d], "σ'(z^l)")


def reference_backprop_mini_batch(net, X, Y):
    return net.backprop_batch(X, Y)


def test_backprop_mini_batch(capsys):
    assert accepts(capsys, ch04.check_backprop_mini_batch, reference_backprop_mini_batch)

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
    assert accepts(capsys, ch05.check_no_hidden_layer, net, test_data)


def test_choose_by_validation(capsys):
    assert accepts(capsys, ch05.check_choose_by_validation, lambda runs: max(runs, key=lambda r: r["validation"])["eta"])
    assert_rejects(capsys, ch05.check_choose_by_validation, [lambda runs: max(runs, key=lambda r: r["test"])["eta"]],
                   "test accuracy")
    assert_rejects(capsys, ch05.check_choose_by_validation, [lambda runs: runs[1]["eta"]], "IndexError")
