"""Fast mini-batch backpropagation, with the biases folded into the weights.

Introduced in notebook 04.  ``Network.backprop_batch``, ``update_mini_batch``
and ``SGD`` all run through ``FoldedNetwork``; ``Network.backprop`` keeps the
book's one-example form.

A neuron's weighted input z = w·a + b is also [w | b]·[a; 1]: the bias is
the weight of one more input, whose activation is always 1.  Stored that way,
as one matrix P = [w | b] per layer, the bias additions become part of the
matrix products, and so does BP3: the gradient with respect to P is
δ [a; 1]ᵀ, whose last column is the biases' gradient (∂C/∂b = δ·1, which is
BP4 for an input of 1).  The arithmetic is the same, but a mini-batch
update makes 17 NumPy calls instead of 29, and with mini-batches of 10 it is
the number of calls, each with a fixed cost of about a microsecond, that
takes the time.

Here the examples of a mini-batch are the *rows* of each matrix, because a
mini-batch is then a few rows of the training set, gathered in one call.
Each equation therefore appears transposed: Z = A Pᵀ stands for z = P a.
"""
import numpy as np
from scipy.special import expit  # σ(z) in one call, written in place, never overflowing


class FoldedNetwork:
    """A network's weights and biases as matrices P = [w | b], ready for mini-batches of up to ``batch_size``.

    ``weights`` and ``biases`` are views of ``params``: a network that adopts
    them (as ``Network.SGD`` does) sees every update at once, without copying.
    """

    def __init__(self, weights, biases, batch_size, cost_derivative, dtype):
        self.params = [np.hstack([w, b], dtype=dtype) for w, b in zip(weights, biases)]
        self.cost_derivative = cost_derivative
        # inputs[l] holds the activations that params[l] multiplies, one example per row, and a last column of ones.
        self.inputs = [np.ones((batch_size, p.shape[1]), dtype=dtype) for p in self.params]

    @property
    def weights(self):
        """The weight matrices w, each a view of its P without the last column."""
        return [p[:, :-1] for p in self.params]

    @property
    def biases(self):
        """The bias columns b, each a view of the last column of its P."""
        return [p[:, -1:] for p in self.params]

    def descend(self, X, Y, rows, eta):
        """One step of gradient descent (eqs. 20 and 21) on the mini-batch ``X[rows]``, ``Y[rows]``.

        ``X`` (n, n_in) and ``Y`` (n, n_out) hold one example per row.  The
        whole gradient is computed before any weight changes, as in the book.
        """
        steps = self.gradient(X, Y, rows, scale=-eta / len(rows))
        for p, step in zip(self.params, steps):
            p += step

    def gradient(self, X, Y, rows, scale=1.0):
        """∇_P Σ_x C_x over the mini-batch ``X[rows]``, ``Y[rows]``, times ``scale``: one array per layer, shaped like P.

        Multiplying by ``scale`` at the start of the backward pass (``descend``
        passes -η/m) scales every gradient at the cost of one call, since BP2
        is linear in δ.
        """
        m = len(rows)
        inputs = [a[:m] for a in self.inputs]
        np.take(X, rows, axis=0, out=inputs[0][:, :-1])
        for p, a, a_next in zip(self.params, inputs, inputs[1:]):
            expit(a @ p.T, out=a_next[:, :-1])  # (eq. 25): σ(w a + b), for every example at once
        output = expit(inputs[-1] @ self.params[-1].T)
        delta = self.cost_derivative(output, Y[rows])  # (BP1): ∇_a C ⊙ σ'(z), with σ'(z) = a(1 - a)
        delta *= scale
        delta *= output
        delta *= 1 - output
        gradients = [None] * len(self.params)
        for l in reversed(range(len(self.params))):
            gradients[l] = delta.T @ inputs[l]  # (BP4), summed over the examples, with (BP3) as its last column
            if l > 0:
                a = inputs[l][:, :-1]
                delta = delta @ self.params[l][:, :-1]  # (BP2)
                delta *= a
                delta *= 1 - a
        return gradients
