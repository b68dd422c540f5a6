"""The checks of notebook 08 accept right answers, name typical mistakes, and never print the answer."""
import nbformat
import numpy as np
import pytest
from scipy import special

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import learner
from nndl.checks import ch08
from nndl.functions import sigmoid, sigmoid_prime


# ----- Exercise 13: the cross-entropy gradient ----------------------------------------------------

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


# ----- Exercise 14: softmax -------------------------------------------------------------------------

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


# ----- Exercise 15: the log-likelihood cost ---------------------------------------------------------

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


@pytest.mark.parametrize("check", [ch08.check_cross_entropy_gradient, ch08.check_softmax, ch08.check_log_likelihood,
                                   ch08.check_softmax_inverse])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


# ----- Exercise 8: sigmoid outputs that do not sum to 1 ----------------------------------------------

@pytest.mark.parametrize("z", [np.array([[0.0], [0.0], [0.0]]), [1.0, 2.0], np.array([[3.0], [-1.0], [0.5]]),
                               np.array([800.0, 800.0])])
def test_sigmoid_sum_accepts_any_counterexample(capsys, z):
    assert_accepts(capsys, ch08.check_sigmoid_sum, z)


@pytest.mark.parametrize("wrong, phrases", [
    (np.array([[2.0], [-2.0]]), ["σ(-t) = 1 - σ(t)", "opposite sign"]),
    (np.full((3, 1), -np.log(2.0)), ["do sum to 1"]),      # σ(-ln 2) = 1/3, three times
    (np.array([[0.5]]), ["at least two"]),
    (np.array([[np.nan], [1.0]]), ["finite"]),
    ("two numbers", ["NumPy array"]),
])
def test_sigmoid_sum_rejects_an_example_that_sums_to_1_or_is_no_layer(capsys, wrong, phrases):
    assert_rejects(capsys, ch08.check_sigmoid_sum, (wrong,), *phrases)


def test_sigmoid_sum_unanswered_is_not_done_yet(capsys):
    assert printed(capsys, ch08.check_sigmoid_sum, None).startswith("… Not done yet")


# ----- Exercise 11: inverting the softmax --------------------------------------------------------------

@pytest.mark.parametrize("answer", [np.log, lambda a: np.log(a) + 7.0, lambda a: np.log(a) - np.log(a).mean()])
def test_softmax_inverse_accepts_ln_a_plus_any_constant(capsys, answer):
    assert_accepts(capsys, ch08.check_softmax_inverse, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda a: a, ["a itself", "undo the exponential"]),
    (lambda a: -np.log(a), ["sign"]),
    (np.log10, ["natural logarithm"]),
    (np.log2, ["natural logarithm"]),
    (np.exp, ["wrong way"]),
    (lambda a: np.log(a).ravel(), ["same shape"]),
    (lambda a: np.full_like(a, np.nan), ["nan or inf"]),
    (lambda a: 2 * np.log(a), ["the softmax of your z is", "eq. (78)"]),
])
def test_softmax_inverse_rejects_typical_mistakes(capsys, wrong, phrases):
    out = assert_rejects(capsys, ch08.check_softmax_inverse, (wrong,), *phrases)
    assert "np.log(a)" not in out and "ln a_j + C" not in out


# ----- the written exercises and the prediction: each before the cell that gives its answer away -----------

def notebook_sources():
    return [cell.source for cell in nbformat.read(learner.NOTEBOOKS / "08_cross_entropy.ipynb", as_version=4).cells]


def first(sources, text):
    return next(i for i, source in enumerate(sources) if text in source)


@pytest.mark.parametrize("exercise, answer", [
    ("**Exercise 2 ", "the swapped form {swapped}"),
    ("**Exercise 3 ", "the binary entropy (64): {"),
    ("**Exercise 4 ", "net.backprop(x, y)"),
    ("**Exercise 4 ", "$\\delta^L = a^L - y$"),
    ("**Exercise 5 ", "fixed, up to a constant"),
    ("**Exercise 9 ", "after raising z_4"),
    ("**Exercise 12 ", "a - y and finite differences"),
])
def test_each_written_exercise_comes_before_the_cell_that_answers_it(exercise, answer):
    sources = notebook_sources()
    asked = first(sources, exercise)
    assert sources[asked + 1].startswith("*Your answer:*")
    assert asked < first(sources, answer), f"{answer!r} is given before {exercise!r}"


def test_sigmas_derivative_is_asked_where_eqs_55_and_56_use_it_and_stated_nowhere_before():
    sources = notebook_sources()
    asked = first(sources, "**Exercise 1 ")
    assert "verify that\n$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$" in sources[asked]
    assert first(sources, "\\quad (56)") < asked < first(sources, "## 2. The cross-entropy cost")
    for identity in ("\\sigma(z)(1 - \\sigma(z))", "σ(z)(1 - σ(z))", "σ(z)(1 − σ(z))", "a(1 - a)"):
        assert not any(identity in source for source in sources[:asked]), f"{identity!r} before Exercise 1"
    assert "σ'(z) = σ(z)(1 - σ(z))" in ch08.ex1.answer


def test_eqs_81_and_82_are_stated_first_in_the_exercise_that_asks_for_them():
    sources = notebook_sources()
    assert first(sources, "\\quad (81)") == first(sources, "**Exercise 12 ")


def test_the_prediction_comes_before_its_experiment_and_offers_the_modules_letters():
    sources = notebook_sources()
    asked = next(i for i, source in enumerate(sources) if source.startswith("p1.check(None)"))
    assert "special.softmax(c * z" in sources[asked + 1]
    assert [letter for letter in "abcd" if f"({letter}) " in sources[asked - 1]] == ch08.p1.letters


def test_the_prediction_takes_its_letter_and_every_wrong_one_gets_its_own_hint(capsys):
    p = ch08.p1
    assert_accepts(capsys, p.check, p.right)
    assert printed(capsys, p.check, None).startswith("… Not done yet")
    lines = [assert_rejects(capsys, p.check, [letter], f"({letter})", p.wrong[letter]) for letter in p.wrong]
    assert len(set(lines)) == len(lines) == 3
    assert f"({p.right})" not in " ".join(p.hints), "a hint never names the right letter"


def test_the_right_letters_are_spread_over_prediction_and_questionnaire():
    rights = [q.right for q in (ch08.p1, ch08.q1, ch08.q2, ch08.q3, ch08.q4, ch08.q5)]
    assert max(rights.count(letter) for letter in "abcd") <= 0.4 * len(rights)
