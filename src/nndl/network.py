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

The class keeps the book's order: ``__init__`` and the weight initialisers,
``feedforward``, ``SGD``, ``update_mini_batch``, ``backprop``, ``evaluate``,
``cost_derivative``; then the matrix form and ``save`` / ``load``.  What is
not the algorithm lives beside it: the input checks and the conversion of
``(x, y)`` pairs into rows in ``nndl.checking``, and what ``SGD`` records,
prints and decides between epochs in ``nndl.training``.
"""
import numpy as np

from .activations import ACTIVATIONS, check_activation
from .checking import (as_rows, as_target, check_count, check_dropout, check_dtype, check_eta,
                       check_evaluation_data, check_input, check_lmbda, check_mu, check_not_empty,
                       check_parameter_shapes, check_parameters, check_seed, check_sizes, classes)
from .costs import COSTS, check_cost
from .folded import FoldedNetwork
from .functions import quadratic_cost_derivative, sigmoid, sigmoid_prime
from .persistence import read_network_arrays, write_network_arrays
from .training import (History, Schedule, TrainingWarning, check_finite, count_correct, epoch_line, layer_speeds,
                       one_blas_thread, progress_bar, saturation, total_cost, warn_if_saturated, weight_decay)

FORMAT_VERSION = 1


class Network:
    """A feedforward network of sigmoid neurons (or tanh, ReLU) trained by stochastic gradient descent."""

    def __init__(self, sizes, cost=None, seed=None, dtype=np.float64, activation="sigmoid"):
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

        A single output neuron makes a binary classifier: its labels are 0
        and 1, and it answers 1 when its output is above ½.  A softmax layer
        needs at least two neurons, so ``LogLikelihoodCost`` is refused there.

        ``activation`` is the hidden neurons' function: "sigmoid" (the
        book's), "tanh" or "relu" (chapter 3's other neuron models, see
        ``nndl.activations``).  The output layer is sigmoid (or softmax) in
        every case.
        """
        self.sizes = check_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.dtype = check_dtype(dtype)
        self.cost = None if cost is None else check_cost(cost, self.sizes[-1])
        self.activation = check_activation(activation)
        self.rng = np.random.default_rng(check_seed(seed))
        if self.cost is None:
            self.large_weight_initializer()
        else:
            self.default_weight_initializer()

    def default_weight_initializer(self):
        """Weights from N(0, 1/n_in), n_in the number of inputs of the neuron; biases from N(0, 1) (chapter 3).

        A neuron with n_in inputs of about 1 then has a weighted input z of
        standard deviation about 1 instead of √n_in, so that it starts far
        from saturation.  The layers after ReLU neurons, which output 0 for
        about half their inputs, get N(0, 2/n_in) instead, to keep that spread.
        """
        self.biases = [self.rng.standard_normal((y, 1), dtype=self.dtype) for y in self.sizes[1:]]
        variances = [1.0] + [self.activation.weight_variance] * (self.num_layers - 2)  # by what feeds the layer
        self.weights = [self.rng.standard_normal((y, x), dtype=self.dtype) / self.dtype(np.sqrt(x / v))
                        for x, y, v in zip(self.sizes[:-1], self.sizes[1:], variances)]

    def large_weight_initializer(self):
        """Weights and biases from N(0, 1), as in chapter 1 (the book's name for chapter 1's initialisation)."""
        self.biases = [self.rng.standard_normal((y, 1), dtype=self.dtype) for y in self.sizes[1:]]
        self.weights = [self.rng.standard_normal((y, x), dtype=self.dtype)
                        for x, y in zip(self.sizes[:-1], self.sizes[1:])]

    # ----- feedforward -------------------------------------------------------------------
    def feedforward(self, a):
        """Return the output of the network if ``a`` is input: a' = σ(wa + b) (eq. 22) layer by layer.

        ``a`` is one column vector of shape (n_in, 1), or a batch of them side by
        side, shape (n_in, m), in which case the result is (n_out, m).
        """
        a = check_input(a, self.sizes[0])
        check_parameter_shapes(self.sizes, self.weights, self.biases)
        for b, w in zip(self.biases[:-1], self.weights[:-1]):
            a = self.activation.fn(w @ a + b)
        return self._output_activation(self.weights[-1] @ a + self.biases[-1])

    # ----- training -----------------------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, *, lmbda=0.0, mu=0.0, dropout=0.0,
            early_stopping_n=0, halve_eta_n=0, quiet=False, progress=False, monitor_cost=False,
            monitor_training_accuracy=False, monitor_evaluation_cost=False, track_layer_speeds=False,
            callback=None):
        """Train the network using mini-batch stochastic gradient descent.

        ``training_data`` is a list of tuples ``(x, y)`` representing the
        training inputs and the desired outputs.  If ``test_data`` is given the
        network is evaluated against it after each epoch and the book's line
        ``Epoch 0: 9129 / 10000`` is printed; this is useful for tracking
        progress, but slows things down a little.

        Beyond the book: ``quiet=True`` prints nothing; ``progress=True`` shows a
        tqdm progress bar over the mini-batches of each epoch (it renders in a
        notebook too); ``monitor_cost=True`` records the training cost (eq. 6, or
        the chapter 3 cost given) per epoch; ``callback(epoch, history)`` is called after every epoch and
        stops the training early if it returns False; the network it sees is
        up to date, and arrays it assigns to ``weights`` or ``biases`` are
        trained from the next epoch on.  Returns the ``History``.

        Data with NaN or infinite numbers are refused before training.  If the
        weights become infinite, training stops with a FloatingPointError; if
        every output neuron saturates (σ'(z) ≈ 0, so that BP1 gives no
        gradient; with chapter 3's costs, every neuron of the last hidden
        layer, for BP2), a ``TrainingWarning`` names η: both are the sign of
        a learning rate far too large (or, if the network started that way,
        of initial weights too large for its layers).

        As in the book, training puts new arrays into ``weights`` and
        ``biases``: read them from the network after training, since an array
        taken out of it before keeps its old values.

        Chapter 3 (see ``nndl.network2`` for the book's own call):

        * ``lmbda`` > 0 is L2 regularisation: each step decays the weights,
          w ← (1 - ηλ/n) w - (η/m) Σ ∇C_x (eq. 93), n the size of the training
          set, m of the mini-batch; the biases are not decayed.
        * ``mu`` > 0 is momentum-based gradient descent (eqs. 107-108): every
          weight and bias has a velocity v, zero at the start of ``SGD``, and
          each step is v ← μv - η∇C, then w ← w + v (∇C with λ's term
          (λ/n) w).  μ = 0 is plain gradient descent; 1 - μ is the friction.
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

        Chapter 5: ``track_layer_speeds=True`` records each hidden layer's
        speed of learning ‖δ^l‖ on the training data (``training.layer_speeds``)
        before training and after each epoch, in ``history.layer_speeds``.
        """
        check_count("epochs", epochs, minimum=0)
        check_count("mini_batch_size", mini_batch_size, minimum=1)
        eta = check_eta(eta)
        lmbda = check_lmbda(lmbda)
        mu = check_mu(mu)
        keep = 1.0 - check_dropout(dropout, self.sizes)
        stall_limits = [check_count(name, value, minimum=0) for name, value in
                        (("early_stopping_n", early_stopping_n), ("halve_eta_n", halve_eta_n))]
        check_evaluation_data(test_data, "test_data", early_stopping_n=early_stopping_n, halve_eta_n=halve_eta_n,
                              monitor_evaluation_cost=monitor_evaluation_cost)
        X, Y = as_rows(training_data, "training_data", self.sizes, self.dtype)
        if test_data is not None:
            X_test, labels_test = as_rows(test_data, "test_data", self.sizes, self.dtype, labels=True)
        n = len(X)
        history = History(n_test=0 if test_data is None else len(labels_test), n_training=n)
        schedule = Schedule(eta, *stall_limits)
        check_parameters(self.sizes, self.weights, self.biases)  # before the line below computes with them
        with one_blas_thread():  # tells a saturation that training causes from one it starts with
            saturated_before = saturation(self, X[:100])
        warned = False
        if track_layer_speeds:
            history.layer_speeds.append(layer_speeds(self, X, Y))
        velocities = None  # momentum's: one per weight and bias, zero at the start, kept from epoch to epoch
        for j in range(epochs):
            eta = schedule.eta
            folded = self._fold(min(mini_batch_size, n))  # again each epoch: a callback may assign new weights
            if mu and velocities is None:
                velocities = [np.zeros_like(p) for p in folded.params]  # shaped like the folded [w | b]
            order = self.rng.permutation(n)
            decay = weight_decay(eta, lmbda, n)
            bar = lambda batch_starts: progress_bar(batch_starts, progress, f"Epoch {j}")
            with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):  # check_finite reports overflow
                folded.descend(X, Y, order, eta, decay, keep, self.rng, bar, mu, velocities)
            history.epochs += 1
            history.etas.append(eta)
            check_finite(self, eta, f"during epoch {j}")
            warned = warned or warn_if_saturated(self, j, eta, X, saturated_before)
            if monitor_cost:
                history.training_cost.append(total_cost(self, X, Y, lmbda))
            if monitor_training_accuracy:
                history.training_correct.append(count_correct(self, X, Y))
            if monitor_evaluation_cost:
                history.evaluation_cost.append(total_cost(self, X_test, labels_test, lmbda))
            if test_data is not None:
                history.test_correct.append(count_correct(self, X_test, labels_test))
            if track_layer_speeds:
                history.layer_speeds.append(layer_speeds(self, X, Y))
            if not quiet:
                print(epoch_line(j, history, chapter3=self.cost is not None))
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
        X, Y = as_rows(mini_batch, "mini_batch", self.sizes, self.dtype)
        eta = check_eta(eta)
        with np.errstate(over="ignore", invalid="ignore"):  # check_finite reports overflow
            self._fold(len(X)).descend(X, Y, np.arange(len(X)), eta, weight_decay(eta, lmbda, n))
        check_finite(self, eta, "in this step")

    def update_mini_batch_per_example(self, mini_batch, eta, lmbda=0.0, n=None):
        """The book's ``update_mini_batch``: sum ``backprop(x, y)`` over the examples one by one.

        Same result as ``update_mini_batch``, kept to show the algorithm as the
        book derives it and to test the matrix form against it; ``lmbda`` and
        ``n`` as there.
        """
        check_not_empty(mini_batch, "mini_batch")
        eta = check_eta(eta)
        decay = weight_decay(eta, lmbda, n)
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        with np.errstate(over="ignore", invalid="ignore"):  # check_finite reports overflow
            self.weights = [(decay * w - (eta / len(mini_batch)) * nw).astype(self.dtype)
                            for w, nw in zip(self.weights, nabla_w)]
            self.biases = [(b - (eta / len(mini_batch)) * nb).astype(self.dtype)
                           for b, nb in zip(self.biases, nabla_b)]
        check_finite(self, eta, "in this step")

    # ----- backpropagation ----------------------------------------------------------------
    def backprop(self, x, y):
        """Return ``(nabla_b, nabla_w)``, the gradient of the cost C_x for one example.

        ``nabla_b`` and ``nabla_w`` are layer-by-layer lists of arrays shaped
        like ``self.biases`` and ``self.weights``.  This is the book's code,
        equation by equation.
        """
        x = check_input(x, self.sizes[0])
        check_parameter_shapes(self.sizes, self.weights, self.biases)
        y = as_target(y, self.sizes[-1], "y").reshape(-1, 1)  # an int label becomes its one-hot column, as in SGD
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]  # list to store all the activations, layer by layer
        zs = []  # list to store all the z vectors, layer by layer
        for b, w in zip(self.biases, self.weights):
            z = w @ activation + b  # (eq. 25)
            zs.append(z)
            activation = self.activation.fn(z)  # σ(z) in the book; the output layer's is set below
            activations.append(activation)
        activations[-1] = self._output_activation(zs[-1])
        if self.cost is None:
            delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])  # (BP1)
        else:
            delta = self.cost.delta(zs[-1], activations[-1], y)  # (BP1) for chapter 3's costs
        nabla_b[-1] = delta  # (BP3)
        nabla_w[-1] = delta @ activations[-2].T  # (BP4)
        for l in range(2, self.num_layers):
            delta = (self.weights[-l + 1].T @ delta) * self.activation.prime(zs[-l])  # (BP2), σ'(z) in the book
            nabla_b[-l] = delta  # (BP3)
            nabla_w[-l] = delta @ activations[-l - 1].T  # (BP4)
        return nabla_b, nabla_w

    # ----- evaluation and the cost's derivative ---------------------------------------------
    def evaluate(self, test_data):
        """Return the number of test inputs for which the network outputs the correct result.

        The network's output is taken to be the index of whichever neuron in
        the final layer has the highest activation; a single output neuron
        answers 1 if its activation is above ½, else 0.
        """
        X, labels = as_rows(test_data, "test_data", self.sizes, self.dtype, labels=True)
        return count_correct(self, X, labels)

    def cost_derivative(self, output_activations, y):
        """Return the vector of partial derivatives ∂C_x/∂a for the output activations."""
        return quadratic_cost_derivative(output_activations, y)

    # ----- the matrix form -----------------------------------------------------------------
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
        X = check_input(X, self.sizes[0]).astype(self.dtype, copy=False)
        Y = np.asarray(Y, dtype=self.dtype)
        if Y.shape != (self.sizes[-1], X.shape[1]):
            raise ValueError(f"Y has shape {Y.shape}, but for {X.shape[1]} examples and this network's "
                             f"{self.sizes[-1]} output neurons it must be ({self.sizes[-1]}, {X.shape[1]}): "
                             f"one desired output per column, like the columns of X")
        gradients = self._folded(X.shape[1]).gradient(X.T, Y.T)
        return [g[:, -1:] for g in gradients], [g[:, :-1] for g in gradients]

    def predict(self, X):
        """The class (the digit) the network picks for each column of ``X`` (n_in, m): an int array of length m."""
        return classes(self.feedforward(X))

    def _output_activation(self, z):
        """σ(z), or softmax(z) for the log-likelihood cost (eq. 78)."""
        return sigmoid(z) if self.cost is None else self.cost.output_activation(z)

    # The data are stored an example per row (n, n_in), so that picking a
    # mini-batch is one gather of contiguous rows.
    def _folded(self, batch_size):
        """The weights and biases, copied into a ``FoldedNetwork`` for mini-batches of up to ``batch_size``."""
        check_parameters(self.sizes, self.weights, self.biases)
        if self.cost is None:
            output_delta, softmax_output = self._quadratic_output_delta, False
        else:
            output_delta, softmax_output = self.cost.output_delta, self.cost.output_activation is not sigmoid
        return FoldedNetwork(self.weights, self.biases, batch_size, output_delta, self.dtype, softmax_output,
                             self.activation)

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

    # ----- saving and loading --------------------------------------------------------------
    def save(self, path):
        """Write the network to ``path`` (.npz), atomically: a crash never leaves half a file.

        The weights and biases are written in the network's dtype; any that
        ``load`` would refuse (of the wrong shape, or holding NaN or infinity,
        as after training diverged) are refused first: a good file is never
        replaced by one that cannot be read.
        """
        cost = next((name for name, c in COSTS.items() if c is self.cost), None)
        if cost is None and self.cost is not None:
            raise ValueError(f"cannot save a network whose cost is {self.cost!r}: the file names its cost, and "
                             f"load() knows only {', '.join(COSTS)}")
        try:
            with np.errstate(over="ignore"):  # a number too large for the dtype becomes inf, refused below
                weights = [np.asarray(w, self.dtype) for w in self.weights]
                biases = [np.asarray(b, self.dtype) for b in self.biases]
            check_parameters(self.sizes, weights, biases)
        except ValueError as e:
            raise ValueError(f"cannot save the network to {path}, since load() would refuse the file: {e}") from None
        write_network_arrays(path, FORMAT_VERSION, self.sizes, self.dtype, weights, biases, cost,
                             self.activation.name)

    @classmethod
    def load(cls, path):
        """Read a network written by ``save``, with its cost; a missing, corrupt or mismatched file raises ValueError."""
        sizes, dtype, weights, biases, cost, activation = read_network_arrays(path, FORMAT_VERSION)
        if cost is not None and cost not in COSTS:
            raise ValueError(f"{path} names the cost {cost!r}, which this version of nndl does not know "
                             f"({', '.join(COSTS)})")
        if activation not in ACTIVATIONS:
            raise ValueError(f"{path} names the activation {activation!r}, which this version of nndl does not "
                             f"know ({', '.join(ACTIVATIONS)})")
        try:
            net = cls(sizes, cost=cost, dtype=dtype, activation=activation)
        except ValueError as e:  # a cost that does not fit the layers, such as a softmax of one neuron
            raise ValueError(f"{path}: {e}") from None
        net.weights, net.biases = weights, biases
        return net

    def __repr__(self):
        cost = "" if self.cost is None else f", cost={self.cost.__name__}"
        activation = "" if self.activation.name == "sigmoid" else f", activation={self.activation.name!r}"
        return f"Network({self.sizes}{cost}{activation}, dtype={np.dtype(self.dtype).name})"
