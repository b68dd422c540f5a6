"""The checks of notebook 03 accept right answers, name typical mistakes, and apply the graded tests' rule."""
import re

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed
from nndl import descent, learner, widgets
from nndl.checks import ch03

NOTEBOOK = learner.NOTEBOOKS / "03_gradient_descent.ipynb"


def graded_cell(grade_id):
    """The source of the graded test cell ``grade_id`` of notebook 03."""
    cells = nbformat.read(NOTEBOOK, 4).cells
    return next(c.source for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def graded_test_passes(grade_id, **answer):
    """Run the graded cell with the learner's ``answer`` defined; True if it passes, False on an AssertionError."""
    try:
        exec(graded_cell(grade_id), dict(answer))
    except AssertionError:
        return False
    return True


def gradient_step(v, grad, eta):
    return v - eta * grad


def gradient_step_in_place(v, grad, eta):
    v -= eta * grad
    return v


def descend(surface, start, eta, steps):
    path = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        path.append(gradient_step(path[-1], surface.gradient(path[-1]), eta))
    return np.array(path)


# ----- Exercise 1: one step; an answer that changes the caller's array is refused by the check and the test ------

def test_gradient_step_accepts_the_right_answer_and_the_graded_test_agrees(capsys):
    assert_accepts(capsys, ch03.check_gradient_step, gradient_step)
    assert graded_test_passes("nb03_gradient_step_test", gradient_step=gradient_step)


def test_an_in_place_step_is_refused_by_the_check_and_by_the_graded_test(capsys):
    assert_rejects(capsys, ch03.check_gradient_step, (gradient_step_in_place,), "changed the array v", "v - ...")
    assert not graded_test_passes("nb03_gradient_step_test", gradient_step=gradient_step_in_place)


def test_a_step_that_scales_grad_in_place_is_named(capsys):
    def scales_grad(v, grad, eta):
        grad *= eta
        return v - grad
    assert_rejects(capsys, ch03.check_gradient_step, (scales_grad,), "changed the array grad")


# ----- Exercise 2: the path; the package's gradient_descent is refused by both -------------------------------------

def test_descend_accepts_the_right_answer_and_the_graded_test_agrees(capsys):
    assert_accepts(capsys, ch03.check_descend, descend)
    assert graded_test_passes("nb03_descend_test", descend=descend)


def test_the_packages_gradient_descent_is_refused_by_the_check_and_by_the_graded_test(capsys):
    def packaged(surface, start, eta, steps):
        return descent.gradient_descent(surface, start, eta, steps)
    assert_rejects(capsys, ch03.check_descend, (packaged,), "package function gradient_descent", "write it yourself")
    assert not graded_test_passes("nb03_descend_test", descend=packaged)
    assert_accepts(capsys, ch03.check_descend, descend)  # the package's function works again afterwards


def test_a_path_built_with_an_in_place_step_is_named(capsys):
    def keeps_one_array(surface, start, eta, steps):
        v, path = np.asarray(start, dtype=float), []
        path.append(v)
        for _ in range(steps):
            v = gradient_step_in_place(v, surface.gradient(v), eta)
            path.append(v)
        return np.array(path)

    def keeps_a_copy_of_start(surface, start, eta, steps):
        v, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
        for _ in range(steps):
            v -= eta * surface.gradient(v)
            path.append(v)
        return np.array(path)
    assert_rejects(capsys, ch03.check_descend, (keeps_one_array,), "changed the start array")
    assert_rejects(capsys, ch03.check_descend, (keeps_a_copy_of_start,), "every point of your path after the start is the same")


# ----- the notebook: the edge of divergence is 07's exercise, the book's labels and numbers -----------------------

def markdown_of_03():
    return "\n".join(c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "markdown")


def test_notebook_03_does_not_give_away_07s_edge_of_divergence():
    text = markdown_of_03()
    assert not re.search(r"2\s*/\s*10|η\s*[<>]\s*0\.2\b|2/L|2\s*/\s*\(?curvature", text)
    codes = [c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "code"]
    assert "gradient_descent_explorer(edges=False)" in codes
    figure, _, regime = widgets.draw_descent("elongated valley", 0.21, edges=False)
    assert figure._suptitle.get_text() == "η = 0.21: diverges" and regime == "diverges"
    assert "< 0.2 < diverges" in widgets.draw_descent("elongated valley", 0.21)[0]._suptitle.get_text()


def test_prediction_1_keeps_the_one_step_along_v2_for_07s_exercise_1():
    """07's Exercise 1 asks what one step does to v2 alone: p1's hints and answer compare the step with the distance
    to the floor in words, with no formula for the new v2 and no factor per step."""
    text = " ".join([*ch03.p1.hints, ch03.p1.why, *ch03.p1.wrong.values()])
    assert not re.search(r"v2\s*-\s*η|1\s*-\s*2\.1|1\.1\s*v2|1\.1²|-1\.1|η\s*·\s*10", text), text
    assert "distance" in ch03.p1.hints[1] and "floor" in ch03.p1.why


def test_the_one_variable_question_is_asked_before_it_is_answered():
    """The book's one-variable exercise is Exercise 4, a written exercise; v - η C'(v) appears only in its answer."""
    cells = nbformat.read(NOTEBOOK, 4).cells
    answer = next(i for i, c in enumerate(cells)
                  if c.metadata.get("nbgrader", {}).get("grade_id") == ch03.ex4.grade_id)
    assert "**Exercise 4 (the book's exercise: one variable).**" in cells[answer - 1].source
    assert not any("C'(v)" in c.source for c in cells[:answer])
    assert "v - \\eta\\, C'(v)" in cells[answer].source


def test_prediction_2s_options_each_give_a_number_and_a_reason():
    options = re.findall(r"\(([a-d])\) (.*?)(?= &nbsp;|$)", re.sub(r"\s+", " ", next(
        c.source for c in nbformat.read(NOTEBOOK, 4).cells if "**Prediction 2.**" in c.source).split("**Prediction 2.**")[1]))
    assert [letter for letter, _ in options] == list("abcd")
    lengths = [len(text) for _, text in options]
    assert all(re.match(r"(about|over) \d+%: \w", text) for _, text in options), options
    assert max(lengths) < 1.5 * min(lengths), options


def test_the_online_learning_exercise_is_the_books_exercise_and_eq_10_is_the_step():
    text = markdown_of_03()
    assert "Exercise 5 (the book's exercise on online learning)" in text and "problem on online" not in text
    assert "(eq. 10)" not in ch03.q1.why and "eq. (9) with the step of eq. (10)" in ch03.q1.why
    assert "-η‖∇C‖²" not in ch03.q1.why.split("eq. (9)")[0]


def test_prediction_1_and_2_hold_with_the_numbers_the_notebook_prints():
    valley, start = descent.ELONGATED_VALLEY, (1.2, 1.0)
    costs = {eta: valley.cost(descent.gradient_descent(valley, start, eta, 25)[-1]) for eta in (0.002, 0.08, 0.18, 0.21)}
    assert costs[0.21] > 50 * valley.cost(start)  # (c): far above the start
    assert costs[0.18] == min(costs.values())  # p1's explanation: 0.18 ends lowest
    assert ch03.p1.right == "c" and ch03.p2.right == "d" and ch03.p3.right == "a"


@pytest.mark.parametrize("name", ["ex3", "ex4", "ex5"])
def test_written_exercises_are_graded_cells_with_a_rubric(name):
    exercise = getattr(ch03, name)
    cell = next(c for c in nbformat.read(NOTEBOOK, 4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == exercise.grade_id)
    assert cell.cell_type == "markdown" and cell.metadata["nbgrader"]["grade"] and cell.metadata["nbgrader"]["points"] >= 2
    assert cell.source.startswith("**Model answer.**") and "**Rubric (" in cell.source
    assert exercise.answer is None


def test_a_check_prints_one_line_for_a_wrong_shape(capsys):
    out = printed(capsys, ch03.check_descend, lambda s, v, eta, n: descend(s, v, eta, n)[1:])
    assert "start included" in out


def test_a_path_of_one_array_changed_in_place_is_named_without_blaming_the_callers_array(capsys):
    def copy_then_in_place(surface, start, eta, steps):
        v = np.array(start, dtype=float)  # the caller's array is safe: only the path's points are one array
        path = [v]
        for _ in range(steps):
            v -= eta * surface.gradient(v)
            path.append(v)
        return np.array(path)
    out = assert_rejects(capsys, ch03.check_descend, [copy_then_in_place], "every point of your path is the same",
                         "v = v - ...")
    assert "caller" not in out and "after the start" not in out
