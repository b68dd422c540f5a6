"""Gradient descent on the valleys: gradients by finite differences, regimes by the theory of eq. (11)."""
import numpy as np
import pytest

from nndl import descent
from nndl.checks import numerical_gradient


@pytest.mark.parametrize("surface", [descent.VALLEY, descent.ELONGATED_VALLEY])
def test_gradient_matches_finite_differences(surface):
    v = np.array([0.7, -1.3])
    np.testing.assert_allclose(surface.gradient(v), numerical_gradient(surface.cost, v.copy()), rtol=1e-7)


def test_path_follows_the_update_rule_by_hand():
    # round valley, eta = 0.5: each step halves the distance to the bottom
    path = descent.gradient_descent(descent.VALLEY, (1.0, -2.0), 0.5, 3)
    np.testing.assert_allclose(path, [[1, -2], [0.5, -1], [0.25, -0.5], [0.125, -0.25]])


@pytest.mark.parametrize("surface", [descent.VALLEY, descent.ELONGATED_VALLEY])
def test_two_over_L_separates_convergence_from_divergence(surface):
    critical = 2 / surface.largest_curvature
    below = descent.gradient_descent(surface, (1.0, 1.0), 0.95 * critical, 300)
    above = descent.gradient_descent(surface, (1.0, 1.0), 1.05 * critical, 300)
    assert surface.cost(below[-1]) < 1e-6 * surface.cost(below[0])
    assert surface.cost(above[-1]) > 1e6 * surface.cost(above[0]) or not np.isfinite(above[-1]).all()
    assert descent.regime(surface, 0.95 * critical) == "oscillates"
    assert descent.regime(surface, 1.05 * critical) == "diverges"


def test_regimes_on_the_elongated_valley():
    regimes = [descent.regime(descent.ELONGATED_VALLEY, eta) for eta in (0.001, 0.05, 0.15, 0.25)]
    assert regimes == ["too small", "converges", "oscillates", "diverges"]
    zigzag = descent.gradient_descent(descent.ELONGATED_VALLEY, (0.0, 1.0), 0.15, 4)[:, 1]
    assert np.all(np.sign(zigzag[1:]) != np.sign(zigzag[:-1]))  # crosses the valley floor at every step


def test_divergence_is_cut_off_not_overflowing():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 5.0, 400)  # RuntimeWarnings are errors
    assert np.isinf(path[-1]).all()


@pytest.mark.parametrize("eta,steps,message", [(0, 5, "eta must be positive"), (0.1, -1, "steps"), (0.1, 2.5, "steps")])
def test_bad_arguments(eta, steps, message):
    with pytest.raises(ValueError, match=message):
        descent.gradient_descent(descent.VALLEY, (1, 1), eta, steps)
