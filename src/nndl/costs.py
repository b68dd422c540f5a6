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

``fn`` and ``delta`` check their arguments: ``a`` holds activations in
[0, 1], and ``y`` is an array of the same shape or, as ``Network`` accepts,
an int label or a flat vector for a single column; NumPy would otherwise
broadcast a (2, 1) ``a`` against a (2,) ``y`` into a (2, 2) table of wrong
numbers without a word.

The training loop (``folded.py``) needs δ written in terms of ``a`` alone:
``output_delta(a, y)``, the same number as ``delta`` (σ'(z) = a(1 - a) for a
sigmoid output).  A test checks the two agree.  It runs for every
mini-batch, on arrays the network has already checked, so it checks nothing.
"""
import numpy as np

from .checking import as_target, n_classes
from .functions import sigmoid, sigmoid_prime, softmax


def _checked(a, y, z=None):
    """``a`` and ``y`` as arrays of one shape, activations and desired outputs in [0, 1]; a clear error otherwise.

    ``y`` may be an int label or a flat vector when ``a`` is one column, as
    for ``Network``; ``z``, if given, must have the shape of ``a``.
    """
    a = np.asarray(a)
    if a.ndim not in (1, 2):
        raise ValueError(f"a has shape {a.shape}: give the output activations as a column (n, 1), or columns "
                         f"side by side (n, m)")
    if (a.ndim == 1 or a.shape[1] == 1) and (np.ndim(y) == 0 or np.shape(y) in ((len(a),), (len(a), 1))):
        y = as_target(y, len(a), "y").reshape(a.shape)  # an int label or a column, flat or not
    y = np.asarray(y)
    if y.shape != a.shape:
        raise ValueError(f"y has shape {y.shape}, but a has shape {a.shape}: give one desired output column per "
                         f"column of a (or an int label from 0 to {n_classes(len(a)) - 1} for a single column)")
    if z is not None and np.shape(z) != a.shape:
        raise ValueError(f"z has shape {np.shape(z)}, but a has shape {a.shape}: a is the activation of z, "
                         f"so they have one shape")
    for name, values in (("a", a), ("y", y)):
        if values.size and not (values.min() >= 0 and values.max() <= 1):  # NaN fails too
            raise ValueError(f"{name} holds numbers outside [0, 1] (from {values.min():g} to {values.max():g}), "
                             f"but sigmoid and softmax neurons give numbers from 0 to 1: pass activations "
                             f"a = σ(z), not z, and desired outputs y from 0 to 1")
    return a, y


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
        a, y = _checked(a, y)
        return 0.5 * float(np.sum((a - y) ** 2))

    @staticmethod
    def delta(z, a, y):
        """δ^L = (a - y) ⊙ σ'(z) (BP1 with ∇_a C = a - y)."""
        a, y = _checked(a, y, z)
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
        a, y = _checked(a, y)
        return float(-np.sum(y * _safe_log(a) + (1 - y) * _safe_log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        """δ^L = a - y: no σ'(z), so a saturated wrong neuron still learns fast."""
        a, y = _checked(a, y, z)
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
        a, y = _checked(a, y)
        return float(-np.sum(y * _safe_log(a)))

    @staticmethod
    def delta(z, a, y):
        """δ^L = a - y (eqs. 81-82), with a = softmax(z)."""
        a, y = _checked(a, y, z)
        return a - y

    @staticmethod
    def output_delta(a, y):
        """``delta``, which needs only ``a``: a - y."""
        return a - y


COSTS = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost, "log-likelihood": LogLikelihoodCost}
"""The costs by the names the command line uses."""


def check_cost(cost, n_out=None):
    """The cost class: ``cost`` itself if it is one of the cost classes (or has their methods); a clear error otherwise.

    A name ("cross-entropy") or an instance (``CrossEntropyCost()``) gives
    its class.  Given ``n_out``, the number of output neurons, a softmax
    cost needs at least two: the softmax of a single neuron is always 1, so
    it would learn nothing and call every example right.
    """
    if isinstance(cost, str):
        if cost not in COSTS:
            raise ValueError(f"unknown cost {cost!r}: choose one of {', '.join(COSTS)}")
        cost = COSTS[cost]
    if isinstance(cost, tuple(COSTS.values())):
        cost = type(cost)
    missing = [m for m in ("fn", "delta", "output_delta", "output_activation") if not hasattr(cost, m)]
    if missing:
        raise TypeError(f"cost={cost!r} is not a cost: pass QuadraticCost, CrossEntropyCost or "
                        f"LogLikelihoodCost from nndl.costs (it lacks {', '.join(missing)})")
    if n_out == 1 and cost.output_activation is softmax:
        raise ValueError(f"{getattr(cost, '__name__', cost)} has a softmax output layer, which needs at least 2 "
                         f"output neurons (the softmax of one neuron is always 1): for two classes with one output "
                         f"neuron use CrossEntropyCost, or give the network 2 output neurons")
    return cost
