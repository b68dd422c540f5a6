"""Fast mini-batch backpropagation, with the biases folded into the weights.

Introduced in notebook 04.  ``Network.backprop_batch``, ``update_mini_batch``
and ``SGD`` all run through ``FoldedNetwork``; ``Network.backprop`` keeps the
book's one-example form.

A neuron's weighted input z = w·a + b is also [w | b]·[a; 1]: the bias is
the weight of one more input, whose activation is always 1.  Stored that way,
as one matrix P = [w | b] per layer, the bias additions become part of the
matrix products, and so does BP3: the gradient with respect to P is
δ [a; 1]ᵀ, whose last column is the biases' gradient (∂C/∂b = δ·1, which is
BP4 for an input of 1).  The arithmetic is the same, but there are fewer
calls into NumPy and BLAS, and with mini-batches of 10 it is the number of
calls, each with a fixed cost of about a microsecond, that takes the time.
The update P ← P - (η/m) ∇_P of each layer is one BLAS call (gemm computes
C ← αAB + βC), made as soon as BP2 has used that layer's weights: the
gradient never has to be stored, added and scaled on its own.  A mini-batch
step of [784, 30, 10] makes 14 calls (``benchmarks/train_speed.py`` counts
them), plus one that gathers the mini-batch's inputs.

Here the examples of a mini-batch are the *rows* of each matrix, because a
mini-batch is then a few rows of the training set, gathered in one call.
Each equation therefore appears transposed: Z = A Pᵀ stands for z = P a.
The loop over an epoch's mini-batches runs in ``descend`` itself, with its
views and buffers made once, and the desired outputs are put in the epoch's
order once, so that each mini-batch's are a slice rather than a gather.
"""
import numpy as np
from scipy.linalg import blas
from scipy.special import expit  # σ(z) in one call, written in place, never overflowing

from .activations import ACTIVATIONS
from .functions import softmax

GEMM = {np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm}


class FoldedNetwork:
    """A network's weights and biases as matrices P = [w | b], ready for mini-batches of up to ``batch_size``.

    ``weights`` and ``biases`` are views of ``params``: a network that adopts
    them (as ``Network.SGD`` does) sees every update at once, without copying.
    """

    def __init__(self, weights, biases, batch_size, output_delta, dtype, softmax_output=False,
                 activation=ACTIVATIONS["sigmoid"]):
        """``output_delta(a, y)`` is BP1's δ from the output activations (one example per row).

        The output layer is sigmoid, or softmax if ``softmax_output``; the
        hidden layers' neurons are ``activation`` (an ``activations.Activation``).
        """
        self.params = [np.hstack([w, b], dtype=dtype) for w, b in zip(weights, biases)]
        self.output_delta = output_delta
        self.softmax_output = softmax_output
        self.activation = activation
        self.gemm = GEMM[np.dtype(dtype)]
        # inputs[l] holds the activations that params[l] multiplies, one example per row, and a last column of ones;
        # zs[l] the weighted inputs that params[l] gives.
        self.inputs = [np.ones((batch_size, p.shape[1]), dtype=dtype) for p in self.params]
        self.zs = [np.zeros((batch_size, p.shape[0]), dtype=dtype) for p in self.params]
        # Views made once, since at this scale even making a view is a noticeable cost.
        self.params_t = [p.T for p in self.params]
        self.weights_only = [p[:, :-1] for p in self.params]
        self.bias_columns = [p[:, -1] for p in self.params]

    @property
    def weights(self):
        """The weight matrices w, each a view of its P without the last column."""
        return [p[:, :-1] for p in self.params]

    @property
    def biases(self):
        """The bias columns b, each a view of the last column of its P."""
        return [p[:, -1:] for p in self.params]

    def descend(self, X, Y, order, eta, decay=1.0, keep=1.0, rng=None, progress=None, mu=0.0, velocities=None):
        """One step of gradient descent (eqs. 20 and 21) for each mini-batch, in turn.

        ``X`` (n, n_in) and ``Y`` (n, n_out) hold one example per row.  The
        rows numbered in ``order`` are taken ``batch_size`` at a time, each
        run of them a mini-batch: ``SGD`` passes a whole epoch's shuffled
        order, so that the loop over mini-batches runs here, with everything
        it needs at hand.  ``progress``, if given, wraps the iterable of the
        mini-batches' starting positions (``SGD``'s progress bar).  Every
        gradient is the one of the weights before the step, as in the book:
        a layer's P changes only after BP2 has carried δ through it.

        ``decay`` = 1 - ηλ/n gives L2 regularisation's weight decay (eq. 93):
        w ← decay·w - (η/m) Σ ∇C_x, and the biases are not decayed.  The
        decay costs nothing extra: it is the β of the gemm that applies the
        gradient (P ← α δᵀ[a; 1] + β P), and since that scales the biases too,
        they are divided by β just before (100 numbers, not 78,400).
        ``keep`` < 1 is dropout: each hidden neuron is kept with probability
        ``keep`` (drawn from ``rng``), for one mini-batch at a time.

        ``mu`` > 0 is momentum (eqs. 107 and 108): each parameter has a
        velocity v, in ``velocities`` (arrays shaped like ``params``, kept by
        the caller from one call to the next), and a step is v ← μv - η∇C,
        then P ← P + v.  The velocity takes the gradient's place in the gemm
        (v ← α δᵀ[a; 1] + μ v), and one more call per layer adds it to P.
        With weight decay, ∇C includes the L2 term (λ/n) w, so the weights'
        velocities also lose (1 - ``decay``) w.
        """
        if mu:
            self._backpropagate(X, Y, order, -eta, [v.T for v in velocities], mu, decay, keep, rng, progress,
                                velocities)
        else:
            self._backpropagate(X, Y, order, -eta, self.params_t, 1.0, decay, keep, rng, progress)

    def gradient(self, X, Y):
        """∇_P Σ_x C_x over all the rows of ``X`` and ``Y``, one mini-batch: one array per layer, shaped like P."""
        gradients = [np.zeros_like(p) for p in self.params]
        self._backpropagate(X, Y, np.arange(len(X)), len(X), [g.T for g in gradients], 0.0)  # α = 1: the plain sum
        return gradients

    def _backpropagate(self, X, Y, order, rate, targets_t, beta, decay=1.0, keep=1.0, rng=None, progress=None,
                       velocities=None):
        """Forward and backward pass per mini-batch, then targets_t[l] ← α (∇_P)ᵀ + β targets_t[l] for each layer l.

        α = ``rate``/m, m the size of the mini-batch, and β = ``beta``;
        ``targets_t[l]`` is a transposed P-shaped array (the transposed P
        itself when descending).

        ``decay`` ≠ 1 (with ``targets_t`` the parameters) multiplies ``beta``
        for the weights only: see ``descend``.  Given ``velocities`` (which
        ``targets_t`` then are, transposed), each layer's velocity is added
        to its P after it is updated, and ``decay`` ≠ 1 subtracts
        (1 - decay) w from the weights' velocities instead.

        Written for few NumPy calls and little else per mini-batch (outputs
        written in place, views made beforehand): at mini-batch size 10 that
        is where the time goes.  With dropout, a hidden activation is kept
        and divided by ``keep`` ("inverted" dropout: the expected activation
        is unchanged, so the trained network is used at test time as it is),
        or set to 0, so that its derivative with respect to z is f'(z)/keep
        or 0 (``Activation.times_prime``).

        In BLAS's column-major view a C-ordered matrix is its transpose, so
        each gemm below reads transposed: Zᵀ ← P [a; 1]ᵀ computes Z = [a; 1] Pᵀ.
        """
        gemm, params_t, weights, bias_columns = self.gemm, self.params_t, self.weights_only, self.bias_columns
        output_delta, softmax_output = self.output_delta, self.softmax_output
        activate, times_prime = self.activation.fn_in_place, self.activation.times_prime
        dropout, decaying = keep < 1.0, decay != 1.0
        momentum = velocities is not None
        weights_beta = beta if momentum else beta * decay
        if momentum:
            params, velocity_weights = self.params, [v[:, :-1] for v in velocities]
            shrinkage = [np.empty_like(w) for w in weights] if decaying else None

            def move(l):
                """Momentum's P ← P + v (eq. 108), after v's weights lose (1 - decay) w, the L2 term of eq. (107)."""
                if decaying:
                    np.multiply(weights[l], decay - 1.0, shrinkage[l])
                    velocity_weights[l] += shrinkage[l]
                params[l] += velocities[l]
        kept = [None] * len(self.params)  # with dropout: which hidden neurons of each layer the mini-batch keeps
        Y = Y[order]  # the desired outputs in training order, so that each mini-batch's are a slice
        size, m = len(self.inputs[0]), None
        starts = range(0, len(order), size)
        for k in starts if progress is None else progress(starts):
            rows = order[k:k + size]
            if len(rows) != m:  # the first mini-batch, and a smaller last one
                m = len(rows)
                alpha = rate / m
                inputs = [a[:m] for a in self.inputs]
                activations = [a[:, :-1] for a in inputs]
                inputs_t, zs_t = [a.T for a in inputs], [z[:m].T for z in self.zs]
                hidden = list(zip(range(1, len(inputs)), params_t, inputs_t, zs_t, activations[1:]))
                # (layer, its activations, a buffer for the error of the layer below, one for f'(z)), output layer first
                backward = [(l, activations[l], np.empty_like(activations[l]), np.empty_like(activations[l]))
                            for l in range(len(inputs) - 1, 0, -1)]
            activations[0][...] = X[rows]  # gathered, and converted to the network's dtype if X has another
            for l, p_t, a_t, z_t, a_next in hidden:
                activate(gemm(1.0, p_t, a_t, 0.0, z_t, 1, 0, 1).T, a_next)  # (eq. 25): f(w a + b), all examples at once
                if dropout:
                    kept[l] = rng.random(a_next.shape) < keep
                    a_next *= kept[l]
                    a_next /= keep
            z = gemm(1.0, params_t[-1], inputs_t[-1], 0.0, zs_t[-1], 1, 0, 1).T
            delta = output_delta(softmax(z, axis=1) if softmax_output else expit(z, z), Y[k:k + size])  # (BP1)
            for l, a, previous, buffer in backward:
                np.matmul(delta, weights[l], previous)  # (BP2), with the weights before this step
                if decaying and not momentum:
                    bias_columns[l] /= decay  # the gemm below decays the whole P (eq. 93): not the biases
                # (BP4), summed over the examples, with (BP3) as its last column: Pᵀ ← α [a; 1]ᵀ δ + β Pᵀ, in place.
                gemm(alpha, inputs_t[l], delta.T, weights_beta, targets_t[l], 0, 1, 1)
                if momentum:
                    move(l)
                times_prime(previous, a, buffer, keep, kept[l])  # (BP2): ⊙ f'(z)
                delta = previous
            if decaying and not momentum:
                bias_columns[0] /= decay
            gemm(alpha, inputs_t[0], delta.T, weights_beta, targets_t[0], 0, 1, 1)  # (BP4) and (BP3), first layer
            if momentum:
                move(0)
