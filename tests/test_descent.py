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


@pytest.mark.parametrize("eta,steps,message", [(0, 5, "eta must be a positive, finite number"), (np.inf, 5, "eta must be"),
                                                (np.nan, 5, "eta must be"), (0.1, -1, "steps"), (0.1, 2.5, "steps")])
def test_bad_arguments(eta, steps, message):
    with pytest.raises(ValueError, match=message):
        descent.gradient_descent(descent.VALLEY, (1, 1), eta, steps)


@pytest.mark.parametrize("start", [(1, 2, 3), 1.0, (np.nan, 0)])
def test_start_must_be_a_point(start):
    with pytest.raises(ValueError, match=r"start must be a point \(v1, v2\)"):
        descent.gradient_descent(descent.VALLEY, start, 0.1, 5)


def test_a_valley_needs_positive_curvatures():
    with pytest.raises(ValueError, match="positive curvatures"):
        descent.Valley(1.0, -2.0)


def test_regime_edges_by_hand():
    np.testing.assert_allclose(descent.regime_edges(descent.ELONGATED_VALLEY), (0.01, 0.1, 0.2))  # c = 1 and 10
    np.testing.assert_allclose(descent.regime_edges(descent.VALLEY), (0.01, 1.0, 2.0))


@pytest.mark.parametrize("surface", [descent.VALLEY, descent.ELONGATED_VALLEY])
def test_paths_overshoot_exactly_above_one_over_L(surface):
    """The steepest coordinate changes sign at every step above 1/L, never below: what "oscillates" means."""
    steep = int(np.argmax([surface.a, surface.b]))
    for eta, overshoots in ((0.9 / surface.largest_curvature, False), (1.1 / surface.largest_curvature, True)):
        coordinate = descent.gradient_descent(surface, (1.0, 1.0), eta, 10)[:, steep]
        assert np.all(np.sign(coordinate[1:]) != np.sign(coordinate[:-1])) == overshoots
        assert (descent.regime(surface, eta) == "oscillates") == overshoots


@pytest.mark.parametrize("eta", [float("nan"), 0, 0.0, -0.1, float("inf"), True, "0.1"])
def test_regime_refuses_what_is_not_a_learning_rate(eta):
    with pytest.raises(ValueError, match=f"eta must be a positive, finite number, got {eta!r}"):
        descent.regime(descent.VALLEY, eta)


def test_absurd_step_counts_are_refused_at_once():
    with pytest.raises(ValueError, match=r"steps must be a whole number from 0 to 100,000, got 1000000000.0"):
        descent.gradient_descent(descent.VALLEY, (1, 1), 0.1, 1e9)


def test_a_huge_learning_rate_goes_to_infinity_without_overflow_and_is_called_divergent():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.2, 1.0), 1e300, 20)  # RuntimeWarnings are errors
    assert np.isfinite(path[0]).all() and np.isinf(path[1:]).all()
    assert np.isinf(descent.ELONGATED_VALLEY.cost(path[-1]))
    assert descent.regime(descent.ELONGATED_VALLEY, 1e300) == "diverges"
