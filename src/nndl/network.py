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

from .costs import COSTS, QuadraticCost, check_cost
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
    cost on the training data, filled only with ``monitor_cost=True``.  The
    book's chapter 3 monitoring adds ``training_correct`` (out of
    ``n_training``) and ``evaluation_cost`` (the cost on the test data), and
    ``etas`` holds the learning rate used in each epoch (a schedule halves it).
    """

    n_test: int = 0
    test_correct: list = field(default_factory=list)
    training_cost: list = field(default_factory=list)
    epochs: int = 0
    n_training: int = 0
    training_correct: list = field(default_factory=list)
    evaluation_cost: list = field(default_factory=list)
    etas: list = field(default_factory=list)

    def __post_init__(self):
        self.epochs = max(self.epochs, len(self.test_correct), len(self.training_cost),
                          len(self.training_correct), len(self.evaluation_cost))

    @property
    def test_accuracy(self):
        """Test accuracy per epoch as fractions in [0, 1]."""
        return [c / self.n_test for c in self.test_correct]


class Network:
    """A feedforward network of sigmoid neurons trained by stochastic gradient descent."""

    def __init__(self, sizes, cost=None, seed=None, dtype=np.float64):
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

        ``cost`` is chapter 3's: ``QuadraticCost``, ``CrossEntropyCost`` or
        ``LogLikelihoodCost`` (softmax output layer) from ``nndl.costs``, or
        its name ("cross-entropy"...).  Given a cost, the weights start from
        ``default_weight_initializer`` (N(0, 1/n_in)), as in the book's
        ``network2.py``; without one (None), everything is chapter 1's.
        """
        self.sizes = _check_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.dtype = _check_dtype(dtype)
        self.cost = None if cost is None else check_cost(cost)
        self.rng = np.random.default_rng(_check_seed(seed))
        if self.cost is None:
            self.large_weight_initializer()
        else:
            self.default_weight_initializer()

    def default_weight_initializer(self):
        """Weights from N(0, 1/n_in), n_in the number of inputs of the neuron; biases from N(0, 1) (chapter 3).

        A neuron with n_in inputs of about 1 then has a weighted input z of
        standard deviation about 1 instead of √n_in, so that it starts far
        from saturation.
        """
        self.biases = [self.rng.standard_normal((y, 1), dtype=self.dtype) for y in self.sizes[1:]]
        self.weights = [self.rng.standard_normal((y, x), dtype=self.dtype) / self.dtype(np.sqrt(x))
                        for x, y in zip(self.sizes[:-1], self.sizes[1:])]

    def large_weight_initializer(self):
        """Weights and biases from N(0, 1), as in chapter 1 (the book's name for chapter 1's initialisation)."""
        self.biases = [self.rng.standard_normal((y, 1), dtype=self.dtype) for y in self.sizes[1:]]
        self.weights = [self.rng.standard_normal((y, x), dtype=self.dtype)
                        for x, y in zip(self.sizes[:-1], self.sizes[1:])]

    def __repr__(self):
        cost = "" if self.cost is None else f", cost={self.cost.__name__}"
        return f"Network({self.sizes}{cost}, dtype={np.dtype(self.dtype).name})"

    # ----- feedforward -------------------------------------------------------------------
    def feedforward(self, a):
        """Return the output of the network if ``a`` is input: a' = σ(wa + b) (eq. 22) layer by layer.

        ``a`` is one column vector of shape (n_in, 1), or a batch of them side by
        side, shape (n_in, m), in which case the result is (n_out, m).
        """
        a = self._check_input(a)
        for b, w in zip(self.biases[:-1], self.weights[:-1]):
            a = sigmoid(w @ a + b)
        return self._output_activation(self.weights[-1] @ a + self.biases[-1])

    def _output_activation(self, z):
        """σ(z), or softmax(z) for the log-likelihood cost (eq. 78)."""
        return sigmoid(z) if self.cost is None else self.cost.output_activation(z)

    # ----- training -----------------------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, *, lmbda=0.0, dropout=0.0,
            early_stopping_n=0, halve_eta_n=0, quiet=False, progress=False, monitor_cost=False,
            monitor_training_accuracy=False, monitor_evaluation_cost=False, callback=None):
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

        Chapter 3 (see ``nndl.network2`` for the book's own call):

        * ``lmbda`` > 0 is L2 regularisation: each step decays the weights,
          w ← (1 - ηλ/n) w - (η/m) Σ ∇C_x (eq. 93), n the size of the training
          set, m of the mini-batch; the biases are not decayed.
        * ``dropout`` = p drops each hidden neuron with probability p, afresh
          for every mini-batch; kept activations are divided by 1 - p
          ("inverted" dropout), so the trained network is used as it is: this
          is the same, in expectation, as the book's halving of the weights
          at test time (for p = ½).
        * ``test_data`` is the book's ``evaluation_data``: test or validation
          data.  ``early_stopping_n`` = n stops training after n epochs with
          no improvement of its accuracy; ``halve_eta_n`` = n halves η after
          n epochs without improvement and stops once η < η₀/128 (the
          schedule of the book's problems).
        * ``monitor_training_accuracy`` and ``monitor_evaluation_cost`` add
          to ``monitor_cost``; a cost includes the L2 term (λ/2n) Σ w² with n
          the size of the data measured, as in the book's ``total_cost``.
        """
        check_count("epochs", epochs, minimum=0)
        check_count("mini_batch_size", mini_batch_size, minimum=1)
        eta = _check_eta(eta)
        lmbda = _check_lmbda(lmbda)
        keep = 1.0 - _check_dropout(dropout)
        stall_limits = [check_count(name, value, minimum=0) for name, value in
                        (("early_stopping_n", early_stopping_n), ("halve_eta_n", halve_eta_n))]
        if test_data is None and (any(stall_limits) or monitor_evaluation_cost):
            raise ValueError("early_stopping_n, halve_eta_n and monitor_evaluation_cost need evaluation data: "
                             "pass test_data (for instance the validation data)")
        X, Y = self._as_arrays(training_data, "training_data")
        if test_data is not None:
            X_test, labels_test = self._as_arrays(test_data, "test_data", labels=True)
        n = len(X)
        history = History(n_test=0 if test_data is None else len(labels_test), n_training=n)
        starts = range(0, n, mini_batch_size)
        schedule = _Schedule(eta, *stall_limits)
        warned = False
        for j in range(epochs):
            eta = schedule.eta
            folded = self._fold(min(mini_batch_size, n))  # again each epoch: a callback may assign new weights
            order = self.rng.permutation(n)
            decay = 1.0 - eta * lmbda / n
            with _one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):  # _check_finite reports overflow
                for k in _progress_bar(starts, progress, f"Epoch {j}"):
                    folded.descend(X, Y, order[k:k + mini_batch_size], eta, decay, keep, self.rng)
            history.epochs += 1
            history.etas.append(eta)
            self._check_finite(j, eta)
            warned = warned or self._warn_if_saturated(j, eta, X)
            if monitor_cost:
                history.training_cost.append(self._total_cost(X, Y, lmbda))
            if monitor_training_accuracy:
                history.training_correct.append(self._count_correct(X, Y))
            if monitor_evaluation_cost:
                history.evaluation_cost.append(self._total_cost(X_test, labels_test, lmbda))
            if test_data is not None:
                history.test_correct.append(self._count_correct(X_test, labels_test))
            if not quiet:
                print(_epoch_line(j, history, chapter3=self.cost is not None))
            note = schedule.after_epoch(history.test_correct)
            if note and not quiet:
                print(note)
            if callback is not None and callback(j, history) is False or schedule.stopped:
                break
        return history

    def update_mini_batch(self, mini_batch, eta, lmbda=0.0, n=None):
        """Apply one step of gradient descent (eqs. 20 and 21) using a single mini-batch.

        ``mini_batch`` is a list of tuples ``(x, y)``.  The gradient of the whole
        mini-batch is computed at once, in the matrix form of ``backprop_batch``.
        With ``lmbda`` > 0 the weights decay as in eq. (93), ``n`` being the
        size of the whole training set.
        """
        X, Y = self._as_arrays(mini_batch, "mini_batch")
        eta = _check_eta(eta)
        self._fold(len(X)).descend(X, Y, np.arange(len(X)), eta, _decay(eta, lmbda, n))

    def update_mini_batch_per_example(self, mini_batch, eta, lmbda=0.0, n=None):
        """The book's ``update_mini_batch``: sum ``backprop(x, y)`` over the examples one by one.

        Same result as ``update_mini_batch``, kept to show the algorithm as the
        book derives it and to test the matrix form against it; ``lmbda`` and
        ``n`` as there.
        """
        eta = _check_eta(eta)
        decay = _decay(eta, lmbda, n)
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [(decay * w - (eta / len(mini_batch)) * nw).astype(self.dtype)
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
        activations[-1] = self._output_activation(zs[-1])
        if self.cost is None:
            delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])  # (BP1)
        else:
            delta = self.cost.delta(zs[-1], activations[-1], y)  # (BP1) for chapter 3's costs
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
        cost = None if self.cost is None else next(name for name, c in COSTS.items() if c is self.cost)
        write_network_arrays(path, FORMAT_VERSION, self.sizes, self.dtype, self.weights, self.biases, cost)

    @classmethod
    def load(cls, path):
        """Read a network written by ``save``, with its cost; a missing, corrupt or mismatched file raises ValueError."""
        sizes, dtype, weights, biases, cost = read_network_arrays(path, FORMAT_VERSION)
        if cost is not None and cost not in COSTS:
            raise ValueError(f"{path} names the cost {cost!r}, which this version of nndl does not know "
                             f"({', '.join(COSTS)})")
        net = cls(sizes, cost=cost, dtype=dtype)
        net.weights, net.biases = weights, biases
        return net

    # ----- the fast path ------------------------------------------------------------------
    # The data are stored an example per row (n, n_in), so that picking a
    # mini-batch is one gather of contiguous rows.
    def _folded(self, batch_size):
        """The weights and biases, copied into a ``FoldedNetwork`` for mini-batches of up to ``batch_size``."""
        self._check_parameters()
        if self.cost is None:
            output_delta, softmax_output = self._quadratic_output_delta, False
        else:
            output_delta, softmax_output = self.cost.output_delta, self.cost.output_activation is not sigmoid
        return FoldedNetwork(self.weights, self.biases, batch_size, output_delta, self.dtype, softmax_output)

    def _quadratic_output_delta(self, a, y):
        """Chapter 1's BP1 from the outputs: ``cost_derivative`` ⊙ σ'(z), with σ'(z) = a(1 - a)."""
        delta = self.cost_derivative(a, y)
        delta *= a
        delta *= 1 - a
        return delta

    def _fold(self, batch_size):
        """``_folded``, adopted: ``weights`` and ``biases`` become views of the folded matrices, always up to date."""
        folded = self._folded(batch_size)
        self.weights, self.biases = folded.weights, folded.biases
        return folded

    def _outputs(self, X, Y):
        """(outputs, desired) for the rows of ``X`` and ``Y``, 10,000 rows at a time (``X`` may be made on demand)."""
        for start in range(0, len(X), 10_000):
            rows = slice(start, start + 10_000)
            yield self.feedforward(np.asarray(X[rows]).T), Y[rows]

    def _count_correct(self, X, Y):
        """How many rows of ``X`` the network classifies right; ``Y`` holds int labels or desired output rows."""
        return sum(int(np.sum(np.argmax(a, axis=0) == (y if y.ndim == 1 else np.argmax(y, axis=1))))
                   for a, y in self._outputs(X, Y))

    def _total_cost(self, X, Y, lmbda=0.0):
        """The mean cost over the rows, plus (λ/2n) Σ w² (the book's ``total_cost``); chapter 1: eq. (6)."""
        cost = self.cost or QuadraticCost
        total = sum(cost.fn(a, (np.eye(self.sizes[-1])[y] if y.ndim == 1 else y).T) for a, y in self._outputs(X, Y))
        return total / len(X) + 0.5 * lmbda / len(X) * sum(float(np.sum(w * w)) for w in self.weights)

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
        if self.cost not in (None, QuadraticCost):  # cross-entropy and log-likelihood have no σ'(z) in BP1
            return False
        a = self.feedforward(np.asarray(X[:1000]).T)
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


def _epoch_line(j, history, chapter3=False, evaluation_accuracy=True):
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


class _Schedule:
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


def _decay(eta, lmbda, n):
    """The weight decay factor 1 - ηλ/n of eq. (93); ``n`` (the training set's size) is needed only when λ > 0."""
    lmbda = _check_lmbda(lmbda)
    if lmbda == 0:
        return 1.0
    return 1.0 - eta * lmbda / check_count("n (the size of the training set)", n, minimum=1)


def _check_lmbda(lmbda):
    if not isinstance(lmbda, Real) or isinstance(lmbda, bool) or not math.isfinite(lmbda) or lmbda < 0:
        raise ValueError(f"the L2 regularisation parameter lmbda must be a number >= 0, got {lmbda!r}: "
                         "try lmbda=5.0 as the book does for 50,000 images")
    return float(lmbda)


def _check_dropout(p):
    if not isinstance(p, Real) or isinstance(p, bool) or not 0 <= p < 1:
        raise ValueError(f"dropout is the probability of dropping a hidden neuron, from 0 up to (not "
                         f"including) 1, got {p!r}: try dropout=0.5 as the book does")
    return float(p)


def _check_eta(eta):
    if not isinstance(eta, Real) or isinstance(eta, bool) or not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate eta must be a positive number, got {eta!r}: "
                         "try eta=3.0 as the book does")
    return float(eta)
