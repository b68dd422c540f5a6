"""Checks for notebook 08, the cross-entropy cost, softmax and the log-likelihood."""
import warnings

import numpy as np
from scipy import special

from .. import neuron
from ..functions import sigmoid_prime
from . import Exercise, Hint, check, numerical_gradient
from .questions import Choice


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


ex1 = Exercise(
    "ex1", check=check_cross_entropy_gradient, grade_id="nb08_cross_entropy_gradient",
    hints=["Write C = -[y ln a + (1 - y) ln(1 - a)] with a = σ(z), z = w·x + b, and use the chain rule: "
           "∂C/∂w_j = ∂C/∂a · ∂a/∂z · ∂z/∂w_j.",
           "∂C/∂a = -y/a + (1 - y)/(1 - a) = (a - y) / (a(1 - a)), and ∂a/∂z = σ'(z) = a(1 - a): multiply them."],
    why="∂C/∂a · σ'(z) = (a - y)/(a(1 - a)) · a(1 - a) = a - y, and ∂z/∂w_j = x_j, ∂z/∂b = 1: eqs. (61) and (62) "
        "for one example.")

ex2 = Exercise(
    "ex2", check=check_softmax, grade_id="nb08_softmax",
    hints=["Compute e^z for each entry and divide by the sum over the column; then make it safe for z = 1000.",
           "e^(z_j - c) / Σ_k e^(z_k - c) is the same for every constant c; the column's largest entry as c keeps "
           "every exponent at most 0 (np.max with axis=0, keepdims=True)."],
    why="Subtracting the column's maximum leaves softmax unchanged (the factor e^-c cancels) and keeps every e^z "
        "in (0, 1], so nothing overflows; the largest term is 1, so the sum is never 0.")

ex3 = Exercise(
    "ex3", check=check_log_likelihood, grade_id="nb08_log_likelihood",
    hints=["Only one output neuron enters the cost: the one for the right digit.",
           "Take the activation a[y] of that neuron (it is a column, so a[y, 0] or a[y].item()) and its natural "
           "logarithm; mind the sign."],
    why="The book's eq. (80): C = -ln a_y, with a_y the softmax output for the right digit; it is 0 when a_y = 1 "
        "and grows without bound as a_y falls to 0.")


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
