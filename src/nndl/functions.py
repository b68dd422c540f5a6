"""The neuron's activation functions and the cost, introduced in notebooks 01-03.

Each derivative sits right beside the function it differentiates, so the
chain rule in backpropagation (notebook 04) can be read off this file.
"""
import numpy as np


def step(z):
    """The perceptron's output: 1 where ``z > 0``, else 0 (the book's eq. 2, with the bias inside ``z``)."""
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def sigmoid(z):
    """The sigmoid function σ(z) = 1 / (1 + e^(-z)) (eq. 3 and 4).

    Written as ½(1 + tanh(z/2)), which is the same function but never
    overflows: ``sigmoid(-1000)`` is 0.0 and ``sigmoid(1000)`` is 1.0, with no
    warning, where the literal formula would compute e^1000.  It keeps the
    dtype of a float array (float32 stays float32).
    """
    z = _as_float(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z):
    """The derivative σ'(z) = σ(z)(1 - σ(z)), used by BP1 and BP2."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """The hyperbolic tangent (e^z - e^(-z)) / (e^z + e^(-z)) (eq. 110): a sigmoid-shaped curve from -1 to 1.

    It is the sigmoid rescaled: σ(z) = (1 + tanh(z/2)) / 2 (eq. 111), which is
    how ``sigmoid`` above computes σ.  NumPy's ``np.tanh`` never overflows.
    """
    return np.tanh(_as_float(z))


def tanh_prime(z):
    """The derivative tanh'(z) = 1 - tanh²(z)."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """The rectified linear unit max(0, z) (eq. 112 has max(0, w·x + b)): 0 for z <= 0, z above."""
    z = _as_float(z)
    return np.maximum(z, z.dtype.type(0))


def relu_prime(z):
    """The derivative of max(0, z): 1 for z > 0, 0 for z < 0 (and, by convention, 0 at z = 0)."""
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def quadratic_cost(output_activations, y):
    """The quadratic cost C = 1/2n Σ_x ||y(x) - a||² (eq. 6), averaged over the columns.

    ``output_activations`` and ``y`` are (n_out, n) arrays, one column per example.
    """
    a = np.asarray(output_activations)
    y = np.asarray(y)
    return 0.5 * float(np.sum((a - y) ** 2)) / a.shape[1]


def quadratic_cost_derivative(output_activations, y):
    """∂C_x/∂a = a - y, the vector of partial derivatives of the quadratic cost (used in BP1)."""
    return output_activations - y


def softmax(z, axis=0):
    """The softmax function a_j = e^(z_j) / Σ_k e^(z_k) (eq. 78), over each column (``axis=0``).

    Computed as e^(z_j - max z) / Σ_k e^(z_k - max z), which is the same
    number (the factor e^(-max z) cancels) but never overflows: the largest
    exponent is e^0 = 1.  The outputs are positive and sum to 1.
    """
    z = _as_float(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _as_float(z):
    """``z`` as a float array: float32 and float64 stay as they are, ints and bools become float64."""
    z = np.asarray(z)
    return z if np.issubdtype(z.dtype, np.floating) else z.astype(np.float64)
