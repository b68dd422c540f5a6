"""Checks for notebook 08, the cross-entropy cost, softmax and the log-likelihood.

The book's chapter 3 exercises and problems on these costs are here in the
notebook's order: answers in words (``Written``: σ'(z) = σ(z)(1 - σ(z)), the
gotcha, binary entropy, the many-layer network, where the cross-entropy comes
from, the x_j factor, ``cost_derivative``, softmax's monotonicity and
non-locality, eqs. 81-82),
and answers in code, each with its check.
"""
import warnings

import numpy as np
from scipy import special

from .. import neuron
from ..functions import sigmoid, sigmoid_prime
from . import Exercise, Hint, check, numerical_gradient
from .questions import Choice, Written


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
        got = cross_entropy_gradient(w.copy(), b, x.copy(), y)
        if not (isinstance(got, tuple) and len(got) == 2):
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
                got = np.asarray(softmax(z), dtype=float)
            except (RuntimeWarning, FloatingPointError):
                raise Hint(f"for z = {z.ravel()[:3]} ... NumPy warns of an overflow: e^1000 is too large for a float. "
                           "Does softmax change if you subtract the same number from every z_j?") from None
        if not np.array_equal(z, original):
            raise Hint("your function changed the array z it was given; compute on a copy (or without `-=`).")
        if got.shape != z.shape:
            raise Hint(f"softmax of a {z.shape} array should have the same shape, got {got.shape}.")
        if not np.all(np.isfinite(got)):
            raise Hint(f"for z = {z.ravel()[:3]} ... your result holds nan or inf: e^1000 overflows. "
                       "Does softmax change if you subtract the same number from every z_j?")
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
        got = float(log_likelihood(a.copy(), y))
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
    if not np.isclose(float(log_likelihood(edge, 3)), 0.0):
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
    "ex1",
    answer="Write σ(z) = 1/u with u = 1 + e^{-z}, so du/dz = -e^{-z}. By the chain rule\n\n"
           "σ'(z) = -(1/u²) · du/dz = e^{-z} / (1 + e^{-z})².\n\n"
           "Split the fraction into two factors:\n\n"
           "e^{-z} / (1 + e^{-z})² = [1 / (1 + e^{-z})] · [e^{-z} / (1 + e^{-z})].\n\n"
           "The first factor is σ(z). In the second, write the numerator as (1 + e^{-z}) - 1:\n\n"
           "e^{-z} / (1 + e^{-z}) = (1 + e^{-z}) / (1 + e^{-z}) - 1 / (1 + e^{-z}) = 1 - σ(z).\n\n"
           "So σ'(z) = σ(z)(1 - σ(z)).\n\n"
           "What it says: the slope of the sigmoid depends on z only through the output a = σ(z), as σ'(z) = a(1 - a). "
           "The product is largest, ¼, at a = ½ (z = 0), and falls to 0 as a approaches 0 or 1: a neuron whose "
           "output is near 0 or 1 sits on a flat part of the curve. At the badly wrong start, a = 0.982 gives "
           "σ'(4) = 0.982 × 0.018 ≈ 0.0177, the small factor printed above that shrinks eqs. (55) and (56). "
           "(And backpropagation can compute σ'(z) from the activation a that the forward pass already holds.)",
    hints=["Write σ(z) = (1 + e^{-z})^{-1} and differentiate by the chain rule: the outer function is u^{-1}, the "
           "inner one u = 1 + e^{-z}.",
           "You should get e^{-z}/(1 + e^{-z})². Write it as 1/(1 + e^{-z}) times e^{-z}/(1 + e^{-z}), and in the "
           "second factor write e^{-z} as (1 + e^{-z}) - 1."],
    why="the chain rule gives σ'(z) = e^{-z}/(1 + e^{-z})² = 1/(1 + e^{-z}) · e^{-z}/(1 + e^{-z}), and the second "
        "factor is 1 - 1/(1 + e^{-z}) = 1 - σ(z): σ'(z) = σ(z)(1 - σ(z)), small whenever the output is near 0 or 1.")

ex2 = Written(
    "ex2",
    answer="With the roles swapped the cost of one example is C' = -[a ln y + (1 - a) ln(1 - y)], and the "
           "logarithms are now taken of the targets.\n\n"
           "* **y = 1:** the second term holds ln(1 - y) = ln 0 = -∞, multiplied by 1 - a. A sigmoid neuron's output "
           "is strictly between 0 and 1 for every finite z, so 1 - a > 0 and C' = +∞, however close a is to 1.\n"
           "* **y = 0:** the first term holds a ln 0 = -∞ with a > 0: C' = +∞ again.\n\n"
           "In classification every target is 0 or 1, so C' is infinite for every training input, whatever the "
           "network outputs, and so is its derivative ∂C'/∂a = -ln y + ln(1 - y): it cannot tell a better output "
           "from a worse one. (For a target strictly between 0 and 1, C' is finite but linear in a, so it is "
           "smallest at a = 0 or a = 1, not at a = y: still the wrong cost.)\n\n"
           "The right form, -[y ln a + (1 - y) ln(1 - a)], takes the logarithms of a and 1 - a, which a sigmoid "
           "keeps strictly inside (0, 1), so both logarithms are finite. The targets only *multiply* them: for "
           "y = 0 the term y ln a is 0 · (a finite number) = 0, and for y = 1 the term (1 - y) ln(1 - a) is 0. "
           "The cost becomes infinite only in the limit a → 0 with y = 1, or a → 1 with y = 0: when the neuron is "
           "completely and confidently wrong, which is where a cost should be large. (In floating point σ(z) "
           "rounds to exactly 0 or 1 for large |z|; that is why the notebook computes the cost from z.)",
    hints=["Put y = 1 into -[a ln y + (1 - a) ln(1 - y)]: which logarithm is of 0? Then y = 0.",
           "In the right form, which quantities are inside the logarithms, and what range do they have for a "
           "sigmoid neuron? What multiplies the logarithm that would misbehave?"],
    why="the logarithms must be of the neuron's outputs, which a sigmoid keeps inside (0, 1); the targets, 0 or 1, "
        "only multiply them. Swapped, the logarithm of a target 0 or 1 is ln 0, and the cost is infinite for every "
        "training input.")

ex3 = Written(
    "ex3",
    answer="(We answer with a proof; the cell after the exercise checks it numerically.) The cost (57) is an "
           "average of one term per training input, f(a) = -[y ln a + (1 - y) ln(1 - a)], and each term depends only "
           "on its own input's output a = σ(z), which lies in (0, 1). So C is as small as it can be when every term "
           "is, and it is enough to minimise f over a in (0, 1) for a fixed y in (0, 1). Its derivative is\n\n"
           "f'(a) = -y/a + (1 - y)/(1 - a) = [-y(1 - a) + (1 - y)a] / (a(1 - a)) = (a - y) / (a(1 - a)).\n\n"
           "The denominator is positive on (0, 1), so f'(a) < 0 for a < y and f'(a) > 0 for a > y: f falls until "
           "a = y and rises after it. Its only minimum is at a = y (also f''(a) = y/a² + (1 - y)/(1 - a)² > 0: f is "
           "convex). Hence C is smallest when σ(z) = y for every training input, and there each term is "
           "-[y ln y + (1 - y) ln(1 - y)], which averaged over the inputs is eq. (64).\n\n"
           "This minimum is not 0 unless y is 0 or 1 (y ln y → 0 as y → 0, and (1 - y) ln(1 - y) → 0 as y → 1): for "
           "y = 0.5 it is ln 2 ≈ 0.693. So with targets in between, a cost near 0 is not the sign of a perfect fit; "
           "the binary entropy (64) is the floor, reached exactly when every output equals its target.",
    hints=["Each training input contributes its own term, which depends only on that input's a. Minimise one term "
           "-[y ln a + (1 - y) ln(1 - a)] as a function of a in (0, 1).",
           "Differentiate with respect to a and put the two fractions over the common denominator a(1 - a). Where "
           "is the derivative negative, zero and positive?"],
    why="∂/∂a of one term is (a - y)/(a(1 - a)), negative below y and positive above it, so each term, and with "
        "them the average (57), is smallest at a = y, where it equals the binary entropy (64).")

ex4 = Written(
    "ex4",
    answer="Notation of notebook 04: z^L_j = Σ_k w^L_jk a^{L-1}_k + b^L_j and a^L_j = σ(z^L_j); the weight "
           "w^L_jk enters only z^L_j, through the term w^L_jk a^{L-1}_k, so ∂z^L_j/∂w^L_jk = a^{L-1}_k and "
           "∂z^L_j/∂b^L_j = 1. Everything below is for one training example; the cost C is the average of C_x over "
           "the n inputs, and so is each derivative, which gives the 1/n Σ_x of the equations.\n\n"
           "**Quadratic cost, eq. (65).** C_x = ½ Σ_j (y_j - a^L_j)², so ∂C_x/∂a^L_j = a^L_j - y_j and, by the chain "
           "rule, ∂C_x/∂w^L_jk = (a^L_j - y_j) σ'(z^L_j) a^{L-1}_k. Averaged over x: eq. (65), with σ'(z^L_j) in "
           "it.\n\n"
           "**Cross-entropy, eq. (66).** C_x = -Σ_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)] (eq. 63 for one input). "
           "Only the j-th term depends on z^L_j, so\n\n"
           "δ^L_j = ∂C_x/∂z^L_j = ∂C_x/∂a^L_j · σ'(z^L_j) = [(a^L_j - y_j) / (a^L_j(1 - a^L_j))] · a^L_j(1 - a^L_j) "
           "= a^L_j - y_j,\n\n"
           "using σ'(z) = σ(z)(1 - σ(z)). That is δ^L = a^L - y.\n\n"
           "**Eq. (67) and the biases.** BP4 gives ∂C_x/∂w^L_jk = a^{L-1}_k δ^L_j = a^{L-1}_k (a^L_j - y_j), and BP3 "
           "gives ∂C_x/∂b^L_j = δ^L_j = a^L_j - y_j; averaged over x, eq. (67) and its bias twin. The depth of the "
           "network plays no part: the cost enters backpropagation only through the output error δ^L, and the "
           "earlier layers' errors come from it by BP2 as before (they keep their own σ'(z^l)).\n\n"
           "**Linear output neurons, eqs. (68)-(70).** Now a^L_j = z^L_j, so ∂a^L_j/∂z^L_j = 1. With the quadratic "
           "cost, δ^L_j = ∂C_x/∂a^L_j · 1 = a^L_j - y_j: δ^L = a^L - y (68). BP4 and BP3, averaged over x, give "
           "∂C/∂w^L_jk = (1/n) Σ_x a^{L-1}_k (a^L_j - y_j) (69) and ∂C/∂b^L_j = (1/n) Σ_x (a^L_j - y_j) (70). "
           "No σ'(z^L_j) appears, because a linear neuron has no flat part to saturate in: its output grows in "
           "step with z, so the quadratic cost learns from a large error as fast as the cross-entropy does for "
           "sigmoid outputs. For linear outputs (regression on real numbers, for instance) the quadratic cost is a "
           "good choice.",
    hints=["Write C_x for one example and differentiate with respect to z^L_j first, by the chain rule through "
           "a^L_j = σ(z^L_j); only one term of the sum over j depends on z^L_j.",
           "∂/∂a of -[y ln a + (1 - y) ln(1 - a)] is (a - y)/(a(1 - a)), and σ'(z) = a(1 - a). For the weights, "
           "BP4: ∂C/∂w^L_jk = a^{L-1}_k δ^L_j. For linear neurons, what is ∂a^L_j/∂z^L_j?"],
    why="the chain rule puts σ'(z^L_j) = a(1 - a) into the output error, and the cross-entropy's ∂C/∂a has "
        "exactly a(1 - a) in its denominator, so δ^L = a^L - y in any network; linear output neurons have no σ' at "
        "all, so the quadratic cost gives the same δ^L = a^L - y.")

ex5 = Written(
    "ex5",
    answer="We want a cost C(a) of one example, a function of the output a = σ(z) and the target y, with ∂C/∂b = a - y "
           "(72).\n\n"
           "1. The bias reaches the cost only through z and a, with ∂z/∂b = 1, so by the chain rule "
           "∂C/∂b = ∂C/∂a · σ'(z) (73).\n"
           "2. σ'(z) = σ(z)(1 - σ(z)) = a(1 - a), so ∂C/∂b = ∂C/∂a · a(1 - a) (74).\n"
           "3. Setting this equal to a - y: ∂C/∂a = (a - y) / (a(1 - a)) (75).\n"
           "4. Split the fraction: (a - y)/(a(1 - a)) = -y/a + (1 - y)/(1 - a). (Check: over the common denominator, "
           "-y(1 - a) + (1 - y)a = a - y.)\n"
           "5. Integrate with respect to a, y fixed: ∫ -y/a da = -y ln a and ∫ (1 - y)/(1 - a) da = -(1 - y) ln(1 - "
           "a). "
           "So C = -[y ln a + (1 - y) ln(1 - a)] + constant (76), where the constant does not depend on a (it may "
           "depend on the example, through y).\n"
           "6. The full cost averages over the n training examples: C = -(1/n) Σ_x [y ln a + (1 - y) ln(1 - a)] + "
           "constant (77), the constant being the average of the examples' constants. It changes no derivative, so "
           "we may drop it: that is the cross-entropy (57).\n\n"
           "The weights' condition (71) comes for free: ∂C/∂w_j = ∂C/∂a · σ'(z) · x_j = (a - y) x_j. So asking for a "
           "gradient without σ'(z) determines the cost up to a constant: the cross-entropy is not a lucky guess.",
    hints=["Start from the bias: ∂C/∂b = ∂C/∂a · ∂a/∂z · ∂z/∂b. Replace ∂a/∂z by σ'(z) written in terms of a, and set "
           "the result equal to a - y.",
           "You get ∂C/∂a = (a - y)/(a(1 - a)). Split it into two simple fractions, one over a and one over 1 - a, "
           "and integrate each with respect to a."],
    why="requiring ∂C/∂b = a - y and using σ'(z) = a(1 - a) fixes ∂C/∂a = (a - y)/(a(1 - a)), whose integral in a is "
        "the cross-entropy up to a constant; ∂C/∂w_j = x_j (a - y) then follows from the chain rule.")

ex6 = Written(
    "ex6",
    answer="A cost function measures the network's output against the target: C depends on a weight w_j only "
           "through the output, and the output depends on w_j only through the weighted input z = Σ_j w_j x_j + b. "
           "So, whatever the cost, the chain rule gives\n\n"
           "∂C/∂w_j = ∂C/∂z · ∂z/∂w_j = ∂C/∂z · x_j.\n\n"
           "The choice of cost affects only the first factor, ∂C/∂z, one number shared by all the neuron's weights "
           "(and equal to ∂C/∂b). The factor x_j belongs to z, not to the cost: for every cost, ∂C/∂w_j / ∂C/∂b = x_j. "
           "To cancel x_j the cost would have to depend on the weights and the inputs one by one, not only on the "
           "output, and then it would no longer measure how good the output is.\n\n"
           "The factor is also right: if x_j = 0 for an input, then w_j has no effect at all on z, on the output or on "
           "any cost for that input, so the true gradient is 0, and a small x_j means w_j has a small effect. The "
           "slow learning of such weights is a property of the inputs, to be treated there (for example by "
           "rescaling the inputs), not of the cost.",
    hints=["Through which quantity does a weight w_j reach the neuron's output, and so any cost of that output?",
           "Write ∂C/∂w_j by the chain rule through z = Σ_j w_j x_j + b. Which factor can a different cost change, and "
           "which one can it not?"],
    why="every cost of the output reaches w_j through z, so ∂C/∂w_j = ∂C/∂z · x_j; a cost changes only ∂C/∂z, and "
        "x_j = ∂z/∂w_j is the true effect of the weight.")

ex7 = Written(
    "ex7",
    answer="`Network.cost_derivative(output_activations, y)` returns ∂C_x/∂a^L; for the quadratic cost that is "
           "a - y, and `backprop` multiplies it by σ'(z^L) to get δ^L (BP1). For the cross-entropy, "
           "∂C_x/∂a^L_j = -y_j/a_j + (1 - y_j)/(1 - a_j) = (a_j - y_j)/(a_j(1 - a_j)), so the rewritten method is\n\n"
           "    def cost_derivative(self, output_activations, y):\n"
           "        a = output_activations\n"
           "        return (a - y) / (a * (1 - a))\n\n"
           "and `backprop`, unchanged, multiplies it by σ'(z) = a(1 - a) to get a - y.\n\n"
           "**The problem.** The division by a(1 - a). When an output neuron saturates, σ(z) rounds to exactly 1.0 "
           "(in float64 for z above about 37, in float32 above about 17), and for very negative z to 0.0; then "
           "a(1 - a) is 0: the method "
           "divides by zero and returns inf, or nan when a = y as well (0/0). Backprop then multiplies inf by "
           "σ'(z) = 0, which is nan, and the nan spreads to every gradient. Before the rounding is exact, dividing by "
           "a tiny a(1 - a) and multiplying by a tiny σ'(z) loses precision. And saturated, wrong neurons are exactly "
           "the case the cross-entropy is meant to handle.\n\n"
           "**network2.py's fix.** `CrossEntropyCost.delta(z, a, y)` returns the output error δ^L = a - y directly: "
           "the a(1 - a) of ∂C/∂a and that of σ'(z) cancel on paper, before any computer divides. Nothing is "
           "divided, and a saturated neuron gets its full, exact error. (`nndl.costs.CrossEntropyCost.delta` does "
           "the same.)",
    hints=["What does cost_derivative compute in the book's network.py, and what does backprop multiply it by? "
           "Differentiate the cross-entropy with respect to a.",
           "Your cost_derivative divides by something. What values of a make it zero, and can a sigmoid output in "
           "floating point take them?"],
    why="the cross-entropy's ∂C/∂a = (a - y)/(a(1 - a)) divides by zero when a rounds to 0 or 1; δ = a - y, "
        "computed directly, is the same number after the cancellation and never divides.")

ex8 = Exercise(
    "ex8", check=check_sigmoid_sum, grade_id="nb08_sigmoid_sum",
    hints=["Any weighted inputs will do for a layer of sigmoid neurons (the biases alone can produce them). Pick two "
           "or three numbers and add their sigmoids.",
           "Beware of pairs like z and -z: σ(-t) = 1 - σ(t). Three weighted inputs of 0 give 3 · σ(0)."],
    why="every sigmoid output is computed from its own z_j alone, so nothing makes them add up to 1: three z_j = 0 "
        "give 3 × ½ = 1.5.")

ex9 = Written(
    "ex9",
    answer="Write S = Σ_k e^{z_k}, so a_j = e^{z_j}/S and ∂S/∂z_k = e^{z_k}.\n\n"
           "* **k = j**, quotient rule: ∂a_j/∂z_j = (e^{z_j} S - e^{z_j} e^{z_j}) / S² = a_j - a_j² = a_j(1 - a_j).\n"
           "* **k ≠ j**: the numerator e^{z_j} does not depend on z_k, so ∂a_j/∂z_k = -e^{z_j} e^{z_k} / S² = "
           "-a_j a_k.\n\n"
           "Every a_j is positive (an exponential over a sum of exponentials), and with at least two outputs each "
           "is below 1, since the others add something positive to S. So a_j(1 - a_j) > 0 and -a_j a_k < 0: "
           "∂a_j/∂z_k is positive for j = k and negative for j ≠ k. In one formula, ∂a_j/∂z_k = a_j(δ_jk - a_k).\n\n"
           "Consequence: raising z_j raises a_j and lowers every other output. Consistent with eq. (79): summed over "
           "j, the changes are a_k(1 - a_k) - a_k Σ_{j≠k} a_j = a_k(1 - a_k) - a_k(1 - a_k) = 0, so the outputs still "
           "sum to 1.",
    hints=["Name the denominator S = Σ_k e^{z_k}. Differentiate a_j = e^{z_j}/S with respect to z_k, in two cases: "
           "k = j (both numerator and denominator depend on z_j) and k ≠ j (only the denominator does).",
           "Write the results in terms of the outputs a_j and a_k. What signs do a_j, a_k and 1 - a_j have?"],
    why="∂a_j/∂z_k = a_j(δ_jk - a_k): a_j(1 - a_j) > 0 on the diagonal and -a_j a_k < 0 off it, since every output "
        "lies strictly between 0 and 1.")

ex10 = Written(
    "ex10",
    answer="In a sigmoid layer a_j = σ(z_j) uses z_j alone. In a softmax layer a_j = e^{z_j} / Σ_k e^{z_k}: the "
           "denominator holds every weighted input of the layer, so changing any z_k changes a_j (by Exercise 9, "
           "∂a_j/∂z_k = -a_j a_k ≠ 0 for k ≠ j). For instance, z = (1, 0) gives a_1 ≈ 0.73, while z = (1, 5) gives "
           "a_1 ≈ 0.018 with the same z_1. Worse, a_j is not a function of z_j at all: adding the same number to every "
           "z_k leaves every output unchanged, so the same a_j comes from any z_j. It has to be so: the outputs must "
           "sum to 1 (eq. 79), and normalising by the sum of all the exponentials is what couples them; one output "
           "can only grow if the others shrink.",
    hints=["Look at the denominator of eq. (78): which weighted inputs does it contain?",
           "Compare two columns z with the same z_1 but different other entries. Do they give the same a_1?"],
    why="the denominator Σ_k e^{z_k} contains every z_k, so each output depends on all the weighted inputs: the "
        "price of outputs that always sum to 1.")

ex11 = Exercise(
    "ex11", check=check_softmax_inverse, grade_id="nb08_softmax_inverse",
    hints=["Eq. (78) says e^{z_j} = a_j · Σ_k e^{z_k}. The sum is the same number for every j. Take logarithms.",
           "ln of both sides: z_j = ln a_j + ln Σ_k e^{z_k}, and the last term is one constant C for the whole column. "
           "Any C will do; which is simplest?"],
    why="taking logarithms of e^{z_j} = a_j Σ_k e^{z_k} gives z_j = ln a_j + C with C = ln Σ_k e^{z_k}, the same for "
        "every j; softmax is unchanged by adding a constant to every z_j, so C = 0 gives one valid z, and ln a_j + C "
        "for any C gives all of them.")

ex12 = Written(
    "ex12",
    answer="Write a_j = a^L_j, z_j = z^L_j and let y be the right digit, with y_j = 1 for j = y and 0 otherwise (the "
           "one-hot column).\n\n"
           "**The output error (the book's eq. 84).** With eq. (78), C = -ln a_y = -ln(e^{z_y} / Σ_k e^{z_k}) "
           "= -z_y + ln Σ_k e^{z_k}. Differentiate with respect to z_j:\n\n"
           "δ^L_j = ∂C/∂z_j = -[j = y] + e^{z_j} / Σ_k e^{z_k} = a_j - y_j,\n\n"
           "where [j = y] is 1 if j = y and 0 otherwise, which is y_j. So δ^L = a^L - y. (The same from Exercise 9: "
           "∂C/∂z_j = -(1/a_y) ∂a_y/∂z_j = -(1/a_y) a_y (δ_yj - a_j) = a_j - y_j.)\n\n"
           "**Eqs. (81) and (82).** z_j = Σ_k w^L_jk a^{L-1}_k + b^L_j, and b^L_j and w^L_jk enter no other z_i. "
           "So ∂C/∂b^L_j = ∂C/∂z_j · 1 = a^L_j - y_j (81), and ∂C/∂w^L_jk = ∂C/∂z_j · a^{L-1}_k = "
           "a^{L-1}_k (a^L_j - y_j) (82): the same form as the cross-entropy's (67) for one example, with no σ'(z), "
           "so no learning slowdown. Backpropagation with a softmax layer and the log-likelihood cost starts from "
           "δ^L = a^L - y and runs BP2-BP4 as before.",
    hints=["Write C = -ln a_y with eq. (78) and simplify the logarithm of the quotient: -z_y + ln Σ_k e^{z_k}. Then "
           "differentiate with respect to z_j.",
           "The derivative of ln Σ_k e^{z_k} with respect to z_j is a softmax output. Then use ∂z_j/∂b_j = 1 and "
           "∂z_j/∂w_jk = a^{L-1}_k."],
    why="C = -z_y + ln Σ_k e^{z_k}, so ∂C/∂z_j = a_j - y_j (eq. 84); ∂z_j/∂b_j = 1 and ∂z_j/∂w_jk = a^{L-1}_k then "
        "give eqs. (81) and (82).")

ex13 = Exercise(
    "ex13", check=check_cross_entropy_gradient, grade_id="nb08_cross_entropy_gradient",
    hints=["Write C = -[y ln a + (1 - y) ln(1 - a)] with a = σ(z), z = w·x + b, and use the chain rule: "
           "∂C/∂w_j = ∂C/∂a · ∂a/∂z · ∂z/∂w_j.",
           "∂C/∂a = -y/a + (1 - y)/(1 - a) = (a - y) / (a(1 - a)), and ∂a/∂z = σ'(z) = a(1 - a): multiply them."],
    why="∂C/∂a · σ'(z) = (a - y)/(a(1 - a)) · a(1 - a) = a - y, and ∂z/∂w_j = x_j, ∂z/∂b = 1: eqs. (61) and (62) "
        "for one example.")

ex14 = Exercise(
    "ex14", check=check_softmax, grade_id="nb08_softmax",
    hints=["Compute e^z for each entry and divide by the sum over the column; then make it safe for z = 1000.",
           "e^(z_j - c) / Σ_k e^(z_k - c) is the same for every constant c; the column's largest entry as c keeps "
           "every exponent at most 0 (np.max with axis=0, keepdims=True)."],
    why="Subtracting the column's maximum leaves softmax unchanged (the factor e^-c cancels) and keeps every e^z "
        "in (0, 1], so nothing overflows; the largest term is 1, so the sum is never 0.")

ex15 = Exercise(
    "ex15", check=check_log_likelihood, grade_id="nb08_log_likelihood",
    hints=["Only one output neuron enters the cost: the one for the right digit.",
           "Take the activation a[y] of that neuron (it is a column, so a[y, 0] or a[y].item()) and its natural "
           "logarithm; mind the sign."],
    why="The book's eq. (80): C = -ln a_y, with a_y the softmax output for the right digit; it is 0 when a_y = 1 "
        "and grows without bound as a_y falls to 0.")


# ----- the prediction: the learner commits to an outcome before the cell that shows it ----------------

p1 = Choice(
    "p1", right="c",
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
        "function softens.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="b",
    wrong={"a": "with the cross-entropy cost and the same η = 0.15 the same start learns fast.",
           "c": "0.98 is far from the target 0: the neuron is badly wrong.",
           "d": "the input is x = 1, so the weight's gradient equals the bias's."},
    hints=["Read eqs. (55) and (56): which factor of the gradient can be tiny even when a - y is large?",
           "What is z at w = b = 2 and x = 1, and how steep is the sigmoid there?"],
    why="z = 2·1 + 2 = 4, where the sigmoid is flat: σ'(4) ≈ 0.018, and eqs. (55) and (56) multiply the error by "
        "it, so both partial derivatives are tiny however wrong the output.")

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
           "c": "a larger η scales every step; it does not remove the factor σ'(z^l) of a saturated hidden neuron."},
    hints=["Write BP2: δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l). Which factor does the cost not touch?",
           "The cost function enters backpropagation only through the output layer's error."],
    why="the cross-entropy removes σ'(z^L) from the output error only; BP2 carries σ'(z^l) into every hidden "
        "layer's error, so a saturated hidden neuron still learns slowly.")

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
