"""Checks for notebook 03, Gradient descent."""
import numpy as np

from .. import descent
from . import Hint, check


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
        raise Hint("check your formula against eq. (11): v' = v - η∇C.")
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
