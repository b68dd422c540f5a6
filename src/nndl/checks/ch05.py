"""Checks for notebook 05, Writing the network yourself.

The learner writes the methods of a class ``MyNetwork`` one by one.  Each
check builds a small ``MyNetwork``, gives the package's ``Network`` the same
weights, and compares: the same outputs, the same count, the same weights
after a few updates.  While the learner's code runs, ``no_shortcuts()`` makes
the package's ready-made methods raise, so that calling them instead of
writing the method is caught.  Where the method under check calls another
one (``evaluate`` calls ``feedforward``; ``SGD`` calls ``update_mini_batch``
and ``evaluate``), the check gives the instance the package's version or a
recorder, so an exercise can be checked before the others are done.

``with_fallbacks(MyNetwork)`` is what the notebook trains: the learner's
class, with each method that does not pass its check yet replaced by the
package's, and a line saying so.
"""
import contextlib
import inspect
import io
import math
import textwrap

import numpy as np

from ..functions import sigmoid
from ..network import Network
from . import _MARKER, Exercise, Hint, check
from .questions import Choice, Number

# The package's methods that would do an exercise's work; the originals stay reachable for the checks.
SHORTCUTS = ("feedforward", "evaluate", "predict", "update_mini_batch", "update_mini_batch_per_example",
             "backprop_batch", "SGD")
_ORIGINAL = {name: getattr(Network, name) for name in SHORTCUTS}


class Shortcut(Hint):
    """Raised when the learner's method calls the package method it is meant to replace."""


@contextlib.contextmanager
def no_shortcuts():
    """Within this block the package's ``Network`` methods that do the exercises' work raise ``Shortcut``."""
    def forbidden(name):
        def run(*args, **kwargs):
            raise Shortcut(f"your code calls the package's Network.{name}: the point is to write it yourself, "
                           "from the equations (the package's methods are out of reach during the check).")
        return run
    try:
        for name in SHORTCUTS:
            setattr(Network, name, forbidden(name))
        yield
    finally:
        for name, method in _ORIGINAL.items():
            setattr(Network, name, method)


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
    net = MyNetwork([4, 5, 3], seed=1)
    reference = twin(net)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 1))
    expected = _ORIGINAL["feedforward"](reference, x)
    with no_shortcuts():
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
    with no_shortcuts():
        second = net.feedforward(2 * x)
    if not np.allclose(second, _ORIGINAL["feedforward"](reference, 2 * x)):
        raise Hint("a second input gives a different output from nndl.Network's: does feedforward depend on an "
                   "earlier call, or change the weights?")
    if not (_same(net.weights, reference.weights) and _same(net.biases, reference.biases)):
        raise Hint("feedforward changed the network's weights or biases: it should only read them.")


# ----- Exercise 2: evaluate ------------------------------------------------------------------------

def _with_package_feedforward(net):
    """Give the instance ``net`` the package's feedforward, so that evaluate is checked on its own."""
    net.feedforward = lambda a: _ORIGINAL["feedforward"](twin(net), a)
    return net


@check("Your evaluate counts the test inputs whose most active output neuron is the right digit, as nndl.Network does.")
def check_evaluate(MyNetwork):
    net = _with_package_feedforward(MyNetwork([4, 6, 3], seed=4))  # a seed whose network answers 0, 1 and 2
    rng = np.random.default_rng(4)
    xs = [rng.standard_normal((4, 1)) for _ in range(12)]
    guesses = [int(np.argmax(_ORIGINAL["feedforward"](twin(net), x))) for x in xs]
    labels = guesses[:7] + [(g + 1) % 3 for g in guesses[7:]]  # right for 7 of the 12
    test_data = list(zip(xs, labels))
    expected = _ORIGINAL["evaluate"](twin(net), test_data)
    with no_shortcuts():
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


# ----- Exercise 3: update_mini_batch ---------------------------------------------------------------

def _step(weights, gradients, scale):
    return [w + scale * g for w, g in zip(weights, gradients)]


@check("Your update_mini_batch gives the same weights and biases as nndl.Network, update after update (eqs. 20-21).")
def check_update_mini_batch(MyNetwork):
    net = MyNetwork([3, 4, 2], seed=3)
    reference = twin(net)
    rng = np.random.default_rng(3)
    batch, eta, m = _column_pairs(rng, 4, 3, 2), 2.0, 4
    gradients = [Network.backprop(reference, x, y) for x, y in batch]  # the package's per-example gradients
    sum_b = [sum(g[0][l] for g in gradients) for l in range(2)]
    sum_w = [sum(g[1][l] for g in gradients) for l in range(2)]
    sequential = twin(net)
    for pair in batch:
        _ORIGINAL["update_mini_batch"](sequential, [pair], eta / m)
    _ORIGINAL["update_mini_batch"](reference, batch, eta)
    start_w, start_b = twin(net).weights, twin(net).biases
    with no_shortcuts():
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
        _ORIGINAL["update_mini_batch"](reference, batch, 0.5)
        with no_shortcuts():
            net.update_mini_batch(batch, 0.5)
    if not (_same(net.weights, reference.weights) and _same(net.biases, reference.biases)):
        raise Hint("the first update is right, but later ones, with other mini-batch sizes and η, drift from "
                   "nndl.Network's: use len(mini_batch) for m and the eta you are given.")


# ----- Exercise 4: SGD -----------------------------------------------------------------------------

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
    with no_shortcuts(), contextlib.redirect_stdout(printed):
        net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data)
    if not _same(net.weights, weights):
        raise Hint("SGD changed the weights itself: leave every change to self.update_mini_batch.")
    return recorder, [line.rstrip() for line in printed.getvalue().splitlines() if line.strip()]


@check("Your SGD shuffles every epoch, covers the data in mini-batches, and prints the book's transcript.")
def check_sgd(MyNetwork):
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
        result = _ORIGINAL[name](package, *args, **kwargs)
        self.weights, self.biases = package.weights, package.biases
        return result
    method.__name__ = name
    return method


METHODS = {"feedforward": check_feedforward, "evaluate": check_evaluate,
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
    """``MyNetwork``, with the package's version of each method that does not pass its check yet (one line each)."""
    replaced = {}
    for (name, check_function), exercise in zip(METHODS.items(), ("ex1", "ex2", "ex3", "ex4")):
        if not passes(check_function, MyNetwork):
            replaced[name] = _package_method(name)
            print(f"Your {name} does not pass {exercise}.check yet: this run uses the package's Network.{name}.")
    return type(MyNetwork.__name__, (MyNetwork,), replaced) if replaced else MyNetwork


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
    "ex3", check=check_update_mini_batch, grade_id="nb05_update_mini_batch",
    hints=["Two phases: first add up self.backprop(x, y) over the mini-batch, layer by layer, with nothing "
           "changed yet; then take one step of eqs. 20 and 21.",
           "Start the sums as lists of zeros shaped like self.biases and self.weights (np.zeros_like); after the "
           "loop the step is η divided by len(mini_batch), times each sum, subtracted."],
    why="the gradient of the mini-batch's cost is the average of the examples' gradients, and eqs. 20-21 take "
        "one step of size η against it.")

ex4 = Exercise(
    "ex4", check=check_sgd, grade_id="nb05_sgd",
    hints=["Each epoch: a new random order of the training data, then consecutive mini-batches of "
           "mini_batch_size, one update_mini_batch each, then one transcript line.",
           "self.rng.permutation(n) gives a shuffled order of the indices 0..n-1; range(0, n, mini_batch_size) "
           "gives where each mini-batch starts; an f-string prints the line."],
    why="stochastic gradient descent: every epoch shuffles, cuts the data into mini-batches and takes one step "
        "per mini-batch, and the transcript reports the test count after each epoch.")


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
    wrong={"b": "without the division by m the step grows with the mini-batch size; eq. 20 averages the gradients.",
           "c": "one example's gradient is what the mini-batch is there to improve on: eq. 20 sums over all m "
                "examples.",
           "d": "a plus sign climbs the cost; gradient descent moves against the gradient."},
    hints=["Read eq. 20 above Exercise 3: what is summed, and what is it multiplied by?",
           "Which way does gradient descent move, with or against the gradient?"],
    why="eq. 20 moves each weight against the mini-batch's average gradient: w → w − (η/m) Σ_j ∂C_Xj/∂w.")

q3 = Choice(
    "q3", right="b",
    wrong={"a": "shuffling adds no examples: each epoch still uses every training image once.",
           "c": "evaluate counts on the test data, which shuffling the training data does not touch.",
           "d": "it is the other way round: SGD shuffles with the network's own generator self.rng, so that a seed "
                "gives the same run."},
    hints=["What would the mini-batches of every epoch look like without the shuffle?",
           "Stochastic gradient descent estimates the gradient from a sample of the training data."],
    why="each mini-batch should be a random sample of the training data, and each epoch should group the "
        "examples differently; shuffling with self.rng keeps this reproducible from a seed.")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "evaluate returns a count, an int, as the transcript line \"Epoch 0: 9129 / 10000\" shows.",
           "c": "evaluate computes no cost; it only compares the network's answer with the right digit.",
           "d": "the network's answer is its most active output neuron (np.argmax), whatever that neuron's value."},
    hints=["Exercise 2 says what the network's answer for an input is.", "Which number does the transcript print "
           "before the slash?"],
    why="evaluate returns the number of test inputs for which the most active output neuron is the right digit.")

q5 = Choice(
    "q5", right="c",
    wrong={"b": "the notebook compares the weights after the same 1,000 mini-batches: both compute the same steps.",
           "a": "both were fed the very same 1,000 mini-batches of 10 images.",
           "d": "every layer needs its gradient (BP3, BP4); the matrix form computes all of them."},
    hints=["Read the cell that times your update_mini_batch against the package's.",
           "How many examples go through a layer in one NumPy call, in your class and in the package?"],
    why="the matrix form sends the whole mini-batch through each layer in one matrix product, so a mini-batch "
        "needs a few NumPy calls per layer instead of a few per example, and Python's overhead per call is paid "
        "far less often.")

q6 = Number(
    "q6", 23820.0,
    slips=[(23520.0, "that is the first layer's weights only; the output layer has weights too."),
           (23860.0, "that counts the 40 biases too; the question asks for the weights.")],
    hints=["self.weights holds one matrix per layer after the input layer; what are their shapes?",
           "The weight matrix of a layer has one row per neuron and one column per input."],
    why="self.weights holds a (30, 784) and a (10, 30) matrix: 23,520 + 300 = 23,820 weights.")
