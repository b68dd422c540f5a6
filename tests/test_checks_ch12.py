"""The checks of notebook 12 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import universality
from nndl.checks import ch12
from nndl.functions import sigmoid
from nndl.universality import bump, sigmoid_inverse, step


# ----- Exercise 1: choose_heights --------------------------------------------------------------------------------

def mean_heights(goal, n):
    heights = []
    for k in range(n):
        across = np.linspace(k / n, (k + 1) / n, 100, endpoint=False)
        heights.append(np.mean(sigmoid_inverse(goal(across))))
    return np.array(heights)


def median_heights(goal, n):
    return np.array([np.median(sigmoid_inverse(goal(np.linspace(k / n, (k + 1) / n, 50)))) for k in range(n)])


def inverse_of_the_mean(goal, n):
    return np.array([sigmoid_inverse(np.mean(goal(np.linspace(k / n, (k + 1) / n, 200)))) for k in range(n)])


def middles(goal, n):
    return sigmoid_inverse(goal((np.arange(n) + 0.5) / n))


@pytest.mark.parametrize("answer", [mean_heights, median_heights, inverse_of_the_mean,
                                    lambda goal, n: list(mean_heights(goal, n))])
def test_choose_heights_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch12.check_choose_heights, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda goal, n: np.array([np.mean(goal(np.linspace(k / n, (k + 1) / n, 100))) for k in range(n)]),
     ["between 0 and 1", "sigmoid_inverse"]),
    (middles, ["middle of its bump", "whole width"]),
    (lambda goal, n: sigmoid_inverse(goal(np.arange(n) / n)), ["left end"]),
    (lambda goal, n: mean_heights(universality.f, n), ["another goal", "`goal`"]),
    (lambda goal, n: mean_heights(goal, n)[::-1], ["average deviation", "[k/n, (k + 1)/n)"]),
    (lambda goal, n: mean_heights(goal, n + 1), ["shape (5,)"]),
    (lambda goal, n: np.full(n, np.nan), ["not finite"]),
    (lambda goal, n: universality.heights_for(goal, n), ["package function heights_for"]),
])
def test_choose_heights_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch12.check_choose_heights, (wrong,), *phrases)


def test_the_check_applies_the_graded_tests_rule():
    """The middles just miss the book's goal with five bumps; the means meet it (the check's and the test's rule)."""
    score = lambda heights: universality.average_deviation(universality.equal_bumps(heights))
    assert score(middles(universality.f, 5)) > 0.40 >= score(mean_heights(universality.f, 5))
    assert score(mean_heights(universality.f, 20)) <= 0.15
    assert universality.average_deviation(universality.equal_bumps(mean_heights(ch12.wave, 8)), goal=ch12.wave) <= 0.30


# ----- Exercise 2: tower ---------------------------------------------------------------------------------------

def tower(x, y, x1, x2, y1, y2, h):
    return sigmoid(bump(x, x1, x2, h) + bump(y, y1, y2, h) - 3 * h / 2)


def steep_tower(x, y, x1, x2, y1, y2, h):
    """Real neurons with w = 1000 instead of exact steps: the same on points away from the steps."""
    both = h * (step(x, x1, 1000) - step(x, x2, 1000)) + h * (step(y, y1, 1000) - step(y, y2, 1000))
    return 1 / (1 + np.exp(-(both - 1.5 * h)))


def with_bias(bias):
    return lambda x, y, x1, x2, y1, y2, h: sigmoid(bump(x, x1, x2, h) + bump(y, y1, y2, h) + bias(h))


@pytest.mark.parametrize("answer", [tower, steep_tower])
def test_tower_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch12.check_tower, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda x, y, x1, x2, y1, y2, h: bump(x, x1, x2, h) + bump(y, y1, y2, h) - 1.5 * h, ["range 0 to 1", "σ"]),
    (with_bias(lambda h: -h), ["plateau", "is 0.5"]),
    (with_bias(lambda h: -2 * h), ["tower is 0.5"]),
    (with_bias(lambda h: 0.0), ["high on the plateau"]),
    (with_bias(lambda h: -1.6 * h), ["a tower", "halfway between"]),
    (lambda x, y, x1, x2, y1, y2, h: sigmoid(bump(x, x1, x2, h) + bump(x, y1, y2, h) - 1.5 * h), ["along one"]),
    (lambda x, y, x1, x2, y1, y2, h: sigmoid(bump(x, y1, y2, h) + bump(y, x1, x2, h) - 1.5 * h), ["step points"]),
    (lambda x, y, x1, x2, y1, y2, h: tower(x, y, x1, x2, y1, y2, h)[0], ["one output per point"]),
    (lambda x, y, x1, x2, y1, y2, h: universality.tower(x, y, x1, x2, y1, y2, h), ["package function tower"]),
])
def test_tower_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch12.check_tower, (wrong,), *phrases)


@pytest.mark.parametrize("check", [ch12.check_choose_heights, ch12.check_tower])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


def test_the_package_functions_work_again_after_a_check():
    ch12.check_choose_heights(universality.heights_for)
    ch12.check_tower(universality.tower)
    assert universality.heights_for(universality.f, 5).shape == (5,)
    assert universality.tower(0.5, 0.5, 0.4, 0.6, 0.4, 0.6) > 0.99
