"""The checks of notebook 11 accept right answers, name typical mistakes, and never print the answer."""
import math

import numpy as np
import pytest
from scipy.special import expit

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import descent, functions
from nndl.checks import ch11


# ----- the reference path and the settling count ---------------------------------------------------------------

def test_momentum_path_by_hand_and_without_momentum_it_is_gradient_descent():
    """The path worked out by hand (the graded test's hidden case); μ = 0 is descent.gradient_descent's path."""
    path = ch11.momentum_path(descent.ELONGATED_VALLEY, (0.0, 1.0), 0.05, 0.9, 3)
    np.testing.assert_allclose(path, [[0.0, 1.0], [0.0, 0.5], [0.0, -0.2], [0.0, -0.73]], atol=1e-12)
    for surface in (descent.VALLEY, descent.ELONGATED_VALLEY):
        np.testing.assert_allclose(ch11.momentum_path(surface, (1.2, -0.7), 0.15, 0.0, 30),
                                   descent.gradient_descent(surface, (1.2, -0.7), 0.15, 30), atol=1e-12)


def test_steps_to_settle_counts_until_the_path_stays_near_the_bottom():
    path = np.array([[1.0, 0.0], [0.0, 0.0], [0.5, 0.0], [0.0, 1e-4], [1e-4, 0.0]])
    assert ch11.steps_to_settle(path) == 3  # step 1 comes close but leaves again
    assert ch11.steps_to_settle(path, within=2.0) == 0
    assert ch11.steps_to_settle(np.array([[0.0, 0.0], [1.0, 1.0]])) is None
    assert ch11.steps_to_settle(np.array([[1.0, 0.0], [np.inf, np.inf]])) is None


# ----- Exercise 1: momentum_descent ------------------------------------------------------------------------------

def momentum_descent(surface, start, eta, mu, steps):
    w, v = np.asarray(start, dtype=float), np.zeros(2)
    path = [w]
    for _ in range(steps):
        v = mu * v - eta * surface.gradient(w)
        w = w + v
        path.append(w)
    return np.array(path)


def preallocated(surface, start, eta, mu, steps):
    path, v = np.zeros((steps + 1, 2)), np.zeros(2)
    path[0] = start
    for t in range(steps):
        v = mu * v - eta * surface.gradient(path[t])
        path[t + 1] = path[t] + v
    return path


def with_rule(new_velocity, position_first=False):
    """A momentum_descent with a wrong velocity rule, or with the position moved before the velocity changes."""
    def wrong(surface, start, eta, mu, steps):
        w, v = np.asarray(start, dtype=float), np.zeros(2)
        path = [w]
        for _ in range(steps):
            if position_first:
                w = w + v
            v = new_velocity(v, surface.gradient(w), eta, mu)
            if not position_first:
                w = w + v
            path.append(w)
        return np.array(path)
    return wrong


def in_place(surface, start, eta, mu, steps):
    w, v = start, np.zeros(2)
    path = [w.copy()]
    for _ in range(steps):
        v = mu * v - eta * surface.gradient(w)
        w += v
        path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("answer", [momentum_descent, preallocated])
def test_momentum_descent_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch11.check_momentum_descent, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (with_rule(lambda v, g, eta, mu: mu * v - eta * g, position_first=True), ["first step does not move", "eq. 107"]),
    (with_rule(lambda v, g, eta, mu: mu * v + eta * g), ["uphill"]),
    (with_rule(lambda v, g, eta, mu: v - mu * eta * g), ["μ multiplies the old velocity", "not the gradient"]),
    (with_rule(lambda v, g, eta, mu: mu * (v - eta * g)), ["μ multiplies the old velocity v only"]),
    (with_rule(lambda v, g, eta, mu: -eta * g), ["plain gradient descent"]),
    (with_rule(lambda v, g, eta, mu: 0.9 * v - eta * g), ["leaves the right track", "(107)"]),
    (in_place, ["changed the start array", "w = w + v"]),
    (lambda surface, start, eta, mu, steps: momentum_descent(surface, start, eta, mu, steps)[1:], ["start included"]),
    (lambda surface, start, eta, mu, steps: momentum_descent(surface, start, eta, mu, steps)[::-1], ["begin with the start"]),
    (lambda surface, start, eta, mu, steps: ch11.momentum_path(surface, start, eta, mu, steps), ["package function"]),
])
def test_momentum_descent_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch11.check_momentum_descent, (wrong,), *phrases)


def test_the_reference_still_works_after_a_learner_called_it():
    """The refusal is lifted after the check: the notebook's pictures draw with momentum_path."""
    ch11.check_momentum_descent(lambda surface, start, eta, mu, steps: ch11.momentum_path(surface, start, eta, mu, steps))
    assert ch11.momentum_path(descent.VALLEY, (1.0, 0.0), 0.5, 0.5, 2).shape == (3, 2)


# ----- Exercise 4: tanh_from_sigmoid -----------------------------------------------------------------------------

sigmoid = functions.sigmoid  # as the notebook's setup cell imports it


@pytest.mark.parametrize("answer", [lambda z: 2 * sigmoid(2 * z) - 1, lambda z: 2.0 * expit(2.0 * z) - 1.0])
def test_tanh_from_sigmoid_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch11.check_tanh_from_sigmoid, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z: np.tanh(z), ["without calling tanh"]),
    (lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), ["call the sigmoid"]),
    (lambda z: 2 * sigmoid(z) - 1, ["slope", "input z"]),
    (lambda z: sigmoid(2 * z), ["between 0 and 1", "rescale and shift"]),
    (lambda z: 2 * sigmoid(2 * float(z)) - 1, ["one number but not for an array"]),
    (lambda z: 2 * sigmoid(2 * z) - 1 + 0.01 * z ** 3, ["range and slope at 0, but not its values"]),
    (lambda z: np.ravel(2 * sigmoid(2 * z) - 1)[:1], ["one value per entry"]),
])
def test_tanh_from_sigmoid_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch11.check_tanh_from_sigmoid, (wrong,), *phrases)


# ----- Exercise 5: tanh_prime ------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 / np.cosh(z) ** 2,
                                    lambda z: 4 * functions.sigmoid_prime(2 * z)])
def test_tanh_prime_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch11.check_tanh_prime, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z: 1 - np.tanh(z), ["tanh is odd", "first power"]),
    (lambda z: np.tanh(z) * (1 - np.tanh(z)), ["tanh is odd"]),
    (functions.sigmoid_prime, ["1/4", "slope of σ"]),
    (np.tanh, ["tanh(z) itself"]),
    (lambda z: 1 - math.tanh(z) ** 2, ["one number but not for an array", "np.tanh"]),
    (lambda z: 1 - np.tanh(z ** 2), ["central differences"]),
    (functions.tanh_prime, ["package function tanh_prime"]),
])
def test_tanh_prime_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch11.check_tanh_prime, (wrong,), *phrases)


# ----- Exercise 6: relu_prime ------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [lambda z: np.where(z > 0, 1.0, 0.0), lambda z: z >= 0,
                                    lambda z: np.heaviside(z, 0.5)])
def test_relu_prime_accepts_any_defensible_value_at_the_corner(capsys, answer):
    assert_accepts(capsys, ch11.check_relu_prime, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z: z, ["the function, not its slope"]),
    (lambda z: np.maximum(z, 0), ["the function, not its slope"]),
    (np.sign, ["not -1"]),
    (lambda z: np.ones_like(z), ["flat"]),
    (lambda z: 1.0 if z > 0 else 0.0, ["one number but not for an array", "np.where"]),
    (lambda z: np.where(z > 0, 1.0, np.where(z < 0, 0.0, 2.0)), ["corner", "gives 2"]),
    (lambda z: np.heaviside(z, np.nan), ["corner", "gives nan"]),
    (lambda z: np.where(z > 0.5, 1.0, 0.0), ["differ from these slopes"]),
    (functions.relu_prime, ["package function relu_prime"]),
])
def test_relu_prime_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch11.check_relu_prime, (wrong,), *phrases)


@pytest.mark.parametrize("check", [ch11.check_momentum_descent, ch11.check_tanh_from_sigmoid, ch11.check_tanh_prime,
                                   ch11.check_relu_prime])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


def test_the_package_functions_work_again_after_a_check():
    ch11.check_tanh_prime(functions.tanh_prime)
    ch11.check_relu_prime(functions.relu_prime)
    assert functions.tanh_prime(0.0) == 1.0 and functions.relu_prime(2.0) == 1.0
