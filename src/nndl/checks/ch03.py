"""Checks for notebook 03, Gradient descent."""
import numpy as np

from .. import descent
from . import Exercise, Hint, check


@check("Your step moves v against the gradient by η ∇C (eq. 10 and 11).")
def check_gradient_step(gradient_step):
    v, grad = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    result = np.asarray(gradient_step(v.copy(), grad.copy(), 0.1), dtype=float)
    if result.shape != (2,):
        raise Hint(f"return the new position v' as an array like v, shape (2,), not {result.shape}.")
    if np.allclose(result, v + 0.1 * grad):
        raise Hint("you moved uphill: gradient descent steps *against* the gradient, Δv = -η∇C.")
    if np.allclose(result, -0.1 * grad):
        raise Hint("you returned the step Δv itself; the new position is v + Δv.")
    if np.allclose(result, v - grad):
        raise Hint("the step must be scaled by the learning rate η.")
    if not np.allclose(result, v - 0.1 * grad):
        raise Hint("check your formula against eq. (11), term by term.")
    if not np.allclose(np.asarray(gradient_step(v.copy(), grad.copy(), 0.0), dtype=float), v):
        raise Hint("with η = 0 the position must not change.")


@check("Your descent follows the right path, start point included, for small and large η.")
def check_descend(descend):
    for surface, start, eta, steps in ((descent.VALLEY, (1.0, 1.5), 0.1, 5), (descent.ELONGATED_VALLEY, (1.0, 0.5), 0.19, 8),
                                       (descent.VALLEY, (-1.0, 0.2), 1.5, 3), (descent.VALLEY, (0.3, 0.3), 0.5, 0)):
        path = np.asarray(descend(surface, np.array(start), eta, steps), dtype=float)
        expected = descent.gradient_descent(surface, start, eta, steps)
        if path.shape != expected.shape:
            raise Hint(f"for {steps} steps return {steps + 1} points, the start included: an array of shape "
                       f"({steps + 1}, 2); yours has shape {path.shape}.")
        if not np.allclose(path[0], start):
            raise Hint("the path must begin with the start point.")
        if not np.allclose(path, expected):
            raise Hint(f"your path leaves the right track on the {surface.name} with η = {eta}: each step "
                       f"must use the gradient at the current point, surface.gradient(v).")


ex1 = Exercise(
    "ex1", check=check_gradient_step, grade_id="nb03_gradient_step",
    hints=["Eq. (11) moves v against the gradient, by a step scaled by the learning rate η.",
           "v and grad are NumPy arrays, and arithmetic on arrays works element by element: the whole step is "
           "one expression, no loop."],
    why="it is eq. (11), v' = v - η∇C, computed for every coordinate at once.")

ex2 = Exercise(
    "ex2", check=check_descend, grade_id="nb03_descend",
    hints=["Keep a list of positions that starts with the start point; each step applies eq. (11) at the last "
           "position, with the gradient surface.gradient(...) at that position.",
           "Loop `steps` times, appending the new position each time; np.array turns the list of steps + 1 "
           "positions into the (steps + 1, 2) array."],
    why="each step uses the gradient at the current position, which is what gradient descent does, and the "
        "start is kept as the first of the steps + 1 positions.")

ex3 = Exercise(
    "ex3", hints=["Compare how many updates each makes in one epoch, and how good the gradient estimate "
                  "behind each update is.",
                  "Look at the timing as well: what does one example cost when the mini-batch has 1 example, "
                  "and when it has 20 that go through the matrix operations together?"],
    answer="One advantage of online learning: it makes many more updates per epoch (50,000 instead of 2,500), "
           "so it can get further within the first epoch. One disadvantage: each update follows the gradient "
           "of a single example, a very noisy estimate of the true gradient, and each example costs more time, "
           "since it cannot share the fast matrix operations of a mini-batch.",
    why="the number of updates, the noise of the estimate (its error falls like 1/√m) and the cost per "
        "example are what the mini-batch size trades against each other.")
