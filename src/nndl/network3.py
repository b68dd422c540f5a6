"""Chapter 6's convolutional networks, from scratch in NumPy, with the names of the book's ``network3.py``.

The book's chapter 6 session runs with the data of ``nndl.mnist``::

    >>> from nndl import mnist
    >>> from nndl.network3 import Network, ConvPoolLayer, FullyConnectedLayer, SoftmaxLayer, ReLU
    >>> training_data, validation_data, test_data = mnist.load_arrays()
    >>> mini_batch_size = 10
    >>> net = Network([
    ...     ConvPoolLayer(image_shape=(mini_batch_size, 1, 28, 28), filter_shape=(20, 1, 5, 5), poolsize=(2, 2)),
    ...     FullyConnectedLayer(n_in=20*12*12, n_out=100),
    ...     SoftmaxLayer(n_in=100, n_out=10)], mini_batch_size)
    >>> history = net.SGD(training_data, 60, mini_batch_size, 0.1, validation_data, test_data)

The book's program is written for Theano, which derives the backward pass
from the forward one.  Here both are written out, layer by layer, each
``backward`` right below its ``forward``:

* ``ConvPoolLayer``: a convolution as one matrix product (im2col: every
  5 × 5 patch of the input becomes a row, so that each filter's output is
  that matrix times the filter), max-pooling that remembers which input won
  (the backward pass sends the gradient there and nowhere else), then the
  bias and the activation, in the book's order: f(pool(w * a) + b).
* ``FullyConnectedLayer`` and ``SoftmaxLayer``: a = f(a_in w + b), with the
  book's dropout of their inputs during training.
* ``SoftmaxLayer.cost``: the log-likelihood cost of chapter 3.

**Data.**  The book passes ``(images, labels)`` pairs of arrays (Theano
shared variables), which is the form of ``mnist.load_arrays()``'s splits:
that is the fast form, used as it is.  The list of ``(x, y)`` pairs of
``mnist.load_data()`` (or ``mnist.expanded(...)``) is accepted too: its rows
are used directly when the list still holds them, otherwise the pairs are
stacked into arrays once, at the start of ``SGD``.

**Precision and seeds.**  Every layer is float32 by default, as the book's
Theano ``floatX``; ``dtype=np.float64`` gives the precision of the gradient
checks.  Each layer draws its initial weights from its own generator, seeded
by its ``seed`` keyword; the ``Network``'s ``seed`` drives the shuffling and
the dropout masks.  With integer seeds everywhere, a run is reproducible.

**Convolution or correlation?**  The book's formula (eq. 125) is a
cross-correlation, σ(b + Σ_l Σ_m w_{l,m} a_{j+l,k+m}), and so is what this
module computes (as PyTorch and most libraries do).  The book's program calls
Theano's ``conv.conv2d``, which computes a true convolution: it flips each
filter, top to bottom and left to right, before sliding it.  For learning it
makes no difference (the learned filters come out flipped, that is all);
only weights copied from a Theano run would have to be flipped to be used here.
"""
from dataclasses import dataclass, field
from math import prod, sqrt
from numbers import Integral
from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import expit

from . import training
from .checking import as_rows, check_count, check_dtype, check_eta, check_finite_rows, check_lmbda, check_seed
from .functions import softmax

__all__ = ["Network", "ConvPoolLayer", "FullyConnectedLayer", "SoftmaxLayer", "History",
           "sigmoid", "tanh", "ReLU", "linear"]

EVALUATION_BATCH = 100
"""How many images ``feedforward`` sends through the layers at a time (bounded memory, few NumPy calls)."""


# ----- activation functions ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActivationFunction:
    """A neuron's activation function f, callable as f(z), with its derivative written in terms of a = f(z).

    The backward pass keeps only each layer's output a, so f'(z) is computed
    from a: σ' = a(1 - a), tanh' = 1 - a², ReLU' = 1 where a > 0 (else 0),
    and 1 for the linear neuron.
    """

    name: str
    fn: Callable
    prime_from_output: Callable
    fn_in_place: Callable  # fn_in_place(z) overwrites z with f(z) and returns it

    def __call__(self, z):
        return self.fn(np.asarray(z))

    def __repr__(self):
        return self.name


sigmoid = ActivationFunction("sigmoid", expit, lambda a: a * (1 - a), lambda z: expit(z, out=z))
tanh = ActivationFunction("tanh", np.tanh, lambda a: 1 - a * a, lambda z: np.tanh(z, out=z))
ReLU = ActivationFunction("ReLU", lambda z: np.maximum(z, 0), lambda a: (a > 0).astype(a.dtype),
                         lambda z: np.maximum(z, 0, out=z))
linear = ActivationFunction("linear", lambda z: z, lambda a: np.ones_like(a), lambda z: z)
ACTIVATION_FUNCTIONS = (sigmoid, tanh, ReLU, linear)


def check_activation_fn(activation_fn):
    if not isinstance(activation_fn, ActivationFunction):
        raise ValueError(f"activation_fn must be one of network3's sigmoid, tanh, ReLU or linear (their derivatives "
                         f"are written beside them for the backward pass), got {activation_fn!r}")
    return activation_fn


# ----- the layers --------------------------------------------------------------------------------------------------
def check_shape(shape, length, name, meaning):
    """``shape`` as a tuple of ``length`` positive ints; a clear error saying what each entry means otherwise."""
    try:
        values = tuple(shape)
    except TypeError:
        values = None
    if (values is None or len(values) != length
            or not all(isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in values)):
        raise ValueError(f"{name} must be {length} positive integers {meaning}, got {shape!r}")
    return tuple(int(v) for v in values)


def check_p_dropout(p_dropout):
    if isinstance(p_dropout, bool) or not isinstance(p_dropout, (Integral, float)) or not 0 <= p_dropout < 1:
        raise ValueError(f"p_dropout is the probability of dropping each input of the layer during training, from 0 "
                         f"up to (not including) 1, got {p_dropout!r}: the book uses 0.5")
    return float(p_dropout)


class ConvPoolLayer:
    """A convolutional layer followed by max-pooling: the book's combination of the two.

    Each of the layer's filters slides over the input feature maps (a local
    receptive field with shared weights), max-pooling keeps the largest of
    each non-overlapping ``poolsize`` block of the result, and the neurons
    output f(pooled + b), one bias per filter.

    Inside, activations are stored channels-last, (m, height, width, maps),
    so that a patch's numbers lie next to each other for the im2col copy;
    what a layer hands to the next is the book's (m, maps, height, width), a
    transposed view of the same memory.
    """

    def __init__(self, filter_shape, image_shape, poolsize=(2, 2), activation_fn=sigmoid, *, seed=None,
                 dtype=np.float32):
        """``filter_shape`` is (number of filters, input feature maps, filter height, filter width).

        ``image_shape`` is (mini-batch size, input feature maps, image height,
        image width), and ``poolsize`` the (height, width) of the pooled
        blocks; a row or column that does not fill a block is left out, as
        in the book (Theano's ``ignore_border=True``).  The weights start as
        the book's: N(0, 1/n_out) with n_out = filters × filter height ×
        filter width / pooled block size, the number of outputs each input
        feeds after pooling; the biases N(0, 1).
        """
        self.filter_shape = check_shape(filter_shape, 4, "filter_shape",
                                        "(number of filters, input feature maps, filter height, filter width)")
        self.image_shape = check_shape(image_shape, 4, "image_shape",
                                       "(mini-batch size, input feature maps, image height, image width)")
        self.poolsize = check_shape(poolsize, 2, "poolsize", "(pooled block height, pooled block width)")
        self.activation_fn = check_activation_fn(activation_fn)
        self.dtype = check_dtype(dtype)
        filters, maps, fh, fw = self.filter_shape
        _, image_maps, height, width = self.image_shape
        if maps != image_maps:
            raise ValueError(f"filter_shape {self.filter_shape} says each filter reads {maps} input feature map(s), "
                             f"but image_shape {self.image_shape} has {image_maps}: the second entries must agree")
        if fh > height or fw > width:
            raise ValueError(f"the {fh}×{fw} filters of filter_shape do not fit in the {height}×{width} images of "
                             f"image_shape {self.image_shape}")
        ph, pw = self.poolsize
        self.pooled_shape = ((height - fh + 1) // ph, (width - fw + 1) // pw)
        if 0 in self.pooled_shape:
            raise ValueError(f"poolsize {self.poolsize} is larger than the {height - fh + 1}×{width - fw + 1} maps "
                             f"that the {fh}×{fw} filters make from {height}×{width} images")
        self.output_shape = (filters,) + self.pooled_shape
        rng = np.random.default_rng(check_seed(seed))
        n_out = filters * fh * fw / (ph * pw)
        w = rng.normal(0.0, sqrt(1.0 / n_out), self.filter_shape)
        self.filters = np.ascontiguousarray(w.transpose(0, 2, 3, 1), dtype=self.dtype)  # (filters, fh, fw, maps)
        self.b = rng.normal(0.0, 1.0, filters).astype(self.dtype)
        self._buffers = {}

    @property
    def w(self):
        """The filters in the book's shape ``filter_shape``: a view of ``filters``, stored (filters, fh, fw, maps)."""
        return self.filters.transpose(0, 3, 1, 2)

    @w.setter
    def w(self, value):
        value = np.asarray(value)
        if value.shape != self.filter_shape:
            raise ValueError(f"w must have the shape filter_shape {self.filter_shape}, got {value.shape}")
        self.filters[...] = value.transpose(0, 2, 3, 1)

    @property
    def params(self):
        return [self.w, self.b]

    @property
    def n_in(self):
        return prod(self.image_shape[1:])

    def _buffers_for(self, m, backward=False):
        """Arrays for a batch of m images, made once per batch size and reused (writing in place saves allocations).

        The rows of ``cols`` (and of ``z``, the convolution) are the filter's
        positions over the area that pooling uses, ordered (row in block,
        column in block, image, pooled row, pooled column): one slab of rows
        for each position in a pooling block, so that max-pooling is an
        element-wise maximum of ph·pw slabs, each (m, pooled rows, pooled
        columns, filters) in one piece of memory.  ``cols``' columns are
        ordered (filter row, filter column, map), as ``filters`` is.
        """
        filters, maps, fh, fw = self.filter_shape
        (ph, pw), (hp, wp) = self.poolsize, self.pooled_shape
        height, width = self.image_shape[2:]
        rows, dtype = ph * pw * m * hp * wp, self.dtype
        if m not in self._buffers:
            self._buffers[m] = {
                "cols": np.empty((rows, fh * fw * maps), dtype), "z": np.empty((rows, filters), dtype),
                "pooled": np.empty((m, hp, wp, filters), dtype), "a": np.empty((m, hp, wp, filters), dtype),
                "ones": np.ones(m * hp * wp, dtype)}
        buffers = self._buffers[m]
        if backward and "dz" not in buffers:  # only training needs these
            buffers.update(delta=np.empty_like(buffers["a"]), dz=np.empty_like(buffers["z"]),
                           won=np.empty(buffers["a"].shape, bool), dz_by_image=np.empty_like(buffers["z"]),
                           filters_by_position=np.empty((fh * fw, filters, maps), dtype),
                           dcols_by_position=np.empty((fh * fw, rows, maps), dtype),
                           dx=np.empty((m, height, width, maps), dtype))
        return buffers

    def _im2col(self, x, cols):
        """Copy every filter-sized patch of the images ``x`` (m, maps, height, width) into a row of ``cols``."""
        m = len(x)
        filters, maps, fh, fw = self.filter_shape
        (ph, pw), (hp, wp) = self.poolsize, self.pooled_shape
        patches = sliding_window_view(x.transpose(0, 2, 3, 1), (fh, fw), axis=(1, 2))  # (m, rows, cols, maps, fh, fw)
        patches = patches[:, :hp * ph, :wp * pw].reshape(m, hp, ph, wp, pw, maps, fh, fw)  # a view: axes only split
        cols.reshape(ph, pw, m, hp, wp, fh, fw, maps)[...] = patches.transpose(2, 4, 0, 1, 3, 6, 7, 5)

    def _by_image(self, z):
        """The rows of ``z`` (as ``cols``'s) reordered to (image, row, column): (m, rows, columns, filters)."""
        (ph, pw), (hp, wp) = self.poolsize, self.pooled_shape
        blocks = z.reshape(ph, pw, -1, hp, wp, z.shape[-1]).transpose(2, 3, 0, 4, 1, 5)
        return blocks.reshape(len(blocks), hp * ph, wp * pw, -1)

    def convolve(self, x):
        """The feature maps w * x before pooling, bias and activation: (m, filters, rows, columns), for pictures.

        Only the rows and columns that pooling uses are computed.
        """
        x = self._as_images(x)
        cols = np.empty_like(self._buffers_for(len(x))["cols"])
        self._im2col(x, cols)
        return self._by_image(cols @ self.filters.reshape(len(self.b), -1).T).transpose(0, 3, 1, 2)

    def _as_images(self, x):
        return x.reshape((len(x),) + self.image_shape[1:])

    def forward(self, x, rng=None, training=False):
        """The layer's output f(pool(w * x) + b) for the images ``x``, shape (m, filters, pooled rows, pooled columns).

        ``x`` is (m, maps, height, width), or anything of m × maps × height ×
        width numbers per image.  In ``training``, the layer keeps what its
        ``backward`` needs; ``rng`` is not used (no dropout here, as in the book).
        """
        x = self._as_images(x)
        buffers = self._buffers_for(len(x))
        cols, z, pooled, a = buffers["cols"], buffers["z"], buffers["pooled"], buffers["a"]
        self._im2col(x, cols)
        np.matmul(cols, self.filters.reshape(len(self.b), -1).T, out=z)  # every filter on every patch at once
        slabs = z.reshape((-1,) + pooled.shape)  # one slab per position in the pooling blocks
        np.copyto(pooled, slabs[0])  # max-pooling, one position of the blocks at a time (faster than np.max)
        for slab in slabs[1:]:
            np.maximum(pooled, slab, out=pooled)
        self.activation_fn.fn_in_place(np.add(pooled, self.b, out=a))
        if training:
            self._a, self._slabs, self._pooled = a, slabs, pooled
        return a.copy().transpose(0, 3, 1, 2)  # a copy: the next batch of this size reuses the buffer

    def backward(self, delta, need_input_gradient=True):
        """Set ``nabla_w`` and ``nabla_b`` from ∂C/∂output ``delta``; return ∂C/∂input (or None if not needed)."""
        m = len(delta)
        filters, maps, fh, fw = self.filter_shape
        buffers = self._buffers_for(m, backward=True)
        dpooled, dz, won = buffers["delta"], buffers["dz"], buffers["won"]
        np.multiply(delta.reshape((m,) + self.output_shape).transpose(0, 2, 3, 1),  # ∂C/∂(pooled + b)
                    self.activation_fn.prime_from_output(self._a), out=dpooled)
        # ∂C/∂b summed over images and positions, as a product with ones: 10 times faster than .sum on short rows
        self.nabla_b = buffers["ones"] @ dpooled.reshape(-1, filters)
        # Max-pooling's backward pass: each block's gradient goes to the position that won (the first of equal
        # maxima, in reading order), 0 to the others.  What a position wins is taken out of dpooled, so that a
        # later position that ties with it gets 0.
        for slab, dz_slab in zip(self._slabs, dz.reshape(self._slabs.shape)):
            np.equal(slab, self._pooled, out=won)
            np.multiply(won, dpooled, out=dz_slab)
            dpooled -= dz_slab
        self.nabla_filters = (dz.T @ buffers["cols"]).reshape(self.filters.shape)  # ∂C/∂w, summed over the patches
        if not need_input_gradient:
            return None
        # col2im: each patch's gradient, ∂C/∂z wᵀ, goes back where the patch came from; patches overlap,
        # hence one add per filter position (i, j).  So the product is made one filter position at a time
        # (fh·fw products in one call), with the rows in image order: each position's result is one block
        # (m, rows, columns, maps), added to the images' area shifted by (i, j).
        dz_by_image = self._by_image(dz)
        _, rows, columns, _ = dz_by_image.shape
        np.copyto(buffers["dz_by_image"].reshape(dz_by_image.shape), dz_by_image)
        np.copyto(buffers["filters_by_position"].reshape(fh, fw, filters, maps), self.filters.transpose(1, 2, 0, 3))
        dcols = np.matmul(buffers["dz_by_image"], buffers["filters_by_position"], out=buffers["dcols_by_position"])
        dx = buffers["dx"]
        dx[...] = 0
        for (i, j), dpatches in zip(np.ndindex(fh, fw), dcols.reshape(fh * fw, m, rows, columns, maps)):
            dx[:, i:i + rows, j:j + columns] += dpatches
        return dx.copy().transpose(0, 3, 1, 2)

    @property
    def nabla_w(self):
        """∂C/∂w in the book's shape ``filter_shape`` (a view of ``nabla_filters``)."""
        return self.nabla_filters.transpose(0, 3, 1, 2)

    def parameters_and_gradients(self):
        """[(weights, ∂C/∂weights), (biases, ∂C/∂biases)], as stored: what gradient descent updates in place."""
        return [(self.filters, self.nabla_filters), (self.b, self.nabla_b)]

    def __repr__(self):
        return (f"ConvPoolLayer(filter_shape={self.filter_shape}, image_shape={self.image_shape}, "
                f"poolsize={self.poolsize}, activation_fn={self.activation_fn!r})")


class FullyConnectedLayer:
    """A layer of ``n_out`` neurons, each connected to all ``n_in`` inputs: a = f(a_in w + b), one row per example.

    ``w`` is (n_in, n_out), as in the book, so that a mini-batch of rows
    a_in times ``w`` gives the weighted inputs of every neuron at once.
    """

    def __init__(self, n_in, n_out, activation_fn=sigmoid, p_dropout=0.0, *, seed=None, dtype=np.float32):
        """Weights from N(0, 1/n_out), biases from N(0, 1): the book's choice for this layer.

        ``p_dropout`` > 0 is the book's dropout: during training each input
        of the layer is dropped (set to 0) with probability ``p_dropout``,
        afresh for every mini-batch; at test time every input is kept and the
        weighted input scaled by 1 - ``p_dropout`` instead, so that it is, on
        average, what training saw.
        """
        self.n_in = check_count("n_in", n_in, minimum=1)
        self.n_out = check_count("n_out", n_out, minimum=1)
        self.activation_fn = check_activation_fn(activation_fn)
        self.p_dropout = check_p_dropout(p_dropout)
        self.dtype = check_dtype(dtype)
        self.output_shape = (self.n_out,)
        rng = np.random.default_rng(check_seed(seed))
        self.w = rng.normal(0.0, sqrt(1.0 / self.n_out), (self.n_in, self.n_out)).astype(self.dtype)
        self.b = rng.normal(0.0, 1.0, self.n_out).astype(self.dtype)

    @property
    def params(self):
        return [self.w, self.b]

    def weighted_input(self, x, rng=None, training=False):
        """z = x w + b for the rows of ``x``; in training the inputs are dropped first, otherwise z scales by 1 - p."""
        x = x.reshape(len(x), self.n_in)
        if not training:
            xw = x @ self.w
            if self.p_dropout:
                xw *= 1.0 - self.p_dropout
            return xw + self.b
        if self.p_dropout:
            self._kept = rng.random(x.shape, dtype=self.dtype) >= self.p_dropout  # each kept with probability 1 - p
            x = x * self._kept
        self._x = x
        return x @ self.w + self.b

    def forward(self, x, rng=None, training=False):
        """The layer's output f(x w + b) for the rows of ``x`` (any shape with m rows of ``n_in`` numbers)."""
        a = self.activation_fn(self.weighted_input(x, rng, training))
        if training:
            self._a = a
        return a

    def backward(self, delta, need_input_gradient=True):
        """Set ``nabla_w`` and ``nabla_b`` from ∂C/∂a ``delta``; return ∂C/∂input (or None if not needed)."""
        return self._backward_from_z(delta * self.activation_fn.prime_from_output(self._a), need_input_gradient)

    def _backward_from_z(self, dz, need_input_gradient):
        """From ∂C/∂z: ∂C/∂w = x_inᵀ ∂C/∂z (x_in as dropped), ∂C/∂b summed over rows, ∂C/∂x_in = ∂C/∂z wᵀ."""
        self.nabla_w = self._x.T @ dz
        self.nabla_b = dz.sum(axis=0)
        if not need_input_gradient:
            return None
        dx = dz @ self.w.T
        if self.p_dropout:
            dx *= self._kept  # a dropped input did not take part
        return dx

    def parameters_and_gradients(self):
        """[(w, ∂C/∂w), (b, ∂C/∂b)]: what gradient descent updates in place."""
        return [(self.w, self.nabla_w), (self.b, self.nabla_b)]

    def __repr__(self):
        dropout = f", p_dropout={self.p_dropout}" if self.p_dropout else ""
        return f"FullyConnectedLayer(n_in={self.n_in}, n_out={self.n_out}, activation_fn={self.activation_fn!r}{dropout})"


class SoftmaxLayer(FullyConnectedLayer):
    """The output layer: softmax neurons (eq. 78) and the log-likelihood cost C = -ln a_y (eq. 80).

    Its weights and biases start at 0, as in the book: every digit starts
    equally likely, and the gradient breaks the symmetry at once.
    """

    def __init__(self, n_in, n_out, p_dropout=0.0, *, dtype=np.float32):
        super().__init__(n_in, n_out, linear, p_dropout, dtype=dtype)
        if self.n_out < 2:
            raise ValueError(f"a SoftmaxLayer needs at least 2 neurons (one per class), got n_out={n_out}")
        self.w[...] = 0
        self.b[...] = 0

    def forward(self, x, rng=None, training=False):
        """The softmax of the weighted inputs, row by row: each row a probability for each class."""
        a = softmax(self.weighted_input(x, rng, training), axis=1)
        if training:
            self._a = a
        return a

    def cost(self, y):
        """The log-likelihood cost of the last mini-batch seen in training, averaged over it: mean of -ln a_y."""
        a_y = self._a[np.arange(len(y)), y]
        return float(-np.mean(np.log(np.maximum(a_y, np.finfo(a_y.dtype).tiny))))

    def backward(self, y, need_input_gradient=True):
        """Backpropagation starts here from the labels ``y``: ∂C/∂z = (a - one-hot y)/m for the mean cost (eq. 84)."""
        dz = self._a.copy()
        dz[np.arange(len(y)), y] -= 1
        dz /= len(y)
        return self._backward_from_z(dz, need_input_gradient)

    def __repr__(self):
        dropout = f", p_dropout={self.p_dropout}" if self.p_dropout else ""
        return f"SoftmaxLayer(n_in={self.n_in}, n_out={self.n_out}{dropout})"


LAYERS = (ConvPoolLayer, FullyConnectedLayer)  # SoftmaxLayer is a FullyConnectedLayer


# ----- the network --------------------------------------------------------------------------------------------------
@dataclass(repr=False)
class History(training.History):
    """What ``Network.SGD`` measured: ``nndl``'s ``History`` with the validation accuracy per epoch added.

    ``validation_correct[i]`` counts the validation images classified right
    after epoch i, out of ``n_validation``; ``test_correct[i]`` the test
    images (measured every epoch here; the book prints it only when the
    validation accuracy reaches a new best).  ``best_epoch`` is the book's
    choice: the last epoch with the highest validation accuracy.
    """

    n_validation: int = 0
    validation_correct: list = field(default_factory=list)

    @property
    def validation_accuracy(self):
        """Validation accuracy per epoch as fractions in [0, 1]."""
        return [c / self.n_validation for c in self.validation_correct]

    @property
    def best_epoch(self):
        """The last epoch with the best validation accuracy (the book's ``>=``), or None before any epoch."""
        if not self.validation_correct:
            return None
        return len(self.validation_correct) - 1 - int(np.argmax(self.validation_correct[::-1]))

    @property
    def best_test_accuracy(self):
        """The test accuracy at ``best_epoch``: the number the book reports for a run."""
        return None if self.best_epoch is None or not self.test_correct else self.test_accuracy[self.best_epoch]

    def __repr__(self):
        if self.best_epoch is None:
            return f"History({self.epochs} epochs)"
        test = f", test accuracy {self.best_test_accuracy:.2%} there" if self.test_correct else ""
        return (f"History({self.epochs} epochs, best validation accuracy "
                f"{self.validation_accuracy[self.best_epoch]:.2%} at epoch {self.best_epoch}{test})")


class Network:
    """A network of ``ConvPoolLayer``, ``FullyConnectedLayer`` and a final ``SoftmaxLayer``, trained by SGD."""

    def __init__(self, layers, mini_batch_size, seed=None):
        """``layers`` lists the layers, input first; ``mini_batch_size`` is the one ``SGD`` will use.

        Each layer's input must be the previous layer's output: a layer's
        ``n_in`` (or a ``ConvPoolLayer``'s ``image_shape``) is checked here.
        ``seed`` drives the shuffling of the training data and the dropout
        masks (the layers' own ``seed`` their initial weights).
        """
        self.mini_batch_size = check_count("mini_batch_size", mini_batch_size, minimum=1)
        self.layers = check_layers(layers, self.mini_batch_size)
        self.dtype = self.layers[0].dtype
        self.rng = np.random.default_rng(check_seed(seed))

    @property
    def params(self):
        """Every layer's weights and biases, in the book's order: [w, b] of the first layer, then of the next..."""
        return [param for layer in self.layers for param in layer.params]

    @property
    def weights(self):
        return [layer.params[0] for layer in self.layers]

    @property
    def biases(self):
        return [layer.params[1] for layer in self.layers]

    @property
    def n_in(self):
        """How many numbers one input image has (784 for MNIST)."""
        return self.layers[0].n_in

    # ----- feedforward and evaluation ---------------------------------------------------------------------------
    def feedforward(self, x):
        """The softmax outputs (n, classes) for the images ``x``, one per row (n, ``n_in``), as at test time."""
        x = check_rows(x, self.n_in)
        outputs = np.empty((len(x), self.layers[-1].n_out), self.dtype)
        with training.one_blas_thread():  # measured: 4 times faster than BLAS's threads on two busy cores
            for start in range(0, len(x), EVALUATION_BATCH):
                a = np.asarray(x[start:start + EVALUATION_BATCH], dtype=self.dtype)
                for layer in self.layers:
                    a = layer.forward(a)
                outputs[start:start + EVALUATION_BATCH] = a
        return outputs

    def accuracy(self, data):
        """The fraction of ``data`` (images and labels, in any form ``SGD`` takes) classified right."""
        images, labels = self.images_and_labels(data, "data")
        return self.count_correct(images, labels) / len(labels)

    def count_correct(self, images, labels):
        return int(np.sum(np.argmax(self.feedforward(images), axis=1) == labels))

    # ----- training -------------------------------------------------------------------------------------------------
    def cost(self, x, y, lmbda=0.0, num_training_batches=1, rng=None):
        """The cost ``SGD`` descends on the mini-batch (``x`` rows, ``y`` labels), with dropout masks from ``rng``.

        The book's: the mean log-likelihood of the mini-batch plus the L2
        term ½λ Σw² / ``num_training_batches``, summed over every layer's
        weights (not the biases).
        """
        x, y = self._check_mini_batch(x, y)
        self._forward(x, self.rng if rng is None else rng)
        l2 = 0.5 * lmbda * sum(float(np.sum(w * w)) for w in self.weights) / num_training_batches if lmbda else 0.0
        return self.layers[-1].cost(y) + l2

    def backprop(self, x, y, lmbda=0.0, num_training_batches=1, rng=None):
        """The gradient of ``cost``: a list [∂C/∂w, ∂C/∂b] per layer, in the shapes of the layer's ``params``."""
        x, y = self._check_mini_batch(x, y)
        self._backprop(x, y, lmbda / num_training_batches, self.rng if rng is None else rng)
        return [[layer.nabla_w, layer.nabla_b] for layer in self.layers]

    def update_mini_batch(self, x, y, eta, lmbda=0.0, num_training_batches=1):
        """One step of gradient descent on ``cost`` for the mini-batch: each parameter p ← p - η ∂C/∂p."""
        x, y = self._check_mini_batch(x, y)
        self._update(x, y, check_eta(eta), check_lmbda(lmbda) / num_training_batches)

    def _forward(self, x, rng):
        for layer in self.layers:
            x = layer.forward(x, rng, training=True)

    def _backprop(self, x, y, l2, rng):
        """Forward, then backward through every layer; each layer keeps its gradients (``l2`` = λ/batches)."""
        self._forward(x, rng)
        delta = y
        for j in range(len(self.layers) - 1, -1, -1):
            delta = self.layers[j].backward(delta, need_input_gradient=j > 0)
        if l2:  # the L2 term's gradient, λ w / batches
            for layer in self.layers:
                w, nabla_w = layer.parameters_and_gradients()[0]
                nabla_w += l2 * w

    def _update(self, x, y, eta, l2):
        self._backprop(x, y, l2, self.rng)
        for layer in self.layers:
            for param, gradient in layer.parameters_and_gradients():
                gradient *= eta
                param -= gradient

    def SGD(self, training_data, epochs, mini_batch_size, eta, validation_data, test_data=None, lmbda=0.0, *,
            quiet=False, progress=False):
        """Train the network using mini-batch stochastic gradient descent; return the ``History``.

        After each epoch the accuracy on ``validation_data`` is printed, and
        the test accuracy each time the validation accuracy reaches a new
        best (the book's transcript); the end gives the best validation
        accuracy and the test accuracy at that epoch, which is the number the
        book reports for a run.  ``quiet=True`` prints nothing;
        ``progress=True`` shows a progress bar over each epoch's mini-batches
        (in place of the book's "Training mini-batch number ..." lines).

        The data: ``(images, labels)`` arrays, the form of the splits of
        ``mnist.load_arrays()`` (an image per row, the labels as ints), or
        lists of ``(x, y)`` pairs as ``mnist.load_data()`` gives (see the module's
        docstring).  ``mini_batch_size`` must be the network's (the layers
        were made for it).  As in the book, each epoch has n // m mini-batches,
        so that up to m - 1 images are left out; unlike the book, the
        training data are shuffled before every epoch (with the network's
        generator), as in chapter 1's ``SGD``.

        ``lmbda`` is the book's L2 regularisation: the cost of each mini-batch
        gets ½λ Σw² / (number of mini-batches per epoch), which adds λ w /
        (number of mini-batches) to each weight's gradient.  Divided by the
        number of mini-batches, not by the number of images n as in chapter
        3: the book's λ = 0.1 here equals chapter 3's λ = 0.1 × m.
        """
        epochs = check_count("epochs", epochs, minimum=0)
        check_count("mini_batch_size", mini_batch_size, minimum=1)
        if mini_batch_size != self.mini_batch_size:
            raise ValueError(f"mini_batch_size is {mini_batch_size}, but this network was made for mini-batches of "
                             f"{self.mini_batch_size} (Network(layers, {self.mini_batch_size}) and the layers' "
                             f"image_shape): pass {self.mini_batch_size}, or make the network for {mini_batch_size}")
        eta, lmbda = check_eta(eta), check_lmbda(lmbda)
        images, labels = self.images_and_labels(training_data, "training_data")
        validation = self.images_and_labels(validation_data, "validation_data")
        test = None if test_data is None else self.images_and_labels(test_data, "test_data")
        m = mini_batch_size
        num_training_batches = len(labels) // m
        if num_training_batches == 0:
            raise ValueError(f"training_data holds {len(labels)} images, fewer than one mini-batch of {m}")
        history = History(n_training=len(labels), n_validation=len(validation[1]),
                          n_test=0 if test is None else len(test[1]))
        say = (lambda line: None) if quiet else print
        with training.one_blas_thread():  # a mini-batch's products are too small to share between cores
            for epoch in range(epochs):
                order = self.rng.permutation(len(labels))
                batches = training.progress_bar(range(num_training_batches), progress, f"Epoch {epoch}")
                with np.errstate(over="ignore", invalid="ignore"):  # check_finite reports a divergence
                    for k in batches:
                        rows = order[k * m:(k + 1) * m]
                        x = np.asarray(images[rows], dtype=self.dtype)
                        self._update(x, labels[rows], eta, lmbda / num_training_batches)
                training.check_finite(self, eta, f"during epoch {epoch}")
                history.epochs += 1
                history.etas.append(eta)
                history.validation_correct.append(self.count_correct(*validation))
                if test is not None:
                    history.test_correct.append(self.count_correct(*test))
                say(f"Epoch {epoch}: validation accuracy {history.validation_accuracy[-1]:.2%}")
                if history.best_epoch == epoch:
                    say("This is the best validation accuracy to date.")
                    if test is not None:
                        say(f"The corresponding test accuracy is {history.test_accuracy[-1]:.2%}")
        say("Finished training network.")
        if history.best_epoch is not None:
            best_iteration = num_training_batches * (history.best_epoch + 1) - 1
            say(f"Best validation accuracy of {history.validation_accuracy[history.best_epoch]:.2%} obtained at "
                f"iteration {best_iteration}")
            if test is not None:
                say(f"Corresponding test accuracy of {history.best_test_accuracy:.2%}")
        return history

    # ----- data ---------------------------------------------------------------------------------------------------
    def images_and_labels(self, data, name):
        """``(images, labels)``: an image per row (n, ``n_in``), and the labels as ints, from any accepted form.

        ``(images, labels)`` arrays are used as they are (the labels may also
        be one-hot rows); a list of pairs that keeps its rows
        (``mnist.load_data()``, ``mnist.expanded()``) gives those; any other
        list of ``(x, y)`` pairs is stacked into arrays, once.
        """
        if isinstance(data, (tuple, list)) and len(data) == 2 and getattr(data[0], "ndim", None) == 2:
            images, labels = data
        elif hasattr(data, "as_rows") and data.as_rows() is not None:
            images, labels = data.as_rows()
        else:
            images, labels = as_rows(data, name, [self.n_in, self.layers[-1].n_out], self.dtype, labels=True)
        if images.ndim != 2 or images.shape[1] != self.n_in:
            raise ValueError(f"{name} has images of {images.shape[1:]} numbers, but the first layer, "
                             f"{self.layers[0]!r}, takes {self.n_in}: {first_layer_hint(self.layers[0])}")
        if isinstance(images, np.ndarray):
            check_finite_rows(images, name, "an image")
        return images, check_labels(labels, len(images), self.layers[-1].n_out, name)

    def _check_mini_batch(self, x, y):
        x = check_rows(x, self.n_in)
        y = check_labels(y, len(x), self.layers[-1].n_out, "y")
        return np.asarray(x, dtype=self.dtype), y

    def __repr__(self):
        layers = ",\n    ".join(map(repr, self.layers))
        return f"Network([\n    {layers}], mini_batch_size={self.mini_batch_size})"


# ----- checks --------------------------------------------------------------------------------------------------------
def check_layers(layers, mini_batch_size):
    """The layers as a list, if each one's input is the previous one's output; a clear error otherwise."""
    try:
        layers = list(layers)
    except TypeError:
        raise TypeError(f"layers must be a list of layers such as [ConvPoolLayer(...), FullyConnectedLayer(...), "
                        f"SoftmaxLayer(...)], got {layers!r}") from None
    bad = next((j for j, layer in enumerate(layers) if not isinstance(layer, LAYERS)), None)
    if bad is not None:
        raise TypeError(f"layers[{bad}] is {layers[bad]!r}, not a ConvPoolLayer, FullyConnectedLayer or SoftmaxLayer")
    if not layers or not isinstance(layers[-1], SoftmaxLayer):
        raise ValueError("the last layer must be a SoftmaxLayer: it holds the cost that training descends")
    for j, layer in enumerate(layers):
        if isinstance(layer, SoftmaxLayer) and j < len(layers) - 1:
            raise ValueError(f"layers[{j}] is a SoftmaxLayer, which can only be the last layer")
        if layer.dtype != layers[0].dtype:
            raise ValueError(f"layers[{j}] computes in {np.dtype(layer.dtype).name}, layers[0] in "
                             f"{np.dtype(layers[0].dtype).name}: give every layer the same dtype")
        if isinstance(layer, ConvPoolLayer) and layer.image_shape[0] != mini_batch_size:
            raise ValueError(f"layers[{j}] has image_shape {layer.image_shape}, whose first entry is the "
                             f"mini-batch size, but the network's mini_batch_size is {mini_batch_size}: "
                             f"make them the same")
        if j == 0:
            continue
        previous = layers[j - 1]
        if isinstance(layer, ConvPoolLayer) and isinstance(previous, ConvPoolLayer):
            if layer.image_shape[1:] != previous.output_shape:
                raise ValueError(f"layers[{j}] has image_shape {layer.image_shape}, but layers[{j - 1}] outputs "
                                 f"{previous.output_shape[0]} feature maps of {previous.output_shape[1]}×"
                                 f"{previous.output_shape[2]}: set image_shape="
                                 f"{(mini_batch_size,) + previous.output_shape}")
        elif layer.n_in != prod(previous.output_shape):
            size = "×".join(map(str, previous.output_shape))
            raise ValueError(f"layers[{j}] takes n_in={layer.n_in} inputs, but layers[{j - 1}] outputs {size} = "
                             f"{prod(previous.output_shape)} numbers per image: set n_in={prod(previous.output_shape)}")
    return layers


def first_layer_hint(layer):
    if isinstance(layer, ConvPoolLayer):
        return "make its image_shape match the images (MNIST: (mini_batch_size, 1, 28, 28))"
    return "make its n_in the number of pixels of an image (784 for MNIST)"


def check_rows(x, n_in):
    """``x`` unchanged if it is images as rows (n, ``n_in``) (an array, or an array-like with ``shape``)."""
    shape = getattr(x, "shape", None) or np.shape(x)
    if len(shape) != 2 or shape[1] != n_in:
        raise ValueError(f"the images have shape {tuple(shape)}, but this network takes images of {n_in} numbers "
                         f"as rows: pass an array of shape (n, {n_in})")
    return x


def check_labels(labels, n, n_out, name):
    """The labels as an int array of n classes from 0 to ``n_out`` - 1 (one-hot rows become their class)."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == n_out:
        labels = np.argmax(labels, axis=1)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} needs one int label per image ({n} images), got labels of shape {labels.shape} "
                         f"and type {labels.dtype}")
    if n and (labels.min() < 0 or labels.max() >= n_out):
        raise ValueError(f"{name} has labels from {labels.min()} to {labels.max()}, but the SoftmaxLayer has "
                         f"{n_out} neurons, one per class: labels must run from 0 to {n_out - 1}")
    return labels
