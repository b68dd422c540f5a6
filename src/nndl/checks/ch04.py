"""Checks for notebook 04, Backpropagation: its exercises, predictions and questionnaire.

The learner derives the four equations (``ex1``, graded by hand), codes BP1a and BP2 (``ex2``, ``ex3``), answers
the book's problem and exercises on the equations and the algorithm in words (``ex4``, ``ex5``), codes the matrix
form over a mini-batch (``ex6``) and a gradient check by central differences (``ex7``), which the notebook then uses
on their own backpropagation.
"""

import numpy as np

from ..costs import QuadraticCost
from ..functions import quadratic_cost, sigmoid, sigmoid_prime
from ..network import Network
from . import Exercise, Hint, check, numerical_gradient, without
from .questions import Choice, Number, Written

HADAMARD = "the Hadamard product ⊙ is `*` in NumPy (element by element); `@` is the matrix product"


def _error_of(function, *args):
    """The learner's error vector ``function(*args)`` as floats; a matrix product where ⊙ was meant becomes a hint."""
    try:
        return np.asarray(function(*args), dtype=float)
    except ValueError as e:
        if "matmul" not in str(e):
            raise
        raise Hint(f"NumPy refuses a matrix product `@` in your code, since the shapes do not fit: {HADAMARD}.") from None


OUTPUT_ERRORS = (QuadraticCost.delta, QuadraticCost.output_delta)  # the package's own BP1a: not the answer


@check("Your output error δ^L = ∇_a C ⊙ σ'(z^L) is right (BP1a).")
def check_output_error(output_error):
    rng = np.random.default_rng(1)
    z, y = rng.standard_normal((3, 1)), rng.random((3, 1))
    a = sigmoid(z)
    with without(*OUTPUT_ERRORS):
        delta = _error_of(output_error, a, y, z)
    if delta.shape != (3, 1):
        raise Hint(f"δ^L has one entry per output neuron, shape {z.shape}; yours has shape {delta.shape}.")
    if np.allclose(delta, a - y):
        raise Hint("you have ∇_a C = a - y; BP1a multiplies it, element by element, by σ'(z^L).")
    if np.allclose(delta, (y - a) * sigmoid_prime(z)):
        raise Hint("the sign is flipped: for the quadratic cost ∂C/∂a = a - y, not y - a.")
    if np.allclose(delta, (a - y) * sigmoid_prime(a)):
        raise Hint("you take σ' of a, the activation; BP1a takes σ' of z, the weighted input: σ'(z^L).")
    if np.allclose(delta, (a - y) * sigmoid(z)):
        raise Hint("you multiply by σ(z^L), the activation itself; BP1a multiplies by its derivative σ'(z^L) "
                   "(sigmoid_prime).")
    if not np.allclose(delta, (a - y) * sigmoid_prime(z)):
        raise Hint("compare with BP1a term by term: ∇_a C for the quadratic cost, then ⊙ σ'(z^L), an element-wise product.")


@check("Your hidden-layer error δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l) is right (BP2).")
def check_hidden_error(hidden_error):
    rng = np.random.default_rng(2)
    w_next, delta_next, z = rng.standard_normal((3, 3)), rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
    expected = (w_next.T @ delta_next) * sigmoid_prime(z)
    delta = _error_of(hidden_error, w_next, delta_next, z)
    if np.allclose(delta, (w_next @ delta_next) * sigmoid_prime(z)):
        raise Hint("the error moves backward through the weights: use the transpose (w^{l+1})^T.")
    if np.allclose(delta, w_next.T @ delta_next):
        raise Hint("you forgot the factor σ'(z^l), which moves the error back through the activation function.")
    if np.allclose(delta, (w_next.T @ delta_next) * sigmoid(z)):
        raise Hint("you multiply by σ(z^l), the activation itself; BP2 multiplies by its derivative σ'(z^l) "
                   "(sigmoid_prime).")
    if np.allclose(delta, (w_next.T @ delta_next) * sigmoid_prime(sigmoid(z))):
        raise Hint("you take σ' of σ(z^l), the activation; BP2 takes σ' of z^l, the weighted input you are given.")
    if not np.allclose(delta, expected):
        raise Hint("compare with BP2: ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l).")
    w_wide = rng.standard_normal((2, 4))  # layer l has 4 neurons, layer l + 1 has 2
    delta = _error_of(hidden_error, w_wide, rng.standard_normal((2, 1)), rng.standard_normal((4, 1)))
    if delta.shape != (4, 1):
        raise Hint(f"δ^l has one entry per neuron of layer l, here (4, 1); yours has shape {delta.shape}.")


def _error_with_slope_of_activation(net, X, Y):
    """The errors δ of a two-layer network's layers with a common slip: σ' taken of the activations, not of z."""
    hidden_z = net.weights[0] @ X + net.biases[0]
    output_z = net.weights[1] @ sigmoid(hidden_z) + net.biases[1]
    right_output = (sigmoid(output_z) - Y) * sigmoid_prime(output_z)
    return [(net.weights[1].T @ right_output) * sigmoid_prime(sigmoid(hidden_z)),
            (sigmoid(output_z) - Y) * sigmoid_prime(sigmoid(output_z))]


class _Examples(np.ndarray):
    """A mini-batch that refuses to be taken apart: iterating over it or indexing it raises a ``Hint``.

    ``check_backprop_mini_batch`` hands the learner's function its X and Y as ``_Examples``, so that a
    loop over the examples (``for x in X.T``, ``X[:, j]``, ``X[:, [j]]``) is caught.  Arithmetic on
    them gives plain arrays, which the learner may index freely.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x) if isinstance(x, _Examples) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)

    def _refuse(self, *args):
        raise Hint("your function takes the mini-batch apart, example by example (indexing or iterating over X "
                   "or Y): the exercise asks for matrix operations on all the columns at once, no loop.")

    __iter__ = __getitem__ = _refuse


SHORTCUTS = (Network.backprop, Network.backprop_batch, Network.update_mini_batch, Network.update_mini_batch_per_example)


def _shape_slip(name, array, expected, examples):
    """A hint naming the gradient array ``name`` if its shape is not ``expected``, its parameter's; else None."""
    shape = np.shape(array)
    if shape == expected:
        return None
    said = f"{name} has shape {shape}, where it should be shaped like the parameter it belongs to: {expected}"
    if shape == expected[::-1]:
        return (f"{said}, its transpose. Its rows are for the neurons of the layer the weights lead to, its columns "
                f"for the neurons of the layer before, as in net.weights.")
    if examples in shape:
        return (f"{said}. Yours has a column per example ({examples} here): the gradient is summed over the "
                f"mini-batch's columns, so it has no column per example.")
    if len(shape) == 1:
        return f"{said}. Yours is a 1-D array: keep it a column, as the biases are."
    return f"{said}."


@check("Your mini-batch backpropagation matches the per-example gradients and passes the gradient check.")
def check_backprop_mini_batch(backprop_mini_batch):
    """Check the learner's vectorised gradient against ``Network.backprop`` and finite differences.

    While the learner's function runs, X and Y are ``_Examples`` and the package's backpropagation
    methods raise, so that neither a loop over the examples nor a call to the package passes.
    """
    rng = np.random.default_rng(3)
    net = Network([4, 5, 3], seed=3)
    X, Y = rng.standard_normal((4, 6)), rng.random((3, 6))
    with without(*SHORTCUTS, hint="your function calls the package's {name}: write the matrix form yourself, from "
                                  "net.weights and net.biases, with no loop over the examples."):
        nabla_b, nabla_w = backprop_mini_batch(net, X.view(_Examples), Y.view(_Examples))
    nabla_b, nabla_w = [np.asarray(b) for b in nabla_b], [np.asarray(w) for w in nabla_w]
    if len(nabla_b) != 2 or len(nabla_w) != 2:
        raise Hint(f"return one nabla_b and one nabla_w per layer of biases and weights, two of each for "
                   f"Network([4, 5, 3]); yours are lists of {len(nabla_b)} and {len(nabla_w)}.")
    for name, arrays, parameters in (("nabla_b", nabla_b, net.biases), ("nabla_w", nabla_w, net.weights)):
        for l, (array, parameter) in enumerate(zip(arrays, parameters)):
            slip = _shape_slip(f"{name}[{l}]", array, parameter.shape, examples=6)
            if slip:
                raise Hint(slip)
    per_example = [net.backprop(X[:, [j]], Y[:, [j]]) for j in range(6)]
    summed_b = [sum(g[0][l] for g in per_example) for l in range(2)]
    summed_w = [sum(g[1][l] for g in per_example) for l in range(2)]
    if np.allclose(nabla_w[0], summed_w[0] / 6) or np.allclose(nabla_b[1], summed_b[1] / 6):
        raise Hint("you averaged over the mini-batch; return the sum, as the book's nabla_b and nabla_w are (the update "
                   "divides by m).")
    for l, layer, equation in ((1, "output layer", "BP1a"), (0, "hidden layer", "BP2")):  # as the errors are found
        if not np.allclose(nabla_b[l], summed_b[l]):
            if np.allclose(nabla_b[l], _error_with_slope_of_activation(net, X, Y)[l].sum(axis=1, keepdims=True)):
                raise Hint(f"nabla_b[{l}], and so the error δ of the {layer}, is wrong: your {equation} takes σ' of "
                           f"the activations, where it needs σ' of the weighted inputs z.")
            raise Hint(f"nabla_b[{l}] differs from the sum of the per-example gradients, so the error δ of the {layer} "
                       f"is wrong already (BP3 only sums δ along each row): check your {equation}, column by column.")
        if not np.allclose(nabla_w[l], summed_w[l]):
            raise Hint(f"nabla_w[{l}] differs from the sum of the per-example gradients, though nabla_b[{l}], and so "
                       f"the error δ of the {layer}, is right: with a column per example, BP4's sum over the examples "
                       f"is one matrix product of δ and the previous layer's activations.")

    def total_cost(w):
        saved, net.weights[0] = net.weights[0], w
        try:
            return 6 * quadratic_cost(net.feedforward(X), Y)  # Σ_x C_x
        finally:
            net.weights[0] = saved
    if not np.allclose(nabla_w[0], numerical_gradient(total_cost, net.weights[0].copy()), rtol=1e-5, atol=1e-7):
        raise Hint("your gradient disagrees with the finite-difference gradient check.")


POINT = np.array([[0.5, -1.0, 2.0], [1.5, -0.3, 0.8]])  # where the check and the graded test take the slopes


def _cube_sum(v):
    return float(np.sum(v ** 3))


def _coupled(v):
    return float(np.sum(np.sin(v)) + v[0, 0] * v[1, 2])


def _slopes_of(numerical_gradient_, f, eps):
    """The learner's slopes of ``f`` at a fresh copy of POINT, with the refusals and the hints on x itself."""
    x = POINT.copy()
    with without(numerical_gradient):
        slopes = numerical_gradient_(f, x, eps)
    if not np.allclose(x, POINT, rtol=0, atol=1e-12):
        raise Hint("x has other values after your function than before: put each entry back after nudging it "
                   "(keep its old value and assign it back), or nudge a copy of x.")
    slopes = np.asarray(slopes, dtype=float)
    if slopes.shape != POINT.shape:
        raise Hint(f"return one slope per entry of x, an array of x's shape {POINT.shape}; yours has shape "
                   f"{slopes.shape}.")
    return slopes


@check("Your gradient check takes central differences, one entry at a time, and leaves x as it found it.")
def check_numerical_gradient(numerical_gradient_):
    """Check ``numerical_gradient(f, x, eps)`` on Σ v³, whose differences are known exactly, and on a coupled function.

    For f(v) = Σ v³ each kind of difference has its own exact value (3v² + ε² for the central one),
    so a typical slip is recognised by the numbers it gives.
    """
    v = POINT
    for eps in (1e-3, 1e-2):
        slopes = _slopes_of(numerical_gradient_, _cube_sum, eps)
        central = 3 * v ** 2 + eps ** 2
        if np.allclose(slopes, central, rtol=1e-6, atol=1e-9):
            continue
        slips = [(3 * v ** 2 + 3 * v * eps + eps ** 2, "you take a one-sided difference, (f(x + ε) - f(x)) / ε, like the "
                  "book's eq. (46): its error shrinks only like ε. Evaluate f at x + ε and at x - ε."),
                 (3 * v ** 2 - 3 * v * eps + eps ** 2, "you take a one-sided difference, (f(x) - f(x - ε)) / ε: its error "
                  "shrinks only like ε. Evaluate f at x + ε and at x - ε."),
                 ((3 * v ** 2 + 3 * v * eps + eps ** 2) / 2, "you take a one-sided difference and halve it: evaluate f at "
                  "x + ε and at x - ε."),
                 (2 * central, "your slopes are twice too large: the two points x + ε and x - ε are 2ε apart, and the "
                  "difference of f is divided by that distance."),
                 (central * eps ** 2, "your slopes are far too small: `/ 2 * eps` divides by 2 and then multiplies "
                  "by ε; put the denominator in parentheses."),
                 (central / 2, "your slopes are half as large as they should be: the two points x + ε and x - ε are 2ε "
                  "apart, and the difference of f is divided by that distance."),
                 (-central, "the sign is flipped: subtract f at x - ε from f at x + ε.")]
        for wrong, hint in slips:
            if np.allclose(slopes, wrong, rtol=1e-6, atol=1e-9):
                raise Hint(hint)
        if np.allclose(slopes, 3 * v ** 2, rtol=1e-3):
            raise Hint(f"your slopes do not change as they should with the step: use the eps you are given (here "
                       f"{eps:g}), not a number of your own.")
        raise Hint(f"for f(v) = Σ v³ at step ε = {eps:g} your slopes differ from the central differences: nudge one "
                   "entry at a time, evaluate f at both nudged points, and divide their difference by the distance "
                   "between them.")
    slopes = _slopes_of(numerical_gradient_, _coupled, 1e-5)
    exact = np.cos(v) + np.array([[v[1, 2], 0, 0], [0, 0, v[0, 0]]])
    if not np.allclose(slopes, exact, rtol=1e-6, atol=1e-9):
        raise Hint("for f(v) = Σ sin(v) + v[0, 0] v[1, 2] your slopes are wrong: nudge exactly one entry at a time "
                   "(all the others at their own values), and store its slope at that entry's place.")


ex1 = Written(
    "ex1", grade_id="nb04_four_equations_written",
    hints=["Every step is the chain rule: C depends on z^L_j only through the output activations, on z^l_j only "
           "through the next layer's weighted inputs z^(l+1)_k, and on b^l_j and w^l_jk only through z^l_j.",
           "(a) In Σ_k ∂C/∂a^L_k ∂a^L_k/∂z^L_j only k = j is left, since a^L_k = σ(z^L_k). (b) Write z^(l+1)_k = "
           "Σ_j w^(l+1)_kj σ(z^l_j) + b^(l+1)_k and differentiate it by z^l_j. (c) Differentiate z^l_j = "
           "Σ_k w^l_jk a^(l-1)_k + b^l_j by b^l_j, then by w^l_jk."],
    why="the four equations are the chain rule applied through the one quantity each parameter reaches the cost by: "
        "the weighted inputs; the sums collapse because each activation depends on its own neuron's z only.")

ex2 = Exercise(
    "ex2", check=check_output_error, grade_id="nb04_output_error",
    hints=["Your part (a): the derivative of the cost by each output activation, times σ'(z^L) of the same neuron, "
           "for every neuron at once.",
           "For the quadratic cost ½‖y - a‖², ∂C/∂a = a - y. sigmoid_prime is imported, and `*` multiplies NumPy "
           "arrays element by element."],
    why="BP1a, BP1 for the whole output layer, with ∇_a C = a - y for the quadratic cost (eq. 30); NumPy's `*` is the "
        "Hadamard product ⊙.")

ex3 = Exercise(
    "ex3", check=check_hidden_error, grade_id="nb04_hidden_error",
    hints=["Your part (b): the next layer's errors, weighted by the weights that leave neuron j, summed, then "
           "multiplied by σ'(z^l_j). The sum over the first index of w^(l+1) is a matrix product with its transpose.",
           "In NumPy a matrix's transpose is its attribute `.T`, and `@` is the matrix product; the factor σ'(z^l) "
           "multiplies element by element."],
    why="(w^{l+1})^T δ^{l+1} carries the error back through the weights, and ⊙ σ'(z^l) back through the sigmoid: BP2.")

ex4 = Written(
    "ex4", grade_id="nb04_alternate_presentation_written",
    hints=["Work out the entry j of Σ'(z) v for a vector v: a row of a diagonal matrix has one entry that is not 0.",
           "A diagonal matrix times a vector multiplies each entry by its diagonal entry, which is the Hadamard product "
           "with the diagonal. For (35), substitute eq. (34) for δ^(l+1), then for δ^(l+2), ..., down to eq. (33)."],
    why="a Hadamard product with a vector is the product with the diagonal matrix of that vector, so BP1a and BP2 "
        "become matrix products, and substituting BP2 into itself chains them from the output layer back.")

ex5 = Written(
    "ex5", grade_id="nb04_book_exercises_written",
    hints=["Where does σ enter the algorithm? Only through the activations a = σ(z) of the forward pass and through "
           "σ'(z), the slope of a neuron's own activation function, in BP1 and BP2.",
           "(a) Use f in the forward pass and f' in place of σ' for that one neuron only. (b) Put σ(z) = z in the "
           "forward pass and σ'(z) = 1 in BP1 and BP2."],
    why="σ' enters backpropagation only as ∂a_j/∂z_j, the slope of neuron j's own activation function, so changing "
        "one neuron's function changes its own factor only, and linear neurons drop the factor altogether.")

ex6 = Exercise(
    "ex6", check=check_backprop_mini_batch, grade_id="nb04_backprop_mini_batch",
    hints=["Follow the algorithm's five steps with X in place of x: every weighted input and activation becomes a "
           "matrix with one column per example, and the bias, a column, is added to each column.",
           "BP1a and BP2 act column by column as they are. Summed over the examples, BP3 becomes a sum of δ along "
           "each row (kept as a column), and BP4 one matrix product of δ with the previous activations, transposed."],
    why="it is the per-example algorithm with a column per example: BP1a and BP2 act on each column, and the "
        "sums of BP3 and BP4 over the examples become a row sum and a matrix product.")

ex7 = Exercise(
    "ex7", check=check_numerical_gradient, grade_id="nb04_numerical_gradient",
    hints=["Loop over every position of x (np.ndindex(x.shape) gives them all, for any shape): nudge that one entry "
           "up by ε and evaluate f, nudge it down by ε and evaluate f, then put it back as it was.",
           "Keep the entry's old value in a variable before nudging it, and assign it back afterwards (adding and "
           "subtracting ε leaves rounding errors). The slope is the difference of the two values of f divided by "
           "the distance between the two points, which is 2ε; store it in an array made with np.zeros_like."],
    why="the central difference (f(x + εe_i) - f(x - εe_i)) / 2ε has an error of order ε², where the book's one-sided "
        "eq. (46) has an error of order ε; restoring each entry keeps the other slopes, and the caller's x, right.")

# ----- the predictions (see questions.py): asked before the experiment that shows the outcome ------------------

p1 = Choice(
    "p1", right="a",
    wrong={"b": "an input activation of 0.01 does make the gradient 100 times smaller than with 1; but is that the "
                "largest factor in play? Work out σ'(z) for each of the three neurons too.",
           "c": "at z = 0 the neuron is at its steepest, σ'(0) = 1/4, and its input is 1: neither factor of BP4 is "
                "small, so this weight learns fastest of the three.",
           "d": "BP4 multiplies the input activation by δ, and BP1 puts σ'(z) into δ: the three cases differ by "
                "factors of hundreds."},
    hints=["∂C/∂w = a_in δ (BP4) and δ = (a - y) σ'(z) (BP1): work out both factors in each case.",
           "σ'(0) = 0.25, and σ'(-8) = σ(-8)(1 - σ(-8)) ≈ 0.0003; the error a - y is at most 1 in size."],
    why="∂C/∂w = a_in (a - y) σ'(z): the saturated neuron's σ'(-8) ≈ 0.0003 makes its gradient the smallest, though "
        "its output is as wrong as it can be: a few hundred times smaller than at z = 0, where the small input (0.01) "
        "costs a factor of 100; the neuron at z = 0 with input 1 has neither handicap and learns fastest, and the "
        "three are far from equal.")

p2 = Choice(
    "p2", right="d",
    wrong={"a": "for the large steps yes, like ε²; but f is computed in floating point: what is left of "
                "f(x + ε) - f(x - ε) when ε is tiny, and what does dividing it by 2ε do?",
           "b": "a large ε is the worst: the central difference's own error grows like ε², a parabola through "
                "the two points that misses the slope more and more.",
           "c": "ε matters: take the two errors one at a time, the formula's (secant against tangent) and the "
                "rounding of f's values. How does each change as ε shrinks?"},
    hints=["Two kinds of error: the formula's (how far the secant is from the tangent) and the computer's (f is "
           "rounded to about 16 significant digits). How does each depend on ε?",
           "The formula's error shrinks like ε². The rounding error of f(x + ε) - f(x - ε) is about 10⁻¹⁶ |f| "
           "whatever ε is, and it is divided by 2ε."],
    why="the central difference's error falls like ε² (a factor of 100 per factor of 10 in ε) until the rounding "
        "of f, about 10⁻¹⁶ |f| divided by 2ε, takes over and grows like 1/ε: the smallest error is at a middle ε. "
        "It does not keep falling (rounding), keep rising (the ε² error at large ε), or stay put (the two errors "
        "depend on ε).")

p3 = Choice(
    "p3", right="c",
    wrong={"a": "the backward pass is not free: BP4's products δ^l (a^(l-1))^T have the sizes of the forward pass's "
                "w^l a^(l-1), and the feedforward pass is part of backpropagation too.",
           "b": "backpropagation does not run once per hidden neuron: one backward pass gives the errors of all "
                "the neurons of a layer at once, with BP2.",
           "d": "that is what finite differences would need, two forward passes per weight and bias; "
                "backpropagation gets every partial derivative from one forward and one backward pass."},
    hints=["Count the large matrix products: one per layer forward; and backward?",
           "Backward: BP4's δ^l (a^(l-1))^T per layer, of the same sizes as the forward products, and BP2 once, with "
           "the small 10 × 30 matrix. NumPy's overheads add a little."],
    why="the backward pass costs about as much as the forward pass (BP4's products have the forward products' "
        "sizes), so forward + backward is a small multiple of one forward pass, far from 30 (one pass per neuron) "
        "or 47,720 (finite differences), and more than 1 since the backward pass is not free.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="d",
    wrong={"a": "the error is the derivative with respect to the weighted input z, not the activation a; the book "
                "notes that a would work too, with messier algebra.",
           "b": "that is the gradient BP4 gives, computed from δ.",
           "c": "y - a is part of ∇_a C for the quadratic cost, not the error δ."},
    hints=["Eq. (29).", "How much the cost changes when the neuron's weighted input changes."],
    why="δ^l_j ≡ ∂C/∂z^l_j (eq. 29); ∂C/∂a^l_j is the other choice the book mentions, ∂C/∂w is BP4's result, and "
        "y - a appears only inside ∇_a C.")

q2 = Choice(
    "q2", right="b",
    wrong={"a": "BP1 gives the error of the output layer.", "c": "BP3 turns δ into the gradient for the biases.",
           "d": "BP4 turns δ into the gradient for the weights."},
    hints=["Which equation has δ^{l+1} on its right-hand side?", "It uses the transposed weights."],
    why="BP2: δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l); BP1 starts at the output layer, and BP3 and BP4 turn errors into "
        "gradients without moving them.")

q3 = Number(
    "q3", 0.1,
    slips=[(0.7, "BP4 multiplies a^{l-1}_k by δ^l_j, it does not add them."),
           (0.2, "that is ∂C/∂b^l_j (BP3); BP4 multiplies by the input activation too.")],
    hints=["BP4.", "∂C/∂w^l_jk = a^{l-1}_k δ^l_j."],
    why="∂C/∂w = a_in δ_out = 0.5 · 0.2 = 0.1 (BP4).")

q4 = Choice(
    "q4", right="c",
    wrong={"a": "the shapes would not even match for layers of different sizes: (w^{l+1})^T is n_l × n_{l+1}.",
           "b": "the transpose is exact, not an approximation to an inverse.",
           "d": "σ' enters as the Hadamard product ⊙, not through the transpose."},
    hints=["w^{l+1}_jk connects neuron k of layer l to neuron j of layer l + 1.",
           "Neuron k of layer l feeds every neuron j of layer l + 1: sum over j."],
    why="neuron k's error collects Σ_j w^{l+1}_jk δ^{l+1}_j over the neurons it feeds, and that sum over the first "
        "index is the product with the transpose; it is no convention (the shapes need it), no approximation, "
        "and σ' comes in through ⊙.")

q5 = Number(
    "q5", 47720.0,
    slips=[(23860.0, "central differences need two passes per weight or bias: one at +ε and one at -ε."),
           (2.0, "that is the number per weight or bias; there are 23,860 of them.")],
    hints=["How many weights and biases has [784, 30, 10]? (Notebook 02's questionnaire.)",
           "Two forward passes for each of them."],
    why="2 × 23,860 = 47,720 forward passes, against one forward and one backward pass for backpropagation.")
