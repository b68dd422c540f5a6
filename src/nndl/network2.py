"""The book's ``network2.py`` names, on top of ``nndl.Network`` (introduced in notebook 08).

The book's chapter 3 session runs as it is::

    >>> from nndl import mnist, network2
    >>> training_data, validation_data, test_data = mnist.load_data()
    >>> net = network2.Network([784, 30, 10], cost=network2.CrossEntropyCost)
    >>> net.large_weight_initializer()
    >>> evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = net.SGD(
    ...     training_data, 30, 10, 0.5, evaluation_data=test_data, monitor_evaluation_accuracy=True)

There is no second implementation here: ``Network`` is ``nndl.Network`` with
the cross-entropy cost as default and the book's ``SGD`` signature, which
returns the four lists of what was monitored (accuracies as counts of correct
examples, as in the book).  ``save`` writes the package's .npz format (with
the cost's name) rather than the book's JSON; ``load`` reads it back.
"""
import numpy as np

from . import network
from .checking import check_evaluation_data
from .costs import CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from .training import epoch_line

__all__ = ["Network", "QuadraticCost", "CrossEntropyCost", "LogLikelihoodCost", "load"]


class Network(network.Network):
    """``nndl.Network`` with the book's chapter 3 defaults: cross-entropy cost, N(0, 1/n_in) weights."""

    def __init__(self, sizes, cost=CrossEntropyCost, seed=None, dtype=np.float64):
        super().__init__(sizes, cost=cost, seed=seed, dtype=dtype)

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
                print(epoch_line(epoch, history, chapter3=True,
                                 evaluation_accuracy=monitor_evaluation_accuracy))

        history = super().SGD(training_data, epochs, mini_batch_size, eta, test_data=evaluation_data, lmbda=lmbda,
                              early_stopping_n=early_stopping_n, monitor_cost=monitor_training_cost,
                              monitor_training_accuracy=monitor_training_accuracy,
                              monitor_evaluation_cost=monitor_evaluation_cost, quiet=True, callback=transcript,
                              **options)
        return (history.evaluation_cost, history.test_correct if monitor_evaluation_accuracy else [],
                history.training_cost, history.training_correct)


def load(filename):
    """Load a network saved with ``save`` (the book's module-level ``load``)."""
    return Network.load(filename)
