"""Checks for notebook 07, the learning-rate lab."""
from .. import descent
from . import Exercise, Hint, check
from .questions import Choice, Number, Written


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
    "ex1", check=check_critical_eta, grade_id="nb07_critical_eta",
    hints=["Along an axis of curvature c, one step multiplies the distance to the bottom by (1 - ηc). The path "
           "diverges when that factor's size is above 1.",
           "Find the η at which 1 - ηc = -1, for each axis; the axis with the larger curvature gets there first."],
    why="|1 - ηc| < 1 on every axis needs η < 2/c for each curvature c, so the edge is η = 2/L with L = max(a, b) "
        "the largest curvature; between 1/L and 2/L the path oscillates but still converges.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="a",
    wrong={"b": "in the flat direction small steps are safe; it is the steep one that overshoots first.",
           "c": "the edge between converging and diverging does not depend on where the path starts.",
           "d": "the explorer's edges move when you switch from the elongated to the round valley."},
    hints=["Switch the explorer between the round and the elongated valley: where is the path zig-zagging?",
           "Which direction does the path overshoot in first?"],
    why="the steepest direction, the one with the largest curvature, overshoots first: it sets the largest η that "
        "converges.")

q2 = Choice(
    "q2", right="b",
    wrong={"a": "that is what happens well below the edge, with η too small.",
           "c": "just above the edge the path does not stop; each step overshoots by more than the last.",
           "d": "gradient descent never changes direction at random: the path is fixed by the start and η."},
    hints=["Move η just past the edge in the explorer.", "Watch the cost per step on its log scale."],
    why="each step overshoots the bottom by more than the one before: the path zig-zags ever wider and the cost grows.")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "with η = 0.001 the network hardly learns in a few epochs.",
           "b": "η = 100 is stuck near chance, about 10%.",
           "d": "the sweep's accuracy changes a lot with η: from near 10% to above 90%."},
    hints=["Look at the sweep's plot of accuracy against η.", "Where is the plateau?"],
    why="in the sweep, η from about 1 to 10 learns well for [784, 30, 10]; much smaller crawls, much larger is stuck.")

q4 = Number(
    "q4", 10.0,
    slips=[(1.0, "that is the curvature along v1."), (5.0, "C = ½ · 10 v2²: its second derivative in v2 is 10, "
                                                          "not 5.")],
    hints=["The curvature along v2 is the second derivative ∂²C/∂v2².", "Differentiate ½ · 10 v2² twice."],
    why="∂²C/∂v2² = 10, ten times the curvature 1 along v1: that ratio makes the valley elongated.")

q5 = Written(
    "q5",
    answer="A good answer says that good learning rates can lie anywhere over several orders of magnitude, from 0.001 "
           "to 100 here; equal steps on a log scale (0.001, 0.01, 0.1, ...) cover that range with a few runs, where a "
           "linear grid would either skip the small values or need hundreds of runs; then refine near the best.",
    hints=["How far apart are the smallest and the largest η of the sweep?", "How many runs would a linear grid need?"],
    why="it is why the sweep of this notebook uses η = 0.001 ... 100 on a log scale.")
