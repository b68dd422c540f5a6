"""The hidden neurons a network can have: sigmoid, tanh or rectified linear (chapter 3, "Other models of artificial neuron").

``Network(sizes, activation="tanh")`` makes every *hidden* neuron a tanh
neuron; the output layer stays sigmoid (or softmax), so the costs of chapter 3
and the meaning of the outputs do not change.  Backpropagation needs only the
activation's derivative in BP2, δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l), where
chapters 1-2 had σ'(z).

Each ``Activation`` gives the function, its derivative in terms of z (for
the book's one-example ``backprop``), and BP2's product δ ⊙ f'(z) computed
from the output a = f(z) alone (for the mini-batch loop of ``folded.py``,
which keeps only a): σ' = a(1 - a), tanh' = 1 - a², and for max(0, z) the
derivative is 1 where a > 0, else 0.  ``weight_variance`` sets the initial weights' spread
N(0, weight_variance/n_in) so that a neuron's weighted input starts at about
the same spread in every layer: 1/n_in for sigmoid and tanh (the book's
choice), 2/n_in for ReLU, which outputs 0 for half of its inputs on average.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.special import expit

from .functions import relu, relu_prime, sigmoid, sigmoid_prime, tanh, tanh_prime


@dataclass(frozen=True)
class Activation:
    name: str
    symbol: str  # how messages write the derivative: "σ'(z)"
    fn: Callable  # a = f(z)
    prime: Callable  # f'(z)
    fn_in_place: Callable  # fn_in_place(z, out) writes f(z) into out (z may be out)
    times_prime: Callable  # times_prime(delta, a, buffer, keep, kept): delta ⊙ f'(z) in place, from a; see below
    weight_variance: float


# BP2's delta ⊙ f'(z), written into delta, from the layer's outputs a (one example per row) and a buffer of their
# shape.  With dropout, a is f(z)/keep for the neurons kept (``kept`` is True) and 0 for the others, so that the
# derivative of a with respect to z is f'(z)/keep where kept and 0 elsewhere.

def _times_sigmoid_prime(delta, a, buffer, keep=1.0, kept=None):
    np.multiply(delta, a, delta)  # σ'(z)/keep = a (1 - keep·a), and 0 where a = 0 (dropped)
    np.subtract(1.0, keep * a if keep < 1.0 else a, buffer)
    np.multiply(delta, buffer, delta)


def _times_tanh_prime(delta, a, buffer, keep=1.0, kept=None):
    np.multiply(a, a, buffer)  # tanh'(z) = 1 - tanh²(z), and tanh(z) = keep·a
    if keep < 1.0:
        buffer *= keep * keep
    np.subtract(1.0, buffer, buffer)
    np.multiply(delta, buffer, delta)
    if keep < 1.0:
        delta *= kept  # 1 - (keep·a)² is 1, not 0, for a dropped neuron (a = 0)
        delta /= keep


def _times_relu_prime(delta, a, buffer, keep=1.0, kept=None):
    np.greater(a, 0.0, out=buffer)  # 1 where z > 0; a dropped neuron has a = 0, so 0 there too
    np.multiply(delta, buffer, delta)
    if keep < 1.0:
        delta /= keep


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", "σ'(z)", sigmoid, sigmoid_prime, expit, _times_sigmoid_prime, 1.0),
    "tanh": Activation("tanh", "tanh'(z)", tanh, tanh_prime, np.tanh, _times_tanh_prime, 1.0),
    "relu": Activation("relu", "ReLU'(z)", relu, relu_prime, lambda z, out: np.maximum(z, 0.0, out=out),
                       _times_relu_prime, 2.0),
}


def check_activation(activation):
    """The ``Activation`` named ``activation`` ("sigmoid", "tanh" or "relu"); a clear error for any other."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(map(repr, ACTIVATIONS))} (the hidden neurons' "
                         f"function), got {activation!r}")
    return ACTIVATIONS[activation]
