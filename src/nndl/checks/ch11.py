"""Checks for notebook 11, momentum and other models of neuron (tanh, ReLU).

Besides the checks, two helpers the notebook draws its pictures with, so that
the cells after Exercise 1 run before it is solved: ``momentum_path``, the
course's momentum-based gradient descent on a valley (eqs. 107-108), and
``steps_to_settle``, how many steps a path takes to reach the bottom for good.
"""

import numpy as np

from .. import descent, functions
from . import Exercise, Hint, check, without
from .questions import Choice, Number, Written


def momentum_path(surface, start, eta, mu, steps):
    """The path of ``steps`` steps of momentum-based gradient descent from ``start``: an array (steps + 1, 2).

    The ball starts at rest (v = 0); each step changes the velocity, then the
    position: v → μv - η∇C (eq. 107), w → w + v (eq. 108).  Any μ is allowed,
    for the experiment with μ > 1 and μ < 0 (the network's ``SGD`` refuses those).
    """
    return _path(surface, start, steps, lambda v, gradient: mu * v - eta * gradient)


def _path(surface, start, steps, new_velocity):
    """A path where each step sets v = new_velocity(v, ∇C(w)), then w = w + v: the reference and its typical slips."""
    w, v = np.asarray(start, dtype=float), np.zeros(2)
    path = [w]
    for _ in range(steps):
        v = new_velocity(v, surface.gradient(w))
        w = w + v
        path.append(w)
    return np.array(path)


def steps_to_settle(path, within=1e-3):
    """The number of steps after which ``path`` stays within ``within`` of the bottom (0, 0); None if it never does."""
    outside = np.flatnonzero(~(np.linalg.norm(path, axis=1) < within))  # a NaN or infinite point counts as outside
    if not len(outside):
        return 0
    return None if outside[-1] == len(path) - 1 else int(outside[-1]) + 1


@check("Right: the velocity changes first (eq. 107), then the position moves by it (eq. 108), from rest.")
def check_momentum_descent(momentum_descent):
    cases = ((descent.ELONGATED_VALLEY, (1.2, 1.0), 0.09, 0.5, 6), (descent.VALLEY, (1.0, -0.5), 0.3, 0.9, 5),
             (descent.ELONGATED_VALLEY, (-1.0, 0.5), 0.05, 0.0, 4), (descent.VALLEY, (0.3, 0.3), 0.5, 0.5, 0))
    for surface, start, eta, mu, steps in cases:
        given = np.array(start)
        with without(momentum_path):
            path = np.asarray(momentum_descent(surface, given, eta, mu, steps), dtype=float)
        if not np.array_equal(given, start):
            raise Hint("your function changed the start array it was given (`w += v` changes an array in place, "
                       "and every point kept in the path with it): write `w = w + v`, which makes a new array.")
        if path.shape != (steps + 1, 2):
            raise Hint(f"for {steps} steps return {steps + 1} points, the start included: an array of shape "
                       f"({steps + 1}, 2); yours has shape {path.shape}.")
        if not np.allclose(path[0], start):
            raise Hint("the path must begin with the start point.")
        if np.allclose(path, momentum_path(surface, start, eta, mu, steps)):
            continue
        slip = _momentum_slip(surface, start, eta, mu, steps, path)
        raise Hint(slip or f"your path leaves the right track on the {surface.name} with η = {eta}, μ = {mu}: "
                           "start with v = 0 and, at each step, apply eq. (107) and then eq. (108).")


def _momentum_slip(surface, start, eta, mu, steps, path):
    """The hint for a typical mistake that produces ``path``, or None."""
    if steps and np.allclose(path[1], path[0]):
        return ("your first step does not move: update the velocity first (eq. 107), with the gradient at the "
                "current position, then move the position by the new velocity (eq. 108).")
    slips = {"the gradient pushes the velocity uphill: eq. (107) subtracts η∇C.":
             lambda v, g: mu * v + eta * g,
             "μ multiplies the old velocity v (it is the friction), not the gradient.":
             lambda v, g: v - mu * eta * g,
             "μ multiplies the old velocity v only; the gradient's term is -η∇C.":
             lambda v, g: mu * (v - eta * g),
             "that is plain gradient descent: the velocity must carry over from one step to the next, "
             "multiplied by μ.": lambda v, g: -eta * g}
    return next((hint for hint, rule in slips.items() if np.allclose(path, _path(surface, start, steps, rule))), None)


# ----- tanh and ReLU: values and slopes checked against np.tanh and central differences ------------------------

Z = np.array([-20.0, -2.5, -1.0, -0.3, 0.0, 0.3, 1.0, 2.5, 20.0])  # symmetric about 0, which is Z[4]


def _slope(f, z, h=1e-5):
    """f'(z) by central differences, (f(z + h) - f(z - h)) / 2h: an error of order h², far below the checks' "
    "tolerance."""
    return (f(z + h) - f(z - h)) / (2 * h)


def _elementwise(function, z, numpy_names):
    """``function`` on the array ``z`` as a float array of z's shape, or a hint on how to work on whole arrays."""
    function(float(z[1]))  # one number first: the learner's own errors are reported as they are
    try:
        got = np.asarray(function(z.copy()), dtype=float)
    except Exception:
        raise Hint(f"your function works for one number but not for an array of them: use {numpy_names}, which "
                   "work element by element on a whole array (math's functions and `if z > 0` take one number).") \
            from None
    if got.shape != z.shape:
        raise Hint(f"for an array z of shape {z.shape} return one value per entry, shape {z.shape}; got {got.shape}.")
    return got


def _names(function):
    """The global and attribute names ``function``'s code uses (``np.tanh`` gives "np" and "tanh")."""
    return set(function.__code__.co_names) if hasattr(function, "__code__") else set()


@check("Right: tanh(z) = 2σ(2z) - 1, eq. (111) turned around: the same curve, stretched to run from -1 to 1.")
def check_tanh_from_sigmoid(tanh_from_sigmoid):
    got = _elementwise(tanh_from_sigmoid, Z, "np functions and the package's sigmoid")
    names = _names(tanh_from_sigmoid)
    if "tanh" in names:
        raise Hint("compute tanh from the sigmoid, without calling tanh: the exercise is to turn eq. (111) around.")
    if not names & {"sigmoid", "expit"}:
        raise Hint("call the sigmoid (`sigmoid`, imported in the setup cell): the exercise is to turn eq. (111) around.")
    if np.allclose(got, np.tanh(Z), rtol=0, atol=1e-9):
        return
    if got.min() > -0.01:
        raise Hint("your values stay between 0 and 1, like σ's; tanh runs from -1 to 1: rescale and shift the output.")
    slope = _slope(lambda z: np.asarray(tanh_from_sigmoid(z), dtype=float), 0.0)
    if not np.isclose(slope, 1.0, rtol=1e-3):
        raise Hint(f"at z = 0 the slope of your curve is {slope:.3g}; tanh's is 1 (and σ's is 1/4): the input z "
                   "needs rescaling as well as the output.")
    raise Hint("your curve has tanh's range and slope at 0, but not its values: compare them with np.tanh at a few "
               "points, then look again at how eq. (111) rescales z.")


@check("Right: tanh'(z) = 1 - tanh²(z), the slope of tanh, written with tanh itself.")
def check_tanh_prime(tanh_prime):
    with without(functions.tanh_prime):
        got = _elementwise(tanh_prime, Z, "np.tanh and NumPy's arithmetic")
    slopes = _slope(np.tanh, Z)
    if np.allclose(got, slopes, rtol=0, atol=1e-8):
        return
    if np.allclose(got, np.tanh(Z)):
        raise Hint("that is tanh(z) itself; the exercise asks for its slope tanh'(z).")
    if not np.allclose(got, got[::-1]):  # Z is symmetric about 0
        raise Hint("tanh is odd, tanh(-z) = -tanh(z), so its slope is the same at z and at -z; yours is not: a term "
                   "in which tanh(z) appears only to the first power changes sign with z.")
    if np.isclose(got[4], 0.25):
        raise Hint("at z = 0 your slope is 1/4, the slope of σ; tanh is steeper: it rises from -1 to 1 where σ "
                   "rises from 0 to 1, over half the distance.")
    worst = int(np.argmax(np.abs(got - slopes)))
    raise Hint(f"at z = {Z[worst]:g} your value is {got[worst]:.6g}, but the slope of tanh measured by central "
               f"differences there is {slopes[worst]:.6g}. Differentiate eq. (110) with the quotient rule, or eq. "
               "(111) turned around with the chain rule.")


@check("Right: 0 for z < 0 and 1 for z > 0; at the corner z = 0 you chose a value between the two slopes.")
def check_relu_prime(relu_prime):
    z = np.array([-5.0, -1.0, -0.1, -1e-9, 1e-9, 0.1, 1.0, 5.0])
    with without(functions.relu_prime):
        got = _elementwise(relu_prime, z, "np.where or comparisons on whole arrays")
        at_zero = float(np.asarray(relu_prime(np.zeros(3)), dtype=float)[0])
    if np.allclose(got, z) or np.allclose(got, np.maximum(z, 0)):
        raise Hint("that is z (or max(0, z)) itself: the function, not its slope.")
    if np.allclose(got, np.sign(z)):
        raise Hint("for z < 0 max(0, z) is constant, 0 whatever z is: its slope there is 0, not -1.")
    if np.allclose(got[z < 0], 1.0):
        raise Hint("for z < 0 max(0, z) is flat: its slope there is 0.")
    if not np.allclose(got, (z > 0).astype(float)):
        raise Hint("for z > 0 max(0, z) = z, a line of slope 1; for z < 0 it is 0, flat. Your values differ from "
                   "these slopes at some z.")
    if not 0 <= at_zero <= 1:
        raise Hint(f"at z = 0 your function gives {at_zero:g}. max(0, z) has a corner there, with slope 0 on the "
                   "left and 1 on the right: return a value between these two (0 is the usual choice).")


# ----- the exercises -------------------------------------------------------------------------------------------

ex1 = Exercise(
    "ex1", check=check_momentum_descent, grade_id="nb11_momentum_descent",
    hints=["Keep two arrays, the position and the velocity (zero at the start), and a list of positions that starts "
           "with the start point. Each step applies eq. (107) and then eq. (108).",
           "In the loop: the new velocity from the old one and surface.gradient(...) at the current position; then "
           "the new position, as a new array (`+=` would change the array already in the list); then append it. "
           "np.array(path) gives the (steps + 1, 2) array."],
    why="the velocity is updated first, from the gradient at the current position (eq. 107), and the position "
        "moves by the new velocity (eq. 108); with v = 0 at the start the first step is plain gradient descent, "
        "and μ = 0 gives plain gradient descent all the way.")

ex2 = Written(
    "ex2", grade_id="nb11_mu_range_written",
    hints=["Set the gradient to zero in eq. (107): what happens to the velocity from one step to the next when μ > 1, "
           "and when μ < 0?",
           "Think of the ball near the bottom, swinging past it. With μ > 1 is each swing larger or smaller than the "
           "one before? With μ < 0, which way does the previous step push the next one?"],
    why="μ is a friction coefficient in disguise: 1 - μ is the fraction of the velocity lost per step. A negative "
        "friction (μ > 1) feeds energy in and the path diverges; μ < 0 reverses the memory of the last step, which "
        "slows descent and makes it zig-zag.")

ex3 = Written(
    "ex3", grade_id="nb11_tanh_sigmoid_written",
    hints=["Write tanh(z/2) with eq. (110), then add 1 by putting everything over the same denominator.",
           "After adding 1, the e^{-z/2} terms cancel in the numerator. Divide the numerator and the denominator by "
           "e^{z/2}."],
    why="two lines of algebra on eq. (110): adding 1 cancels the e^{-z/2} terms, and dividing by e^{z/2} turns what "
        "is left into the sigmoid of eq. (3).")

ex4 = Exercise(
    "ex4", check=check_tanh_from_sigmoid, grade_id="nb11_tanh_from_sigmoid",
    hints=["Eq. (111) gives σ in terms of tanh at z/2. Solve it for tanh, then rename the variable.",
           "From σ(u) = (1 + tanh(u/2))/2, tanh(u/2) = 2σ(u) - 1; now put u = 2z."],
    why="eq. (111) at u = 2z reads σ(2z) = (1 + tanh(z))/2; solved for tanh(z) it is 2σ(2z) - 1: the sigmoid, "
        "squeezed twice as steep in z and stretched to run from -1 to 1.")

ex5 = Exercise(
    "ex5", check=check_tanh_prime, grade_id="nb11_tanh_prime",
    hints=["Two routes: the quotient rule on eq. (110), or the chain rule on tanh(z) = 2σ(2z) - 1 with "
           "σ' = σ(1 - σ). Both end in an expression in tanh(z) alone.",
           "By the quotient rule the numerator is (e^z + e^{-z})² - (e^z - e^{-z})²; divide by the denominator "
           "(e^z + e^{-z})² term by term."],
    why="by the quotient rule on eq. (110), tanh'(z) = [(e^z + e^{-z})² - (e^z - e^{-z})²] / (e^z + e^{-z})² = 1 - "
        "tanh²(z); like σ' = σ(1 - σ), it is computed from the neuron's output alone, which is how the network's "
        "backpropagation uses it.")

ex6 = Exercise(
    "ex6", check=check_relu_prime, grade_id="nb11_relu_prime",
    hints=["Draw max(0, z): what is its slope left of 0, and right of 0?",
           "A comparison of a whole array with 0 gives an array of True and False, and NumPy counts True as 1."],
    why="max(0, z) is 0 (slope 0) for z < 0 and z (slope 1) for z > 0. At z = 0 it has a corner and no derivative; "
        "any value from 0 to 1 there is a valid choice (a subgradient), and in floating point z is almost never "
        "exactly 0. The package, like most libraries, takes 0, so `(z > 0)` and `(z >= 0)` are both accepted.")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="c",
    wrong={"a": "the velocity does build up, but only where the gradient keeps its sign: does it, in the steep "
                "direction, at an η close to the edge where plain descent starts to overshoot?",
           "b": "μ = 0.9 keeps 90% of the velocity from one step to the next: that changes the path a lot; think "
                "about what it does near the bottom.",
           "d": "with 0 < μ < 1 the friction 1 - μ still takes energy away at every step: the ball slows down "
                "in the end, even if it takes long."},
    hints=["With μ = 0.9, only a tenth of the velocity is lost per step. What does the ball do when it reaches "
           "the bottom with a large velocity?",
           "Along the steep direction the gradient changes sign each time the path crosses the valley floor."],
    why="at η = 0.09, plain descent already crosses the steep direction in a few steps; with μ = 0.9 the ball keeps "
        "most of its speed, overshoots the bottom and circles it many times before the little friction left "
        "settles it: more steps than μ = 0. μ = 0.5 is the fastest of the three. Not (a): the speed-up needs a "
        "gradient that keeps its sign, which it does not across the steep direction; not (b): the friction does not"
        " cancel anything here, it is too small; not (d): 0 < μ < 1 always settles in the end.")

p2 = Choice(
    "p2", right="a",
    wrong={"b": "the effective step η/(1 - μ) = 1.0 is well within what this network takes: the book trains it "
                "with η = 0.5, and chapter 1's quadratic cost with η = 3.",
           "c": "a larger step is not a faster learner: per epoch, the accuracy depends on many things besides "
                "the step, and a step twice as large also overshoots more.",
           "d": "μ = 0.5 keeps half of the velocity: it is not a large momentum, and the effective step 1.0 is "
                "not too large for this network."},
    hints=["What effective step does the plain run have, and what does this one have? Is either large for this "
           "network?",
           "Notebook 07 found a wide range of learning rates that train a [784, 30, 10] network well."],
    why="η/(1 - μ) = 1.0 and the plain η = 0.5 are both inside the wide range of learning rates that train this "
        "network well, so the accuracies per epoch stay close; the printed largest gap measures how close. Not (b):"
        " an effective step of 1.0 is far from what makes this network diverge; not (c) or (d): per epoch, twice "
        "the step changes the accuracy by less than a point on this problem.")

p3 = Choice(
    "p3", right="b",
    wrong={"a": "∂C/∂w_jk = a_k δ_j: the neuron j's error δ_j is one number for all k, and every a_k is σ of "
                "something, so positive. What does that leave for the sign?",
           "c": "the gradient a_k δ_j does not involve the weight w_jk itself: its sign cannot follow the weight's.",
           "d": "the activations a_k differ from one hidden neuron to the next, so the gradients differ in size."},
    hints=["BP4: ∂C/∂w_jk = a_k δ_j, with a_k the activation of hidden neuron k.",
           "What sign does σ(z) have, for any z?"],
    why="a_k = σ(z_k) > 0 for every k, so each a_k δ_j has the sign of δ_j: in one example, the weights into "
        "neuron j all go up together, or all down together. Not (a) or (c): the a_k are all positive and δ_j is one"
        " number, so no sign can differ; not (d): the a_k differ, so the sizes do.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="b",
    wrong={"a": "along the steep direction the gradient changes sign at each crossing of the valley floor, so "
                "successive pushes cancel rather than add up.",
           "c": "the velocity adds up pushes that agree from step to step; that differs between the two directions.",
           "d": "the friction 1 - μ is the same in every direction; what differs is whether the pushes agree."},
    hints=["The velocity is a running sum of past gradients, each discounted by μ. When do the terms of that sum "
           "add up, and when do they cancel?",
           "In which direction of the elongated valley does the gradient keep its sign step after step?"],
    why="in the flat direction the gradient keeps its sign, so the pushes add up and the velocity grows, up to "
        "η/(1 - μ) times the gradient; in the steep direction it flips sign and the pushes largely cancel, which "
        "damps the zig-zag. Not (a): in the steep direction the gradient flips sign and the pushes cancel; not (c):"
        " the sum of gradients of both signs is small; not (d): friction only caps the gain at η/(1 - μ).")

q2 = Number(
    "q2", 10.0,
    slips=[(0.9, "that is μ itself; the velocity settles where v = μv - η∇C."),
           (1.9, "that is the step after two steps, 1 + μ; the velocity keeps growing until v = μv - η∇C."),
           (9.0, "the velocity settles at v = -η∇C/(1 - μ): divide by 1 - μ, don't multiply by μ/(1 - μ).")],
    hints=["With a constant gradient the velocity stops changing: v = μv - η∇C.",
           "Solve v = μv - η∇C for v and compare with plain gradient descent's step -η∇C."],
    why="v = μv - η∇C gives v = -η∇C/(1 - μ); with μ = 0.9 that is 1/(1 - 0.9) = 10 times plain gradient descent's "
        "step.")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "tanh can be differentiated everywhere: BP1 could use tanh'(z) = 1 - tanh²(z) as it uses σ'(z).",
           "b": "a tanh output neuron would learn; the trouble is what its values mean, not its speed.",
           "d": "the output layer's function does not change the number of outputs: one per digit either way."},
    hints=["What values does a tanh neuron output, and what values do the desired outputs y of MNIST take?",
           "The cross-entropy has ln a and ln(1 - a) in it."],
    why="a tanh neuron's output lies in (-1, 1); the desired outputs are 0 and 1, and the cross-entropy's ln a and "
        "ln(1 - a) need a in (0, 1). So the hidden neurons may be tanh or ReLU, while the output layer stays sigmoid "
        "(or softmax), as the book suggests when it warns that outputs may need normalising differently. Not (a): "
        "tanh' = 1 - tanh² works in BP1 like σ'; not (b): a tanh neuron is a rescaled sigmoid, not a slower one; "
        "not (d): the number of output neurons is set by the classes, not by the neuron.")

q4 = Choice(
    "q4", right="d",
    wrong={"a": "a ReLU neuron cannot saturate for large z: for z > 0 its slope is 1, however large z is.",
           "b": "the weights change only by their gradients (and the L2 term, not used here); are those gradients "
                "ever non-zero for this neuron?",
           "c": "the neuron's error δ is its share of the next layer's error times its own slope, and that slope "
                "is zero here."},
    hints=["BP2 multiplies the neuron's error by its activation's derivative at z.",
           "What is the slope of max(0, z) for z < 0?"],
    why="for z < 0 the slope of max(0, z) is 0, so BP2 makes the neuron's δ zero for every image, BP3 and BP4 give "
        "zero gradients for its weights and bias, and it never learns again: the book's \"stops learning "
        "entirely\". Not (a), (b) or (c): each of them needs a gradient, and the neuron has none.")

q5 = Choice(
    "q5", right="a",
    wrong={"b": "the outputs can be shifted and stretched by the next layer's weights and bias: a range is not a "
                "limit on what the network computes.",
           "c": "tanh is steeper than σ at 0 by a factor 4, but σ with its weights doubled is exactly as steep.",
           "d": "the identity is exact, for every z: it is not an approximation near 0."},
    hints=["Eq. (111) turned around: tanh(z) = 2σ(2z) - 1. What does a tanh neuron with weights w and bias b "
           "compute, in terms of a sigmoid neuron?",
           "Can the next layer undo a factor 2 and a shift of -1 in its inputs with its own weights and biases?"],
    why="a tanh neuron with weights w and bias b computes 2σ(2w·x + 2b) - 1: a sigmoid neuron with doubled weights "
        "and bias, rescaled; the next layer absorbs the rescaling (weights doubled, bias lowered by their sum). The "
        "two kinds of network compute the same functions; they differ in how they learn. Not (b): the rescaling of "
        "eq. (111) turns any negative activation into a positive one the next layer undoes; not (c): doubled "
        "weights make a sigmoid as steep; not (d): eq. (111) is exact for every z.")
