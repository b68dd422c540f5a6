"""The bookkeeping of ``Network.SGD``: what it records, prints and decides between epochs.

``network.py`` keeps the algorithm (shuffle, mini-batches, a gradient step
each); this module holds everything around it: the ``History`` of what was
measured, the transcript line the book prints after each epoch, the progress
bar, the schedule that halves η or stops early, the weight decay factor of
L2 regularisation, and the checks that training has not diverged or
saturated.
"""
import functools
import warnings
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

from .checking import check_count, check_lmbda, classes, desired_outputs
from .costs import QuadraticCost
from .functions import sigmoid_prime

SATURATED = 1e-4
"""σ'(z) below this for every neuron of the watched layer and every example means the gradient has vanished."""


class TrainingWarning(UserWarning):
    """Training runs but cannot learn: the warning names the likely cause (usually η)."""


_python_formatwarning = warnings.formatwarning


def _formatwarning(message, category, filename, lineno, line=None):
    """A ``TrainingWarning`` as one line, its message alone; any other warning as Python shows it.

    Python's format starts with the file and line that called ``SGD``: in a
    notebook a ``/tmp/ipykernel_...`` path, followed by the calling line
    again, neither of which helps the reader of the message.
    """
    if issubclass(category, TrainingWarning):
        return f"{category.__name__}: {message}\n"
    return _python_formatwarning(message, category, filename, lineno, line)


warnings.formatwarning = _formatwarning


@dataclass
class History:
    """What ``SGD`` measured, one entry per finished epoch, ready to plot.

    ``epochs`` counts the epochs finished; ``test_correct[i]`` is the number
    of test examples classified correctly after epoch ``i`` (out of
    ``n_test``), filled only with test data; ``training_cost[i]`` is the
    cost on the training data, filled only with ``monitor_cost=True``.  The
    book's chapter 3 monitoring adds ``training_correct`` (out of
    ``n_training``) and ``evaluation_cost`` (the cost on the test data), and
    ``etas`` holds the learning rate used in each epoch (a schedule halves it).
    Chapter 5's ``layer_speeds``, filled only with ``track_layer_speeds=True``,
    holds the hidden layers' speeds of learning (see ``layer_speeds``) before
    training and after each epoch: one more entry than epochs.
    """

    n_test: int = 0
    test_correct: list = field(default_factory=list)
    training_cost: list = field(default_factory=list)
    epochs: int = 0
    n_training: int = 0
    training_correct: list = field(default_factory=list)
    evaluation_cost: list = field(default_factory=list)
    etas: list = field(default_factory=list)
    layer_speeds: list = field(default_factory=list)

    def __post_init__(self):
        self.epochs = max(self.epochs, len(self.test_correct), len(self.training_cost),
                          len(self.training_correct), len(self.evaluation_cost))

    @property
    def test_accuracy(self):
        """Test accuracy per epoch as fractions in [0, 1]."""
        return [c / self.n_test for c in self.test_correct]

    def __repr__(self):
        """One line, the first and the last measurement: a notebook cell ending in ``net.SGD(...)`` shows this."""
        measured = [f"{self.epochs} epochs"]
        if self.test_correct:
            accuracy = self.test_accuracy
            measured.append(f"test accuracy {accuracy[0]:.2%} after the first, {accuracy[-1]:.2%} after the last")
        if self.training_cost:
            measured.append(f"training cost {self.training_cost[0]:.4g} after the first, "
                            f"{self.training_cost[-1]:.4g} after the last")
        return f"History({', '.join(measured)})"


@functools.cache
def _blas_threads():
    return ThreadpoolController()


def one_blas_thread():
    """A context in which BLAS (NumPy's and SciPy's) uses a single thread.

    A mini-batch's matrices are small: spreading one product over several
    threads costs more in waking and waiting than it saves, above all on a
    machine whose cores are busy with other work.
    """
    return _blas_threads().limit(limits=1, user_api="blas")


def epoch_line(j, history, chapter3=False, evaluation_accuracy=True):
    """Chapter 1's "Epoch 0: 9129 / 10000", or the book's chapter 3 transcript of what was monitored."""
    if chapter3:
        lines = [f"Epoch {j} training complete"]
        if history.training_cost:
            lines.append(f"Cost on training data: {history.training_cost[-1]}")
        if history.training_correct:
            lines.append(f"Accuracy on training data: {history.training_correct[-1]} / {history.n_training}")
        if history.evaluation_cost:
            lines.append(f"Cost on evaluation data: {history.evaluation_cost[-1]}")
        if history.test_correct and evaluation_accuracy:
            lines.append(f"Accuracy on evaluation data: {history.test_correct[-1]} / {history.n_test}")
        return "\n".join(lines)
    if history.n_test:
        return f"Epoch {j}: {history.test_correct[-1]} / {history.n_test}"
    return f"Epoch {j} complete"


def progress_bar(iterable, show, description):
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=description, unit="batch", leave=False)


class Schedule:
    """Early stopping and the halving of η, both decided by the evaluation accuracy per epoch.

    ``early_stopping_n`` (0: off): stop once the best accuracy is
    ``early_stopping_n`` epochs old.  ``halve_eta_n`` (0: off): halve η each
    time the accuracy has not improved for ``halve_eta_n`` epochs (counted
    again after each halving), and stop once η < η₀/128.
    """

    def __init__(self, eta, early_stopping_n, halve_eta_n):
        self.eta, self.smallest_eta = eta, eta / 128
        self.early_stopping_n, self.halve_eta_n = early_stopping_n, halve_eta_n
        self.since_change = 0  # epochs since the last halving
        self.stopped = False

    def after_epoch(self, correct):
        """Update from the accuracies so far; returns what changed (a line to print) or None."""
        if not correct:
            return None
        self.since_change += 1
        stalled = len(correct) - 1 - int(np.argmax(correct))  # epochs since the best accuracy (the first, on ties)
        if self.early_stopping_n and stalled >= self.early_stopping_n:
            self.stopped = True
            return f"Early stopping: no improvement in {self.early_stopping_n} epochs"
        if self.halve_eta_n and min(stalled, self.since_change) >= self.halve_eta_n:
            self.eta /= 2
            self.since_change = 0
            if self.eta < self.smallest_eta:
                self.stopped = True
                return f"Stopping: eta halved to {self.eta:g}, below eta/128"
            return f"No improvement in {self.halve_eta_n} epochs: eta halved to {self.eta:g}"
        return None


def weight_decay(eta, lmbda, n):
    """The weight decay factor 1 - ηλ/n of eq. (93); ``n`` (the training set's size) is needed only when λ > 0."""
    lmbda = check_lmbda(lmbda)
    if lmbda == 0:
        return 1.0
    decay = 1.0 - eta * lmbda / check_count("n (the size of the training set)", n, minimum=1)
    if decay <= 0:
        raise ValueError(f"eta*lmbda/n = {eta:g}*{lmbda:g}/{n} is {1 - decay:g}, but the weight decay of eq. (93) "
                         f"multiplies the weights by 1 - eta*lmbda/n, which must stay above 0: choose a smaller "
                         f"eta or lmbda (the book uses lmbda 5.0 for 50,000 images, 0.1 for 1,000, with eta 0.5)")
    return decay


def _outputs(net, X, Y):
    """(outputs, desired) for the rows of ``X`` and ``Y``, 10,000 rows at a time (``X`` may be made on demand)."""
    for start in range(0, len(X), 10_000):
        rows = slice(start, start + 10_000)
        yield net.feedforward(np.asarray(X[rows]).T), Y[rows]


def count_correct(net, X, Y):
    """How many rows of ``X`` the network classifies right; ``Y`` holds int labels or desired output rows."""
    return sum(int(np.sum(classes(a) == (y if y.ndim == 1 else classes(y, axis=1)))) for a, y in _outputs(net, X, Y))


def total_cost(net, X, Y, lmbda=0.0):
    """The mean cost over the rows, plus (λ/2n) Σ w² (the book's ``total_cost``); chapter 1: eq. (6)."""
    cost = net.cost or QuadraticCost
    total = sum(cost.fn(a, (desired_outputs(y, net.sizes[-1]) if y.ndim == 1 else y).T)
                for a, y in _outputs(net, X, Y))
    if lmbda:  # not for λ = 0, where weights grown huge would make the term 0 · ∞ = NaN
        with np.errstate(over="ignore"):  # for λ > 0 they make it ∞, which is what it is
            total += 0.5 * lmbda * sum(float(np.sum(w * w)) for w in net.weights)
    return total / len(X)


def layer_speeds(net, X, Y):
    """The speed of learning of each hidden layer, ‖δ^l‖ (chapter 5), over the rows of ``X`` and ``Y``.

    δ^l is the gradient ∂C/∂b^l of the cost C, the mean of C_x over the
    rows, with respect to the biases of hidden layer l: the average of
    backpropagation's δ^l over the examples (BP3).  Its length measures how
    fast the layer learns; the output layer is left out, as in the book.
    The L2 term does not depend on the biases, so λ plays no part.  A list
    of floats, the first hidden layer first; 10,000 rows at a time.
    """
    total = [np.zeros(n) for n in net.sizes[1:-1]]
    for start in range(0, len(X), 10_000):
        rows = slice(start, start + 10_000)
        nabla_b, _ = net.backprop_batch(np.asarray(X[rows]).T, Y[rows].T)
        total = [t + nb[:, 0] for t, nb in zip(total, nabla_b)]
    return [float(np.linalg.norm(t)) / len(X) for t in total]


def check_finite(net, eta, when):
    """A FloatingPointError naming η if training made a weight or bias infinite or NaN (``when``: "during epoch 3")."""
    if not all(np.isfinite(w).all() for w in net.weights + net.biases):
        raise FloatingPointError(
            f"the weights became infinite or NaN {when}: training diverged. "
            f"Try a smaller learning rate than eta={eta}.")


def _watched_layer(net):
    """The layer whose σ'(z) every gradient passes through (its index in ``sizes``), or None.

    With the quadratic cost it is the output layer: BP1 multiplies by its
    σ'(z).  The cross-entropy and log-likelihood costs cancel that σ'(z)
    (δ = a - y), so there it is the last hidden layer, through which BP2
    carries the gradient of every layer below; a network without a hidden
    layer has none.
    """
    if net.cost in (None, QuadraticCost):
        return net.num_layers - 1
    return net.num_layers - 2 if net.num_layers > 2 else None


def saturation(net, X):
    """The fraction of the watched layer's f'(z) below ``SATURATED`` on the first 1,000 rows of ``X``; None if none.

    f is the hidden neurons' activation, or σ for the output layer.  A ReLU
    neuron's derivative is 0 wherever its z < 0: it counts as saturated ("dead").
    """
    layer = _watched_layer(net)
    if layer is None:
        return None
    a = np.asarray(X[:1000]).T
    with np.errstate(over="ignore", invalid="ignore"):  # z overflowing to ±∞ gives f'(z) = 0 (or NaN: not < 1e-4)
        for b, w in zip(net.biases[:layer - 1], net.weights[:layer - 1]):
            a = net.activation.fn(w @ a + b)
        z = net.weights[layer - 1] @ a + net.biases[layer - 1]
        prime = sigmoid_prime(z) if layer == net.num_layers - 1 else net.activation.prime(z)
        return float(np.mean(prime < SATURATED))


def warn_if_saturated(net, epoch, eta, X, saturated_before):
    """Warn if σ'(z) < ``SATURATED`` in the whole watched layer, on the first 1,000 training inputs; True if so.

    Then every example's gradient is multiplied by about 0 (BP1 or BP2): it
    has vanished and training has stalled.  Most often η is so large that
    the first steps drove the weighted inputs z far from 0.  But if most of
    those neurons were saturated before training already
    (``saturated_before``, the ``saturation`` measured then), the initial
    weights were too large for the number of inputs of each neuron, and a
    smaller η alone will not help.
    """
    if saturation(net, X) != 1.0:
        return False
    layer = _watched_layer(net)
    if saturated_before > 0.5:
        n = net.sizes[layer - 1]
        fewer = f" or fewer than {n} neurons in the layer before" if layer > 1 else ""
        cause = (f"{saturated_before:.0%} of them were saturated before training already, so their weighted inputs "
                 f"z = w·a + b started far from 0 (with {n} inputs each, z grows like √{n} times the weights): "
                 f"start from N(0, 1/n_in) weights (net.default_weight_initializer()){fewer}; a smaller eta alone "
                 f"will not help")
    else:
        cause = f"the learning rate eta={eta:g} is far too large; try eta={min(eta / 10, 3.0):g} or smaller"
    output = layer == net.num_layers - 1
    neurons = "output neuron" if output else "neuron of the last hidden layer"
    prime = "σ'(z)" if output else net.activation.symbol
    warnings.warn(f"after epoch {epoch} every {neurons} is saturated ({prime} < {SATURATED:g} on the training "
                  f"inputs), so the gradient has vanished and the network cannot learn: {cause}",
                  TrainingWarning, stacklevel=3)
    return True
