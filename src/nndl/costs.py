"""The costs of the book's chapter 3, as objects with the book's names (introduced in notebook 08).

Each cost has two static methods, as in the book's ``network2.py``:

* ``fn(a, y)``: the cost of one example, a column ``a`` of output activations
  against its desired output ``y``; given several examples side by side as
  columns, the sum of their costs;
* ``delta(z, a, y)``: the output error δ^L = ∂C/∂z^L of BP1 for that cost.

``QuadraticCost`` is chapter 1's cost (eq. 6), whose δ = (a - y) σ'(z) carries
σ'(z) and so learns slowly when the output neuron saturates.
``CrossEntropyCost`` (eq. 63) has δ = a - y (as eqs. 61-62 show for one
neuron): σ'(z) cancels out.  ``LogLikelihoodCost`` (eq. 80) goes with a
softmax output layer (eq. 78), for which δ = a - y too (eqs. 81-82).  A network reads ``output_activation`` to know
whether its last layer is sigmoid or softmax.

The training loop (``folded.py``) needs δ written in terms of ``a`` alone:
``output_delta(a, y)``, the same number as ``delta`` (σ'(z) = a(1 - a) for a
sigmoid output).  A test checks the two agree.
"""
import numpy as np

from .functions import sigmoid, sigmoid_prime, softmax


def _safe_log(a):
    """log(a), with a = 0 read as the smallest positive float: finite (about -708 in float64), no warning.

    A saturated sigmoid rounds to exactly 0 or 1 (in float32 already for
    |z| > 17), where the true cost would be infinite; this keeps it a large
    finite number, as the book's ``np.nan_to_num`` does, but without NaN.
    """
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    return np.log(np.maximum(a, np.finfo(a.dtype).tiny))


class QuadraticCost:
    """C_x = ½ ||y - a||² (eq. 6): chapter 1's cost."""

    output_activation = staticmethod(sigmoid)

    @staticmethod
    def fn(a, y):
        """½ ||a - y||², summed over the columns."""
        return 0.5 * float(np.sum((np.asarray(a) - y) ** 2))

    @staticmethod
    def delta(z, a, y):
        """δ^L = (a - y) ⊙ σ'(z) (BP1 with ∇_a C = a - y)."""
        return (a - y) * sigmoid_prime(z)

    @staticmethod
    def output_delta(a, y):
        """``delta`` from the sigmoid outputs ``a`` alone: (a - y) a (1 - a)."""
        delta = a - y
        delta *= a
        delta *= 1 - a
        return delta


class CrossEntropyCost:
    """C_x = -Σ_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)] (eq. 63), for sigmoid outputs."""

    output_activation = staticmethod(sigmoid)

    @staticmethod
    def fn(a, y):
        """The cross-entropy, summed over the neurons and the columns; finite and warning-free at a = 0 or 1."""
        a, y = np.asarray(a), np.asarray(y)
        return float(-np.sum(y * _safe_log(a) + (1 - y) * _safe_log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        """δ^L = a - y: no σ'(z), so a saturated wrong neuron still learns fast."""
        return a - y

    @staticmethod
    def output_delta(a, y):
        """``delta``, which needs only ``a``: a - y."""
        return a - y


class LogLikelihoodCost:
    """C_x = -ln a_y (eq. 80), the log-likelihood, for a softmax output layer (eq. 78).

    With y the one-hot desired output, -Σ_j y_j ln a_j picks the output
    neuron of the right class.
    """

    output_activation = staticmethod(softmax)

    @staticmethod
    def fn(a, y):
        """-Σ y ln a over the neurons and the columns; finite and warning-free at a = 0."""
        return float(-np.sum(np.asarray(y) * _safe_log(a)))

    @staticmethod
    def delta(z, a, y):
        """δ^L = a - y (eqs. 81-82), with a = softmax(z)."""
        return a - y

    @staticmethod
    def output_delta(a, y):
        """``delta``, which needs only ``a``: a - y."""
        return a - y


COSTS = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost, "log-likelihood": LogLikelihoodCost}
"""The costs by the names the command line uses."""


def check_cost(cost):
    """``cost`` if it is one of the cost classes (or has their methods); a clear error otherwise."""
    if isinstance(cost, str):
        if cost not in COSTS:
            raise ValueError(f"unknown cost {cost!r}: choose one of {', '.join(COSTS)}")
        return COSTS[cost]
    missing = [m for m in ("fn", "delta", "output_delta", "output_activation") if not hasattr(cost, m)]
    if missing:
        raise TypeError(f"cost={cost!r} is not a cost: pass QuadraticCost, CrossEntropyCost or "
                        f"LogLikelihoodCost from nndl.costs (it lacks {', '.join(missing)})")
    return cost
