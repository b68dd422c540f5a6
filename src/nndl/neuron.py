"""One sigmoid neuron learning by gradient descent: the learning slowdown of chapter 3 (notebook 08).

The neuron has one input x, a weight w and a bias b, and outputs a = σ(wx + b).
It is trained on a single example, the book's toy problem: turn the input 1
into the output 0.  With the quadratic cost C = (y - a)²/2 (eq. 54) the
gradient carries a factor σ'(z) (eqs. 55 and 56), which is tiny when the
neuron starts badly wrong with a ≈ 1: it learns slowest when it is most wrong.
With the cross-entropy cost (eq. 57) that factor cancels (eqs. 61 and 62),
and the neuron learns fastest when it is most wrong.

Each cost is described by its value and by δ = ∂C/∂z, both as functions of
the weighted input z and the target y; ∂C/∂w = δ x and ∂C/∂b = δ follow from
the chain rule, as in BP3 and BP4.
"""
from dataclasses import dataclass

import numpy as np

from .functions import sigmoid, sigmoid_prime


def quadratic_cost(z, y):
    """C = (y - a)²/2 with a = σ(z), eq. (54) for one example."""
    return 0.5 * (y - sigmoid(z)) ** 2


def quadratic_delta(z, y):
    """δ = ∂C/∂z = (a - y) σ'(z) for the quadratic cost: the σ'(z) of eqs. (55) and (56)."""
    return (sigmoid(z) - y) * sigmoid_prime(z)


def cross_entropy_cost(z, y):
    """C = -[y ln a + (1 - y) ln(1 - a)] with a = σ(z), eq. (57) for one example.

    Computed from z, as y ln(1 + e^-z) + (1 - y) ln(1 + e^z) (the same value, since
    ln a = -ln(1 + e^-z) and ln(1 - a) = -ln(1 + e^z)), so that a neuron whose
    output rounds to exactly 0 or 1 still gets a finite cost, with no warning.
    """
    return y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)


def cross_entropy_delta(z, y):
    """δ = ∂C/∂z = a - y for the cross-entropy cost: σ'(z) has cancelled (eqs. 61 and 62)."""
    return sigmoid(z) - y


COSTS = {"quadratic": (quadratic_cost, quadratic_delta),
         "cross-entropy": (cross_entropy_cost, cross_entropy_delta)}


@dataclass
class Run:
    """What one neuron did, one entry per epoch, the start included (so ``epochs + 1`` entries each)."""

    cost_name: str
    eta: float
    weights: np.ndarray
    biases: np.ndarray
    outputs: np.ndarray
    costs: np.ndarray


def train_neuron(w, b, cost="quadratic", eta=0.15, epochs=300, x=1.0, y=0.0):
    """Train the one-input neuron on the single example (x, y) for ``epochs`` steps of gradient descent.

    Each epoch is one step w -> w - η ∂C/∂w, b -> b - η ∂C/∂b, with
    ∂C/∂w = δx and ∂C/∂b = δ.  ``cost`` is "quadratic" or "cross-entropy".
    The book's examples start at w = 0.6, b = 0.9 (output 0.82) and at
    w = b = 2.0 (output 0.98), with η = 0.15 for the quadratic cost.
    """
    if cost not in COSTS:
        raise ValueError(f"cost must be one of {list(COSTS)}, got {cost!r}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must be a positive, finite number, got {eta!r}")
    if not (isinstance(epochs, (int, np.integer)) and epochs >= 0):
        raise ValueError(f"epochs must be a whole number >= 0, got {epochs!r}")
    cost_fn, delta_fn = COSTS[cost]
    weights, biases = [float(w)], [float(b)]
    for _ in range(epochs):
        delta = delta_fn(weights[-1] * x + biases[-1], y)
        weights.append(weights[-1] - eta * delta * x)
        biases.append(biases[-1] - eta * delta)
    weights, biases = np.array(weights), np.array(biases)
    z = weights * x + biases
    return Run(cost, eta, weights, biases, sigmoid(z), cost_fn(z, y))
