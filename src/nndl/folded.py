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
update makes 16 calls into NumPy and BLAS instead of 29, and with mini-batches of 10 it is
the number of calls, each with a fixed cost of about a microsecond, that
takes the time.  The update P ← P - (η/m) ∇_P of each layer is one BLAS call
(gemm computes C ← αAB + βC), made as soon as BP2 has used that layer's
weights: the gradient never has to be stored, added and scaled on its own.

Here the examples of a mini-batch are the *rows* of each matrix, because a
mini-batch is then a few rows of the training set, gathered in one call.
Each equation therefore appears transposed: Z = A Pᵀ stands for z = P a.
"""
import numpy as np
from scipy.linalg import blas
from scipy.special import expit  # σ(z) in one call, written in place, never overflowing

from .functions import softmax

GEMM = {np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm}


class FoldedNetwork:
    """A network's weights and biases as matrices P = [w | b], ready for mini-batches of up to ``batch_size``.

    ``weights`` and ``biases`` are views of ``params``: a network that adopts
    them (as ``Network.SGD`` does) sees every update at once, without copying.
    """

    def __init__(self, weights, biases, batch_size, output_delta, dtype, softmax_output=False):
        """``output_delta(a, y)`` is BP1's δ from the output activations (one example per row).

        The output layer is sigmoid, or softmax if ``softmax_output``.
        """
        self.params = [np.hstack([w, b], dtype=dtype) for w, b in zip(weights, biases)]
        self.output_delta = output_delta
        self.softmax_output = softmax_output
        self.gemm = GEMM[np.dtype(dtype)]
        # inputs[l] holds the activations that params[l] multiplies, one example per row, and a last column of ones.
        self.inputs = [np.ones((batch_size, p.shape[1]), dtype=dtype) for p in self.params]
        # Views made once, since at this scale even making a view is a noticeable cost.
        self.params_t = [p.T for p in self.params]
        self.weights_only = [p[:, :-1] for p in self.params]
        self.full_batch = self._views(batch_size)

    def _views(self, m):
        """For a mini-batch of m examples: the inputs' first m rows, and the same without the column of ones."""
        inputs = [a[:m] for a in self.inputs]
        return inputs, [a[:, :-1] for a in inputs]

    @property
    def weights(self):
        """The weight matrices w, each a view of its P without the last column."""
        return [p[:, :-1] for p in self.params]

    @property
    def biases(self):
        """The bias columns b, each a view of the last column of its P."""
        return [p[:, -1:] for p in self.params]

    def descend(self, X, Y, rows, eta, decay=1.0, keep=1.0, rng=None):
        """One step of gradient descent (eqs. 20 and 21) on the mini-batch ``X[rows]``, ``Y[rows]``.

        ``X`` (n, n_in) and ``Y`` (n, n_out) hold one example per row.  Every
        gradient is the one of the weights before the step, as in the book:
        a layer's P changes only after BP2 has carried δ through it.

        ``decay`` = 1 - ηλ/n gives L2 regularisation's weight decay (eq. 93):
        w ← decay·w - (η/m) Σ ∇C_x, and the biases are not decayed.
        ``keep`` < 1 is dropout: each hidden neuron is kept with probability
        ``keep`` (drawn from ``rng``), for this mini-batch only.
        """
        self._backpropagate(X, Y, rows, -eta / len(rows), self.params, 1.0, decay, keep, rng)

    def gradient(self, X, Y, rows, scale=1.0):
        """∇_P Σ_x C_x over the mini-batch ``X[rows]``, ``Y[rows]``, times ``scale``: one array per layer, shaped like P."""
        gradients = [np.zeros_like(p) for p in self.params]
        self._backpropagate(X, Y, rows, scale, gradients, 0.0)
        return gradients

    def _backpropagate(self, X, Y, rows, alpha, targets, beta, decay=1.0, keep=1.0, rng=None):
        """Forward and backward pass; layer l's gradient times ``alpha`` goes into ``targets[l]`` (times ``beta``) + it.

        Written for few NumPy calls and little else per call (outputs passed
        by position, views made beforehand): at mini-batch size 10 that is
        where the time goes.  With dropout, a hidden activation is kept and
        divided by ``keep`` ("inverted" dropout: the expected activation is
        unchanged, so the trained network is used at test time as it is), or
        set to 0.  Either way its derivative with respect to z is
        a_kept (1 - keep·a_kept), which is σ'(z)/keep or 0.
        """
        inputs, activations = self.full_batch if len(rows) == len(self.inputs[0]) else self._views(len(rows))
        activations[0][...] = X[rows]  # gathered, and converted to the network's dtype if X has another
        for a, p_t, a_next in zip(inputs, self.params_t, activations[1:]):
            expit(a @ p_t, a_next)  # (eq. 25): σ(w a + b), for every example at once
            if keep < 1.0:
                a_next *= rng.random(a_next.shape) < keep
                a_next /= keep
        z = inputs[-1] @ self.params_t[-1]
        output = softmax(z, axis=1) if self.softmax_output else expit(z)
        delta = self.output_delta(output, Y[rows])  # (BP1)
        gemm, weights = self.gemm, self.weights_only
        for l in range(len(inputs) - 1, 0, -1):
            previous = delta @ weights[l]  # (BP2), with the weights before this step
            if decay != 1.0:
                weights[l] *= decay  # (eq. 93), now that BP2 has used the weights
            # (BP4), summed over the examples, with (BP3) as its last column: P += alpha δᵀ [a; 1], in place.
            # In BLAS's column-major view a C-ordered P is Pᵀ, so this reads Pᵀ ← alpha [a; 1]ᵀ δ + beta Pᵀ.
            gemm(alpha, inputs[l].T, delta.T, beta, targets[l].T, 0, 1, 1)
            a = activations[l]
            previous *= a  # σ'(z) = a(1 - a)
            previous *= 1 - a if keep == 1.0 else 1 - keep * a
            delta = previous
        if decay != 1.0:
            weights[0] *= decay
        gemm(alpha, inputs[0].T, delta.T, beta, targets[0].T, 0, 1, 1)  # (BP4) and (BP3) of the first layer
