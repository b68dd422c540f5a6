"""The checks of notebook 08 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest
from scipy import special

from checking import assert_accepts, assert_rejects, printed, stub
from nndl.checks import ch08
from nndl.functions import sigmoid, sigmoid_prime


# ----- Exercise 1: the cross-entropy gradient -----------------------------------------------------

def gradient(w, b, x, y):
    a = sigmoid(np.dot(w, x) + b)
    return (a - y) * x, a - y


def test_gradient_accepts_the_right_answer_written_two_ways(capsys):
    assert_accepts(capsys, ch08.check_cross_entropy_gradient, gradient)

    def via_the_chain_rule(w, b, x, y):
        z = w @ x + b
        a = sigmoid(z)
        dC_da = -y / a + (1 - y) / (1 - a)
        return dC_da * sigmoid_prime(z) * x, float(dC_da * sigmoid_prime(z))
    assert_accepts(capsys, ch08.check_cross_entropy_gradient, via_the_chain_rule)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, b, x, y: tuple(-g for g in gradient(w, b, x, y)), ["sign"]),
    (lambda w, b, x, y: tuple(g * sigmoid_prime(np.dot(w, x) + b) for g in gradient(w, b, x, y)),
     ["σ'(z)", "quadratic"]),
    (lambda w, b, x, y: (np.full_like(w, gradient(w, b, x, y)[1]), gradient(w, b, x, y)[1]), ["∂z/∂w_j"]),
    (lambda w, b, x, y: gradient(w, b, x, y)[0], ["pair"]),
    (lambda w, b, x, y: (gradient(w, b, x, y)[0].sum(), gradient(w, b, x, y)[1]), ["one entry per weight"]),
    (lambda w, b, x, y: (x * (sigmoid(np.dot(w, x) + b) - y) ** 2, 0.0), ["finite differences"]),
])
def test_gradient_rejects_typical_mistakes(capsys, wrong, phrases):
    out = assert_rejects(capsys, ch08.check_cross_entropy_gradient, (wrong,), *phrases)
    assert "(a - y)" not in out


# ----- Exercise 2: softmax --------------------------------------------------------------------------

def stable_softmax(z):
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def test_softmax_accepts_a_stable_softmax_and_scipys(capsys):
    assert_accepts(capsys, ch08.check_softmax, stable_softmax)
    assert_accepts(capsys, ch08.check_softmax, lambda z: special.softmax(z, axis=0))


def in_place(z):
    z -= z.max(axis=0, keepdims=True)
    return stable_softmax(z)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), ["overflow", "subtract"]),
    (lambda z: special.softmax(z, axis=1), ["axis=0"]),
    (lambda z: special.softmax(z, axis=None), ["whole array"]),
    (lambda z: stable_softmax(z).ravel(), ["same shape"]),
    (in_place, ["changed the array"]),
    (lambda z: sigmoid(z), ["eq. 78"]),
])
def test_softmax_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch08.check_softmax, (wrong,), *phrases)


def test_softmax_with_nan_but_no_warning_is_rejected(capsys):
    def nan_quietly(z):
        with np.errstate(all="ignore"):
            return np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    assert_rejects(capsys, ch08.check_softmax, (nan_quietly,), "nan or inf")


# ----- Exercise 3: the log-likelihood cost ----------------------------------------------------------

def test_log_likelihood_accepts_the_right_answer(capsys):
    assert_accepts(capsys, ch08.check_log_likelihood, lambda a, y: -np.log(a[y, 0]))
    assert_accepts(capsys, ch08.check_log_likelihood, lambda a, y: -np.log(a[y]).item())


@pytest.mark.parametrize("wrong, phrases", [
    (lambda a, y: np.log(a[y, 0]), ["minus sign"]),
    (lambda a, y: -np.log(a).sum(), ["right digit"]),
    (lambda a, y: -np.log(a.max()), ["right digit"]),
    (lambda a, y: -np.log10(a[y, 0]), ["natural logarithm"]),
    (lambda a, y: 1 - a[y, 0] if a[y, 0] < 1 else 0.0, ["natural logarithm"]),
])
def test_log_likelihood_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch08.check_log_likelihood, (wrong,), *phrases)


@pytest.mark.parametrize("check", [ch08.check_cross_entropy_gradient, ch08.check_softmax, ch08.check_log_likelihood])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")
