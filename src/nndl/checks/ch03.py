"""Checks for notebook 03, Gradient descent."""
import numpy as np

from .. import descent
from . import Exercise, Hint, check, without
from .questions import Choice, Number, Written

_NEW_ARRAY = "write `v = v - ...`, which makes a new array, where `v -= ...` changes the one array in place."


@check("Your step moves v against the gradient by η ∇C (eq. 10 and 11), and leaves the arrays it was given alone.")
def check_gradient_step(gradient_step):
    v, grad = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    given_v, given_grad = v.copy(), grad.copy()
    result = np.asarray(gradient_step(given_v, given_grad, 0.1), dtype=float)
    if not np.array_equal(given_v, v):
        raise Hint("your function changed the array v it was given (`v -= ...` changes the caller's array): "
                   + _NEW_ARRAY)
    if not np.array_equal(given_grad, grad):
        raise Hint("your function changed the array grad it was given (`grad *= eta` changes the caller's array): "
                   "write `eta * grad`, which makes a new array.")
    if result.shape != (2,):
        raise Hint(f"return the new position v' as an array like v, shape (2,), not {result.shape}.")
    if np.allclose(result, v + 0.1 * grad):
        raise Hint("you moved uphill: gradient descent steps against the gradient, Δv = -η∇C.")
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
        expected = descent.gradient_descent(surface, start, eta, steps)
        given = np.array(start)
        with without(descent.gradient_descent):
            path = np.asarray(descend(surface, given, eta, steps), dtype=float)
        if not np.array_equal(given, start):
            raise Hint("your function changed the start array it was given (`v -= ...` on the caller's array): "
                       + _NEW_ARRAY)
        if path.shape != expected.shape:
            raise Hint(f"for {steps} steps return {steps + 1} points, the start included: an array of shape "
                       f"({steps + 1}, 2); yours has shape {path.shape}.")
        if steps > 1 and np.allclose(path[1:], path[-1]) and not np.allclose(expected[1:], expected[-1]):
            which = "every point of your path" + ("" if np.allclose(path[0], path[-1]) else " after the start")
            raise Hint(f"{which} is the same, the last position: the list holds one array, changed in place at "
                       "every step: " + _NEW_ARRAY)
        if not np.allclose(path[0], start):
            raise Hint("the path must begin with the start point.")
        if not np.allclose(path, expected):
            raise Hint(f"your path leaves the right track on the {surface.name} with η = {eta}: each step "
                       f"must use the gradient at the current point, surface.gradient(v).")


ex1 = Exercise(
    "ex1", check=check_gradient_step, grade_id="nb03_gradient_step",
    hints=["Eq. (11) moves v against the gradient, by a step scaled by the learning rate η.",
           "v and grad are NumPy arrays, and arithmetic on arrays works element by element: the whole step is "
           "one expression, no loop, and it makes a new array."],
    why="it is eq. (11), v' = v - η∇C, computed for every coordinate at once; `v - ...` makes a new array, so the "
        "caller's v (and any path it is kept in) is left as it was.")

ex2 = Exercise(
    "ex2", check=check_descend, grade_id="nb03_descend",
    hints=["Keep a list of positions that starts with the start point; each step applies eq. (11) at the last "
           "position, with the gradient surface.gradient(...) at that position.",
           "Loop `steps` times, appending the new position each time (your gradient_step makes it); np.array "
           "turns the list of steps + 1 positions into the (steps + 1, 2) array."],
    why="each step uses the gradient at the current position, which is what gradient descent does, and the "
        "start is kept as the first of the steps + 1 positions. The package's descent.gradient_descent does the "
        "same; the exercise is to write it, so the check and the graded test refuse it.")

ex3 = Written(
    "ex3", grade_id="nb03_best_step_written",
    hints=["The Cauchy-Schwarz inequality: |u · v| ≤ ‖u‖ ‖v‖, with equality exactly when u and v are parallel.",
           "Apply it to ∇C · Δv with ‖Δv‖ = ε: how small can ∇C · Δv be? Then compute ∇C · Δv for the step "
           "Δv = -(ε/‖∇C‖)∇C."],
    why="the first-order change ΔC ≈ ∇C · Δv (eq. 9) is smallest, among steps of one length, straight down the "
        "gradient: the book's exercise on why gradient descent is the best strategy for a small step.")

ex4 = Written(
    "ex4", grade_id="nb03_one_variable_written",
    hints=["With one variable the gradient has one component: which derivative is it? Write eq. (11) with it.",
           "Draw the curve C(v) and the ball on it. Which way does the step go where the slope is positive, and "
           "where it is negative? How long is it where the curve is steep, near the bottom, and at the minimum?"],
    why="with one variable ∇C is the slope C'(v), so each step goes downhill along the line, by η times the slope: "
        "long steps where the curve is steep, ever shorter ones near the bottom, none where C'(v) = 0.")

ex5 = Written(
    "ex5", grade_id="nb03_online_learning_written",
    hints=["Compare how many updates each makes in one epoch, and how good the gradient estimate behind each "
           "update is.",
           "Look at the timing as well: what does one example cost when the mini-batch has 1 example, and when it "
           "has 20 that go through the matrix operations together?"],
    why="the number of updates, the noise of the estimate (its error falls like 1/√m) and the cost per example "
        "are what the mini-batch size trades against each other.")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="c",
    wrong={"a": "a larger step gets down faster only while the step does not overshoot the bottom by more than "
                "the distance it started from.",
           "b": "gradient descent has no reason to stop half-way: the gradient is zero only at the bottom.",
           "d": "η = 0.08 is far below 0.21; look at what a step does in the steep direction v2, where C curves "
                "ten times as fast."},
    hints=["In the steep direction the cost curves ten times as fast as in the flat one: a step of η times the "
           "gradient there is ten times larger.",
           "Compare one step along v2 with the distance to the valley floor: does the ball stop short of the floor, "
           "or land on the other side? And if it lands there, is it nearer the floor than where it started, or "
           "further away?"],
    why="at η = 0.21 the step along the steep direction v2 overshoots the valley floor by more than the distance it "
        "started from: each step lands on the other side, further from the floor than the last, so the path "
        "zig-zags outwards and the cost grows, here to about a hundred times its start. Larger steps are not "
        "faster (a), nothing stops half-way (b), and only the smaller η's get near 0 (d); η = 0.18 even ends "
        "lowest of the four.")

p2 = Choice(
    "p2", right="d",
    wrong={"a": "10 images out of 50,000 is a small sample, and even images of one digit pull the weights in "
                "different ways.",
           "b": "the error of an average of m samples falls like 1/√m, not 1/m; and even 1,000 images give an error "
                "near 10%.",
           "c": "ten images agree far less than that: single images' gradients differ a lot, and 10 are too few "
                "for 50%."},
    hints=["One image's gradient depends on that image's digit and style: how much do you expect ten of them to "
           "agree with the average over 50,000?",
           "The error of an average of m noisy samples falls like 1/√m."],
    why="the median relative error at m = 10 is above 1: single images pull the weights in very different ways, so "
        "the noise in the estimate is larger than the gradient itself, and it falls only like 1/√m, not 1/m (about "
        "0.4 at m = 100, 0.14 at m = 1,000). So 1% (a), 10% (b) and 50% (c) are all far too optimistic: images of "
        "one digit do not pull alike, and ten images do not average the noise out.")

p3 = Choice(
    "p3", right="a",
    wrong={"b": "twenty times as many updates, but each twenty times smaller and noisier: in one epoch each example "
                "moves the weights by the same amount either way.",
           "c": "the noise of single examples does slow online learning down, but over 50,000 updates it largely "
                "averages out.",
           "d": "η = 0.15 is a small learning rate: each step is small, so nothing overshoots."},
    hints=["The two runs move the weights by the same η/m = 0.15 times each example's gradient, once per epoch.",
           "What differs is when the steps happen (after every example, or after every 20) and how noisy each is."],
    why="with the same η/m, one epoch moves the weights by about the same total amount either way, so the accuracy "
        "after it is about the same (here within half a point); online learning gets no bonus from its extra "
        "updates (b), its noise averages out over many steps (c), and η = 0.15 is far from too large (d). What "
        "differs is the time: one example at a time cannot use fast matrix operations.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="b",
    wrong={"a": "ΔC ≈ ∇C · Δv = -η‖∇C‖², and a squared length is never negative.",
           "c": "with Δv = -η∇C the sign is fixed: put it into eq. (9).",
           "d": "ΔC is 0 only where the gradient is 0."},
    hints=["Put Δv = -η∇C (eq. 10) into ΔC ≈ ∇C · Δv (eq. 9).", "∇C · ∇C = ‖∇C‖²."],
    why="eq. (9) with the step of eq. (10) gives ΔC ≈ -η ∇C · ∇C = -η‖∇C‖² ≤ 0, as long as the approximation holds, "
        "i.e. η is small enough; so it is never positive (a), its sign does not vary (c), and it is 0 only where "
        "∇C = 0 (d).")

q2 = Number(
    "q2", 0.8,
    slips=[(1.2, "gradient descent moves against the gradient: v' = v - η∇C."),
           (0.9, "∂C/∂v1 = 2 v1, not v1."), (1.6, "that is v2 after the step.")],
    hints=["∇C = (2 v1, 2 v2) = (2, 4) at v = (1, 2).", "v1' = v1 - η ∂C/∂v1."],
    why="∂C/∂v1 = 2 v1 = 2, so v1' = 1 - 0.1 · 2 = 0.8 (eq. 11).")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "that is plain gradient descent: one step per pass over all the data, which is slow.",
           "b": "one fixed example would give the gradient of that example only, at every step.",
           "d": "the test images are kept for the final measurement: a gradient of their cost would train on them."},
    hints=["What does the word stochastic refer to?", "Eq. (18): the average over m examples chosen at random."],
    why="SGD estimates ∇C by the average gradient over a random mini-batch of m training examples (eq. 18): not "
        "the whole set (a, too slow), not one fixed example (b, always the same wrong direction), never the test "
        "data (d).")

q4 = Number(
    "q4", 5000.0,
    slips=[(50000.0, "each update uses a whole mini-batch of 10 examples, not one."),
           (10.0, "that is the mini-batch size.")],
    hints=["An epoch uses every training example once.", "50,000 / 10."],
    why="50,000 examples in mini-batches of 10: 5,000 updates per epoch.")

q5 = Number(
    "q5", 30.0,
    slips=[(0.3, "without the 1/m each update is m times *larger*, not smaller."),
           (3.0, "dropping 1/m changes the step: the sum over 10 examples is 10 times their average.")],
    hints=["Without 1/m the update adds up the 10 examples' gradients instead of averaging them.",
           "The sum of 10 gradients is 10 times their average: η · sum = (10 η) · average."],
    why="η · Σ_j ∇C_{X_j} = (m η) · (1/m) Σ_j ∇C_{X_j}: the summed update at η = 3.0 is the averaged one at "
        "η = 10 · 3.0 = 30 (eq. 20, 21).")
