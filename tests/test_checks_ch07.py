"""The checks of notebook 07 accept right answers, name what a wrong one returned, and apply the graded tests' rule."""
import ast
import re

import nbformat
import pytest

from checking import assert_accepts, assert_rejects, printed
from nndl import descent, learner
from nndl.checks import ch07
from nndl.checks.questions import Choice

NOTEBOOK = learner.NOTEBOOKS / "07_learning_rate_lab.ipynb"


def cell_of(grade_id):
    cells = nbformat.read(NOTEBOOK, 4).cells
    return next(c for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def graded_test_passes(grade_id, **answer):
    """Run the graded cell with the learner's ``answer`` defined; True if it passes, False on an AssertionError."""
    try:
        exec(cell_of(grade_id).source, dict(answer))
    except AssertionError:
        return False
    return True


# ----- Exercise 1: the edge of divergence -------------------------------------------------------------------------

def critical_eta(surface):
    return 2 / max(surface.a, surface.b)


def test_critical_eta_accepts_the_right_answer_and_the_graded_test_agrees(capsys):
    assert_accepts(capsys, ch07.check_critical_eta, critical_eta)
    assert graded_test_passes("nb07_critical_eta_test", critical_eta=critical_eta)


@pytest.mark.parametrize("package_answer, name", [
    (lambda surface: 2 / surface.largest_curvature, "largest_curvature"),
    (lambda surface: descent.regime_edges(surface)[2], "regime_edges"),
])
def test_the_packages_answer_is_refused_by_the_check_and_by_the_graded_test(capsys, package_answer, name):
    assert_rejects(capsys, ch07.check_critical_eta, (package_answer,), "package function", name)
    assert not graded_test_passes("nb07_critical_eta_test", critical_eta=package_answer)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda s: 1 / max(s.a, s.b), "returns 1/L"),
    (lambda s: 2 / min(s.a, s.b), "returns 2/(the *smallest* curvature)"),
    (lambda s: 1 / min(s.a, s.b), "returns 1/(the smallest curvature)"),
    (lambda s: 2 / (s.a + s.b), "returns 2/(a + b)"),
    (lambda s: max(s.a, s.b) / 2, "returns L/2"),
    (lambda s: 3 / max(s.a, s.b), "returns 0.75"),  # no typical slip: the hint names what came back
])
def test_each_wrong_formula_is_told_what_it_returned(capsys, wrong, phrase):
    out = assert_rejects(capsys, ch07.check_critical_eta, (wrong,), phrase)
    assert out.count("returns") == 1
    if "1/L" not in phrase:
        assert "1/L" not in out, "only 1/L is told it returned 1/L"
    assert not graded_test_passes("nb07_critical_eta_test", critical_eta=wrong)


def test_a_non_number_gets_the_graded_tests_rule(capsys):
    assert_rejects(capsys, ch07.check_critical_eta, (lambda s: "0.2",), "should be a number")
    assert not graded_test_passes("nb07_critical_eta_test", critical_eta=lambda s: "0.2")


# ----- Exercise 2: the grid search --------------------------------------------------------------------------------

def grid_search(train, etas, mini_batch_sizes):
    return {(eta, m): train(eta, m) for eta in etas for m in mini_batch_sizes}


def test_grid_search_accepts_the_right_answer_and_the_graded_test_agrees(capsys):
    assert_accepts(capsys, ch07.check_grid_search, grid_search)
    assert graded_test_passes("nb07_grid_search_test", grid_search=grid_search)


def twice(train, etas, sizes):
    for eta in etas:
        train(eta, sizes[0])
    return grid_search(train, etas, sizes)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda train, etas, sizes: {(e, m): train(e, m) for e, m in zip(etas, sizes)}, "zip"),
    (lambda train, etas, sizes: {(e, m): train(m, e) for e in etas for m in sizes}, "train(m, eta)"),
    (lambda train, etas, sizes: {(m, e): train(e, m) for e in etas for m in sizes}, "keys are (m, eta)"),
    (lambda train, etas, sizes: list(grid_search(train, etas, sizes).values()), "return a dict"),
    (lambda train, etas, sizes: {key: 0.5 for key in grid_search(train, etas, sizes)}, "what train(eta, m) returned"),
    (twice, "more than once"),
    (lambda train, etas, sizes: ch07.every_setting(train, etas, sizes), "package function every_setting"),
])
def test_grid_search_mistakes_are_named_and_fail_the_graded_test(capsys, wrong, phrase):
    assert_rejects(capsys, ch07.check_grid_search, (wrong,), phrase)
    try:
        passes = graded_test_passes("nb07_grid_search_test", grid_search=wrong)
    except (KeyError, TypeError, AttributeError):
        passes = False
    assert not passes


# ----- Exercise 3: the learner's setting, trained at the search's scale ----------------------------------------------

def test_a_setting_from_a_refined_search_passes_the_check_and_the_graded_test(capsys):
    assert_accepts(capsys, ch07.check_my_setting, 1.0, 1)
    assert graded_test_passes("nb07_my_setting_test", MY_ETA=1.0, MY_MINI_BATCH_SIZE=1)


def test_a_setting_below_the_bar_is_told_its_accuracy_by_both(capsys):
    out = assert_rejects(capsys, ch07.check_my_setting, (3.0, 10), "η = 3 with mini-batches of 10 reaches 81.",
                         "below the 85%")
    assert "Refine your search" in out
    assert not graded_test_passes("nb07_my_setting_test", MY_ETA=3.0, MY_MINI_BATCH_SIZE=10)


@pytest.mark.parametrize("eta, m, phrase", [(-1.0, 10, "positive"), (1.0, 1.5, "whole number"),
                                             ("3", 10, "should be a number"), (1.0, 0, "whole number")])
def test_a_setting_that_is_not_one_is_refused_without_training(capsys, eta, m, phrase):
    assert_rejects(capsys, ch07.check_my_setting, (eta, m), phrase)
    assert not graded_test_passes("nb07_my_setting_test", MY_ETA=eta, MY_MINI_BATCH_SIZE=m)


def test_the_coarse_grid_falls_short_and_the_best_eta_grows_with_the_mini_batch():
    """What Prediction 3 and Exercise 3's text say about the coarse grid the notebook starts from."""
    etas = [0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]
    results = ch07.every_setting(ch07.search_accuracy, etas, [10, 100])
    best = {m: max(etas, key=lambda eta: results[eta, m]) for m in (10, 100)}
    assert best[100] > best[10]
    assert max(results.values()) < ch07.GOOD_ENOUGH


def test_show_search_marks_the_best(capsys):
    ch07.show_search({(0.1, 10): 0.5, (1.0, 10): 0.8, (3.0, 100): 0.61})
    out = capsys.readouterr().out
    assert "80.0%*" in out and "best (*): η = 1 with mini-batches of 10, 80.00%" in out and "-" in out


# ----- the notebook ------------------------------------------------------------------------------------------------


def test_the_sweeps_numbers_in_the_text_are_the_shipped_sweeps():
    from nndl.sweep import SHIPPED_SWEEP, load_sweep
    runs = {run["eta"]: run for run in load_sweep(SHIPPED_SWEEP)["runs"]}
    assert [f"{c:.2f}" for c in runs[0.001]["cost"]][::2] == ["1.15", "0.56"]
    assert max(runs[0.001]["accuracy"]) < 0.11 and max(runs[100.0]["accuracy"][1:]) < 0.11
    text = "\n".join(c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "markdown")
    assert "from 1.15 after the first epoch to 0.56 after the third" in text


def test_the_defence_is_a_written_exercise_with_a_rubric():
    cell = cell_of(ch07.ex4.grade_id)
    assert cell.cell_type == "markdown" and cell.metadata["nbgrader"]["points"] == 4
    assert cell.source.startswith("**Model answer.**") and "**Rubric (4 points).**" in cell.source


def test_a_check_prints_one_line(capsys):
    assert printed(capsys, ch07.check_my_setting, None, None).startswith("… Not done yet")


def question_options(text):
    """``{letter: option}`` of a question's text written as ``(a) ... &nbsp; (b) ...``."""
    parts = re.split(r"\(([a-d])\)", text[text.index("(a)"):])
    return {letter: re.sub(r"&nbsp;|\s+", " ", option).strip() for letter, option in zip(parts[1::2], parts[2::2])}


def asked_choices():
    """``[(question, {letter: option})]`` of the notebook's predictions and multiple-choice questions."""
    cells = nbformat.read(NOTEBOOK, 4).cells
    found = []
    for before, cell in zip(cells, cells[1:]):
        match = re.match(r"([pq]\d)\.check\(", cell.source)
        if match and isinstance(getattr(ch07, match.group(1)), Choice):
            found.append((getattr(ch07, match.group(1)), question_options(before.source)))
    return found


def test_q1_tells_the_learner_who_says_none_that_a_large_eta_diverges(capsys):
    assert_rejects(capsys, ch07.q1.check, ["d"], "a large enough η diverges on every valley")
    assert "every η converges" in dict(asked_choices())[ch07.q1]["d"]


def test_prediction_1_asks_about_eta_30_with_the_sweeps_number():
    """η = 100 was predicted in notebook 06; η = 30 is the new question, and its outcome is the shipped sweep's."""
    from nndl.sweep import SHIPPED_SWEEP, load_sweep
    runs = {run["eta"]: run for run in load_sweep(SHIPPED_SWEEP)["runs"]}
    text = "\n".join(c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "markdown")
    assert "At η = 30, the\nvalidation accuracy after 3 epochs is" in text
    assert f"at η = 30 the accuracy after 3 epochs is {runs[30.0]['accuracy'][-1]:.2%}, far below η = 3's " \
           f"{runs[3.0]['accuracy'][-1]:.2%}" in text.replace("\n", " ")
    assert 0.3 < runs[30.0]["accuracy"][-1] < 0.5, "option (c): about 40%"


def test_the_refined_search_reaches_past_its_best_and_the_model_answer_quotes_it():
    """Exercise 3's rule: a best at the grid's edge may lie beyond it; the solution's refined grid surrounds its best η."""
    solution = cell_of("nb07_my_setting").source
    etas, sizes = (ast.literal_eval(found) for found in
                   re.search(r"grid_search\(search_accuracy, (\[.*?\]), (\[.*?\])\)", solution).groups())
    results = ch07.every_setting(ch07.search_accuracy, etas, sizes)
    best_eta, best_m = max(results, key=results.get)
    assert min(etas) < best_eta < max(etas), "the best η lies inside the refined grid, not at its edge"
    assert best_m == 1, "the smallest mini-batch size: an edge that cannot be crossed, as the model answer says"
    answer = " ".join(cell_of(ch07.ex4.grade_id).source.split())
    assert f"η = {best_eta:g} with mini-batches of {best_m} ({results[best_eta, best_m]:.2%})" in answer
    below, above = etas[etas.index(best_eta) - 1], etas[etas.index(best_eta) + 1]
    assert f"η = {below:g} and η = {above:g} at m = 1 reach only {results[below, 1]:.1%} and " \
           f"{results[above, 1]:.1%}" in answer
    assert f"η = 1 with mini-batches of 2 reaches {results[1.0, 2]:.1%}" in answer
    assert f"η = 2 with mini-batches of 2 ties the best at {results[2.0, 2]:.1%}" in answer
