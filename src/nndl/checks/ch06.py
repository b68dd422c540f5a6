"""Checks for notebook 06, the learning-rate lab."""
from .. import descent
from . import Exercise, Hint, check


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


ex1 = Exercise(
    "ex1", check=check_critical_eta, grade_id="nb06_critical_eta",
    hints=["Along an axis of curvature c, one step multiplies the distance to the bottom by (1 - ηc). The path "
           "diverges when that factor's size is above 1.",
           "Find the η at which 1 - ηc = -1, for each axis; the axis with the larger curvature gets there first."],
    why="|1 - ηc| < 1 on every axis needs η < 2/c for each curvature c, so the edge is η = 2/L with L = max(a, b) "
        "the largest curvature; between 1/L and 2/L the path oscillates but still converges.")
