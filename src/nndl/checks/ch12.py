"""Checks for notebook 12, universality: a visual proof that networks can compute any function (chapter 4).

Two answers in code, each with its check: the heights of the bumps that make
a network follow the book's f (Exercise 1, judged by the book's own score,
the average deviation, against its goal 0.40), and the tower of two inputs
(Exercise 2).  Three answers in words, graded by hand from the rubric beside
the model answer in the notebook: the book's Problem (one hidden layer is
enough) and its two Problems on rectified linear and linear neurons.  The
predictions p1-p5 come before the experiments that show their outcome.

A check applies its graded test's rule: the package's own answer
(``universality.heights_for``, ``universality.tower``) refuses to run while
the learner's answer is computed.
"""
import numpy as np

from .. import universality
from ..universality import GOAL, average_deviation, equal_bumps, sigmoid_inverse
from . import Exercise, Hint, check, without
from .questions import Choice, Number, Written


def wave(x):
    """A second goal for Exercise 1, so that heights chosen for f alone do not pass: 0.5 + 0.35 sin(7x)."""
    return 0.5 + 0.35 * np.sin(7 * np.asarray(x, dtype=float))


# (goal, n, the largest average deviation accepted): the book's goal for five bumps, and better with more.
HEIGHT_CASES = ((universality.f, 5, GOAL), (universality.f, 20, 0.15), (wave, 8, 0.30))


@check("Right: your bumps follow σ⁻¹∘f closely enough to meet the book's goal, and closer with more bumps.")
def check_choose_heights(choose_heights):
    for goal, n, most in HEIGHT_CASES:
        with without(universality.heights_for):
            heights = np.asarray(choose_heights(goal, n), dtype=float)
        if heights.shape != (n,):
            raise Hint(f"for n = {n} return {n} heights, one per bump, as an array of shape ({n},); yours has shape "
                       f"{heights.shape}.")
        if not np.all(np.isfinite(heights)):
            raise Hint(f"for n = {n} some of your heights are not finite numbers (nan or inf).")
        deviation = average_deviation(equal_bumps(heights), goal=goal)
        if deviation <= most:
            continue
        raise Hint(_height_slip(goal, n, heights, deviation, most))


def _height_slip(goal, n, heights, deviation, most):
    """The hint for heights whose average deviation is above ``most``."""
    where = "the book's f" if goal is universality.f else "another goal, 0.5 + 0.35 sin(7x)"
    score = f"for {where} with n = {n} your bumps' average deviation is {deviation:.2f}, above {most:.2f}"
    parts = (np.arange(n) + 0.5) / n
    if np.all((heights > 0) & (heights < 1)) and deviation > 0.6:
        return (f"{score}. Your heights all lie between 0 and 1, like the values of the goal itself: the output "
                "neuron applies σ to the weighted output, so the bumps must follow σ⁻¹∘goal (`sigmoid_inverse`).")
    if np.allclose(heights, sigmoid_inverse(goal(parts))):
        return (f"{score}. Each of your heights is σ⁻¹∘goal at one point, the middle of its bump; across a bump "
                "of width 1/5 the goal still wiggles (the 0.3x sin(15x) term). Let each height stand for the whole "
                "width of its bump, not one point of it.")
    if np.allclose(heights, sigmoid_inverse(goal(np.arange(n) / n))):
        return (f"{score}. Each of your heights is σ⁻¹∘goal at the left end of its bump, which misses what the "
                "goal does across the rest of it.")
    if goal is not universality.f:
        return (f"{score}. Your heights may be chosen for f alone: compute them from the function passed as "
                "`goal`.")
    return (f"{score}. Bump k covers [k/n, (k + 1)/n): its height should be a typical value of σ⁻¹∘goal across "
            "that part of [0, 1].")


@check("Right: a bump in x plus a bump in y is 2h on the tower and h on the plateau; the bias -3h/2 keeps the tower.")
def check_tower(tower):
    grid = np.linspace(0.025, 0.975, 20)  # no point on a step: exact and steep steps agree
    x, y = np.meshgrid(grid, grid)
    for x1, x2, y1, y2, h in ((0.3, 0.7, 0.2, 0.5, 10.0), (0.1, 0.4, 0.6, 0.9, 4.0)):
        with without(universality.tower):
            got = np.asarray(tower(x, y, x1, x2, y1, y2, h), dtype=float)
        if got.shape != x.shape:
            raise Hint(f"for arrays x and y of shape {x.shape} return one output per point, shape {x.shape}; yours "
                       f"has shape {got.shape}.")
        right = universality.tower(x, y, x1, x2, y1, y2, h)
        if np.allclose(got, right, rtol=0, atol=1e-6):
            continue
        raise Hint(_tower_slip(x, y, (x1, x2, y1, y2, h), got))


def _tower_slip(x, y, case, got):
    """The hint for a tower ``got`` that differs from the book's."""
    x1, x2, y1, y2, h = case
    in_x, in_y = (x >= x1) & (x < x2), (y >= y1) & (y < y2)
    tower, plateau = got[in_x & in_y], got[in_x ^ in_y]
    if got.max() > 1 + 1e-9 or got.min() < -1e-9:
        return ("your output leaves the range 0 to 1: that is a weighted sum, not yet a neuron's output. The "
                "second-layer neuron applies σ to its weighted input (its bias included).")
    if np.allclose(plateau, 0.5, atol=0.02):
        return (f"with h = {h:g} your output on the plateau (inside one interval only) is 0.5: the threshold sits "
                "exactly at the plateau's height h. It must lie between the plateau's h and the tower's 2h.")
    if np.allclose(tower, 0.5, atol=0.02):
        return (f"with h = {h:g} your output on the tower is 0.5: the threshold sits exactly at the tower's height "
                "2h. It must lie between the plateau's h and the tower's 2h.")
    if np.allclose(got, got[:, :1]) or np.allclose(got, got[:1, :]):
        return "your output does not change along one of the inputs: the y bump must use y, the x bump x."
    if plateau.size and np.min(plateau) > 0.5:
        return ("your output is high on the plateau too, where only one of the two bumps is up: the bias must "
                "pull the plateau's weighted input h below 0 and leave the tower's 2h above 0.")
    if tower.size and np.min(tower) > 0.5 and np.max(got[~(in_x & in_y)]) < 0.5:
        return (f"with h = {h:g} your output is a tower, high on it and low elsewhere, but its threshold is not the "
                "book's: put it halfway between the plateau's h and the tower's 2h.")
    return (f"your tower differs from the book's on a grid of points (h = {h:g}, x in [{x1}, {x2}), y in [{y1}, "
            f"{y2})): check the step points and the weights h and -h of each pair, then the bias.")


# ----- the exercises -------------------------------------------------------------------------------------------

ex1 = Exercise(
    "ex1", check=check_choose_heights, grade_id="nb12_choose_heights",
    hints=["Bump k covers [k/n, (k + 1)/n). The output neuron applies σ, so the weighted output must follow "
           "σ⁻¹∘goal, not goal: `sigmoid_inverse(goal(x))` works on arrays. Which single number stands best for "
           "a curve across the whole width of a bump?",
           "The average deviation is a mean of |h - σ⁻¹∘goal| over points of the bump: a height near the mean (or "
           "the median) of σ⁻¹∘goal across the bump keeps it small. np.linspace(k / n, (k + 1) / n, 100, "
           "endpoint=False) gives 100 points across bump k."],
    why="each height is the mean of σ⁻¹∘goal across its bump, so the staircase of bumps follows σ⁻¹∘goal and σ of "
        "it follows the goal. One point per bump (its middle) is not enough with five bumps: the 0.3x sin(15x) "
        "term wiggles within a bump and the score stays at 0.51; the mean over the bump gets 0.39.")

ex2 = Exercise(
    "ex2", check=check_tower, grade_id="nb12_tower",
    hints=["First the hidden layer: a bump in x (steps at x1 and x2, output weights h and -h) and a bump in y. "
           "Then one neuron of the second layer takes their sum as its weighted input, with a bias.",
           "The sum of the bumps is 2h on the tower, h on the plateau and 0 elsewhere. Choose the bias so that the "
           "weighted input is positive only on the tower, halfway between h and 2h; then apply `sigmoid`."],
    why="the two bumps add to 2h where both are up, h where one is, 0 elsewhere; the bias -3h/2 moves the threshold "
        "between h and 2h, so σ gives σ(h/2) ≈ 1 on the tower and σ(-h/2) ≈ 0 or less on the plateau: for h = 10, "
        "0.993 and 0.007.")

ex3 = Written(
    "ex3", grade_id="nb12_one_hidden_layer_written",
    hints=["(a) A neuron with two inputs computes σ(w₁x + w₂y + b). Where is w₁x + w₂y + b = 0, and what happens "
           "on either side of that line when the weights are large? (b) Put many such steps with their lines "
           "tangent to a circle: how many are up inside the disc, and how many just outside it?",
           "(b) Inside the disc all N steps are up; outside at least one is down, so a threshold between (N - 1)h "
           "and Nh, the output neuron's bias, keeps the disc. (c) The output neuron can threshold only once. Steps "
           "that all point one way make a staircase along that direction (section 2): what functions are sums of "
           "such one-direction functions? Think of cos(2π(k₁x + k₂y))."],
    why="a large weight vector in any direction makes a step along it; steps tangent to a circle add up to a round "
        "tower once thresholded; and staircases along many directions, all in one hidden layer, add up to any "
        "continuous function (as sums of ridge functions approximate it), aimed at σ⁻¹∘f.")

ex4 = Written(
    "ex4", grade_id="nb12_relu_written",
    hints=["The condition is about s(z) as z → -∞ and as z → +∞. What does max(0, z) do as z → +∞?",
           "Subtract two rectified linear units: max(0, wx + b) - max(0, wx + b - 1). What does it equal far left, "
           "far right, and in between? What happens to the part in between as w grows?"],
    why="max(0, z) has no limit as z → +∞, so the condition fails; but the difference of two ReLUs shifted by 1 is "
        "0, then a ramp, then 1, and with a large weight the ramp becomes a step: the sigmoid's proof then goes "
        "through with two ReLUs for each step neuron.")

ex5 = Written(
    "ex5", grade_id="nb12_linear_written",
    hints=["What are the limits of s(z) = z as z → ±∞?",
           "Compose linear functions: what kind of function of the inputs does each neuron of a network of linear "
           "neurons compute, however many layers it has?"],
    why="s(z) = z has no limits at ±∞, so there is no step; and a weighted sum of weighted sums is again a weighted "
        "sum plus a constant, so a network of linear neurons only computes affine functions of its inputs: it "
        "cannot approximate x², let alone eq. (113).")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="b",
    wrong={"a": "σ(wx) is 1/2 at x = 0 for every w; away from 0, a large |wx| pushes σ towards 0 or 1, not to 1/2.",
           "c": "with b = 0 the curve crosses 1/2 at x = 0 for every w: the weight changes its slope, not its place.",
           "d": "σ stays between 0 and 1 whatever its input: a larger w cannot lift the curve above 1."},
    hints=["σ(z) is near 0 for z far below 0 and near 1 for z far above 0. How far from 0 is wx for x = 0.1 when "
           "w = 1, and when w = 1000?",
           "And at x = 0 itself: what is σ(w·0) for any w?"],
    why="for x > 0, wx grows with w and σ(wx) → 1; for x < 0 it → 0; at x = 0 it stays 1/2: the curve steepens into "
        "a step from 0 to 1 at x = 0. Not (a): only x = 0 keeps 1/2; not (c): with b = 0 the crossing stays at 0; "
        "not (d): σ never leaves (0, 1).")

p2 = Number(
    "p2", 0.3,
    slips=[(-0.3, "the sign: where is 100x - 30 equal to 0?"),
           (30.0, "the step is where the weighted input wx + b crosses 0; solve 100x - 30 = 0 for x."),
           (-30.0, "the step is where the weighted input wx + b crosses 0; solve 100x - 30 = 0 for x."),
           (10 / 3, "that is -w/b; the step is where wx + b = 0.")],
    hints=["The output is 1/2, halfway up the step, where the weighted input is 0.",
           "Solve 100x - 30 = 0."],
    why="σ(wx + b) is 1/2 where wx + b = 0, at x = -b/w = 30/100 = 0.3; with a large w, that is where the step is.",
    tolerance=1e-3)

p3 = Choice(
    "p3", right="a",
    wrong={"b": "the second step enters with the weight -0.8: it takes away what the first one added.",
           "c": "between 0.4 and 0.6 only the first step is up; the two cancel only right of 0.6.",
           "d": "left of 0.6 the second neuron's output is 0, so its negative weight cannot pull the sum below 0 "
                "there."},
    hints=["Split [0, 1] at 0.4 and 0.6 and add 0.8·a₁ - 0.8·a₂ on each of the three parts.",
           "Right of 0.6 both neurons output 1: what is 0.8·1 - 0.8·1?"],
    why="left of 0.4 both steps are 0; between 0.4 and 0.6 only the first is 1, giving 0.8; right of 0.6 both are 1 "
        "and 0.8 - 0.8 = 0: a bump of height 0.8 from 0.4 to 0.6. Not (b): the -0.8 takes the step back down; not "
        "(c): the two cancel only right of 0.6; not (d): nothing is negative.")

p4 = Choice(
    "p4", right="c",
    wrong={"a": "the output neuron applies σ to the weighted output: σ(f(x)) is not f(x).",
           "b": "σ(z) reaches 0 or 1 only for very negative or very positive z; f(x) stays between about 0.1 and "
                "0.85.",
           "d": "σ is increasing: where f goes up, σ(f) goes up too, so the wiggles stay in their places."},
    hints=["σ(0) = 0.5 and σ(1) ≈ 0.73. What is σ(z) for z between 0.1 and 0.85?",
           "Is σ increasing? Then where f has a wiggle, does σ(f) have it at the same x?"],
    why="f stays between 0.095 and 0.853 on [0, 1], and σ of that range is 0.524 to 0.701: the network outputs a "
        "squashed copy of f near 0.6. Not (a): the output neuron applies σ to the weighted output; not (b): σ "
        "reaches 0 and 1 only for large |z|; not (d): σ is increasing, so the shape keeps its places.")

p5 = Choice(
    "p5", right="d",
    wrong={"a": "there are two bumps, one along each input: the y bump lays a second strip across the first.",
           "b": "the two strips are added everywhere, not only where they cross: where one strip is up alone, the "
                "sum is h.",
           "c": "the bumps are added, not multiplied: where both are up the sum is h + h."},
    hints=["The x bump is h on a vertical strip (for every y), the y bump on a horizontal strip. Add them: what do "
           "you get where the strips cross, where only one strip is, and elsewhere?",
           "At a point with x inside [x1, x2) but y outside [y1, y2), which bumps are up?"],
    why="the x bump is h on the strip x1 ≤ x < x2, the y bump on y1 ≤ y < y2; the sum is 2h where they cross, h "
        "on the rest of both strips, 0 elsewhere: a tower on a cross-shaped plateau. Not (a): the y bump adds a "
        "second strip; not (b): where one strip is up alone the sum is h, not 0; not (c): bumps add, they do not "
        "multiply.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 0.5,
    slips=[(-0.5, "the sign: where is -100x + 50 equal to 0?"),
           (2.0, "that is -w/b; the step is where wx + b = 0.")],
    hints=["The step is where the weighted input wx + b is 0. (With w < 0 it is a step down.)",
           "Solve -100x + 50 = 0."],
    why="-100x + 50 = 0 at x = 0.5: with a negative weight the output steps down from 1 to 0 there.",
    tolerance=1e-3)

q2 = Choice(
    "q2", right="a",
    wrong={"b": "the score compares with σ⁻¹∘f, not f: it is measured before the output neuron's σ.",
           "c": "it is a mean over 100 points, not a largest difference.",
           "d": "the book's score uses the bump heights; no training or cost function is involved."},
    hints=["In the book's design widget, which graph holds the bumps you drag: the network's output or the hidden "
           "layer's weighted output?",
           "Section 2's readout: what is compared with what, and is the result a mean or a maximum?"],
    why="the book compares the hidden layer's weighted output (the bumps) with σ⁻¹∘f, at x = 0, 0.01, ..., 0.99, and "
        "averages the absolute differences. Not (b): that is measured after σ, against f; not (c): it is a mean, not "
        "a maximum; not (d): no cost function or training is involved.")

q3 = Number(
    "q3", -2.5,
    slips=[(2.5, "the bias is negative: it pulls the weighted input below 0 everywhere except on the tower."),
           (-1.5, "that is the bias for two inputs; for m inputs the tower is mh high and the plateaus (m - 1)h."),
           (-3.0, "the threshold must lie strictly between the highest plateau and the tower, not on the tower.")],
    hints=["With m inputs the weighted input is mh on the tower and at most (m - 1)h just off it. Which threshold "
           "lies halfway between?",
           "For m = 2 the bias was -3h/2 = -(2 - 1/2)h. Now m = 3."],
    why="with 3 inputs the weighted input is 3h on the tower and at most 2h off it; the bias (-m + 1/2)h = -2.5h "
        "puts the threshold halfway between.",
    tolerance=1e-6)

q4 = Choice(
    "q4", right="c",
    wrong={"a": "the theorem says a single hidden layer suffices to approximate any continuous function.",
           "b": "the construction is exact in the limit of large weights and many neurons; depth is not needed for "
                "that.",
           "d": "the universality theorem covers many outputs: one network per output, glued together."},
    hints=["The theorem tells us a network exists. Does it say how many neurons, or how to find their weights by "
           "learning?",
           "Think of chapter 1's picture of a network recognising a face: edges, then shapes, then parts."],
    why="universality says a network exists, with one hidden layer, but says nothing about its size or about "
        "learning it; the book's reason for depth is that deep networks suit the hierarchies of concepts that "
        "real problems have. Not (a): one hidden layer is enough for the theorem; not (b): the construction needs "
        "no depth; not (d): many outputs are covered.")
