"""Checks for notebook 08, the cross-entropy cost, softmax and the log-likelihood.

The book's chapter 3 exercises and problems on these costs, in the notebook's
order, each where its idea is: four answers in words (``Written``, in parts,
graded by hand from the rubric beside the model answer in the notebook's
answer cell: the sigmoid's slope and the cost itself; many layers, linear
outputs and ``cost_derivative``; where the cost comes from and the x_j factor;
the softmax layer's derivatives) and five answers in code, each with its check
(the cross-entropy's gradient, sigmoid outputs that do not sum to 1, a softmax
that cannot overflow, the log-likelihood cost, the softmax's inverse).  The
predictions p1-p3 come before the experiments that show their outcome.

A check applies its graded test's rule: the package's (and SciPy's) function
for the same thing refuses to run while the learner's answer is computed, and
a cost must be one number as ``grading.number`` takes it.
"""
import warnings

import numpy as np
from scipy import special

from .. import costs, functions, neuron
from ..functions import sigmoid, sigmoid_prime
from ..teach import grading
from . import Exercise, Hint, check, numerical_gradient, without
from .questions import Choice, Written

# What each graded test refuses while the learner's answer runs: the same thing, already written.
GRADIENT_SHORTCUTS = (neuron.cross_entropy_delta, costs.CrossEntropyCost.delta, numerical_gradient)
SOFTMAX_SHORTCUTS = (special.softmax, special.log_softmax, functions.softmax)
LOG_LIKELIHOOD_SHORTCUTS = (costs.LogLikelihoodCost.fn,)


def _one_number(value, what):
    """``value`` as a float if the graded test takes it for one number (``grading.number``), else a hint."""
    try:
        return grading.number(value, what)
    except AssertionError:
        got = f"an array of shape {value.shape}" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
        raise Hint(f"{what} should be one number; your function returned {got}.") from None


def _neuron_cases():
    """(w, b, x, y) for neurons with 1 to 4 inputs, some saturated, targets 0, 1 and in between."""
    rng = np.random.default_rng(8)
    cases = [(np.array([2.0]), 2.0, np.array([1.0]), 0.0), (np.array([0.6]), 0.9, np.array([1.0]), 0.0)]
    for n in (2, 3, 4):
        cases.append((rng.normal(size=n), float(rng.normal()), rng.normal(size=n), float(rng.choice([0.0, 1.0, 0.3]))))
    return cases


@check("Right: ∂C/∂w_j = x_j (a - y) and ∂C/∂b = a - y (eqs. 61 and 62): no σ'(z), so a badly wrong neuron "
       "learns fast.")
def check_cross_entropy_gradient(cross_entropy_gradient):
    for w, b, x, y in _neuron_cases():
        with without(*GRADIENT_SHORTCUTS, hint="your function calls the package's gradient (neuron.cross_entropy_delta, "
                      "CrossEntropyCost.delta or numerical_gradient): write the formula you derived."):
            got = cross_entropy_gradient(w.copy(), b, x.copy(), y)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise Hint("return a pair (gradient for the weights, gradient for the bias).")
        grad_w, grad_b = np.asarray(got[0], dtype=float), np.asarray(got[1], dtype=float)
        if grad_w.shape != w.shape or grad_b.size != 1:
            raise Hint(f"the gradient for the weights has one entry per weight (shape {w.shape} here) and the one "
                       f"for the bias is a single number; got shapes {grad_w.shape} and {grad_b.shape}.")
        cost = lambda params: float(neuron.cross_entropy_cost(params[:-1] @ x + params[-1], y))  # noqa: E731
        expected = numerical_gradient(cost, np.append(w, b))
        got_all = np.append(grad_w, grad_b)
        if np.allclose(got_all, expected, atol=1e-6):
            continue
        z = w @ x + b
        if np.allclose(got_all, -expected, atol=1e-6):
            raise Hint("the sign is flipped: when a > y the cost falls as z falls, so ∂C/∂z is positive.")
        if np.allclose(got_all, expected * sigmoid_prime(z), atol=1e-6):
            raise Hint("there is an extra factor σ'(z): that is the quadratic cost's gradient (eqs. 55-56). "
                       "Differentiate the cross-entropy's logarithms and see what σ'(z) = σ(z)(1 - σ(z)) cancels.")
        if np.allclose(grad_b, expected[-1], atol=1e-6):
            raise Hint("the bias gradient is right, the weights' is not: by the chain rule, ∂C/∂w_j = ∂C/∂z · "
                       "∂z/∂w_j, and what is ∂z/∂w_j?")
        raise Hint(f"for w = {np.round(w, 3)}, b = {b:.3f}, x = {np.round(x, 3)}, y = {y} the gradient does not match "
                   "the one found by finite differences. Start from a = σ(w·x + b) and ∂C/∂a.")


def _column(z, j):
    """Column j of z in words, with the whole array if it has other columns."""
    return f"the column z = {z[:, j].tolist()}" + (f" (column {j} of {z.tolist()})" if z.shape[1] > 1 else "")


def _softmax_overflow(z, j):
    """The hint for a softmax in which e^z overflowed, for column j of z."""
    return Hint(f"for {_column(z, j)} NumPy warns of an overflow: e^{z[:, j].max():g} is too large for a float. "
                "Does softmax change if you subtract the same number from every z_j?")


def _softmax_all_zero(z, j):
    """The hint for a softmax whose exponentials of column j of z all underflowed to 0, so that it divided by 0."""
    return Hint(f"for {_column(z, j)} the exponentials all became 0 (e^z rounds to 0 below about z = -745), so "
                "the division was 0/0. Subtract each column's own maximum (axis=0, keepdims=True), not one number "
                "for the whole array.")


@check("Right: your softmax gives columns of positive numbers that sum to 1 (eqs. 78-79), even for huge z.")
def check_softmax(softmax):
    rng = np.random.default_rng(8)
    cases = [np.array([[1.0], [2.0], [3.0]]), rng.normal(size=(10, 1)), rng.normal(scale=3, size=(10, 5)),
             np.array([[1000.0], [1000.0], [999.0]]), np.array([[-1000.0, 5.0], [-1001.0, 5.0]])]
    for z in cases:
        original = z.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                with without(*SOFTMAX_SHORTCUTS, hint="your function calls a library's softmax (SciPy's special.softmax or "
                              "log_softmax, or the package's): write eq. (78) yourself with np.exp and np.sum."):
                    got = np.asarray(softmax(z), dtype=float)
            except (RuntimeWarning, FloatingPointError) as warning:
                columns_max = z.max(axis=0)
                if "overflow" in str(warning):
                    raise _softmax_overflow(z, int(columns_max.argmax())) from None
                raise _softmax_all_zero(z, int(columns_max.argmin())) from None   # 0/0, or a division by 0
        if not np.array_equal(z, original):
            raise Hint("your function changed the array z it was given; compute on a copy (or without `-=`).")
        if got.shape != z.shape:
            raise Hint(f"softmax of a {z.shape} array should have the same shape, got {got.shape}.")
        if not np.all(np.isfinite(got)):
            broken = int(np.flatnonzero(~np.isfinite(got).all(axis=0))[0])
            overflowed = z[:, broken].max() > np.log(np.finfo(float).max)
            raise (_softmax_overflow if overflowed else _softmax_all_zero)(z, broken)
        expected = special.softmax(z, axis=0)
        if np.allclose(got, expected, atol=1e-12):
            continue
        if np.allclose(got, special.softmax(z, axis=1), atol=1e-12):
            raise Hint("each column is one example: normalise down the columns (axis=0), not along the rows.")
        if z.shape[1] > 1 and np.allclose(got, special.softmax(z, axis=None), atol=1e-12):
            raise Hint("you normalised the whole array at once; each column, one example, should sum to 1 "
                       "(keepdims=True keeps the column shape for broadcasting).")
        raise Hint(f"for z = {z.ravel()[:3]} ... the result is not e^z_j / Σ_k e^z_k (eq. 78).")


@check("Right: C = -ln a_y (eq. 80): small when the network is confident and right, large when it is wrong.")
def check_log_likelihood(log_likelihood):
    rng = np.random.default_rng(8)
    for _ in range(5):
        a = special.softmax(rng.normal(scale=2, size=(10, 1)), axis=0)
        y = int(rng.integers(10))
        with without(*LOG_LIKELIHOOD_SHORTCUTS, hint="your function calls the package's LogLikelihoodCost.fn: write "
                      "eq. (80) yourself."):
            got = _one_number(log_likelihood(a.copy(), y), "the cost")
        expected = -np.log(a[y, 0])
        if np.isclose(got, expected, rtol=1e-9):
            continue
        if np.isclose(got, -expected, rtol=1e-9):
            raise Hint("a cost is never negative: ln a < 0 for 0 < a < 1, so a minus sign is needed.")
        if np.isclose(got, -np.log(a[:, 0]).sum(), rtol=1e-9) or np.isclose(got, -np.log(a.max()), rtol=1e-9):
            raise Hint("the cost looks only at the activation of the neuron for the right digit y.")
        raise Hint(f"for the digit y = {y} the cost should depend on a[y] alone, through the natural logarithm.")
    edge = np.zeros((10, 1))
    edge[3] = 1.0
    if not np.isclose(_one_number(log_likelihood(edge, 3), "the cost"), 0.0):
        raise Hint("a network certain of the right digit (a_y = 1) should cost 0.")


@check("Right: the sigmoid outputs of your z do not add up to 1, so a sigmoid output layer is not, in general, a "
       "probability distribution (the softmax's outputs always are, eq. 79).")
def check_sigmoid_sum(z):
    try:
        z = np.asarray(z, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Hint("give the weighted inputs z as a NumPy array of numbers, one per output neuron, such as "
                   "np.array([[1.0], [-0.5]]).") from None
    if z.size < 2:
        raise Hint("a layer whose outputs could form a distribution has at least two neurons: give one weighted "
                   f"input per output neuron, at least two; yours has {z.size}.")
    if not np.all(np.isfinite(z)):
        raise Hint("every weighted input should be a finite number (no nan or inf).")
    if np.isclose(sigmoid(z).sum(), 1.0, rtol=0, atol=1e-9):
        if z.size == 2 and np.isclose(z[0], -z[1]):
            raise Hint("σ(-t) = 1 - σ(t): two weighted inputs of opposite sign are exactly the case where two "
                       "sigmoid outputs do sum to 1. Try any other pair.")
        raise Hint("the sigmoid outputs of your z do sum to 1 (within 1e-9): a rare choice. Change one of its "
                   "entries and look at the sum again.")


def _softmax_of_inverse(softmax_inverse, a):
    """The learner's z for ``a`` as a float array of a's shape, or a hint if its shape or values are wrong."""
    z = np.asarray(softmax_inverse(a.copy()), dtype=float)
    if z.shape != a.shape:
        raise Hint(f"for a column a of shape {a.shape} return a column z of the same shape; got {z.shape}.")
    if not np.all(np.isfinite(z)):
        raise Hint(f"for a = {np.round(a.ravel(), 3)} your z holds nan or inf; every a_j is positive, so a finite z "
                   "exists.")
    return z


@check("Right: z_j = ln a_j + C (with any constant C) gives softmax(z) = a; ln a_j alone is one such z.")
def check_softmax_inverse(softmax_inverse):
    rng = np.random.default_rng(8)
    cases = [np.array([[0.5], [0.25], [0.25]]), special.softmax(rng.normal(size=(10, 1)), axis=0),
             special.softmax(rng.normal(scale=6, size=(10, 1)), axis=0), np.array([[0.9], [0.1]])]
    for a in cases:
        z = _softmax_of_inverse(softmax_inverse, a)
        if np.allclose(special.softmax(z, axis=0), a, rtol=1e-9, atol=1e-12):
            continue
        if np.allclose(z, a):
            raise Hint("that is a itself; softmax(a) is not a, since softmax exponentiates: undo the exponential.")
        if np.allclose(special.softmax(-z, axis=0), a, rtol=1e-9, atol=1e-12):
            raise Hint("the sign is flipped: by eq. (78) a larger a_j needs a larger z_j, and your z is largest "
                       "where a is smallest.")
        if any(np.allclose(special.softmax(z * np.log(base), axis=0), a, rtol=1e-9) for base in (2, 10)):
            raise Hint("softmax is built from e^z: undo it with the natural logarithm (np.log), not log2 or log10.")
        if np.allclose(z, np.exp(a)):
            raise Hint("e^a goes the wrong way: softmax applies e^z, so its inverse applies the function that undoes "
                       "the exponential.")
        raise Hint(f"for a = {np.round(a.ravel(), 3)} the softmax of your z is "
                   f"{np.round(special.softmax(z, axis=0).ravel(), 3)}, not a. Solve eq. (78) for z_j: what is "
                   "ln a_j?")


# ----- the exercises, in the notebook's order ------------------------------------------------------

ex1 = Written(
    "ex1", grade_id="nb08_sigmoid_and_cost_written",
    hints=["Part 1: Write σ(z) = (1 + e^{-z})^{-1} and differentiate by the chain rule: the outer function is u^{-1}, "
           "the inner one u = 1 + e^{-z}. Part 2: Put y = 1 into -[a ln y + (1 - a) ln(1 - y)]: which logarithm is "
           "of 0? Then y = 0. Part 3: Each training input contributes its own term, which depends only on that "
           "input's a. Minimise one term -[y ln a + (1 - y) ln(1 - a)] as a function of a in (0, 1).",
           "Part 1: You should get e^{-z}/(1 + e^{-z})². Write it as 1/(1 + e^{-z}) times e^{-z}/(1 + e^{-z}), and in "
           "the second factor write e^{-z} as (1 + e^{-z}) - 1. Part 2: In the right form, which quantities are "
           "inside the logarithms, and what range do they have for a sigmoid neuron? What multiplies the logarithm "
           "that would misbehave? Part 3: Differentiate with respect to a and put the two fractions over the common "
           "denominator a(1 - a). Where is the derivative negative, zero and positive?"],
    why="part 1: the chain rule gives σ'(z) = e^{-z}/(1 + e^{-z})², which is σ(z)(1 - σ(z)), small whenever the "
        "output is near 0 or 1; part 2: the logarithms must be of the outputs, which a sigmoid keeps inside (0, 1), "
        "not of the targets 0 or 1; part 3: one term's derivative (a - y)/(a(1 - a)) changes sign at a = y, where the "
        "term is the binary entropy (64).")

ex2 = Exercise(
    "ex2", check=check_cross_entropy_gradient, grade_id="nb08_cross_entropy_gradient",
    hints=["Write C = -[y ln a + (1 - y) ln(1 - a)] with a = σ(z), z = w·x + b, and use the chain rule: "
           "∂C/∂w_j = ∂C/∂a · ∂a/∂z · ∂z/∂w_j.",
           "∂C/∂a = -y/a + (1 - y)/(1 - a) = (a - y) / (a(1 - a)), and ∂a/∂z = σ'(z) = a(1 - a): multiply them."],
    why="∂C/∂a · σ'(z) = (a - y)/(a(1 - a)) · a(1 - a) = a - y, and ∂z/∂w_j = x_j, ∂z/∂b = 1: eqs. (61) and (62) "
        "for one example.")

ex3 = Written(
    "ex3", grade_id="nb08_many_layers_written",
    hints=["Parts 1-3: Write C_x for one example and differentiate with respect to z^L_j first, by the chain rule "
           "through a^L_j = σ(z^L_j); only one term of the sum over j depends on z^L_j. Part 4: What does "
           "cost_derivative compute in the book's network.py, and what does backprop multiply it by? Differentiate "
           "the cross-entropy with respect to a.",
           "Parts 1-3: ∂/∂a of -[y ln a + (1 - y) ln(1 - a)] is (a - y)/(a(1 - a)), and σ'(z) = a(1 - a). For the "
           "weights, BP4: ∂C/∂w^L_jk = a^{L-1}_k δ^L_j. For linear neurons, what is ∂a^L_j/∂z^L_j? Part 4: Your "
           "cost_derivative divides by something. What values of a make it zero, and can a sigmoid output in floating "
           "point take them?"],
    why="the chain rule puts σ'(z^L_j) = a(1 - a) into the output error, and the cross-entropy's ∂C/∂a has exactly "
        "a(1 - a) in its denominator, so δ^L = a^L - y in any network; linear outputs have no σ' at all; and dividing "
        "by a(1 - a) in code fails where a rounds to 0 or 1, which computing δ = a - y directly avoids.")

ex4 = Written(
    "ex4", grade_id="nb08_derivation_written",
    hints=["Part 1: Start from the bias: ∂C/∂b = ∂C/∂a · ∂a/∂z · ∂z/∂b. Replace ∂a/∂z by σ'(z) written in terms of a, "
           "and set the result equal to a - y. Part 2: Through which quantity does a weight w_j reach the neuron's "
           "output, and so any cost of that output?",
           "Part 1: You get ∂C/∂a = (a - y)/(a(1 - a)). Split it into two simple fractions, one over a and one over 1 "
           "- a, and integrate each with respect to a. Part 2: Write ∂C/∂w_j by the chain rule through z = Σ_j w_j "
           "x_j + b. Which factor can a different cost change, and which one can it not?"],
    why="part 1: requiring ∂C/∂b = a - y with σ'(z) = a(1 - a) fixes ∂C/∂a = (a - y)/(a(1 - a)), whose integral in a "
        "is the cross-entropy up to a constant; part 2: every cost reaches w_j through z, so ∂C/∂w_j = ∂C/∂z · x_j, "
        "and a cost changes only ∂C/∂z.")

ex5 = Exercise(
    "ex5", check=check_sigmoid_sum, grade_id="nb08_sigmoid_sum",
    hints=["Any weighted inputs will do for a layer of sigmoid neurons (the biases alone can produce them). Pick two "
           "or three numbers and add their sigmoids.",
           "Beware of pairs like z and -z: σ(-t) = 1 - σ(t). Three weighted inputs of 0 give 3 · σ(0)."],
    why="every sigmoid output is computed from its own z_j alone, so nothing makes them add up to 1: three z_j = 0 "
        "give 3 × ½ = 1.5.")

ex6 = Exercise(
    "ex6", check=check_softmax, grade_id="nb08_softmax",
    hints=["Compute e^z for each entry and divide by the sum over the column; then make it safe for z = 1000.",
           "e^(z_j - c) / Σ_k e^(z_k - c) is the same for every constant c; the column's largest entry as c keeps "
           "every exponent at most 0 (np.max with axis=0, keepdims=True)."],
    why="Subtracting the column's maximum leaves softmax unchanged (the factor e^-c cancels) and keeps every e^z "
        "in (0, 1], so nothing overflows; the largest term is 1, so the sum is never 0.")

ex7 = Exercise(
    "ex7", check=check_log_likelihood, grade_id="nb08_log_likelihood",
    hints=["Only one output neuron enters the cost: the one for the right digit.",
           "Take the activation a[y] of that neuron (it is a column, so a[y, 0] or a[y].item()) and its natural "
           "logarithm; mind the sign."],
    why="The book's eq. (80): C = -ln a_y, with a_y the softmax output for the right digit; it is 0 when a_y = 1 "
        "and grows without bound as a_y falls to 0.")

ex8 = Written(
    "ex8", grade_id="nb08_softmax_derivatives_written",
    hints=["Part 1: Name the denominator S = Σ_k e^{z_k}. Differentiate a_j = e^{z_j}/S with respect to z_k, in two "
           "cases: k = j (both numerator and denominator depend on z_j) and k ≠ j (only the denominator does). Part "
           "2: Look at the denominator of eq. (78): which weighted inputs does it contain? Part 3: Write C = -ln a_y "
           "with eq. (78) and simplify the logarithm of the quotient: -z_y + ln Σ_k e^{z_k}. Then differentiate with "
           "respect to z_j.",
           "Part 1: Write the results in terms of the outputs a_j and a_k. What signs do a_j, a_k and 1 - a_j have? "
           "Part 2: Compare two columns z with the same z_1 but different other entries. Do they give the same a_1? "
           "Part 3: The derivative of ln Σ_k e^{z_k} with respect to z_j is a softmax output. Then use ∂z_j/∂b_j = 1 "
           "and ∂z_j/∂w_jk = a^{L-1}_k."],
    why="∂a_j/∂z_k = a_j(δ_jk - a_k), positive on the diagonal and negative off it; the shared denominator Σ_k "
        "e^{z_k} makes every output depend on every z_k; and C = -z_y + ln Σ_k e^{z_k} gives ∂C/∂z_j = a_j - y_j (eq. "
        "84), hence eqs. (81) and (82).")

ex9 = Exercise(
    "ex9", check=check_softmax_inverse, grade_id="nb08_softmax_inverse",
    hints=["Eq. (78) says e^{z_j} = a_j · Σ_k e^{z_k}. The sum is the same number for every j. Take logarithms.",
           "ln of both sides: z_j = ln a_j + ln Σ_k e^{z_k}, and the last term is one constant C for the whole column. "
           "Any C will do; which is simplest?"],
    why="taking logarithms of e^{z_j} = a_j Σ_k e^{z_k} gives z_j = ln a_j + C with C = ln Σ_k e^{z_k}, the same for "
        "every j; softmax is unchanged by adding a constant to every z_j, so C = 0 gives one valid z, and ln a_j + C "
        "for any C gives all of them.")


# ----- the predictions: the learner commits to an outcome before the cell that shows it ----------------

p1 = Choice(
    "p1", right="a",
    wrong={"b": "each step is the error times the sigmoid's slope σ'(z) (the chain rule), and at z = 4 the sigmoid is "
                "nearly flat: the larger error gets the much smaller step.",
           "c": "the two starts sit on different parts of the sigmoid: z = 1.5, where it is still steep, and z = 4, "
                "where it is nearly flat.",
           "d": "η = 0.15 is enough for the mildly wrong start: its output falls by more than half within 50 epochs."},
    hints=["Each step moves w and b by η times the gradient, which reaches the cost through a = σ(z): what is z at "
           "each start?",
           "z = 1.5 at the first start and z = 4 at the second. How steep is the sigmoid at each?"],
    why="the gradient carries σ'(z) (eqs. 55, 56), which at z = 4 (output 0.98) is more than eight times smaller than "
        "at z = 1.5 (output 0.82), so the badly wrong neuron takes tiny steps for over 100 epochs: (b) has it "
        "backwards, (c) forgets where on the sigmoid each start sits, and (d) the mildly wrong start does learn at "
        "η = 0.15.")

p2 = Choice(
    "p2", right="d",
    wrong={"a": "the flat start came from the factor σ'(z) in the quadratic cost's gradient, and the cross-entropy's "
                "gradient has no such factor (your Exercise 2).",
           "b": "the cross-entropy's gradient is (a - y) times the input: largest when the output is furthest from the "
                "target, not when it is near 0.5.",
           "c": "each step follows the error a - y, which shrinks as the output approaches 0: the falls get smaller."},
    hints=["Your Exercise 2: how large is the gradient when a = 0.98 and y = 0, and how large later, when a is near 0?",
           "Each epoch lowers the cost by about η times the squared length of the gradient. When is the gradient "
           "largest?"],
    why="the gradient is x(a - y) and a - y, with no σ'(z), largest when the neuron is most wrong, so the cost falls "
        "fastest at the start, at any η: (a) is the quadratic cost's behaviour, (b) would need a factor like σ'(z) "
        "that peaks at a = ½, and (c) forgets that the steps shrink with the error.")

p3 = Choice(
    "p3", right="c",
    wrong={"a": "equal outputs are what a small c gives (c → 0 makes every c z_j nearly 0); a large c magnifies the "
                "differences between the z_j.",
           "b": "exponentials do not keep proportions: e^{c z_j} / e^{c z_k} = e^{c (z_j - z_k)}, which depends on c.",
           "d": "multiplying by c is not adding a constant: the gaps z_j - z_k are multiplied by c, and softmax "
                "depends on those gaps."},
    hints=["The ratio of two outputs of eq. (83) is a_j / a_k = e^{c (z_j - z_k)}. What happens to it as c grows?",
           "Take the largest z_j and any smaller z_k: the ratio a_j / a_k grows without bound as c → ∞, and the "
           "outputs still sum to 1."],
    why="a_j / a_k = e^{c (z_j - z_k)} → ∞ when z_j is the largest, so every other output becomes negligible next to "
        "it; since they sum to 1, the largest z's output tends to 1 and the others to 0: a maximum, which the c = 1 "
        "function softens. Equal outputs (a) are the limit c → 0, outputs in proportion to z (b) no exponential gives, "
        "and (d) confuses multiplying every z_j by c with adding a constant to it.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="b",
    wrong={"a": "with the cross-entropy cost and the same η = 0.15 the same start learns fast.",
           "c": "the quadratic cost's slope in a is a - y = 0.98, not 0: the flat curve is the sigmoid, not the cost.",
           "d": "multiplying by x = 1 changes nothing, and the bias's gradient (56), which has no x, is just as small."},
    hints=["Read eqs. (55) and (56): which factor of the gradient can be tiny even when a - y is large?",
           "What is z at w = b = 2 and x = 1, and how steep is the sigmoid there?"],
    why="z = 2·1 + 2 = 4, where the sigmoid is flat: σ'(4) ≈ 0.018, and eqs. (55) and (56) multiply the error by "
        "it, so both partial derivatives are tiny however wrong the output. Not (a): the cross-entropy learns fast at "
        "the same η; not (c): the cost's slope in a is a - y, large; not (d): x = 1 multiplies by 1.")

q2 = Choice(
    "q2", right="c",
    wrong={"a": "the cross-entropy has no upper bound: it grows without limit as a wrong output nears 0 or 1.",
           "b": "the opposite: the cross-entropy's gradient (eqs. 61, 62) has no σ'(z) in it, which is its point.",
           "d": "it is a different cost, not the quadratic cost times a constant: its gradient differs in form."},
    hints=["What do we ask of any cost function? Think of its sign, and of its value when the network is right.",
           "Section 2 says why it is a sensible cost, just after eq. (57)."],
    why="every term of eq. (57) is positive, and the cost is near 0 when the output a is near the target y for "
        "every input: the two properties that make a function usable as a cost.")

q3 = Choice(
    "q3", right="a",
    wrong={"b": "only the output error changes: δ^L = a^L - y. BP2 still multiplies by σ'(z^l) in every hidden "
                "layer.",
           "c": "a larger η scales every step, the healthy neurons' too; it does not remove the factor σ'(z^l) of a "
                "saturated hidden neuron."},
    hints=["Write BP2: δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l). Which factor does the cost not touch?",
           "The cost function enters backpropagation only through the output layer's error."],
    why="the cross-entropy removes σ'(z^L) from the output error only; BP2 carries σ'(z^l) into every hidden "
        "layer's error, so a saturated hidden neuron still learns slowly; (b) holds for the output layer only, and a "
        "larger η (c) scales every step alike without removing σ'(z^l).")

q4 = Choice(
    "q4", right="d",
    wrong={"a": "every output is multiplied and divided by the same factor: nothing changes, except rounding.",
           "b": "the largest z becomes 0 and its exponential 1, but the output is divided by the sum of all the "
                "exponentials.",
           "c": "the outputs are the same, so the cost is the same: subtracting a constant cannot cure a slowdown."},
    hints=["Write e^{z_j - c} as e^{z_j} · e^{-c}, in the numerator and in every term of the denominator.",
           "What does np.exp(1000.0) give?"],
    why="e^{-c} cancels between the numerator and the denominator of eq. (78), so the outputs are the same; with "
        "c the largest z every exponent is at most 0, so no exponential overflows to inf (and the sum is at "
        "least 1).")

q5 = Choice(
    "q5", right="b",
    wrong={"a": "the outputs always sum to 1 (eq. 79), so the others cannot stay as they were when one grows.",
           "c": "they share one denominator, which grows with e^{z_j}."},
    hints=["Every softmax output has the same denominator: what happens to it?",
           "What do the outputs always sum to?"],
    why="a larger z^L_j makes a^L_j larger and the shared denominator larger, so every other output falls; they "
        "still sum to 1.")
