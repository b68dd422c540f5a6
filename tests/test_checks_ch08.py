"""Notebook 08: its checks accept right answers and name typical mistakes, each applying its graded test's rule;
its exercises sit where their ideas are, before any cell that answers them; its predictions come before their
experiments."""
import re

import nbformat
import numpy as np
import pytest
from scipy import special

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import costs, functions, learner, neuron
from nndl.checks import ch08, numerical_gradient
from nndl.checks.questions import Written
from nndl.functions import sigmoid, sigmoid_prime


# ----- Exercise 2: the cross-entropy gradient ----------------------------------------------------

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


# ----- Exercise 6: softmax -------------------------------------------------------------------------

def stable_softmax(z):
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def test_softmax_accepts_a_stable_softmax(capsys):
    assert_accepts(capsys, ch08.check_softmax, stable_softmax)
    shifted = lambda z: np.exp(z - z.max(axis=0))  # noqa: E731
    assert_accepts(capsys, ch08.check_softmax, lambda z: shifted(z) / shifted(z).sum(axis=0))


def in_place(z):
    z -= z.max(axis=0, keepdims=True)
    return stable_softmax(z)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), ["overflow", "subtract"]),
    (lambda z: stable_softmax(z.T).T, ["axis=0"]),
    (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(), ["whole array"]),
    (lambda z: stable_softmax(z).ravel(), ["same shape"]),
    (in_place, ["changed the array"]),
    (lambda z: sigmoid(z), ["eq. 78"]),
])
def test_softmax_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch08.check_softmax, (wrong,), *phrases)


def global_max_softmax(z):
    """Subtracts the whole array's maximum: a column far below it underflows to all 0s, then 0/0."""
    exps = np.exp(z - np.max(z))
    return exps / exps.sum(axis=0)


def quietly(softmax):
    """``softmax`` with NumPy's warnings off: the check sees only its nan or inf."""
    def without_warnings(z):
        with np.errstate(all="ignore"):
            return softmax(z)
    return without_warnings


@pytest.mark.parametrize("softmax", [global_max_softmax, quietly(global_max_softmax)], ids=["warns", "quietly"])
def test_a_softmax_that_subtracts_the_global_maximum_is_told_of_0_over_0_in_one_column(capsys, softmax):
    out = assert_rejects(capsys, ch08.check_softmax, (softmax,), "the column z = [-1000.0, -1001.0]", "became 0",
                         "0/0", "each column's own maximum", "axis=0, keepdims=True")
    assert "overflow" not in out and "5. -1001" not in out   # not e^1000, and no array mixing two columns


@pytest.mark.parametrize("softmax", [lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True),
                                     quietly(lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True))],
                         ids=["warns", "quietly"])
def test_a_softmax_that_overflows_is_told_so_for_its_column(capsys, softmax):
    out = assert_rejects(capsys, ch08.check_softmax, (softmax,), "the column z = [1000.0, 1000.0, 999.0]",
                         "overflow", "e^1000", "subtract")
    assert "0/0" not in out


# ----- Exercise 7: the log-likelihood cost ---------------------------------------------------------

def test_log_likelihood_accepts_the_right_answer(capsys):
    assert_accepts(capsys, ch08.check_log_likelihood, lambda a, y: -np.log(a[y, 0]))
    assert_accepts(capsys, ch08.check_log_likelihood, lambda a, y: -np.log(a[y]).item())
    assert_accepts(capsys, ch08.check_log_likelihood, lambda a, y: -np.log(a[y]))   # a 1-element array: as graded


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


# ----- Exercise 5: sigmoid outputs that do not sum to 1 ----------------------------------------------

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


# ----- Exercise 9: inverting the softmax --------------------------------------------------------------

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


# ----- one rule: what the check refuses, the graded test refuses, and the other way round ------------------------

def reference():
    return nbformat.read(learner.NOTEBOOKS / "08_cross_entropy.ipynb", as_version=4)


def run_graded(grade_id, **answer):
    """Run the graded test cell ``grade_id`` with the learner's answer (name=value); AssertionError if it fails."""
    source = next(cell.source for cell in reference().cells
                  if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    exec(source, {"np": np, **answer})


LIBRARY_SOFTMAXES = [lambda z: special.softmax(z, axis=0), lambda z: np.exp(special.log_softmax(z, axis=0)),
                     lambda z: functions.softmax(z)]


@pytest.mark.parametrize("library", LIBRARY_SOFTMAXES, ids=["scipy", "scipy-log", "nndl"])
def test_a_library_softmax_is_refused_by_the_check_and_by_the_graded_test(capsys, library):
    assert_rejects(capsys, ch08.check_softmax, (library,), "library's softmax", "np.exp")
    with pytest.raises(AssertionError, match="package function"):
        run_graded("nb08_softmax_test", softmax=library)
    run_graded("nb08_softmax_test", softmax=stable_softmax)
    assert special.softmax(np.zeros(2)).tolist() == [0.5, 0.5], "the library's softmax works again afterwards"


def by_the_package(w, b, x, y):
    delta = neuron.cross_entropy_delta(np.dot(w, x) + b, y)
    return x * delta, delta


def by_finite_differences(w, b, x, y):
    grad = numerical_gradient(lambda p: neuron.cross_entropy_cost(p[:-1] @ x + p[-1], y), np.append(w, b))
    return grad[:-1], grad[-1]


@pytest.mark.parametrize("shortcut", [by_the_package, by_finite_differences])
def test_the_packages_gradient_is_refused_by_the_check_and_by_the_graded_test(capsys, shortcut):
    assert_rejects(capsys, ch08.check_cross_entropy_gradient, (shortcut,), "the formula you derived")
    with pytest.raises(AssertionError, match="package function"):
        run_graded("nb08_cross_entropy_gradient_test", cross_entropy_gradient=shortcut)
    for answer in (gradient, lambda w, b, x, y: list(gradient(w, b, x, y))):
        assert_accepts(capsys, ch08.check_cross_entropy_gradient, answer)
        run_graded("nb08_cross_entropy_gradient_test", cross_entropy_gradient=answer)


@pytest.mark.parametrize("answer", [lambda a, y: -np.log(a[y, 0]), lambda a, y: -np.log(a[y])],
                         ids=["number", "1-element array"])
def test_the_check_and_the_graded_test_take_the_same_costs(capsys, answer):
    assert_accepts(capsys, ch08.check_log_likelihood, answer)
    run_graded("nb08_log_likelihood_test", log_likelihood=answer)


def test_a_cost_that_is_no_number_is_told_what_it_returned_not_that_it_raised(capsys):
    out = assert_rejects(capsys, ch08.check_log_likelihood, (lambda a, y: -np.log(a),), "one number",
                         "array of shape (10, 1)")
    assert "raised" not in out
    with pytest.raises(AssertionError, match="should be a number"):
        run_graded("nb08_log_likelihood_test", log_likelihood=lambda a, y: -np.log(a))


def test_the_packages_log_likelihood_is_refused_by_the_check_and_by_the_graded_test(capsys):
    def by_the_package(a, y):
        return costs.LogLikelihoodCost.fn(a, np.eye(len(a))[:, [y]])
    assert_rejects(capsys, ch08.check_log_likelihood, (by_the_package,), "eq. (80) yourself")
    with pytest.raises(AssertionError, match="package function"):
        run_graded("nb08_log_likelihood_test", log_likelihood=by_the_package)


# ----- every exercise where its idea is, before any cell of the learner's copy that answers it ---------------------

def notebook_sources():
    return [cell.source for cell in reference().cells]


def learner_sources():
    return [cell.source for cell in learner.learner_version(reference()).cells]


def first(sources, text):
    return next(i for i, source in enumerate(sources) if text in source)


def test_the_nine_exercises_come_in_order_each_with_its_cells():
    cells, sources = reference().cells, notebook_sources()
    asked = [first(sources, f"**Exercise {number} (") for number in range(1, 10)]
    assert asked == sorted(asked)
    for number, at in enumerate(asked, start=1):
        exercise, answer = getattr(ch08, f"ex{number}"), cells[at + 1]
        meta = answer.metadata["nbgrader"]
        assert meta["grade_id"] == exercise.grade_id and exercise.answer is None
        if isinstance(exercise, Written):
            assert answer.cell_type == "markdown" and meta["grade"] and meta["solution"] and not meta["locked"]
            assert answer.source.startswith("**Model answer.** ")
            rubric = answer.source.split(f"**Rubric ({meta['points']} points).**\n", 1)[1]
            assert rubric.count("- 1 point: ") == meta["points"], "one rubric line per point"
            parts = re.findall(r"^(\d)\. ", sources[at], re.M)   # the exercise's numbered parts
            assert all(f"art {part}" in rubric for part in parts), "every part of the exercise earns a point"
            assert sources[at + 2].startswith(f"# ex{number}.hint()") and f"# ex{number}.solution()" in sources[at + 2]
        else:
            assert answer.cell_type == "code" and "### BEGIN SOLUTION" in answer.source
            assert sources[at + 2].startswith(f"# NBVAL_CHECK_OUTPUT\nex{number}.check(")


def test_the_ten_written_exercises_of_the_book_are_graded_as_parts_of_four_answer_cells():
    written = [ch08.ex1, ch08.ex3, ch08.ex4, ch08.ex8]
    assert all(isinstance(exercise, Written) for exercise in written)
    sources = notebook_sources()
    parts = [re.findall(r"^\d\. ", sources[first(sources, f"**Exercise {e.name[2:]} (")], re.M) for e in written]
    assert [len(p) for p in parts] == [3, 4, 2, 3]
    copy = learner.learner_version(reference()).cells
    answers = [cell for cell in copy if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_written")]
    assert len(answers) == 4 and all(cell.source == learner.TEXT_STUB for cell in answers)


@pytest.mark.parametrize("grade_id, answer", [
    ("nb08_sigmoid_and_cost_written", "\\sigma(z)(1 - \\sigma(z))"),
    ("nb08_sigmoid_and_cost_written", "σ(z)(1 - σ(z))"),
    ("nb08_sigmoid_and_cost_written", "a(1 - a)"), ("nb08_sigmoid_and_cost_written", "\\ln 2"),
    ("nb08_cross_entropy_gradient", "\\quad (61)"), ("nb08_cross_entropy_gradient", "\\quad (62)"),
    ("nb08_cross_entropy_gradient", "(a - y) * x"), ("nb08_cross_entropy_gradient", "sigmoid(w * x + b) - y"),
    ("nb08_cross_entropy_gradient", "x_j (a - y)"),
    ("nb08_many_layers_written", "\\delta^L = a^L - y"), ("nb08_many_layers_written", "δ^L = a^L - y"),
    ("nb08_derivation_written", "fixed, up to a constant"),
    ("nb08_softmax", "z - np.max(z"), ("nb08_softmax", "keepdims=True)"),
    ("nb08_log_likelihood", "-np.log(a[y"), ("nb08_log_likelihood", "[digit, 0]"),
    ("nb08_softmax_derivatives_written", "\\quad (81)"), ("nb08_softmax_derivatives_written", "a_j(1 - a_j)"),
    ("nb08_softmax_inverse", "return np.log(a)"), ("nb08_softmax_inverse", "ln a_j + C"),
])
def test_no_cell_of_the_learner_copy_before_an_exercise_gives_its_answer(grade_id, answer):
    """Nothing before the exercise's text (its solution cell's, for code: the text may give a formula to write)."""
    cells = reference().cells
    solution = next(i for i, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    before = learner_sources()[:solution if cells[solution].cell_type == "code" else solution - 1]
    assert not [i for i, source in enumerate(before) if answer in source], f"{answer!r} before {grade_id}"


def test_the_gradients_visible_test_compares_with_finite_differences_not_with_the_formula():
    sources = learner_sources()
    visible = sources[first(sources, "def by_differences(")]
    assert "sigma(4" not in visible and "a - y" not in visible and "- y)" not in visible.split("def cost")[0]
    assert "at w = b = 2, x = 1, y = 0 your gradient disagrees with finite differences" in visible


def test_the_sigmoid_identity_is_asked_where_eqs_55_and_56_use_it_and_answered_in_the_model_answer():
    cells, sources = reference().cells, notebook_sources()
    asked = first(sources, "**Exercise 1 ")
    assert first(sources, "\\quad (56)") == asked and "## 2. The cross-entropy cost" in sources[asked]
    assert "σ'(z) = σ(z)(1 - σ(z))" in cells[asked + 1].source


# ----- the predictions: each before its experiment, answered after it -------------------------------------------

CHOICES = [ch08.p1, ch08.p2, ch08.p3, ch08.q1, ch08.q2, ch08.q3, ch08.q4, ch08.q5]


def asked_at(sources, choice):
    return next(i for i, source in enumerate(sources) if source.startswith(f"{choice.name}.check(None)"))


@pytest.mark.parametrize("choice", CHOICES, ids=lambda choice: choice.name)
def test_a_questions_hints_name_only_exercises_and_predictions_the_learner_has_met(choice):
    sources = notebook_sources()
    asked = asked_at(sources, choice)
    said = " ".join([*choice.hints, *choice.wrong.values(), choice.why])
    for kind, number in re.findall(r"(Exercise|Prediction) (\d)", said):
        assert first(sources, f"**{kind} {number}") < asked, f"{choice.name} names {kind} {number}, which comes later"


PREDICTIONS = [(ch08.p1, 'neuron.train_neuron(w, b, "quadratic"'), (ch08.p2, '("cross-entropy", 0.005)'),
               (ch08.p3, "special.softmax(c * z")]


@pytest.mark.parametrize("p, experiment", PREDICTIONS, ids=["p1", "p2", "p3"])
def test_each_prediction_comes_before_its_experiment_and_offers_the_modules_letters(p, experiment):
    sources = notebook_sources()
    asked = next(i for i, source in enumerate(sources) if source.startswith(f"{p.name}.check(None)"))
    prompt = sources[asked - 1]
    assert f"**Prediction {p.name[1:]}" in prompt
    assert [letter for letter in "abcd" if f"({letter}) " in prompt] == p.letters
    assert experiment in sources[asked + 1] and not any(experiment in source for source in sources[:asked])
    assert sources[asked + 2].startswith(f"Back to Prediction {p.name[1:]}")


def test_prediction_1s_numbers_are_the_runs():
    sources = notebook_sources()
    back = " ".join(sources[first(sources, "Back to Prediction 1")].split())
    mild, bad = (neuron.train_neuron(w, b, "quadratic", eta=0.15, epochs=300) for w, b in [(0.6, 0.9), (2.0, 2.0)])
    assert f"{mild.outputs[50]:.2f}" == "0.39" and f"{bad.outputs[150]:.2f}" == "0.93"
    assert "0.39 within 50 epochs" in back and "still at 0.93" in back
    assert f"{sigmoid_prime(4.0):.4f}" == "0.0177" and 8 < sigmoid_prime(1.5) / sigmoid_prime(4.0) < 9
    assert "$\\sigma'(z) = 0.0177$" in back and "more than eight times smaller" in back


def test_prediction_2_says_that_the_book_ran_the_cross_entropy_at_another_eta_and_why_that_is_fair():
    sources = notebook_sources()
    back = " ".join(sources[first(sources, "Back to Prediction 2")].split())
    steepest = {}
    for cost, eta in [("quadratic", 0.15), ("cross-entropy", 0.15), ("cross-entropy", 0.005)]:
        run = neuron.train_neuron(2.0, 2.0, cost, eta=eta, epochs=300)
        steepest[cost, eta] = int(np.argmax(-np.diff(run.costs))) + 1
    assert steepest == {("quadratic", 0.15): 215, ("cross-entropy", 0.15): 1, ("cross-entropy", 0.005): 1}
    assert "fell most in epoch 215" in back and "in the very first epoch" in back
    assert "η = 0.005" in back and "apples and oranges" in back and "*how the speed changes*" in back
    assert f"{neuron.train_neuron(2.0, 2.0, 'cross-entropy', eta=0.15, epochs=10).outputs[10]:.2f}" == "0.78"
