"""The book's ``network2.py`` names, on top of ``nndl.Network`` (introduced in notebook 08).

The book's chapter 3 session runs as it is::

    >>> from nndl import mnist, network2
    >>> training_data, validation_data, test_data = mnist.load_data()
    >>> net = network2.Network([784, 30, 10], cost=network2.CrossEntropyCost)
    >>> net.large_weight_initializer()
    >>> evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = net.SGD(
    ...     training_data, 30, 10, 0.5, evaluation_data=test_data, monitor_evaluation_accuracy=True)
    >>> net.accuracy(test_data), net.total_cost(training_data, 0.0)
    >>> net.save("net.json")
    >>> net = network2.load("net.json")

There is no second implementation here: ``Network`` is ``nndl.Network`` with
the cross-entropy cost as default and the book's ``SGD`` signature, which
returns the four lists of what was monitored (accuracies as counts of correct
examples, as in the book).  ``accuracy`` and ``total_cost`` take the book's
``convert`` flag, and refuse one that does not fit the data.  ``save`` writes
the book's JSON format, so that the book's own ``load`` reads the file; ``load``
reads the book's files, and the .npz files of ``nndl.Network.save`` too.
"""
import json
from pathlib import Path

import numpy as np

from . import network, training
from .checking import (as_rows, as_target, check_evaluation_data, check_lmbda, check_parameter_shapes,
                       check_parameters, check_sizes)
from .costs import COSTS, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from .persistence import atomic_write

__all__ = ["Network", "QuadraticCost", "CrossEntropyCost", "LogLikelihoodCost", "load", "vectorized_result"]

COSTS_BY_CLASS_NAME = {cost.__name__: cost for cost in COSTS.values()}
"""The costs by the names the book's JSON files give them ("CrossEntropyCost")."""

Y_FORMS = {True: "int labels", False: "one-hot vectors"}
Y_FORMS_FOUND_IN = {True: "validation and test data", False: "training data"}


class Network(network.Network):
    """``nndl.Network`` with the book's chapter 3 defaults: cross-entropy cost, N(0, 1/n_in) weights."""

    def __init__(self, sizes, cost=CrossEntropyCost, seed=None, dtype=np.float64, **options):
        """The book's ``Network(sizes, cost)``; the other options of ``nndl.Network`` pass through."""
        super().__init__(sizes, cost=cost, seed=seed, dtype=dtype, **options)

    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0, evaluation_data=None,
            monitor_evaluation_cost=False, monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, early_stopping_n=0, **options):
        """The book's ``SGD``; returns ``(evaluation_cost, evaluation_accuracy, training_cost, training_accuracy)``.

        Each list holds one number per epoch for what was monitored, and is
        empty otherwise.  The book's transcript is printed (``quiet=True``
        silences it); other options of ``nndl.Network.SGD`` (``dropout``,
        ``halve_eta_n``, ``seed`` is the constructor's) pass through.
        Monitoring the evaluation data, or stopping early, without
        ``evaluation_data`` is an error, as in ``nndl.Network.SGD``.
        """
        check_evaluation_data(evaluation_data, "evaluation_data", monitor_evaluation_cost=monitor_evaluation_cost,
                              monitor_evaluation_accuracy=monitor_evaluation_accuracy,
                              early_stopping_n=early_stopping_n, halve_eta_n=options.get("halve_eta_n", 0))
        quiet = options.pop("quiet", False)

        def transcript(epoch, history):
            if not quiet:
                print(training.epoch_line(epoch, history, chapter3=True,
                                          evaluation_accuracy=monitor_evaluation_accuracy))

        history = super().SGD(training_data, epochs, mini_batch_size, eta, test_data=evaluation_data, lmbda=lmbda,
                              early_stopping_n=early_stopping_n, monitor_cost=monitor_training_cost,
                              monitor_training_accuracy=monitor_training_accuracy,
                              monitor_evaluation_cost=monitor_evaluation_cost, quiet=True, callback=transcript,
                              **options)
        return (history.evaluation_cost, history.test_correct if monitor_evaluation_accuracy else [],
                history.training_cost, history.training_correct)

    def accuracy(self, data, convert=False):
        """Return the number of examples in ``data`` that the network classifies right (an int).

        The book's flag ``convert`` says how ``data`` gives its desired
        outputs: False for int labels (validation and test data, the usual
        case), True for one-hot vectors (training data), which must then be
        converted into labels.  A ``convert`` that does not fit the data is
        an error rather than a wrong count.
        """
        X, labels = as_rows(data, "data", self.sizes, self.dtype, labels=True)
        _check_convert(data, convert, "accuracy", labels_when=False)
        return training.count_correct(self, X, labels)

    def total_cost(self, data, lmbda, convert=False):
        """Return the mean cost over ``data`` plus the L2 term (λ/2n) Σ w², n the number of examples.

        ``convert`` is the other way round from ``accuracy``: False for
        one-hot vectors (training data, the usual case), True for int labels
        (validation and test data), which must then be converted into vectors
        (``vectorized_result``).
        """
        X, Y = as_rows(data, "data", self.sizes, self.dtype)
        _check_convert(data, convert, "total_cost", labels_when=True)
        return training.total_cost(self, X, Y, check_lmbda(lmbda))

    def save(self, filename):
        """Write the network to ``filename`` in the book's JSON format, atomically.

        The file holds a dict: the layer ``sizes``, the ``weights`` and
        ``biases`` as nested lists, and the name of the ``cost`` class, as the
        book's ``save`` writes it; the book's own ``load`` reads it.  A crash
        never leaves half a file, and weights that ``load`` would refuse (NaN
        or infinite, as after training diverged) are refused first.
        """
        if self.activation.name != "sigmoid":
            raise ValueError(f"the book's JSON format has no place for the hidden neurons' activation (its networks "
                             f"are sigmoid throughout), so this {self.activation.name} network would load as a "
                             f"sigmoid one: save it with nndl.Network.save(net, {str(filename)!r}), an .npz file")
        cost = self.cost or QuadraticCost  # chapter 1's network (no cost given) computes the quadratic cost
        if cost not in COSTS_BY_CLASS_NAME.values():
            raise ValueError(f"cannot save a network whose cost is {cost!r}: the file names its cost, and "
                             f"load() knows only {', '.join(COSTS_BY_CLASS_NAME)}")
        try:
            check_parameters(self.sizes, self.weights, self.biases)
        except ValueError as e:
            raise ValueError(f"cannot save the network to {filename}, since load() would refuse the file: "
                             f"{e}") from None
        book_format = {"sizes": self.sizes, "weights": [w.tolist() for w in self.weights],
                       "biases": [b.tolist() for b in self.biases], "cost": cost.__name__}
        with atomic_write(filename) as f:
            f.write(json.dumps(book_format).encode())

    @classmethod
    def load(cls, filename):
        """Read a network from the book's JSON or an .npz of ``nndl.Network.save``, told apart by content.

        A JSON file gives float64 arrays, as in the book.  A file that is
        neither, or is corrupt, or whose arrays do not fit its sizes, raises
        ValueError naming the file and the problem.
        """
        path = Path(filename).expanduser()
        if not path.is_file() or _starts_like_a_zip(path):  # .npz; a missing file, a folder... are reported there
            return super().load(filename)
        sizes, weights, biases, cost = _read_book_json(path)
        try:
            net = cls(sizes, cost=cost)
        except ValueError as e:  # a cost that does not fit the layers, such as a softmax of one neuron
            raise ValueError(f"{path}: {e}") from None
        net.weights, net.biases = weights, biases
        return net


def load(filename):
    """Load a network saved with ``save`` (the book's module-level ``load``); see ``Network.load``."""
    return Network.load(filename)


def vectorized_result(j):
    """The desired output for the digit ``j``: a (10, 1) column of zeros with 1.0 in row ``j``."""
    return as_target(j, 10, "j").reshape(10, 1)


def _check_convert(data, convert, method, labels_when):
    """A clear error unless ``data``'s desired outputs are int labels exactly when ``convert == labels_when``.

    ``convert=True`` tells ``method`` to convert the desired outputs into
    the form it computes with: ``accuracy`` (``labels_when=False``) turns
    one-hot vectors into labels, ``total_cost`` (``labels_when=True``)
    labels into vectors.  ``data`` is a list of (x, y) pairs that
    ``as_rows`` has accepted.
    """
    rows = data.as_rows() if hasattr(data, "as_rows") else None
    holds_labels = rows[1].ndim == 1 if rows is not None else all(np.ndim(y) == 0 for _, y in data)
    if holds_labels != (bool(convert) == labels_when):
        raise ValueError(f"convert={convert!r} does not fit this data: its desired outputs y are "
                         f"{Y_FORMS[holds_labels]} (as in {Y_FORMS_FOUND_IN[holds_labels]}), and convert=True tells "
                         f"{method} to convert {Y_FORMS[labels_when]} into {Y_FORMS[not labels_when]}: "
                         f"pass convert={holds_labels == labels_when}")


def _starts_like_a_zip(path):
    """True if the file at ``path`` begins as a zip archive does (an .npz file), however damaged it is."""
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _read_book_json(path):
    """``(sizes, weights, biases, cost)`` from a file in the book's JSON format; a clear ValueError otherwise."""
    try:
        saved = json.loads(path.read_bytes())
    except ValueError as e:  # not JSON, or cut short
        raise ValueError(f"{path} is not a saved network, or is corrupt: it is neither an .npz file nor valid "
                         f"JSON ({e})") from None
    missing = [key for key in ("sizes", "weights", "biases", "cost") if not isinstance(saved, dict) or key not in saved]
    if missing:
        raise ValueError(f"{path} is not a network in the book's JSON format: it lacks {missing}")
    cost = COSTS_BY_CLASS_NAME.get(saved["cost"]) if isinstance(saved["cost"], str) else None
    if cost is None:
        raise ValueError(f"{path} names the cost {saved['cost']!r}, which nndl does not know (it knows "
                         f"{', '.join(COSTS_BY_CLASS_NAME)})")
    try:
        sizes = check_sizes(saved["sizes"])
        weights = [np.array(w, dtype=np.float64) for w in saved["weights"]]
        biases = [np.array(b, dtype=np.float64) for b in saved["biases"]]
        check_parameter_shapes(sizes, weights, biases)
    except (TypeError, ValueError, OverflowError) as e:  # not numbers, lists of uneven length, the wrong shapes
        raise ValueError(f"{path} is inconsistent, not a network in the book's JSON format: {e}") from None
    if not all(np.isfinite(a).all() for a in weights + biases):
        raise ValueError(f"{path} is not a usable network: its weights or biases hold NaN or infinite numbers, as "
                         f"when training diverged; save a network that trained with a smaller eta")
    return sizes, weights, biases, cost
