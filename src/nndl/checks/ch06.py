"""Checks for notebook 06, the learning-rate lab."""
from .. import descent
from . import Hint, check


@check("Right: η = 2/L is the edge; below it descent converges, above it the path diverges.")
def check_critical_eta(critical_eta):
    for surface in (descent.VALLEY, descent.ELONGATED_VALLEY, descent.Valley(4.0, 0.5, "test valley")):
        eta = float(critical_eta(surface))
        L = surface.largest_curvature
        if abs(eta - 1 / L) < 1e-9:
            raise Hint("at η = 1/L the steepest direction reaches the bottom in one step; the edge of divergence "
                       "is where |1 - ηL| = 1.")
        if abs(eta - 2 / min(surface.a, surface.b)) < 1e-9 and surface.a != surface.b:
            raise Hint("the *steepest* direction (the largest curvature) diverges first.")
        if abs(eta - 2 / L) > 1e-9:
            raise Hint("along an axis with curvature c, each step multiplies the distance to the bottom by "
                       "(1 - ηc). For which η does that factor reach -1?")
