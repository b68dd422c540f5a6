"""Checks for notebook 03, Gradient descent."""
import numpy as np

from .. import descent
from . import Exercise, Hint, check
from .questions import Choice, Number, Written


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
    answer="At the same step size per example, the experiment shows about the same validation accuracy after "
           "one epoch both ways (within a percent here), so the difference is elsewhere. One advantage of online "
           "learning: it updates after every example, 50,000 updates per epoch instead of 2,500, so it can learn "
           "from each example as soon as it arrives. One disadvantage: each update follows the gradient of a single "
           "example, a very noisy estimate of the true gradient, and each example costs several times more time, "
           "since it cannot share the fast matrix operations of a mini-batch.",
    why="the number of updates, the noise of the estimate (its error falls like 1/√m) and the cost per "
        "example are what the mini-batch size trades against each other.")


ex4 = Exercise(
    "ex4",
    hints=["The Cauchy-Schwarz inequality: |u · v| ≤ ‖u‖ ‖v‖, with equality exactly when u and v are parallel.",
           "Apply it to ∇C · Δv with ‖Δv‖ = ε: how small can ∇C · Δv be, and which Δv reaches that bound?"],
    answer="By Cauchy-Schwarz, ∇C · Δv ≥ -‖∇C‖ ‖Δv‖ = -ε‖∇C‖ for every step of length ε. The step Δv = -η∇C with "
           "η = ε/‖∇C‖ has length ε and gives ∇C · Δv = -(ε/‖∇C‖)‖∇C‖² = -ε‖∇C‖: it reaches the bound, so no step "
           "of that length does better. Equality in Cauchy-Schwarz needs Δv parallel to ∇C and pointing against it, "
           "so this step is the only minimiser.",
    why="the first-order change ΔC ≈ ∇C · Δv (eq. 9) is smallest, among steps of one length, straight down the "
        "gradient: the book's exercise on why gradient descent is the optimal strategy for a small step.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="a",
    wrong={"b": "ΔC ≈ ∇C · Δv = -η‖∇C‖², and a squared length is never negative.",
           "c": "with Δv = -η∇C the sign is fixed: put it into eq. (9).",
           "d": "ΔC is 0 only where the gradient is 0."},
    hints=["Put Δv = -η∇C into ΔC ≈ ∇C · Δv (eq. 9).", "∇C · ∇C = ‖∇C‖²."],
    why="ΔC ≈ -η‖∇C‖² ≤ 0 (eq. 10), as long as the approximation holds, i.e. η is small enough.")

q2 = Number(
    "q2", 0.8,
    slips=[(1.2, "gradient descent moves against the gradient: v' = v - η∇C."),
           (0.9, "∂C/∂v1 = 2 v1, not v1."), (1.6, "that is v2 after the step.")],
    hints=["∇C = (2 v1, 2 v2) = (2, 4) at v = (1, 2).", "v1' = v1 - η ∂C/∂v1."],
    why="∂C/∂v1 = 2 v1 = 2, so v1' = 1 - 0.1 · 2 = 0.8 (eq. 11).")

q3 = Choice(
    "q3", right="a",
    wrong={"b": "that is plain gradient descent: one step per pass over all the data, which is slow.",
           "c": "one fixed example would give the gradient of that example only, at every step.",
           "d": "the test data are kept for the final measurement, never trained on."},
    hints=["What does the word stochastic refer to?", "Eq. (18): the average over m examples chosen at random."],
    why="SGD estimates ∇C by the average gradient over a random mini-batch of m training examples (eq. 18).")

q4 = Number(
    "q4", 5000.0,
    slips=[(50000.0, "each update uses a whole mini-batch of 10 examples, not one."),
           (10.0, "that is the mini-batch size.")],
    hints=["An epoch uses every training example once.", "50,000 / 10."],
    why="50,000 examples in mini-batches of 10: 5,000 updates per epoch.")

q5 = Choice(
    "q5", right="a",
    wrong={"b": "that step increases C as fast as possible.",
           "c": "a step perpendicular to ∇C leaves C unchanged to first order: ∇C · Δv = 0.",
           "d": "∇C · Δv = ‖∇C‖ ‖Δv‖ cos θ depends on the angle θ."},
    hints=["Cauchy-Schwarz: |∇C · Δv| ≤ ‖∇C‖ ‖Δv‖.",
           "With ‖Δv‖ = ε fixed, ∇C · Δv = ε‖∇C‖ cos θ: which angle makes it smallest?"],
    why="∇C · Δv ≥ -‖∇C‖ ε by Cauchy-Schwarz, with equality only for Δv = -ε∇C/‖∇C‖: the book's exercise on the "
        "optimality of gradient descent.")

q6 = Choice(
    "q6", right="a",
    wrong={"b": "the step is -η C'(v): it depends on the slope.",
           "c": "a downhill step goes against the slope: v' = v - η C'(v).",
           "d": "one variable has a slope too: the derivative C'(v)."},
    hints=["With one variable the gradient is the derivative C'(v).", "v' = v - η C'(v): which way, how far?"],
    why="v moves downhill along the line, by η times the slope: steep slopes give big steps, and at a minimum "
        "(C'(v) = 0) it stops.")

q7 = Written(
    "q7",
    answer="A good answer says that eq. (9) ΔC ≈ ∇C · Δv holds only for small steps; with η too large the step "
           "overshoots the bottom of the valley to a point higher up the other side, and each step can overshoot by "
           "more, so the path zig-zags with growing amplitude and C grows (the four regimes of the plot).",
    hints=["Eq. (9) is an approximation: when is it good?", "Look at the path for η = 0.21 in the plot."],
    why="it is the reason eq. (11) asks for a small η, shown by the plots of this notebook.")
