"""The network of chapter 1, trained by the backpropagation of chapter 2.

Introduced in notebook 02 (shapes, feedforward), trained in notebooks 03-05.
The public names and call signatures are those of Michael Nielsen's
``network.py``, so every line of the book runs against this class::

    >>> net = Network([784, 30, 10])
    >>> net.SGD(training_data, 30, 10, 3.0, test_data=test_data)

Two forms of backpropagation live here side by side:

* ``backprop(x, y)``: the book's one-example version, line by line with the
  equations BP1-BP4.  ``update_mini_batch_per_example`` is the book's loop
  over a mini-batch that uses it.
* ``backprop_batch(X, Y)``: the "fully matrix-based approach" the book asks
  for at the end of chapter 2: a whole mini-batch goes through each layer in
  one matrix product.  ``update_mini_batch`` and ``SGD`` use this form,
  computed by ``folded.FoldedNetwork`` with the biases folded into the
  weights; it gives the same update (a test checks it to 1e-10) many times
  faster, because at mini-batch size 10 the cost is the number of NumPy
  calls, not the arithmetic.
"""
import functools
import math
import warnings
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
from threadpoolctl import ThreadpoolController

from .folded import FoldedNetwork
from .functions import quadratic_cost_derivative, sigmoid, sigmoid_prime
from .persistence import read_network_arrays, write_network_arrays

FORMAT_VERSION = 1

SATURATED = 1e-4
"""σ'(z) below this for every output neuron and example means the gradient has vanished (BP1)."""


class TrainingWarning(UserWarning):
    """Training runs but cannot learn: the warning names the likely cause (usually η)."""


@dataclass
class History:
    """What ``SGD`` measured, one entry per finished epoch, ready to plot.

    ``epochs`` counts the epochs finished; ``test_correct[i]`` is the number
    of test examples classified correctly after epoch ``i`` (out of
    ``n_test``), filled only with test data; ``training_cost[i]`` is the
    quadratic cost on the training data, filled only with ``monitor_cost=True``.
    """

    n_test: int = 0
    test_correct: list = field(default_factory=list)
    training_cost: list = field(default_factory=list)
    epochs: int = 0

    def __post_init__(self):
        self.epochs = max(self.epochs, len(self.test_correct), len(self.training_cost))

    @property
    def test_accuracy(self):
        """Test accuracy per epoch as fractions in [0, 1]."""
        return [c / self.n_test for c in self.test_correct]


class Network:
    """A feedforward network of sigmoid neurons trained by stochastic gradient descent."""

    def __init__(self, sizes, seed=None, dtype=np.float64):
        """``sizes`` lists the number of neurons in each layer.

        If the list was [2, 3, 1] then it would be a three-layer network, with
        the first layer containing 2 neurons, the second layer 3 neurons, and
        the third layer 1 neuron.  The first layer is the input layer and has
        no biases.  Weights and biases start as independent draws from the
        standard normal distribution N(0, 1), as in chapter 1, taken from the
        network's own random generator ``self.rng``; the same ``seed`` gives
        the same network and, since shuffling uses ``self.rng`` too, the same
        training run.  ``dtype`` is float64 (the book's precision) or float32
        (faster, and plenty for training).
        """
        self.sizes = _check_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.dtype = _check_dtype(dtype)
        self.rng = np.random.default_rng(_check_seed(seed))
        self.biases = [self.rng.standard_normal((y, 1), dtype=self.dtype) for y in self.sizes[1:]]
        self.weights = [self.rng.standard_normal((y, x), dtype=self.dtype)
                        for x, y in zip(self.sizes[:-1], self.sizes[1:])]

    def __repr__(self):
        return f"Network({self.sizes}, dtype={np.dtype(self.dtype).name})"

    # ----- feedforward -------------------------------------------------------------------
    def feedforward(self, a):
        """Return the output of the network if ``a`` is input: a' = σ(wa + b) (eq. 22) layer by layer.

        ``a`` is one column vector of shape (n_in, 1), or a batch of them side by
        side, shape (n_in, m), in which case the result is (n_out, m).
        """
        a = self._check_input(a)
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(w @ a + b)
        return a

    # ----- training -----------------------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, *,
            quiet=False, progress=False, monitor_cost=False, callback=None):
        """Train the network using mini-batch stochastic gradient descent.

        ``training_data`` is a list of tuples ``(x, y)`` representing the
        training inputs and the desired outputs.  If ``test_data`` is given the
        network is evaluated against it after each epoch and the book's line
        ``Epoch 0: 9129 / 10000`` is printed; this is useful for tracking
        progress, but slows things down a little.

        Beyond the book: ``quiet=True`` prints nothing; ``progress=True`` shows a
        tqdm progress bar over the mini-batches of each epoch (it renders in a
        notebook too); ``monitor_cost=True`` records the training cost (eq. 6)
        per epoch; ``callback(epoch, history)`` is called after every epoch and
        stops the training early if it returns False; the network it sees is
        up to date, and arrays it assigns to ``weights`` or ``biases`` are
        trained from the next epoch on.  Returns the ``History``.

        Data with NaN or infinite numbers are refused before training.  If the
        weights become infinite, training stops with a FloatingPointError; if
        every output neuron saturates (σ'(z) ≈ 0, so that BP1 gives no
        gradient), a ``TrainingWarning`` names η: both are the sign of a
        learning rate far too large.

        As in the book, training puts new arrays into ``weights`` and
        ``biases``: read them from the network after training, since an array
        taken out of it before keeps its old values.
        """
        check_count("epochs", epochs, minimum=0)
        check_count("mini_batch_size", mini_batch_size, minimum=1)
        eta = _check_eta(eta)
        X, Y = self._as_arrays(training_data, "training_data")
        if test_data is not None:
            X_test, labels_test = self._as_arrays(test_data, "test_data", labels=True)
        history = History(n_test=0 if test_data is None else len(labels_test))
        n = len(X)
        starts = range(0, n, mini_batch_size)
        warned = False
        for j in range(epochs):
            folded = self._fold(min(mini_batch_size, n))  # again each epoch: a callback may assign new weights
            order = self.rng.permutation(n)
            with _one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):  # _check_finite reports overflow
                for k in _progress_bar(starts, progress, f"Epoch {j}"):
                    folded.descend(X, Y, order[k:k + mini_batch_size], eta)
            history.epochs += 1
            self._check_finite(j, eta)
            warned = warned or self._warn_if_saturated(j, eta, X)
            if test_data is not None:
                history.test_correct.append(self._count_correct(X_test, labels_test))
            if monitor_cost:
                history.training_cost.append(self._cost_rows(X, Y))
            if not quiet:
                print(_epoch_line(j, history))
            if callback is not None and callback(j, history) is False:
                break
        return history

    def update_mini_batch(self, mini_batch, eta):
        """Apply one step of gradient descent (eqs. 20 and 21) using a single mini-batch.

        ``mini_batch`` is a list of tuples ``(x, y)``.  The gradient of the whole
        mini-batch is computed at once, in the matrix form of ``backprop_batch``.
        """
        X, Y = self._as_arrays(mini_batch, "mini_batch")
        self._fold(len(X)).descend(X, Y, np.arange(len(X)), _check_eta(eta))

    def update_mini_batch_per_example(self, mini_batch, eta):
        """The book's ``update_mini_batch``: sum ``backprop(x, y)`` over the examples one by one.

        Same result as ``update_mini_batch``, kept to show the algorithm as the
        book derives it and to test the matrix form against it.
        """
        eta = _check_eta(eta)
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [(w - (eta / len(mini_batch)) * nw).astype(self.dtype)
                        for w, nw in zip(self.weights, nabla_w)]
        self.biases = [(b - (eta / len(mini_batch)) * nb).astype(self.dtype)
                       for b, nb in zip(self.biases, nabla_b)]

    # ----- backpropagation ----------------------------------------------------------------
    def backprop(self, x, y):
        """Return ``(nabla_b, nabla_w)``, the gradient of the cost C_x for one example.

        ``nabla_b`` and ``nabla_w`` are layer-by-layer lists of arrays shaped
        like ``self.biases`` and ``self.weights``.  This is the book's code,
        equation by equation.
        """
        x = self._check_input(x)
        y = _target(y, self.sizes[-1], "y").reshape(-1, 1)  # an int label becomes its one-hot column, as in SGD
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]  # list to store all the activations, layer by layer
        zs = []  # list to store all the z vectors, layer by layer
        for b, w in zip(self.biases, self.weights):
            z = w @ activation + b  # (eq. 25)
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])  # (BP1)
        nabla_b[-1] = delta  # (BP3)
        nabla_w[-1] = delta @ activations[-2].T  # (BP4)
        for l in range(2, self.num_layers):
            delta = (self.weights[-l + 1].T @ delta) * sigmoid_prime(zs[-l])  # (BP2)
            nabla_b[-l] = delta  # (BP3)
            nabla_w[-l] = delta @ activations[-l - 1].T  # (BP4)
        return nabla_b, nabla_w

    def backprop_batch(self, X, Y):
        """The gradient of Σ_x C_x over a mini-batch, all examples at once.

        ``X`` is (n_in, m) and ``Y`` is (n_out, m): the mini-batch's inputs and
        desired outputs side by side as columns.  Returns ``(nabla_b,
        nabla_w)`` shaped like ``backprop``'s, summed over the m examples.
        Every equation is the one-example equation with the vector ``x``
        replaced by the matrix ``X``: Z = wX + b adds b to every column, and
        the sums over examples in BP3 and BP4 become a row sum and a matrix
        product.  ``folded.FoldedNetwork`` computes it, with the bias added as
        the weight of an input that is always 1, which turns BP3 into part of BP4.
        """
        X = self._check_input(X).astype(self.dtype, copy=False)
        Y = np.asarray(Y, dtype=self.dtype)
        if Y.shape != (self.sizes[-1], X.shape[1]):
            raise ValueError(f"Y has shape {Y.shape}, but for {X.shape[1]} examples and this network's "
                             f"{self.sizes[-1]} output neurons it must be ({self.sizes[-1]}, {X.shape[1]}): "
                             f"one desired output per column, like the columns of X")
        gradients = self._folded(X.shape[1]).gradient(X.T, Y.T, np.arange(X.shape[1]))
        return [g[:, -1:] for g in gradients], [g[:, :-1] for g in gradients]

    def cost_derivative(self, output_activations, y):
        """Return the vector of partial derivatives ∂C_x/∂a for the output activations."""
        return quadratic_cost_derivative(output_activations, y)

    # ----- evaluation ---------------------------------------------------------------------
    def evaluate(self, test_data):
        """Return the number of test inputs for which the network outputs the correct result.

        The network's output is taken to be the index of whichever neuron in
        the final layer has the highest activation.
        """
        X, labels = self._as_arrays(test_data, "test_data", labels=True)
        return self._count_correct(X, labels)

    def predict(self, X):
        """The digit the network picks for each column of ``X`` (n_in, m): an int array of length m."""
        return np.argmax(self.feedforward(X), axis=0)

    # ----- saving and loading --------------------------------------------------------------
    def save(self, path):
        """Write the network to ``path`` (.npz), atomically: a crash never leaves half a file."""
        write_network_arrays(path, FORMAT_VERSION, self.sizes, self.dtype, self.weights, self.biases)

    @classmethod
    def load(cls, path):
        """Read a network written by ``save``; a missing, corrupt or mismatched file raises ValueError."""
        sizes, dtype, weights, biases = read_network_arrays(path, FORMAT_VERSION)
        net = cls(sizes, dtype=dtype)
        net.weights, net.biases = weights, biases
        return net

    # ----- the fast path ------------------------------------------------------------------
    # The data are stored an example per row (n, n_in), so that picking a
    # mini-batch is one gather of contiguous rows.
    def _folded(self, batch_size):
        """The weights and biases, copied into a ``FoldedNetwork`` for mini-batches of up to ``batch_size``."""
        self._check_parameters()
        return FoldedNetwork(self.weights, self.biases, batch_size, self.cost_derivative, self.dtype)

    def _fold(self, batch_size):
        """``_folded``, adopted: ``weights`` and ``biases`` become views of the folded matrices, always up to date."""
        folded = self._folded(batch_size)
        self.weights, self.biases = folded.weights, folded.biases
        return folded

    def _count_correct(self, X, labels):
        return int(np.sum(self.predict(X.T) == labels))

    def _cost_rows(self, X, Y):
        return 0.5 * float(np.sum((self.feedforward(X.T) - Y.T) ** 2)) / len(X)  # (eq. 6)

    def _check_parameters(self):
        """A clear error if ``weights`` or ``biases`` were given arrays of the wrong shape or non-finite numbers."""
        needed = {"weights": [(y, x) for x, y in zip(self.sizes, self.sizes[1:])],
                  "biases": [(y, 1) for y in self.sizes[1:]]}
        for name, shapes in needed.items():
            actual = [np.shape(a) for a in getattr(self, name)]
            if actual != shapes:
                raise ValueError(f"net.{name} has shapes {actual}, but a {self.sizes} network needs {shapes}: "
                                 f"assign arrays of those shapes")
            bad = next((i for i, a in enumerate(getattr(self, name)) if not np.isfinite(a).all()), None)
            if bad is not None:
                raise ValueError(f"net.{name}[{bad}] holds NaN or infinite numbers: assign finite arrays "
                                 f"(or make a new Network) before training")

    def _check_finite(self, epoch, eta):
        if not all(np.isfinite(w).all() for w in self.weights + self.biases):
            raise FloatingPointError(
                f"the weights became infinite or NaN during epoch {epoch}: training diverged. "
                f"Try a smaller learning rate than eta={eta}.")

    def _warn_if_saturated(self, epoch, eta, X):
        """Warn if σ'(z) < ``SATURATED`` for every output neuron on the first 1,000 training inputs; True if so.

        Then BP1's δ = (a - y) σ'(z) is about 0 for every example: the gradient
        has vanished and training has stalled, most often because η is so large
        that the first steps drove the weighted inputs z far from 0.
        """
        a = self.feedforward(X[:1000].T)
        if np.max(a * (1 - a)) >= SATURATED:
            return False
        warnings.warn(f"after epoch {epoch} every output neuron is saturated (σ'(z) < {SATURATED:g} on the "
                      f"training inputs), so the gradient has vanished and the network cannot learn: the learning "
                      f"rate eta={eta:g} is far too large; try eta=3.0 or smaller", TrainingWarning, stacklevel=3)
        return True

    # ----- input checking -----------------------------------------------------------------
    def _check_input(self, a):
        a = np.asarray(a)
        if a.ndim == 1:
            a = a[:, None]
        if a.ndim != 2 or a.shape[0] != self.sizes[0]:
            raise ValueError(
                f"the input has shape {a.shape}, but this network's first layer has "
                f"{self.sizes[0]} neurons: pass a column vector of shape ({self.sizes[0]}, 1) "
                f"or a batch of columns of shape ({self.sizes[0]}, m)")
        return a

    def _as_arrays(self, data, name, labels=False):
        """The (x, y) pairs of ``data`` as rows: X (n, n_in), and Y (n, n_out) or int labels.

        One rule for every method: each x is a column (n_in, 1) (or flat,
        (n_in,)), as for ``feedforward``; each y a column (n_out, 1) or an int
        label; every number finite.  A list from ``mnist.load_data`` holds its
        pairs as rows already (``as_rows()``): those arrays are used directly.
        """
        n_in, n_out = self.sizes[0], self.sizes[-1]
        rows = data.as_rows() if hasattr(data, "as_rows") else None
        if rows is not None and len(rows[0]) and rows[0].shape[1:] == (n_in,) and (
                rows[1].shape[1:] == (n_out,) or rows[1].ndim == 1 and rows[1].max(initial=0) < n_out):
            X, Y = rows  # X stays float32: each mini-batch is converted as it is gathered, not all 50,000 rows at once
            if labels:
                return X, (Y if Y.ndim == 1 else np.argmax(Y, axis=1))
            return X, (np.eye(n_out, dtype=self.dtype)[Y] if Y.ndim == 1 else Y.astype(self.dtype, copy=False))
        try:
            pairs = list(data)
            xs = [np.asarray(x) for x, _ in pairs]
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a list of (x, y) pairs, as load_data() returns") from None
        if not pairs:
            raise ValueError(f"{name} is empty: it needs at least one (x, y) pair")
        bad = next((i for i, x in enumerate(xs) if x.shape != (n_in, 1) and x.shape != (n_in,)), None)
        if bad is not None:
            raise ValueError(f"{name}[{bad}] has an input x of shape {xs[bad].shape}, but this "
                             f"network's first layer has {n_in} neurons: x must be a column ({n_in}, 1)")
        try:
            X = np.array([x.reshape(-1) for x in xs], dtype=self.dtype)
        except (TypeError, ValueError):
            raise ValueError(f"{name} has inputs x that are not numbers: each x must be an array of floats") from None
        _check_finite_rows(X, name, "an input x")
        ys = [y for _, y in pairs]
        if labels:
            return X, np.array([_label(y, n_out, f"{name}[{i}]") for i, y in enumerate(ys)], dtype=np.int64)
        Y = np.array([_target(y, n_out, f"{name}[{i}]") for i, y in enumerate(ys)], dtype=self.dtype)
        _check_finite_rows(Y, name, "a desired output y")
        return X, Y


def _check_finite_rows(rows, name, what):
    """A clear error naming the first example whose row holds NaN or infinity."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(rows.sum()):  # one fast pass; only a sum that is not finite needs the search
            return
    bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
    if len(bad):
        raise ValueError(f"{name}[{bad[0]}] has {what} with NaN or infinite numbers ({len(bad)} example(s) in "
                         f"all): training needs finite data; fix or leave out those examples")


def _label(y, n_out, where):
    """A class index from an int label or a one-hot column; ``where`` names the example in errors."""
    if isinstance(y, np.ndarray) and y.ndim == 0:
        y = y.item()
    if np.ndim(y) == 0:
        if isinstance(y, (bool, np.bool_)) or not isinstance(y, Integral):
            raise ValueError(f"{where} has the label {y!r}, which is not an integer: a label is an int from 0 "
                             f"to {n_out - 1}, or give a desired output column of shape ({n_out}, 1)")
        if not 0 <= y < n_out:
            raise ValueError(f"{where} has label {y}, outside 0..{n_out - 1} for {n_out} outputs")
        return int(y)
    return int(np.argmax(_target(y, n_out, where)))


def _target(y, n_out, where):
    """A desired output as a flat vector of n_out numbers, from an int label or a column."""
    if np.ndim(y) == 0:
        onehot = np.zeros(n_out)
        onehot[_label(y, n_out, where)] = 1.0
        return onehot
    y = np.asarray(y)
    if y.shape != (n_out, 1) and y.shape != (n_out,):
        raise ValueError(f"{where} has a desired output y of shape {y.shape}, but this "
                         f"network's last layer has {n_out} neurons: y must be ({n_out}, 1)")
    return y.reshape(-1)


@functools.cache
def _blas_threads():
    return ThreadpoolController()


def _one_blas_thread():
    """A context in which BLAS (NumPy's and SciPy's) uses a single thread.

    A mini-batch's matrices are small: spreading one product over several
    threads costs more in waking and waiting than it saves, above all on a
    machine whose cores are busy with other work.
    """
    return _blas_threads().limit(limits=1, user_api="blas")


def _epoch_line(j, history):
    if history.n_test:
        return f"Epoch {j}: {history.test_correct[-1]} / {history.n_test}"
    return f"Epoch {j} complete"


def _progress_bar(iterable, show, description):
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=description, unit="batch", leave=False)


def _check_sizes(sizes):
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a list of layer sizes such as [784, 30, 10], got {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least 2 layers (input and output), got {sizes}")
    if not all(isinstance(s, Integral) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(f"sizes must be positive integers, got {sizes}")
    return [int(s) for s in sizes]


def _check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype.name}")
    return dtype.type


def _check_seed(seed):
    if seed is not None and (not isinstance(seed, Integral) or isinstance(seed, bool) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    return seed


def check_count(name, value, minimum):
    """``value`` as an int, if it is a whole number (int or NumPy integer) >= ``minimum``: 2.7 is not truncated."""
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_eta(eta):
    if not isinstance(eta, Real) or isinstance(eta, bool) or not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate eta must be a positive number, got {eta!r}: "
                         "try eta=3.0 as the book does")
    return float(eta)
