"""Checks for notebook 04, Backpropagation."""
import contextlib

import numpy as np

from ..functions import quadratic_cost, sigmoid, sigmoid_prime
from ..network import Network
from . import Exercise, Hint, check, numerical_gradient
from .questions import Choice, Number, Written


@check("Your output error δ^L = ∇_a C ⊙ σ'(z^L) is right (BP1).")
def check_output_error(output_error):
    rng = np.random.default_rng(1)
    z, y = rng.standard_normal((3, 1)), rng.random((3, 1))
    a = sigmoid(z)
    delta = np.asarray(output_error(a, y, z), dtype=float)
    if delta.shape != (3, 1):
        raise Hint(f"δ^L has one entry per output neuron, shape {z.shape}; yours has shape {delta.shape}.")
    if np.allclose(delta, a - y):
        raise Hint("you have ∇_a C = a - y; BP1 multiplies it, element by element, by σ'(z^L).")
    if np.allclose(delta, (y - a) * sigmoid_prime(z)):
        raise Hint("the sign is flipped: for the quadratic cost ∂C/∂a = a - y, not y - a.")
    if not np.allclose(delta, (a - y) * sigmoid_prime(z)):
        raise Hint("compare with BP1 term by term: ∇_a C for the quadratic cost, then ⊙ σ'(z^L), an element-wise product.")


@check("Your hidden-layer error δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l) is right (BP2).")
def check_hidden_error(hidden_error):
    rng = np.random.default_rng(2)
    w_next, delta_next, z = rng.standard_normal((3, 3)), rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
    expected = (w_next.T @ delta_next) * sigmoid_prime(z)
    delta = np.asarray(hidden_error(w_next, delta_next, z), dtype=float)
    if np.allclose(delta, (w_next @ delta_next) * sigmoid_prime(z)):
        raise Hint("the error moves *backward* through the weights: use the transpose (w^{l+1})^T.")
    if np.allclose(delta, w_next.T @ delta_next):
        raise Hint("you forgot the factor σ'(z^l), which moves the error back through the activation function.")
    if not np.allclose(delta, expected):
        raise Hint("compare with BP2: ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l).")
    w_wide = rng.standard_normal((2, 4))  # layer l has 4 neurons, layer l + 1 has 2
    delta = np.asarray(hidden_error(w_wide, rng.standard_normal((2, 1)), rng.standard_normal((4, 1))), dtype=float)
    if delta.shape != (4, 1):
        raise Hint(f"δ^l has one entry per neuron of layer l, here (4, 1); yours has shape {delta.shape}.")


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


_SHORTCUTS = ("backprop", "backprop_batch", "update_mini_batch", "update_mini_batch_per_example")


@contextlib.contextmanager
def _without_shortcuts(cls):
    """Make the package's own backpropagation methods of ``cls`` raise a ``Hint`` while the check runs."""
    saved = {name: vars(cls)[name] for name in _SHORTCUTS if name in vars(cls)}

    def refuse(name):
        def shortcut(*args, **kwargs):
            raise Hint(f"your function calls the package's {name}: write the matrix form yourself, from "
                       f"net.weights and net.biases, with no loop over the examples.")
        return shortcut
    for name in saved:
        setattr(cls, name, refuse(name))
    try:
        yield
    finally:
        for name, method in saved.items():
            setattr(cls, name, method)


@check("Your mini-batch backpropagation matches the per-example gradients and passes the gradient check.")
def check_backprop_mini_batch(backprop_mini_batch):
    """Check the learner's vectorised gradient against ``Network.backprop`` and finite differences.

    While the learner's function runs, X and Y are ``_Examples`` and the package's backpropagation
    methods raise, so that neither a loop over the examples nor a call to the package passes.
    """
    rng = np.random.default_rng(3)
    net = Network([4, 5, 3], seed=3)
    X, Y = rng.standard_normal((4, 6)), rng.random((3, 6))
    with _without_shortcuts(Network):
        nabla_b, nabla_w = backprop_mini_batch(net, X.view(_Examples), Y.view(_Examples))
    nabla_b, nabla_w = [np.asarray(b) for b in nabla_b], [np.asarray(w) for w in nabla_w]
    if [np.shape(b) for b in nabla_b] != [b.shape for b in net.biases] or \
            [np.shape(w) for w in nabla_w] != [w.shape for w in net.weights]:
        raise Hint("return (nabla_b, nabla_w) as lists shaped like net.biases and net.weights: the gradient is "
                   "summed over the mini-batch's columns, so it has no column per example.")
    per_example = [net.backprop(X[:, [j]], Y[:, [j]]) for j in range(6)]
    summed_w = [sum(g[1][l] for g in per_example) for l in range(2)]
    if np.allclose(nabla_w[0], summed_w[0] / 6):
        raise Hint("you averaged over the mini-batch; return the sum, as the book's nabla_w does (the update divides by m).")
    for l in range(2):
        if not np.allclose(nabla_w[l], summed_w[l]):
            raise Hint(f"nabla_w[{l}] differs from the sum of the per-example gradients: with a column per "
                       f"example, BP4's sum over the examples is one matrix product of δ and the previous activations.")
        if not np.allclose(nabla_b[l], sum(g[0][l] for g in per_example)):
            raise Hint(f"nabla_b[{l}] differs: BP3 summed over the examples is δ summed along each row, kept as a column.")

    def total_cost(w):
        saved, net.weights[0] = net.weights[0], w
        try:
            return 6 * quadratic_cost(net.feedforward(X), Y)  # Σ_x C_x
        finally:
            net.weights[0] = saved
    if not np.allclose(nabla_w[0], numerical_gradient(total_cost, net.weights[0].copy()), rtol=1e-5, atol=1e-7):
        raise Hint("your gradient disagrees with the finite-difference gradient check.")


def _forward(net, x):
    """The weighted inputs and activations of every layer for the input column ``x`` (eq. 25)."""
    zs, activations = [], [x]
    for b, w in zip(net.biases, net.weights):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    return zs, activations


@check("Your layer gradients are BP3 and BP4: they agree with finite differences in every layer.")
def check_layer_gradients(layer_gradients):
    """Check ``layer_gradients(delta, a_prev) -> (nabla_b, nabla_w)`` against finite differences, layer by layer."""
    rng = np.random.default_rng(4)
    net = Network([3, 4, 2], seed=4)
    x, y = rng.random((3, 1)), np.array([[1.0], [0.0]])
    zs, activations = _forward(net, x)
    deltas = [(activations[-1] - y) * sigmoid_prime(zs[-1])]                # (BP1)
    deltas.insert(0, (net.weights[1].T @ deltas[0]) * sigmoid_prime(zs[0]))  # (BP2)
    for layer in (1, 0):  # the output layer first, then the hidden layer
        n_out, n_in = net.weights[layer].shape
        try:
            nabla_b, nabla_w = layer_gradients(deltas[layer], activations[layer])
        except ValueError as e:
            if "broadcast" not in str(e):
                raise
            raise Hint(f"NumPy cannot multiply a ({n_out}, 1) column by a ({n_in}, 1) column element by element: "
                       f"∂C/∂w^l_jk needs every pair (j, k), a matrix of shape ({n_out}, {n_in}).") from None
        nabla_b, nabla_w = np.asarray(nabla_b, dtype=float), np.asarray(nabla_w, dtype=float)
        if nabla_w.shape == (n_in, n_out) and n_in != n_out:
            raise Hint(f"your nabla_w has shape {nabla_w.shape}, the transpose of the weights' ({n_out}, {n_in}): "
                       f"row j belongs to neuron j of layer l, column k to neuron k of layer l - 1.")
        if nabla_b.shape != (n_out, 1) or nabla_w.shape != (n_out, n_in):
            raise Hint(f"return nabla_b shaped like the layer's biases, ({n_out}, 1), and nabla_w like its weights, "
                       f"({n_out}, {n_in}); yours have shapes {nabla_b.shape} and {nabla_w.shape}.")

        def cost(parameter, which):
            saved, getattr(net, which)[layer] = getattr(net, which)[layer], parameter
            try:
                return quadratic_cost(net.feedforward(x), y)
            finally:
                getattr(net, which)[layer] = saved
        numeric_b = numerical_gradient(lambda b: cost(b, "biases"), net.biases[layer].copy())
        numeric_w = numerical_gradient(lambda w: cost(w, "weights"), net.weights[layer].copy())
        name = "output" if layer == 1 else "hidden"
        if not np.allclose(nabla_b, numeric_b, atol=1e-7):
            raise Hint(f"nabla_b of the {name} layer disagrees with finite differences: the bias enters z^l_j with "
                       f"the factor 1, so the chain rule leaves just one factor.")
        if not np.allclose(nabla_w, numeric_w, atol=1e-7):
            raise Hint(f"nabla_w of the {name} layer disagrees with finite differences: w^l_jk enters z^l_j "
                       f"multiplied by a^(l-1)_k, so ∂C/∂w^l_jk is the product of two factors, one from each layer.")


ex1 = Exercise(
    "ex1", check=check_output_error, grade_id="nb04_output_error",
    hints=["BP1: the gradient of the cost with respect to the output activations, multiplied element by element "
           "by σ'(z^L).",
           "For the quadratic cost ½‖y - a‖², ∂C/∂a = a - y. sigmoid_prime is imported, and `*` multiplies NumPy "
           "arrays element by element."],
    why="BP1 with ∇_a C = a - y for the quadratic cost; NumPy's `*` is the Hadamard product ⊙.")

ex2 = Exercise(
    "ex2", check=check_hidden_error, grade_id="nb04_hidden_error",
    hints=["BP2 moves the next layer's error back through that layer's weights, transposed, and then through "
           "the derivative of the activation function.",
           "In NumPy a matrix's transpose is its attribute `.T`, and `@` is the matrix product; the factor σ'(z^l) "
           "multiplies element by element."],
    why="(w^{l+1})^T δ^{l+1} carries the error back through the weights, and ⊙ σ'(z^l) back through the sigmoid: BP2.")

ex3 = Exercise(
    "ex3", check=check_backprop_mini_batch, grade_id="nb04_backprop_mini_batch",
    hints=["Follow Network.backprop (printed above), with X in place of x: every weighted input and activation "
           "becomes a matrix with one column per example, and the bias, a column, is added to each column.",
           "BP1 and BP2 act column by column as they are. Summed over the examples, BP3 becomes a sum of δ along "
           "each row (kept as a column), and BP4 one matrix product of δ with the previous activations, transposed."],
    why="it is the per-example algorithm with a column per example: BP1 and BP2 act on each column, and the "
        "sums of BP3 and BP4 over the examples become a row sum and a matrix product.")


ex4 = Exercise(
    "ex4", check=check_layer_gradients, grade_id="nb04_layer_gradients",
    hints=["With the chain rule, ∂C/∂b^l_j = δ^l_j · ∂z^l_j/∂b^l_j and ∂C/∂w^l_jk = δ^l_j · ∂z^l_j/∂w^l_jk: "
           "differentiate z^l_j = Σ_k w^l_jk a^(l-1)_k + b^l_j.",
           "∂z/∂b is 1, and ∂z/∂w_jk is a^(l-1)_k. For all j and k at once: a column (n_l, 1) times a row "
           "(1, n_(l-1)), i.e. the second array transposed, with the matrix product @."],
    why="BP3: ∂z^l_j/∂b^l_j = 1, so the bias gradient is δ^l itself; BP4: ∂z^l_j/∂w^l_jk = a^(l-1)_k, and the "
        "matrix of all products δ^l_j a^(l-1)_k is the outer product δ^l (a^(l-1))^T.")

ex5 = Exercise(
    "ex5",
    hints=["Only one neuron changed: which factors in BP1 and BP2 belong to that neuron?",
           "σ'(z) appears in BP1 and BP2 as the derivative of the activation function of the neuron in question."],
    answer="Run the algorithm as before; wherever the modified neuron's own σ'(z_j) appears, use f'(z_j) instead: in "
           "BP1 if it is an output neuron, δ^L_j = ∂C/∂a^L_j f'(z^L_j); in BP2 if it is a hidden neuron, δ^l_j = "
           "((w^{l+1})^T δ^{l+1})_j f'(z^l_j). The feedforward pass uses f(z_j) for its activation. Every other "
           "neuron keeps σ'; BP3 and BP4 do not change, and errors flowing back through the neuron use its f'.",
    why="σ' enters backpropagation only as ∂a_j/∂z_j, the derivative of neuron j's own activation function.")

ex6 = Exercise(
    "ex6",
    hints=["For σ(z) = z, what is σ'(z)?", "Put σ'(z) = 1 into BP1 and BP2: the Hadamard products disappear."],
    answer="With σ(z) = z every σ'(z) is 1: δ^L = ∇_a C (for the quadratic cost, a^L - y), and δ^l = (w^{l+1})^T "
           "δ^{l+1}, so δ^l = (w^{l+1})^T ... (w^L)^T ∇_a C; BP3 and BP4 are unchanged. The feedforward pass is a "
           "product of matrices too: such a network computes only an affine function of its input.",
    why="the only place the activation function enters BP1 and BP2 is the factor σ'(z), which is 1 everywhere.")

ex7 = Exercise(
    "ex7",
    hints=["A diagonal matrix times a vector multiplies each entry by the matching diagonal entry.",
           "Σ'(z) v = σ'(z) ⊙ v for any vector v; apply that to BP1 and BP2, then substitute BP2 into itself."],
    answer="Σ'(z^L) ∇_a C has entries σ'(z^L_j) (∇_a C)_j, which is BP1's ∇_a C ⊙ σ'(z^L); likewise "
           "Σ'(z^l) (w^{l+1})^T δ^{l+1} is BP2. Substituting BP2 repeatedly: δ^l = Σ'(z^l) (w^{l+1})^T Σ'(z^{l+1}) "
           "(w^{l+2})^T ... Σ'(z^{L-1}) (w^L)^T Σ'(z^L) ∇_a C.",
    why="a diagonal matrix acting on a vector is the element-wise product with its diagonal.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="a",
    wrong={"b": "the error is the derivative with respect to the weighted input z, not the activation a.",
           "c": "that is the gradient BP4 gives, computed from δ.",
           "d": "y - a is part of ∇_a C for the quadratic cost, not the error δ."},
    hints=["Eq. (29).", "How much the cost changes when the neuron's weighted input changes."],
    why="δ^l_j ≡ ∂C/∂z^l_j (eq. 29).")

q2 = Choice(
    "q2", right="b",
    wrong={"a": "BP1 gives the error of the output layer.", "c": "BP3 turns δ into the gradient for the biases.",
           "d": "BP4 turns δ into the gradient for the weights."},
    hints=["Which equation has δ^{l+1} on its right-hand side?", "It uses the transposed weights."],
    why="BP2: δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l).")

q3 = Number(
    "q3", 0.1,
    slips=[(0.7, "BP4 multiplies a^{l-1}_k by δ^l_j, it does not add them."),
           (0.2, "that is ∂C/∂b^l_j (BP3); BP4 multiplies by the input activation too.")],
    hints=["BP4.", "∂C/∂w^l_jk = a^{l-1}_k δ^l_j."],
    why="∂C/∂w = a_in δ_out = 0.5 · 0.2 = 0.1 (BP4).")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "the size of the weight itself does not appear in BP4's gradient for that weight.",
           "c": "a large cost with a large δ makes weights learn fast, not slowly.",
           "d": "BP4 shows two factors that can make the gradient small."},
    hints=["Look at the two factors of BP4.", "What makes δ^l_j small? σ'(z) in BP1 and BP2."],
    why="∂C/∂w = a_in δ_out: it is small when the input activation a_in is near 0, or when the neuron is saturated, "
        "σ'(z) ≈ 0 in BP1/BP2, making δ small. The book: such weights learn slowly.")

q5 = Number(
    "q5", 47720.0,
    slips=[(23860.0, "central differences need two passes per weight or bias: one at +ε and one at -ε."),
           (2.0, "that is the number per weight or bias; there are 23,860 of them.")],
    hints=["How many weights and biases has [784, 30, 10]? (Notebook 02's questionnaire.)",
           "Two forward passes for each of them."],
    why="2 × 23,860 = 47,720 forward passes, against one forward and one backward pass for backpropagation.")

q6 = Choice(
    "q6", right="a",
    wrong={"b": "the shapes would not even match for a layer of a different size: (w^{l+1})^T is n_l × n_{l+1}.",
           "c": "the transpose is exact, not an approximation.",
           "d": "σ' enters as the Hadamard product ⊙, not through the transpose."},
    hints=["w^{l+1}_jk connects neuron k of layer l to neuron j of layer l + 1.",
           "Neuron k of layer l feeds every neuron j of layer l + 1: sum over j."],
    why="neuron k's error collects Σ_j w^{l+1}_jk δ^{l+1}_j over the neurons it feeds, and that sum over the first "
        "index is the product with the transpose.")

q7 = Written(
    "q7",
    answer="A good answer says that the equations keep their form with one column per example; BP1 and BP2 act "
           "column by column; BP3's and BP4's sums over the examples become a row sum and one matrix product; the "
           "arithmetic is the same, but far fewer NumPy calls, each on larger arrays, make it many times faster.",
    hints=["What happens to a, z and δ when x becomes a matrix X?", "Where did the speed-up come from?"],
    why="it is the matrix form of this notebook, and the timing that compared it with the per-example loop.")
