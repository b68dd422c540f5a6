"""A reference for the speed benchmark: training written the way the book's chapter 1 program works.

One example at a time through backpropagation, parameters kept as Python
lists of NumPy arrays, products with ``np.dot``, the sigmoid written out,
and no checks of the input: the plain program a reader of the book types in.
It is our own code, written for ``train_speed.py`` to time in the same
process on the same data as ``Network.SGD``; a test checks that it computes
the same updates as ``Network.update_mini_batch_per_example``.
"""
import random

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    """σ'(z), computed from z as the book's program does (so σ is evaluated again)."""
    return sigmoid(z) * (1 - sigmoid(z))


class BookStyleNetwork:
    """Sizes, biases and weights as in the book: one (n, 1) bias column and one (n, m) weight matrix per layer."""

    def __init__(self, biases, weights):
        self.biases = [b.astype(np.float64) for b in biases]
        self.weights = [w.astype(np.float64) for w in weights]

    def train_epoch(self, training_data, mini_batch_size, eta, seed):
        """One epoch of stochastic gradient descent: shuffle a copy of the pairs, then step batch by batch."""
        pairs = list(training_data)
        random.Random(seed).shuffle(pairs)
        for start in range(0, len(pairs), mini_batch_size):
            self.step(pairs[start:start + mini_batch_size], eta)

    def step(self, batch, eta):
        """w -> w - (eta/m) sum of the per-example gradients (eqs. 20 and 21), summed one example at a time."""
        sum_b = [np.zeros(b.shape) for b in self.biases]
        sum_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in batch:
            grad_b, grad_w = self.gradient(x, y)
            sum_b = [s + g for s, g in zip(sum_b, grad_b)]
            sum_w = [s + g for s, g in zip(sum_w, grad_w)]
        rate = eta / len(batch)
        self.weights = [w - rate * s for w, s in zip(self.weights, sum_w)]
        self.biases = [b - rate * s for b, s in zip(self.biases, sum_b)]

    def gradient(self, x, y):
        """Backpropagation for one example: the forward pass keeps every z and a, the backward pass BP1-BP4."""
        activations, zs = [x], []
        for b, w in zip(self.biases, self.weights):
            zs.append(np.dot(w, activations[-1]) + b)
            activations.append(sigmoid(zs[-1]))
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])  # BP1 for the quadratic cost
        grad_b, grad_w = [delta], [np.dot(delta, activations[-2].T)]  # BP3, BP4
        for layer in range(len(self.weights) - 2, -1, -1):
            delta = np.dot(self.weights[layer + 1].T, delta) * sigmoid_prime(zs[layer])  # BP2
            grad_b.insert(0, delta)
            grad_w.insert(0, np.dot(delta, activations[layer].T))
        return grad_b, grad_w
