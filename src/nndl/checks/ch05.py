"""Checks for notebook 05, Writing the network yourself.

The learner writes the methods of a class ``MyNetwork`` one by one.  Each
check builds a small ``MyNetwork``, gives the package's ``Network`` the same
weights, and compares: the same outputs, the same count, the same gradient
(and a finite-difference estimate of it), the same weights after a few
updates.  While the learner's code runs, ``no_shortcuts(method)`` makes the
package functions that would do that method's work refuse to run: their code
is swapped (``grading.forbidden``), so a reference saved before the check
refuses too.  Where the method under check calls another one (``evaluate``
calls ``feedforward``, ``update_mini_batch`` calls ``backprop``, ``SGD`` calls
``update_mini_batch`` and ``evaluate``), the check gives the instance the
package's version or a recorder, so an exercise can be checked before the
others are done.

``with_fallbacks(MyNetwork)`` is what the notebook trains: the learner's
class, with each method that does not pass its check yet replaced by the
package's, a line saying so, and the replaced names in ``stand_ins``.
"""
import contextlib
import inspect
import io
import math
import textwrap

import numpy as np

from ..functions import sigmoid, sigmoid_prime
from ..network import Network
from ..teach import grading
from . import _MARKER, Exercise, Hint, check, numerical_gradient, without
from .questions import Choice, Number


def mistaken_backprop(net, x, y, mistake=None):
    """The gradient ``(nabla_b, nabla_w)`` of C_x by BP1-BP4 with one typical ``mistake``, one of MISTAKES.

    The check compares a learner's wrong gradient with these to say which
    mistake it is; notebook 05 runs one of them in its Prediction 1.
    ``mistake=None`` makes none (the same gradient as ``Network.backprop``).
    """
    activations, zs = [x], []
    for b, w in zip(net.biases, net.weights):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))

    def slope(l):  # σ'(z) of layer l (0 is the first after the input, -1 the output), or the slip σ'(a)
        return sigmoid_prime(activations[1:][l] if mistake == "slope of a" else zs[l])

    error = activations[-1] - y
    delta = error if mistake == "BP1 without σ'" else error * slope(-1)
    n = len(net.weights)
    nabla_b, nabla_w = [None] * n, [None] * n
    for l in range(n - 1, -1, -1):  # from the output layer back to the first
        if l < n - 1:
            w = net.weights[l + 1]
            back = (w if mistake == "BP2 without transpose" else w.T) @ delta
            delta = back if mistake == "BP2 without σ'" else back * slope(l)
        nabla_b[l] = delta
        nabla_w[l] = activations[l] @ delta.T if mistake == "BP4 transposed" else delta @ activations[l].T
    return nabla_b, nabla_w


MISTAKES = {
    "BP1 without σ'": "the output layer's error δ^L lacks a factor: BP1 multiplies ∇_a C by σ'(z^L), elementwise.",
    "BP2 without transpose": "BP2 carries δ^{l+1} back through the transposed weight matrix (w^{l+1})ᵀ: w^{l+1} "
                             "itself maps layer l to layer l+1, its transpose maps back.",
    "BP2 without σ'": "the hidden layers' errors lack a factor: BP2 multiplies (w^{l+1})ᵀ δ^{l+1} by σ'(z^l), "
                      "elementwise.",
    "slope of a": "σ' is taken of the activation a; BP1 and BP2 need σ'(z), of the weighted input z.",
    "BP4 transposed": "nabla_w comes out transposed: BP4's ∂C/∂w_jk = a_k^{l-1} δ_j^l has row j (this layer's "
                  "neuron) and column k (the layer before), which is δ (a^{l-1})ᵀ, not a (δ)ᵀ.",
}


def finite_difference_gradient(net, x, y):
    """``(nabla_b, nabla_w)`` of C_x = ½‖a - y‖² estimated by central differences (``numerical_gradient``).

    Independent of backpropagation: it only runs the network forwards, on a
    copy of ``net``'s weights with one entry moved by ±ε at a time.
    """
    reference = twin(net)

    def cost():
        return 0.5 * float(np.sum((Network.feedforward(reference, x) - y) ** 2))

    def estimate(arrays):
        gradients = []
        for l, array in enumerate(arrays):
            def cost_at(value, l=l):
                arrays[l] = value
                return cost()
            gradients.append(numerical_gradient(cost_at, array.copy()))
            arrays[l] = array
        return gradients

    return estimate(reference.biases), estimate(reference.weights)


def shortcuts(method):
    """The package functions that would do ``method``'s work, or that the check's stand-ins do not need."""
    stand_in = {"evaluate": Network.feedforward, "update_mini_batch": Network.backprop}.get(method)
    package = (Network.feedforward, Network.predict, Network.evaluate, Network.backprop, Network.backprop_batch,
               Network.update_mini_batch, Network.update_mini_batch_per_example, Network.SGD,
               mistaken_backprop, finite_difference_gradient, numerical_gradient)
    return tuple(f for f in package if f is not stand_in)


def no_shortcuts(method):
    """Within this block the functions ``shortcuts(method)`` raise: a call to them becomes a hint naming it."""
    return without(*shortcuts(method), hint="your code calls the package's {name}: the point is to write it "
                   "yourself, from the equations (the package's functions refuse to run during the check).")


def has_method(MyNetwork, name, exercise):
    """Say so when ``MyNetwork`` lacks ``name``: the class cell was run again after the exercise added it."""
    if not callable(getattr(MyNetwork, name, None)):
        raise Hint(f"MyNetwork has no method {name}. Running the `class MyNetwork` cell again makes a new class, "
                   "without the methods the exercise cells added to the old one: run the exercise cells below it again, "
                   f"down to {exercise}.")


def twin(net):
    """A package ``Network`` with copies of ``net``'s weights and biases: the independent reference."""
    reference = Network(net.sizes)
    reference.weights = [np.array(w, dtype=float) for w in net.weights]
    reference.biases = [np.array(b, dtype=float) for b in net.biases]
    return reference


def _same(mine, reference):
    return len(mine) == len(reference) and all(
        np.shape(m) == np.shape(r) and np.allclose(m, r, rtol=1e-8, atol=1e-10) for m, r in zip(mine, reference))


def _column_pairs(rng, n, n_in, n_out):
    return [(rng.standard_normal((n_in, 1)), rng.random((n_out, 1))) for _ in range(n)]


# ----- Exercise 1: feedforward ---------------------------------------------------------------------

@check("Your feedforward gives the same output as nndl.Network, layer after layer (eq. 22).")
def check_feedforward(MyNetwork):
    has_method(MyNetwork, "feedforward", "Exercise 1")
    net = MyNetwork([4, 5, 3], seed=1)
    reference = twin(net)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 1))
    expected = reference.feedforward(x)
    with no_shortcuts("feedforward"):
        try:
            output = net.feedforward(x)
        except ValueError as e:
            if "matmul" in str(e) or "broadcast" in str(e) or "aligned" in str(e):
                raise Hint(f"the shapes do not fit ({e}). w of a layer has one row per neuron of that layer and "
                           "one column per neuron of the layer before: multiply w by the column a, "
                           "as a matrix product.") from None
            raise
    output = np.asarray(output, dtype=float)
    first_layer = sigmoid(reference.weights[0] @ x + reference.biases[0])
    if output.shape == first_layer.shape and np.allclose(output, first_layer):
        raise Hint("your output is the first layer's: let the loop run over every layer, and return after it.")
    if output.shape != expected.shape:
        raise Hint(f"for one input column the output is a column with one entry per output neuron, shape "
                   f"{expected.shape}; yours has shape {output.shape}.")
    last_z = reference.weights[1] @ first_layer + reference.biases[1]
    if np.allclose(output, last_z):
        raise Hint("your output is the last layer's weighted input z: apply σ to it, in every layer.")
    no_bias = x
    for w in reference.weights:
        no_bias = sigmoid(w @ no_bias)
    if np.allclose(output, no_bias):
        raise Hint("the bias is missing: each layer computes σ(w a + b).")
    if not np.allclose(output, expected):
        raise Hint("your output differs from nndl.Network's for the same weights: each layer takes the previous "
                   "layer's output a and computes σ(w a + b), and the last layer's a is the answer.")
    with no_shortcuts("feedforward"):
        second = net.feedforward(2 * x)
    if not np.allclose(second, reference.feedforward(2 * x)):
        raise Hint("a second input gives a different output from nndl.Network's: does feedforward depend on an "
                   "earlier call, or change the weights?")
    if not (_same(net.weights, reference.weights) and _same(net.biases, reference.biases)):
        raise Hint("feedforward changed the network's weights or biases: it should only read them.")


# ----- Exercise 2: evaluate ------------------------------------------------------------------------

def _with_package_feedforward(net):
    """Give the instance ``net`` the package's feedforward, so that evaluate is checked on its own."""
    net.feedforward = lambda a: twin(net).feedforward(a)
    return net


@check("Your evaluate counts the test inputs whose most active output neuron is the right digit, as nndl.Network does.")
def check_evaluate(MyNetwork):
    has_method(MyNetwork, "evaluate", "Exercise 2")
    net = _with_package_feedforward(MyNetwork([4, 6, 3], seed=4))  # a seed whose network answers 0, 1 and 2
    rng = np.random.default_rng(4)
    xs = [rng.standard_normal((4, 1)) for _ in range(12)]
    guesses = [int(np.argmax(twin(net).feedforward(x))) for x in xs]
    labels = guesses[:7] + [(g + 1) % 3 for g in guesses[7:]]  # right for 7 of the 12
    test_data = list(zip(xs, labels))
    expected = twin(net).evaluate(test_data)
    with no_shortcuts("evaluate"):
        count = net.evaluate(test_data)
    if isinstance(count, (list, tuple, np.ndarray)) and np.ndim(count) > 0:
        raise Hint(f"evaluate returned {type(count).__name__} of {np.size(count)} values: return one number, "
                   "how many test inputs the network gets right.")
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer, float, np.floating)):
        raise Hint(f"evaluate returned {count!r} ({type(count).__name__}): return the number of test inputs "
                   "the network gets right, an int.")
    if math.isclose(count, expected / len(test_data)):
        raise Hint("you returned the fraction that is right; the book's evaluate returns the count "
                   "(SGD prints it as 'count / total').")
    if count == len(test_data) - expected:
        raise Hint("you counted the mistakes: count the test inputs where the network's answer equals the label.")
    if count == sum(g == 0 for g in guesses):  # np.argmax(y) of an int y is always 0
        raise Hint("in test_data each y is the digit itself, an int, not a one-hot column: compare the "
                   "network's answer with y directly.")
    if count != expected:
        raise Hint(f"you counted {count} of 12 right, nndl.Network counts {expected}: the network's answer for "
                   "an input is the index of the output neuron with the highest activation.")


# ----- Exercise 3: backprop -----------------------------------------------------------------------

def _layer(l, n):
    """The book's name of the layer with weights[l], in a network of n weight matrices (the input is layer 1)."""
    return "the output layer" if l == n - 1 else f"layer {l + 2}"


def _as_gradient(result, net):
    """The learner's ``(nabla_b, nabla_w)`` as two lists of arrays shaped like the biases and weights, or a Hint."""
    n = len(net.weights)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise Hint(f"backprop returned {type(result).__name__}: return the pair (nabla_b, nabla_w), two lists.")
    for name, arrays, like, kind in (("nabla_b", result[0], net.biases, "biases"),
                                     ("nabla_w", result[1], net.weights, "weights")):
        if not isinstance(arrays, (list, tuple)) or len(arrays) != n:
            size = f" of {len(arrays)}" if isinstance(arrays, (list, tuple)) else ""
            raise Hint(f"{name} should be a list of {n} arrays, one per layer after the input, like self.{kind}; "
                       f"yours is a {type(arrays).__name__}{size}.")
        for l, (array, shape) in enumerate(zip(arrays, like)):
            if array is None or (np.shape(array) == np.shape(shape) and not np.any(array)):
                where = ("the last layer, the output layer: BP3 and BP4 give its gradient from δ^L itself"
                         if l == n - 1 else f"{_layer(l, n)}: carry δ back (BP2) through every layer down to the "
                                            "first one after the input")
                raise Hint(f"{name}[{l}] is {'None' if array is None else 'all zeros'}, the gradient of {where}.")
    return [np.asarray(a, dtype=float) for a in result[0]], [np.asarray(a, dtype=float) for a in result[1]]


def _agrees(mine, reference):
    """The rule the graded test applies: every entry within grading.close's tolerance."""
    return all(np.shape(m) == np.shape(r) and grading.close(m, r, "gradient") for m, r in zip(mine, reference))


def _name_the_mistake(net, x, y, nabla_b, nabla_w):
    """A Hint naming the typical mistake the learner's gradient matches, if any."""
    right_b, right_w = Network.backprop(twin(net), x, y)
    if _agrees(nabla_b, [-b for b in right_b]) and _agrees(nabla_w, [-w for w in right_w]):
        raise Hint("the gradient has the wrong sign: ∇_a C = a - y (self.cost_derivative), and BP1 to BP4 add no "
                   "minus sign; the step of gradient descent subtracts it later.")
    for mistake, hint in MISTAKES.items():
        try:
            wrong_b, wrong_w = mistaken_backprop(twin(net), x, y, mistake)
        except ValueError:  # a mistake these layers' shapes cannot even run (BP2 without transpose, unless square)
            continue
        if _agrees(nabla_b, wrong_b) and _agrees(nabla_w, wrong_w):
            raise Hint(hint)


@check("Your backprop gives nndl.Network's gradient, and a finite-difference estimate of every ∂C/∂w and ∂C/∂b "
       "agrees with it (BP1 to BP4).")
def check_backprop(MyNetwork):
    has_method(MyNetwork, "backprop", "Exercise 3")
    rng = np.random.default_rng(5)
    # Square layers first: there a matrix used untransposed gives wrong numbers rather than a shape error, so the
    # mistake can be named. Then layers of different sizes, four of them.
    for sizes in ([3, 3, 3, 3], [4, 5, 3, 2]):
        net = MyNetwork(sizes, seed=5)
        x, y = rng.standard_normal((sizes[0], 1)), rng.random((sizes[-1], 1))
        weights = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
        with no_shortcuts("backprop"):
            try:
                result = net.backprop(x, y)
            except ValueError as e:
                if "matmul" in str(e) or "broadcast" in str(e) or "aligned" in str(e):
                    raise Hint(f"the shapes do not fit ({e}). δ^l is a column with one entry per neuron of layer l; "
                               "w^{l+1} has one row per neuron of layer l+1 and one column per neuron of layer l. "
                               "Which product turns δ^{l+1} into a column for layer l?") from None
                raise
        if not _same(net.weights + net.biases, weights):
            raise Hint("backprop changed the network's weights or biases: it should only read them.")
        nabla_b, nabla_w = _as_gradient(result, net)
        right_b, right_w = Network.backprop(twin(net), x, y)
        if _agrees(nabla_b, right_b) and _agrees(nabla_w, right_w):
            continue
        _name_the_mistake(net, x, y, nabla_b, nabla_w)
        estimate_b, estimate_w = finite_difference_gradient(net, x, y)
        n = len(sizes) - 1
        wrong = [_layer(l, n) for l in range(n) if not (_agrees([nabla_b[l]], [estimate_b[l]])
                                                        and _agrees([nabla_w[l]], [estimate_w[l]]))]
        right = [_layer(l, n) for l in range(n) if _layer(l, n) not in wrong]
        raise Hint(f"a finite-difference estimate of the gradient (notebook 04's gradient check) disagrees with yours "
                   f"for {', '.join(wrong)}" + (f" and agrees for {', '.join(right)}" if right else "") + ", in the "
                   f"network {sizes}. Go through BP1 to BP4 for the layers that disagree.")


# ----- Exercise 4: update_mini_batch ---------------------------------------------------------------

def _step(weights, gradients, scale):
    return [w + scale * g for w, g in zip(weights, gradients)]


@check("Your update_mini_batch gives the same weights and biases as nndl.Network, update after update (eqs. 20-21).")
def check_update_mini_batch(MyNetwork):
    has_method(MyNetwork, "update_mini_batch", "Exercise 4")
    net = MyNetwork([3, 4, 2], seed=3)
    net.backprop = lambda x, y: Network.backprop(twin(net), x, y)  # checked on its own, whatever Exercise 3 gives
    reference = twin(net)
    rng = np.random.default_rng(3)
    batch, eta, m = _column_pairs(rng, 4, 3, 2), 2.0, 4
    gradients = [Network.backprop(reference, x, y) for x, y in batch]  # the package's per-example gradients
    sum_w = [sum(g[1][l] for g in gradients) for l in range(2)]
    sequential = twin(net)
    for pair in batch:
        sequential.update_mini_batch([pair], eta / m)
    reference.update_mini_batch(batch, eta)
    start_w, start_b = twin(net).weights, twin(net).biases
    with no_shortcuts("update_mini_batch"):
        net.update_mini_batch(batch, eta)
    for name in ("weights", "biases"):
        value = getattr(net, name)
        if not isinstance(value, list) or not all(isinstance(a, np.ndarray) for a in value):
            raise Hint(f"self.{name} must stay a list of NumPy arrays, one per layer; it is now a "
                       f"{type(value).__name__}. A list comprehension [... for ... in zip(...)] makes one.")
    weights, biases = net.weights, net.biases
    if _same(weights, reference.weights) and _same(biases, reference.biases):
        pass
    elif _same(weights, start_w) and _same(biases, start_b):
        raise Hint("the weights and biases did not change: assign the updated lists to self.weights and self.biases.")
    elif _same(weights, _step(start_w, sum_w, -eta)):
        raise Hint("the step is m times too large: eqs. 20 and 21 divide η by the mini-batch size m.")
    elif _same(weights, _step(start_w, sum_w, eta / m)):
        raise Hint("the weights moved uphill: gradient descent subtracts (η/m) Σ ∇C_x.")
    elif _same(weights, _step(start_w, gradients[-1][1], -eta / m)):
        raise Hint("only the last example's gradient was used: add up the gradients of all examples of the "
                   "mini-batch, then take one step.")
    elif _same(weights, sequential.weights):
        raise Hint("you changed the weights after every example. Compute the whole mini-batch's gradient first, "
                   "at the same weights, then take one step (eqs. 20-21).")
    elif _same(weights, reference.weights):
        raise Hint("the weights are right but the biases are not: eq. 21 moves each b by -(η/m) Σ ∂C_x/∂b.")
    elif _same(biases, reference.biases):
        raise Hint("the biases are right but the weights are not: eq. 20 moves each w by -(η/m) Σ ∂C_x/∂w.")
    else:
        raise Hint("the new weights differ from nndl.Network's after one update: sum backprop's gradients over "
                   "the mini-batch, then w → w - (η/m) Σ nabla_w and b → b - (η/m) Σ nabla_b.")
    for k in range(2):  # two more updates, on new mini-batches of another size
        batch = _column_pairs(rng, 3 + k, 3, 2)
        reference.update_mini_batch(batch, 0.5)
        with no_shortcuts("update_mini_batch"):
            net.update_mini_batch(batch, 0.5)
    if not (_same(net.weights, reference.weights) and _same(net.biases, reference.biases)):
        raise Hint("the first update is right, but later ones, with other mini-batch sizes and η, drift from "
                   "nndl.Network's: use len(mini_batch) for m and the eta you are given.")


# ----- Exercise 5: SGD -----------------------------------------------------------------------------

class _Recorder:
    """Stands in for update_mini_batch and evaluate: records what SGD asks of them and changes nothing."""

    def __init__(self, net):
        self.batches, self.etas, self.evaluations = [], [], 0
        net.update_mini_batch = self.update
        net.evaluate = self.evaluate

    def update(self, mini_batch, eta):
        self.batches.append([int(round(float(np.asarray(x).flat[0]))) for x, _ in mini_batch])
        self.etas.append(eta)

    def evaluate(self, test_data):
        self.evaluations += 1
        return 10 + self.evaluations  # a count the transcript must show


def _run_sgd(MyNetwork, training_data, epochs, mini_batch_size, eta, test_data=None):
    """Run the learner's SGD on a fresh network; returns the recorder, the printed lines and the network."""
    net = MyNetwork([2, 3, 2], seed=4)
    recorder = _Recorder(net)
    weights = [w.copy() for w in net.weights]
    printed = io.StringIO()
    with no_shortcuts("SGD"), contextlib.redirect_stdout(printed):
        net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data)
    if not _same(net.weights, weights):
        raise Hint("SGD changed the weights itself: leave every change to self.update_mini_batch.")
    return recorder, [line.rstrip() for line in printed.getvalue().splitlines() if line.strip()]


@check("Your SGD shuffles every epoch, covers the data in mini-batches, and prints the book's transcript.")
def check_sgd(MyNetwork):
    has_method(MyNetwork, "SGD", "Exercise 5")
    n, m, epochs, eta = 23, 5, 3, 0.7
    # example i has the input (i, 0): the recorder reads which examples each mini-batch holds
    training_data = [(np.array([[float(i)], [0.0]]), np.array([[1.0], [0.0]])) for i in range(n)]
    order = [id(pair) for pair in training_data]
    test_data = [(np.zeros((2, 1)), 0)] * 17
    recorder, lines = _run_sgd(MyNetwork, training_data, epochs, m, eta, test_data)
    if [id(pair) for pair in training_data] != order:
        raise Hint("SGD reordered the caller's training_data list: shuffle a copy (or a list of indices), so "
                   "that the caller's data stay as they were.")
    per_epoch = math.ceil(n / m)
    batches = recorder.batches
    if not batches:
        raise Hint("SGD never called self.update_mini_batch: each mini-batch is one step of gradient descent.")
    if len(batches) == epochs * (n // m):
        raise Hint(f"with {n} examples and mini-batches of {m} the last, smaller mini-batch of {n % m} is missing: "
                   "slice the shuffled data at 0, m, 2m, ... up to n, and keep the remainder.")
    if len(batches) != epochs * per_epoch:
        raise Hint(f"{epochs} epochs of {n} examples in mini-batches of {m} make {epochs * per_epoch} calls of "
                   f"update_mini_batch, {per_epoch} per epoch; yours made {len(batches)}.")
    if any(e != eta for e in recorder.etas):
        raise Hint(f"pass eta to update_mini_batch unchanged (it was {eta}, update_mini_batch got "
                   f"{sorted(set(recorder.etas))}): update_mini_batch itself divides by m.")
    epoch_orders = []
    for j in range(epochs):
        chunk = batches[j * per_epoch:(j + 1) * per_epoch]
        if [len(b) for b in chunk] != [m] * (n // m) + [n % m]:
            raise Hint(f"epoch {j} has mini-batches of sizes {[len(b) for b in chunk]}: cut the shuffled data into "
                       f"consecutive pieces of {m}, the last one smaller.")
        flat = [i for b in chunk for i in b]
        if sorted(flat) != list(range(n)):
            raise Hint(f"in epoch {j} some examples came twice and others never: every epoch uses each training "
                       "example exactly once.")
        epoch_orders.append(flat)
    if all(order == list(range(n)) for order in epoch_orders):
        raise Hint("the mini-batches follow the data's own order: shuffle the training data at the start of "
                   "every epoch.")
    if len({tuple(o) for o in epoch_orders}) < epochs:
        raise Hint("every epoch sees the examples in the same order: shuffle anew at the start of each epoch.")
    again, _ = _run_sgd(MyNetwork, training_data, epochs, m, eta, test_data)
    if again.batches != batches:
        raise Hint("two networks made with the same seed shuffled differently: shuffle with self.rng, the "
                   "network's own random generator, so that a seed gives the same run every time.")
    expected = [f"Epoch {j}: {11 + j} / {len(test_data)}" for j in range(epochs)]
    if recorder.evaluations != epochs:
        raise Hint(f"with test_data, SGD evaluates the network once after every epoch; yours called evaluate "
                   f"{recorder.evaluations} times in {epochs} epochs.")
    if lines != expected:
        raise Hint(f"after each epoch print the book's line, 'Epoch j: correct / total' with correct from "
                   f"self.evaluate(test_data) and total = len(test_data), e.g. {expected[0]!r}; yours printed "
                   f"{lines[:3]}.")
    quiet, lines = _run_sgd(MyNetwork, training_data, 2, m, eta)
    if quiet.evaluations:
        raise Hint("without test_data there is nothing to evaluate: call self.evaluate only when test_data is given.")
    if lines != ["Epoch 0 complete", "Epoch 1 complete"]:
        raise Hint(f"without test_data, print 'Epoch j complete' after each epoch; yours printed {lines[:3]}.")


# ----- the learner's class, completed where needed, and listed --------------------------------------

def _package_method(name):
    """The package's ``Network.name`` as a method of the learner's class, on a package twin sharing its arrays."""
    def method(self, *args, **kwargs):
        package = self.__dict__.get("_package_twin")
        if package is None:
            package = self._package_twin = Network(self.sizes)
        package.weights, package.biases = self.weights, self.biases
        result = getattr(Network, name)(package, *args, **kwargs)
        self.weights, self.biases = package.weights, package.biases
        return result
    method.__name__ = name
    return method


METHODS = {"feedforward": check_feedforward, "evaluate": check_evaluate, "backprop": check_backprop,
           "update_mini_batch": check_update_mini_batch, "SGD": check_sgd}


def passes(check_function, *args):
    """Whether ``check_function`` (one of the checks above) accepts the answer, silently."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check_function.__wrapped__(*args)
    except Exception:
        return False
    return True


def with_fallbacks(MyNetwork):
    """A subclass of ``MyNetwork`` with the package's version of each method that does not pass its check yet.

    One line says so for each; ``stand_ins`` names them, in the book's order (empty when all are yours).
    """
    replaced = {}
    for (name, check_function), exercise in zip(METHODS.items(), ("ex1", "ex2", "ex3", "ex4", "ex5")):
        if not callable(getattr(MyNetwork, name, None)):
            replaced[name] = _package_method(name)
            print(f"MyNetwork has no {name} (was the `class MyNetwork` cell run again after {exercise}?): "
                  f"this run uses the package's Network.{name}.")
        elif not passes(check_function, MyNetwork):
            replaced[name] = _package_method(name)
            print(f"Your {name} does not pass {exercise}.check yet: this run uses the package's Network.{name}.")
    return type(MyNetwork.__name__, (MyNetwork,), {**replaced, "stand_ins": tuple(replaced)})


BOOK_ORDER = ("__init__", "feedforward", "SGD", "update_mini_batch", "backprop", "evaluate", "cost_derivative")


def class_listing(MyNetwork):
    """The source of the learner's class as one class statement, its methods in the book's order."""
    lines = [f"class {MyNetwork.__name__}:", f'    """{inspect.getdoc(MyNetwork)}"""']
    for name in BOOK_ORDER:
        if name in MyNetwork.__dict__:
            source = textwrap.dedent(inspect.getsource(MyNetwork.__dict__[name]))
            lines += [""] + [textwrap.indent(line, "    ") for line in source.splitlines() if not _MARKER.match(line)]
    return "\n".join(lines)


ex1 = Exercise(
    "ex1", check=check_feedforward, grade_id="nb05_feedforward",
    hints=["Start with the input a and go through the layers one after the other: each layer turns the previous "
           "layer's output into its own (eq. 22).",
           "zip(self.biases, self.weights) gives each layer's b and w together; `@` is the matrix product and "
           "sigmoid is imported."],
    why="eq. 22 applied layer after layer: each layer's output σ(w a + b) is the next layer's input, and the "
        "last one is the network's output.")

ex2 = Exercise(
    "ex2", check=check_evaluate, grade_id="nb05_evaluate",
    hints=["For each (x, y) of test_data: what digit does the network answer for x, and is it y?",
           "np.argmax gives the index of the largest entry; `sum` of booleans counts the True ones."],
    why="the network's answer is its most active output neuron, and evaluate counts the inputs where that "
        "answer is the label.")

ex3 = Exercise(
    "ex3", check=check_backprop, grade_id="nb05_backprop",
    hints=["Two passes. Forwards, keep every layer's weighted input z and activation a in two lists. Backwards, "
           "start from the output layer's δ (BP1), give that layer its gradient (BP3, BP4), then carry δ back "
           "one layer at a time (BP2), each layer getting its gradient in turn.",
           "With lists zs and activations (activations[0] = x), negative indices count from the output: zs[-1] and "
           "activations[-1] are the output layer's. Layer -l's gradients are nabla_b[-l] and nabla_w[-l]; the "
           "activations that feed it are activations[-l - 1], and BP2 brings δ from layer -l + 1.",
           "In NumPy, δ and a^{l-1} are columns, so a column times a transposed column, δ @ a.T, is the matrix of "
           "every a_k δ_j (BP4); BP2's transpose is the `.T` of self.weights[-l + 1], and sigmoid_prime takes "
           "the z of the layer δ belongs to. After the output layer, l runs from 2 to self.num_layers - 1."],
    why="BP1 gives the output layer's error from ∇_a C and σ'(z^L); BP2 carries each error back through the "
        "transposed weights (w^{l+1})ᵀ, the map from layer l+1 back to layer l, times σ'(z^l); BP3 and BP4 read "
        "each layer's gradient off its δ, ∂C/∂w as δ (a^{l-1})ᵀ, so that row j, column k is a_k^{l-1} δ_j^l. "
        "Leaving out a σ', using w^{l+1} untransposed (a shape error, or wrong numbers when the layers are "
        "equal in size), a (δ)ᵀ in BP4 (the transposed matrix) or a loop that stops a layer short all give "
        "gradients that the finite-difference check rejects.")

ex4 = Exercise(
    "ex4", check=check_update_mini_batch, grade_id="nb05_update_mini_batch",
    hints=["Two phases: first add up self.backprop(x, y) over the mini-batch, layer by layer, with nothing "
           "changed yet; then take one step of eqs. 20 and 21.",
           "Start the sums as lists of zeros shaped like self.biases and self.weights (np.zeros_like); after the "
           "loop the step is η divided by len(mini_batch), times each sum, subtracted."],
    why="the gradient of the mini-batch's cost is the average of the examples' gradients, and eqs. 20-21 take "
        "one step of size η against it.")

ex5 = Exercise(
    "ex5", check=check_sgd, grade_id="nb05_sgd",
    hints=["Each epoch: a new random order of the training data, then consecutive mini-batches of "
           "mini_batch_size, one update_mini_batch each, then one transcript line.",
           "self.rng.permutation(n) gives a shuffled order of the indices 0..n-1; range(0, n, mini_batch_size) "
           "gives where each mini-batch starts; an f-string prints the line."],
    why="stochastic gradient descent: every epoch shuffles, cuts the data into mini-batches and takes one step "
        "per mini-batch, and the transcript reports the test count after each epoch.")


# ----- the predictions (see questions.py) ------------------------------------------------------------

p1 = Choice(
    "p1", right="d",
    wrong={"a": "the matrices are 3 × 3, so w and its transpose have the same shape: NumPy multiplies either.",
           "b": "a square matrix is not its own transpose: w^{l+1} and (w^{l+1})ᵀ map δ^{l+1} to different columns.",
           "c": "the output layer's gradient comes from BP1, BP3 and BP4 alone: BP2 is not used for it."},
    hints=["Which layers' gradients does BP2 take part in, and which come from BP1 alone?",
           "Is a 3 × 3 matrix of random weights equal to its transpose?"],
    why="BP2 is used only for the hidden layers, so the output layer's gradient stays right while every hidden "
        "layer's is wrong: the random 3 × 3 w^{l+1} is not symmetric, so it sends δ^{l+1} to the wrong neurons. "
        "NumPy raises no error (the shapes fit, unlike in [3, 4, 2]), and nothing looks wrong until a "
        "finite-difference check compares: that is why the check of Exercise 3 tries a network with equal layers.")

p2 = Choice(
    "p2", right="c",
    wrong={"a": "one epoch is thousands of steps of gradient descent, plenty to learn far more than guessing.",
           "b": "thousands of steps of gradient descent go much further than half right.",
           "d": "99% is beyond even the book's best networks of chapter 6; 30 epochs of this one reach about 95%."},
    hints=["How many steps of gradient descent does one epoch take: one per mini-batch of 10 images?",
           "Guessing gets 10% right; notebook 03's gradient descent covered most of the way down its valley in its "
           "first few dozen steps."],
    why="one epoch is thousands of steps of gradient descent, enough to take the network from about 10% (guessing) to "
        "about 90%; the next 29 epochs add only about 5 points more. 50% is far too low for so many steps, and "
        "99% is out of reach of this network even after 30 epochs.")

p3 = Choice(
    "p3", right="b",
    wrong={"a": "the two compute the same numbers, but one pays Python's overhead per example and one per mini-batch.",
           "c": "the arithmetic is the same; only the overhead of a few NumPy calls per example is saved, a few times "
                "the time of the arithmetic itself at mini-batches of 10.",
           "d": "that would take far more than removing Python's loop over ten examples: the matrix products remain."},
    hints=["Both do the same arithmetic: what does the matrix form save?",
           "Per mini-batch of 10, your class makes a few NumPy calls per example and layer, the matrix form a few per "
           "layer."],
    why="the matrix form does the same arithmetic but sends the 10 examples of a mini-batch through each layer in one "
        "matrix product, so it makes about a tenth of the NumPy calls; at these small sizes each call's overhead "
        "costs more than its arithmetic, which gives a few times (about 5 here), not tens or a thousand times, and "
        "more than the 'about the same' of an equal amount of arithmetic.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 5000.0,
    slips=[(50000.0, "that is the number of training images; each call of update_mini_batch takes a whole "
                     "mini-batch of them."),
           (500.0, "50,000 / 10 is not 500: count again.")],
    hints=["Each call of update_mini_batch takes one mini-batch.", "How many mini-batches of 10 make 50,000 images?"],
    why="SGD cuts the 50,000 shuffled training images into 50,000 / 10 = 5,000 mini-batches and takes one step, one "
        "call of update_mini_batch, for each.")

q2 = Choice(
    "q2", right="a",
    wrong={"b": "shuffling adds no examples: each epoch still uses every training image once.",
           "c": "evaluate counts on the test data, which shuffling the training data does not touch.",
           "d": "it is the other way round: SGD shuffles with the network's own generator self.rng, so that a seed "
                "gives the same run."},
    hints=["What would the mini-batches of every epoch look like without the shuffle?",
           "Stochastic gradient descent estimates the gradient from a sample of the training data."],
    why="each mini-batch should be a random sample of the training data, grouped differently in every epoch; "
        "shuffling with self.rng keeps this reproducible from a seed. It adds no examples, leaves the test data "
        "alone, and needs the seed rather than replacing it.")

q3 = Number(
    "q3", 23820.0,
    slips=[(23520.0, "that is the first layer's weights only; the output layer has weights too."),
           (23860.0, "that counts the 40 biases too; the question asks for the weights.")],
    hints=["self.weights holds one matrix per layer after the input layer; what are their shapes?",
           "The weight matrix of a layer has one row per neuron and one column per input."],
    why="self.weights holds a (30, 784) and a (10, 30) matrix: 23,520 + 300 = 23,820 weights.")
