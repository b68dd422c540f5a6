"""Gradient descent on two-variable cost surfaces, introduced in notebook 03 and used by the lab (07).

The book pictures gradient descent as a ball rolling down a valley C(v1, v2).
Here the valleys are quadratic bowls C(v) = ½ (a v1² + b v2²), whose
gradient is exact and whose behaviour under the update rule

    v → v' = v - η ∇C    (eq. 11)

can be worked out by hand: along each axis the distance to the bottom is
multiplied by (1 - η·curvature) at every step.  So with L the largest
curvature, η < 2/L converges, η > 2/L diverges, and 1/L < η < 2/L overshoots
the bottom and oscillates on the way in.  The elongated valley has a large L
along one axis and a small one along the other, which makes the range of good
learning rates narrow: the situation training a network is usually in.
"""
from dataclasses import dataclass
from numbers import Real

import numpy as np

from .checking import is_learning_rate


@dataclass(frozen=True)
class Valley:
    """The quadratic bowl C(v1, v2) = ½ (a v1² + b v2²), with its minimum at (0, 0)."""

    a: float
    b: float
    name: str = "valley"

    def __post_init__(self):
        if not (self.a > 0 and self.b > 0):
            raise ValueError(f"a valley needs positive curvatures a and b, got a={self.a!r}, b={self.b!r}")

    def cost(self, v):
        """C(v) for a point v = (v1, v2), or for arrays of points with coordinates along the last axis."""
        v = np.asarray(v, dtype=np.float64)
        return 0.5 * (self.a * v[..., 0] ** 2 + self.b * v[..., 1] ** 2)

    def gradient(self, v):
        """∇C = (∂C/∂v1, ∂C/∂v2) = (a v1, b v2)  (eq. 8)."""
        v = np.asarray(v, dtype=np.float64)
        return np.stack([self.a * v[..., 0], self.b * v[..., 1]], axis=-1)

    @property
    def largest_curvature(self):
        """L, the largest second derivative: gradient descent converges for η < 2/L and diverges above."""
        return max(self.a, self.b)


VALLEY = Valley(1.0, 1.0, "round valley")
ELONGATED_VALLEY = Valley(1.0, 10.0, "elongated valley")


MAX_STEPS = 100_000
"""The longest path ``gradient_descent`` draws: enough to crawl any valley here, small enough to stay quick."""

ESCAPED = 1e150
"""A coordinate beyond this has left for infinity: its cost, a square, would soon overflow."""


def gradient_descent(surface, start, eta, steps):
    """The path of ``steps`` steps of v → v - η ∇C(v) (eq. 11) from ``start``: an array (steps + 1, 2).

    A diverging path is cut short with infinities rather than overflowing.
    """
    eta = _check_eta(eta)
    if isinstance(steps, bool) or not isinstance(steps, Real) or not 0 <= steps <= MAX_STEPS or int(steps) != steps:
        raise ValueError(f"steps must be a whole number from 0 to {MAX_STEPS:,}, got {steps!r}")
    start = np.asarray(start, dtype=np.float64)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a point (v1, v2) of two finite numbers, got {start.tolist()!r}")
    path = np.full((int(steps) + 1, 2), np.inf)
    path[0] = start
    for t in range(int(steps)):
        with np.errstate(over="ignore"):
            v = path[t] - eta * surface.gradient(path[t])
        if not np.all(np.abs(v) < ESCAPED):
            break  # the rest of the path stays at infinity
        path[t + 1] = v
    return path


def regime_edges(surface):
    """The three learning rates where the behaviour on ``surface`` changes, smallest first.

    Along an axis of curvature c each step multiplies the distance to the
    bottom by (1 - η c).  So the path
    * crawls ("too small") while the flattest axis keeps more than 99% of its distance per step: η < 0.01 / c_min;
    * overshoots the bottom ("oscillates") once the steepest axis' factor is negative: η > 1/L;
    * "diverges" once that factor is below -1: η > 2/L.
    Between the first two edges it "converges" without overshooting.
    """
    return 0.01 / min(surface.a, surface.b), 1 / surface.largest_curvature, 2 / surface.largest_curvature


def regime(surface, eta):
    """Which of the four behaviours η gives on ``surface``: "too small", "converges", "oscillates" or "diverges"."""
    eta = _check_eta(eta)
    too_small, overshoots, diverges = regime_edges(surface)
    if eta > diverges:
        return "diverges"
    if eta > overshoots:
        return "oscillates"
    if eta < too_small:
        return "too small"
    return "converges"


def _check_eta(eta):
    if not is_learning_rate(eta):
        raise ValueError(f"the learning rate eta must be a positive, finite number, got {eta!r}")
    return float(eta)
