"""Checks for notebook 14, convolutional networks (the book's chapter 6).

The references are the package's own layers: ``package_convolve``,
``package_max_pool`` and ``package_max_pool_backward`` run a one-filter
``nndl.network3.ConvPoolLayer`` in float64 (a 1 × 1 filter of weight 1, no
bias and linear neurons make it a pure max-pooling layer).  The notebook's
later cells use the package too, so that they run before the exercises are
solved.  The book's numbers quoted by the notebook live here, checked against
the book's page: ``BOOK_RUNS`` and ``SURVEY``.
"""

import numpy as np

from ..network3 import ConvPoolLayer, linear
from . import Exercise, Hint, check, numerical_gradient, without
from .questions import Choice, Number, Written

BOOK_RUNS = [  # the book's chapter 6 on MNIST: test accuracy (%) at the epoch of best validation accuracy
    ("fully connected [784, 100, 10], sigmoid, 60 epochs, η = 0.1", 97.80),
    ("+ a conv-pool layer (20 maps of 5×5, 2×2 max-pooling)", 98.78),
    ("+ a second conv-pool layer (40 maps)", 99.06),
    ("ReLU neurons, η = 0.03, λ = 0.1", 99.23),
    ("training data expanded by 1-pixel shifts (250,000 images)", 99.37),
    ("an extra fully connected layer of 100 ReLUs", 99.43),
    ("dropout, two fully connected layers of 1,000, 40 epochs", 99.60),
    ("an ensemble of five such networks voting (33 errors)", 99.67),
]

SURVEY = [  # (year, who, what), as the book's sections on recent progress and other approaches report them
    ("1997", "Hochreiter, Schmidhuber", "long short-term memory units (LSTMs) for recurrent networks"),
    ("1998", "LeCun, Bottou, Bengio, Haffner", "LeNet-5 and the MNIST data: the modern convolutional network"),
    ("2006", "Hinton, Osindero, Teh", "deep belief networks: the start of the modern interest"),
    ("2012", "Le, Ranzato, Monga, Devin et al. (LRMD)", "ImageNet, 16 million images in 20,000 categories: 15.8% "
                                                        "right (the best before: 9.3%)"),
    ("2012", "Krizhevsky, Sutskever, Hinton (KSH)", "ILSVRC, 1.2 million images in 1,000 categories: top-5 84.7% "
                                                    "(next entry 73.8%)"),
    ("", "", "KSH's network: 5 conv layers, 2 fully connected of 4,096, a 1,000-way softmax; about 60 million "
             "parameters, on 2 GPUs"),
    ("2013", "Szegedy, Zaremba, Sutskever et al.", "adversarial images: imperceptible changes that fool a network"),
    ("2013", "Clarifai", "ILSVRC winner: top-5 88.3%"),
    ("2014", "Szegedy, Liu, Jia et al. (GoogLeNet)", "ILSVRC winner, 22 layers: top-5 93.33%"),
    ("2014", "Andrej Karpathy, a trained human", "top-5 error 5.1% on a sample where GoogLeNet's was 6.8%"),
]


# ----- the package's layers as references --------------------------------------------------------------------

def _layer(rows, cols, filter_shape, poolsize):
    return ConvPoolLayer((1, 1) + filter_shape, (1, 1, rows, cols), poolsize, linear, dtype=np.float64)


def package_convolve(a, w):
    """Eq. (125)'s sum Σ_l Σ_m w[l, m] a[j + l, k + m] for every (j, k), by the package's ``ConvPoolLayer``."""
    a, w = np.asarray(a, dtype=float), np.asarray(w, dtype=float)
    layer = _layer(*a.shape, w.shape, (1, 1))
    layer.w = w.reshape(layer.filter_shape)
    return layer.convolve(a.reshape(1, -1))[0, 0]


def _pooling_layer(z, size):
    layer = _layer(*np.shape(z), (1, 1), tuple(size))
    layer.w = np.ones(layer.filter_shape)
    layer.b[...] = 0
    return layer


def package_max_pool(z, size):
    """The maximum of each ``size`` block of the map ``z``, by the package's layer (a 1 × 1 filter of weight 1)."""
    z = np.asarray(z, dtype=float)
    return _pooling_layer(z, size).forward(z.reshape(1, -1))[0, 0]


def package_max_pool_backward(z, delta, size):
    """∂C/∂z from ∂C/∂(pooled) ``delta``, by the package layer's backward pass (ties: the first maximum wins)."""
    z = np.asarray(z, dtype=float)
    layer = _pooling_layer(z, size)
    layer.forward(z.reshape(1, -1), training=True)
    return layer.backward(np.asarray(delta, dtype=float).reshape(1, 1, *layer.pooled_shape))[0, 0].copy()


def routes_to_the_maxima(z, delta, size, gradient):
    """True if ``gradient`` is a max-pooling backward pass: in each block it is 0 except where the block's maximum is,
    and adds up to the block's delta; the rows and columns that pooling leaves out get 0.

    Where a block's maximum is unique this is the one gradient (finite differences agree); where two entries tie,
    any split of delta between them is accepted."""
    z, delta, gradient = (np.asarray(v, dtype=float) for v in (z, delta, gradient))
    (ph, pw), (hp, wp) = size, delta.shape
    if gradient.shape != z.shape:
        return False
    inside = np.zeros(z.shape, bool)
    inside[:hp * ph, :wp * pw] = True
    blocks = z[:hp * ph, :wp * pw].reshape(hp, ph, wp, pw)
    losers = ~inside
    losers[:hp * ph, :wp * pw] = (blocks < blocks.max(axis=(1, 3), keepdims=True)).reshape(hp * ph, wp * pw)
    sums = gradient[:hp * ph, :wp * pw].reshape(hp, ph, wp, pw).sum(axis=(1, 3))
    # compared without np.allclose, which a learner's cell could replace
    zero_elsewhere = np.all(np.abs(gradient[losers]) <= 1e-12)
    return bool(zero_elsewhere and np.all(np.abs(sums - delta) <= 1e-12 + 1e-9 * np.abs(delta)))


CONVOLUTION_HINT = ("your function calls {name}, which slides the filter for you: write eq. (125)'s sum yourself "
                    "(two loops over the positions (j, k), or np.lib.stride_tricks.sliding_window_view).")


def refused_in_convolve():
    """What ``convolve`` may not call, in the check and in the graded test alike (the one rule of both)."""
    import scipy.signal
    return (ConvPoolLayer.convolve, ConvPoolLayer.forward, ConvPoolLayer._im2col, package_convolve,
            scipy.signal.correlate2d, scipy.signal.correlate)


# ----- Exercise 1: the convolution (eq. 125) ---------------------------------------------------------------------

def _cases(rng, shapes):
    return [(rng.standard_normal(image), rng.standard_normal(filter_)) for image, filter_ in shapes]


@check("Right: each output (j, k) is Σ_l Σ_m w[l, m] a[j + l, k + m], eq. (125) without the bias and σ: the "
       "filter slides, unflipped, to every position where it fits.")
def check_convolve(convolve):
    cases = _cases(np.random.default_rng(14), [((6, 7), (3, 2)), ((5, 5), (1, 1)), ((4, 6), (4, 6)),
                                               ((8, 9), (5, 5)), ((7, 7), (3, 3))])
    for a, w in cases:
        given = a.copy()
        with without(*refused_in_convolve(), hint=CONVOLUTION_HINT):
            got = np.asarray(convolve(given, w.copy()), dtype=float)
        if not np.array_equal(given, a):
            raise Hint("your function changed the image it was given: compute the output in a new array.")
        expected = package_convolve(a, w)
        (rows, cols), (fh, fw) = a.shape, w.shape
        if got.shape != expected.shape:
            if got.shape == a.shape:
                raise Hint(f"for a {rows}×{cols} image your output is {rows}×{cols} too; eq. (125) only places the "
                           "filter where it fits entirely inside the image, so the output is smaller.")
            if got.shape == (rows - fh, cols - fw):
                raise Hint(f"for a {rows}×{cols} image and a {fh}×{fw} filter your output is {got.shape[0]}×"
                           f"{got.shape[1]}: one position short in each direction. Count the positions j = 0, 1, ... "
                           "at which the filter still fits, the last one included.")
            raise Hint(f"for a {rows}×{cols} image and a {fh}×{fw} filter your output has shape {got.shape}: "
                       "one output per position where the whole filter fits inside the image.")
        if np.allclose(got, expected):
            continue
        if np.allclose(got, package_convolve(a, w[::-1, ::-1])):
            raise Hint("your filter is flipped, top to bottom and left to right: that is the convolution of "
                       "mathematics (scipy's convolve2d, Theano's conv2d). Eq. (125) is a cross-correlation: "
                       "w[l, m] multiplies a[j + l, k + m], with no flip.")
        if fh == fw and np.allclose(got, package_convolve(a, w.T)):
            raise Hint("your filter is transposed: in eq. (125) l, the first index of w, is the offset down the rows "
                       "(it goes with j), and m the offset along the columns (it goes with k).")
        if np.allclose(got, 1 / (1 + np.exp(-expected))) or np.allclose(got, np.maximum(expected, 0)):
            raise Hint("you applied the neuron's function to the sum: convolve returns the double sum alone; the "
                       "bias and σ come after it.")
        wrong = np.argwhere(~np.isclose(got, expected))
        j, k = wrong[0]
        raise Hint(f"for a {rows}×{cols} image and a {fh}×{fw} filter your output at (j, k) = ({j}, {k}) is not eq. "
                   f"(125)'s sum there ({len(wrong)} of {got.size} outputs differ). Check which pixels the window "
                   "at (j, k) covers, and which weight each one meets.")


# ----- Exercise 2: max-pooling -----------------------------------------------------------------------------------

POOLING_CASES = [((4, 6), (2, 2)), ((5, 7), (2, 2)), ((6, 6), (3, 2)), ((4, 4), (1, 1)), ((6, 4), (2, 2))]


def _pooling_cases():
    rng = np.random.default_rng(140)
    maps = [rng.standard_normal(shape) for shape, _ in POOLING_CASES]
    maps[-1] = -np.abs(maps[-1]) - 0.1  # every number negative: a maximum started at 0 shows here
    return [(z, size) for z, (_, size) in zip(maps, POOLING_CASES)]


def _block_means(z, size, reduce):
    (ph, pw), (rows, cols) = size, z.shape
    hp, wp = rows // ph, cols // pw
    return reduce(z[:hp * ph, :wp * pw].reshape(hp, ph, wp, pw), (1, 3))


@check("Right: each pooled number is the largest of its block, and a row or column that does not fill a block is "
       "left out, as in the package's layer.")
def check_max_pool(max_pool):
    for z, size in _pooling_cases():
        given = z.copy()
        with without(ConvPoolLayer.forward, package_max_pool):
            got = np.asarray(max_pool(given, size), dtype=float)
        if not np.array_equal(given, z):
            raise Hint("your function changed the map it was given: compute the pooled map in a new array.")
        expected = package_max_pool(z, size)
        (rows, cols), (ph, pw) = z.shape, size
        if got.shape != expected.shape:
            if got.shape == z.shape:
                raise Hint("your pooled map has the size of the input; max-pooling keeps one number per block.")
            if got.shape == (-(-rows // ph), -(-cols // pw)):
                raise Hint(f"a {rows}×{cols} map in {ph}×{pw} blocks: your output keeps a part-filled block at the "
                           "edge. As in the book's program and the package, a row or column that does not fill a "
                           "whole block is left out.")
            raise Hint(f"a {rows}×{cols} map in {ph}×{pw} blocks gives a pooled map of shape {expected.shape} (a "
                       f"block of {ph} rows and {pw} columns, side by side, not overlapping); yours is {got.shape}.")
        if np.allclose(got, expected):
            continue
        if np.allclose(got, _block_means(z, size, np.mean)):
            raise Hint("those are the blocks' averages (average pooling); max-pooling keeps each block's largest.")
        if np.allclose(got, np.sqrt(_block_means(z * z, size, np.sum))):
            raise Hint("that is L2 pooling, the square root of the sum of squares, which the book mentions; "
                       "max-pooling keeps each block's largest number.")
        if np.any(expected < 0) and np.allclose(got, np.maximum(expected, 0)):
            raise Hint("where a block's numbers are all negative your pooled value is 0: a maximum started at 0 "
                       "never falls below it. Start from the block's first number (or use np.max).")
        raise Hint(f"on a {rows}×{cols} map in {ph}×{pw} blocks your pooled values are not the blocks' maxima. "
                   f"Block (r, c) covers rows {ph}r to {ph}r + {ph - 1} and columns {pw}c to {pw}c + {pw - 1}.")


# ----- Exercise 3: max-pooling's backward pass ---------------------------------------------------------------------

def _backward_cases():
    rng = np.random.default_rng(141)
    cases = [(z, size, rng.standard_normal((z.shape[0] // size[0], z.shape[1] // size[1])))
             for z, size in _pooling_cases()]
    tied = rng.standard_normal((4, 4))
    tied[0, 0] = tied[1, 1] = tied[:2, :2].max() + 1.0  # two positions share the first block's maximum
    cases.append((tied, (2, 2), np.array([[1.0, -2.0], [0.5, 3.0]])))
    return cases


@check("Right: each block's δ goes to the position that held its maximum, and 0 to the others and to the rows and "
       "columns pooling left out; the central differences and the package's layer agree.")
def check_max_pool_backward(max_pool_backward):
    for z, size, delta in _backward_cases():
        given = z.copy()
        with without(ConvPoolLayer.backward, package_max_pool_backward, package_max_pool):
            got = np.asarray(max_pool_backward(given, delta.copy(), size), dtype=float)
        if not np.array_equal(given, z):
            raise Hint("your function changed the map z it was given: build ∂C/∂z in a new array.")
        if got.shape != z.shape:
            raise Hint(f"∂C/∂z has one number per entry of z, shape {z.shape}, the rows and columns that pooling "
                       f"left out included (they get 0); yours has shape {got.shape}.")
        if routes_to_the_maxima(z, delta, size, got):
            continue
        (ph, pw), (hp, wp) = size, delta.shape
        inside = got[:hp * ph, :wp * pw]
        spread = np.kron(delta, np.ones(size))
        if np.allclose(inside, spread / (ph * pw)):
            raise Hint("you shared each δ equally in its block: that is the backward pass of average pooling. A "
                       "max-pooled number depends on one entry of its block only.")
        if np.allclose(inside, spread):
            raise Hint("every entry of a block gets the block's full δ; nudging an entry that is not the block's "
                       "maximum does not change the pooled number at all.")
        if not np.allclose(got[hp * ph:], 0) or not np.allclose(got[:, wp * pw:], 0):
            raise Hint("the rows or columns that pooling left out get a non-zero gradient; they do not affect the "
                       "output, so their gradient is 0.")
        sums = inside.reshape(hp, ph, wp, pw).sum(axis=(1, 3))
        blocks = z[:hp * ph, :wp * pw].reshape(hp, ph, wp, pw)
        ties = (blocks == blocks.max(axis=(1, 3), keepdims=True)).sum(axis=(1, 3)) > 1
        if np.any(ties) and np.allclose(sums[~ties], delta[~ties]) and not np.allclose(sums[ties], delta[ties]):
            raise Hint("in a block where two entries tie for the maximum your gradient adds up to more than the "
                       "block's δ: a mask `z == max` gives δ to each of them. Give it to one of them (the package "
                       "takes the first in reading order).")
        fd = numerical_gradient(lambda x: float(np.sum(delta * package_max_pool(x, size))), z.copy())
        if not np.any(ties):
            wrong = np.argwhere(~np.isclose(got, fd, atol=1e-6))
            i, j = wrong[0]
            raise Hint(f"at z[{i}, {j}] your gradient differs from the slope measured by central differences of "
                       f"C = Σ δ · max_pool(z). Which entry of its block is the maximum, and which δ is its block's?")
        raise Hint("your gradient is not 0 at every entry that is not its block's maximum, or it does not add up to "
                   "the block's δ in each block.")


# ----- the exercises -----------------------------------------------------------------------------------------------

ex1 = Exercise(
    "ex1", check=check_convolve, grade_id="nb14_convolve",
    hints=["The output has one number for each position (j, k) at which the whole filter fits in the image: how many "
           "positions down, and how many across? Then each number is eq. (125)'s double sum.",
           "Loop over j and k; the window at (j, k) is the slice a[j:j + fh, k:k + fw], of the filter's shape. "
           "Multiply it by w entry by entry and add everything up."],
    why="eq. (125) without b and σ: the window a[j:j + fh, k:k + fw] times w, summed, for every position where the "
        "filter fits, (rows - fh + 1) × (cols - fw + 1) of them. No flip: a cross-correlation, as the book writes it "
        "and as the package (and most libraries) compute it.")

ex2 = Exercise(
    "ex2", check=check_max_pool, grade_id="nb14_max_pool",
    hints=["With blocks of ph × pw the pooled map has rows // ph rows and cols // pw columns; pooled number (r, c) "
           "is the largest of its block.",
           "The block of (r, c) is z[ph*r:ph*(r + 1), pw*c:pw*(c + 1)]; np.max of it. (Without loops: cut z to whole "
           "blocks and reshape it to (rows // ph, ph, cols // pw, pw).)"],
    why="each pooled number is the maximum of one ph × pw block; the blocks sit side by side without overlapping, "
        "and a row or column that does not fill a block is dropped, as the book's program (Theano's "
        "ignore_border=True) and the package do.")

ex3 = Exercise(
    "ex3", check=check_max_pool_backward, grade_id="nb14_max_pool_backward",
    hints=["Start from zeros of z's shape. For each block, which entry can change the pooled number if nudged a "
           "little? That entry gets the block's δ.",
           "For block (r, c): take the block of z, find the position of its maximum with np.argmax and "
           "np.unravel_index, and put delta[r, c] there (offset by the block's corner)."],
    why="a pooled number equals its block's maximum, so a small change of the winning entry moves it by the same "
        "amount (slope 1), and a small change of any other entry does not move it at all (slope 0). By the chain "
        "rule, the winner gets the block's δ and every other entry 0: pooling routes the error back, it learns "
        "nothing itself.")

ex4 = Written(
    "ex4", grade_id="nb14_backprop_conv_written",
    hints=["Go layer by layer from the output: which of BP1-BP4 belong to the fully connected output layer (unchanged), "
           "which step crosses the pooling, and what changes for a layer whose weights are shared?",
           "A shared weight w_{l,m} is used by every hidden neuron (j, k) of its feature map. Its gradient collects "
           "one BP4 term a_{j+l,k+m} δ_{j,k} from each of them."],
    why="the output layer keeps BP1, BP3 and BP4; max-pooling passes each δ to its block's winner (Exercise 3); in "
        "the convolutional layer BP2's σ' stays and the shared weights and bias collect BP4 and BP3 summed over "
        "every position of their feature map.")

ex5 = Written(
    "ex5", grade_id="nb14_translations_written",
    hints=["Which parts of the network treat every position alike, and which part sees each pooled feature at a "
           "fixed place?",
           "A digit moved by one pixel: what happens to its feature maps, to the pooled maps, and to the inputs of "
           "the fully connected layer?"],
    why="only the convolution treats all positions alike; pooling forgives only small shifts, and the fully "
        "connected layers see each feature at a fixed position, so shifted digits are new examples for them; more "
        "examples also fight overfitting.")


# ----- predictions: the learner commits to an outcome before the cell that shows it ------------------------------

p1 = Number(
    "p1", 24.0,
    slips=[(23.0, "23 is how far the 5×5 window can move from its first position; count the positions it can take, "
                  "the first one included."),
           (28.0, "the window must fit inside the image: near the right edge it cannot start at every column."),
           (12.0, "that is after the 2×2 pooling, which comes next; how many positions does the 5×5 window have?")],
    hints=["Along a row, the window's left column can start at column 0, 1, ..., as long as its 5 columns fit in 28.",
           "The last start is column 28 - 5 = 23."],
    why="the window starts at columns 0 to 23, 24 positions (28 - 5 + 1), and likewise down the rows: a 24×24 feature "
        "map; 2×2 max-pooling then halves it to 12×12.")

p2 = Number(
    "p2", 520.0,
    slips=[(500.0, "each feature map also has its one shared bias."),
           (26.0, "that is one feature map; the layer has 20."),
           (25.0, "that is one filter's weights; count the bias, and then the 20 maps."),
           (299520.0, "that counts a weight and a bias for every one of the 24×24 neurons of each map; they share "
                      "them.")],
    hints=["The 24×24 neurons of one feature map all use the same 5×5 weights and the same bias.",
           "One feature map: 25 weights + 1 bias. The layer has 20 maps."],
    why="one map has 5 × 5 = 25 shared weights and 1 shared bias, 26 parameters; 20 maps have 520, however large the "
        "image. A fully connected layer of 30 neurons on the 784 pixels has 784 × 30 + 30 = 23,550.")

p3 = Choice(
    "p3", right="b",
    wrong={"a": "sharing equally is the backward pass of average pooling; does nudging a non-winning entry change the "
                "maximum?",
           "c": "the max does not weigh its inputs by their values: it copies one of them.",
           "d": "the max is not smooth where two entries tie, but elsewhere its slope exists: 1 or 0."},
    hints=["Nudge each of the four entries a little, one at a time: which nudges change the block's maximum?",
           "If 0.9 is the largest of the four, max = 0.9 + ε after nudging it by ε; after nudging 0.3, still 0.9."],
    why="the maximum follows the winning entry (slope 1) and ignores the others (slope 0), so by the chain rule the "
        "winner gets the whole gradient and the others none. Not (a), equal shares belong to average pooling; not "
        "(c), the max does not weigh by value; not (d), the slope exists except at exact ties.")

p4 = Choice(
    "p4", right="c",
    wrong={"a": "fewer weights in the first layer is a handicap only if the weights it lacks would have helped; "
                "which structure of the images does a convolutional layer build in?",
           "b": "both have 100 hidden neurons before the softmax, but what those neurons are given differs.",
           "d": "the conv net learns from a few thousand images too: its shared filters see every position of "
                "every image."},
    hints=["Which network knows that pixels near each other belong together, and that an edge is an edge anywhere?",
           "Each 5×5 filter of the conv net learns from every position of every image: 576 positions per image."],
    why="the conv net's filters are shared over all positions, so each image gives each filter 576 examples of local "
        "patterns, and its layer builds in what images are like; at the same small scale it learns faster. Not (a) "
        "or (b): its fewer weights are the right ones for images; not (d): it needs no more data than the fully "
        "connected one.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------------------------

q1 = Number(
    "q1", 4.0,
    slips=[(8.0, "8×8 are the feature maps of the second layer; then its 2×2 pooling."),
           (6.0, "12 - 5 + 1 = 8 positions, not 12 / 2: the convolution first, then the pooling."),
           (2.0, "the 5×5 filter on 12×12 gives 8×8, and pooling 2×2 halves that once.")],
    hints=["The 5×5 filters on 12×12 maps: how many positions per side?",
           "12 - 5 + 1 = 8; then 2×2 max-pooling."],
    why="12 - 5 + 1 = 8 positions per side, pooled 2×2 to 4: hence the book's FullyConnectedLayer(n_in=40*4*4, ...).")

q2 = Number(
    "q2", 20040.0,
    slips=[(1040.0, "each of the 40 filters reads all 20 input maps: 20 × 5 × 5 weights per filter."),
           (20000.0, "each of the 40 feature maps also has its shared bias."),
           (1000.0, "that is one filter's 20 × 5 × 5 weights; the layer has 40 filters and 40 biases.")],
    hints=["A filter of the second layer sees a 5×5 window of every one of the 20 feature maps below.",
           "One filter: 20 × 5 × 5 weights and 1 bias; the layer has 40."],
    why="each of the 40 filters has 20 × 5 × 5 = 500 weights and 1 bias: 40 × 501 = 20,040, in the package "
        "ConvPoolLayer((40, 20, 5, 5), ...).w.size + .b.size.")

q3 = Choice(
    "q3", right="a",
    wrong={"b": "the weights' count does not change with the image: the same 26 numbers per map for 28×28 or "
                "1000×1000 pixels.",
           "c": "the book's layers compute eq. (125) without any Fourier transform; sharing is about which weights "
                "are the same, not how the sum is computed.",
           "d": "sharing weights does not stop the layer from learning: the shared weights have gradients, summed "
                "over every position."},
    hints=["What does a feature detector found useful in one corner of the image do at another place?",
           "The book calls it translation invariance."],
    why="a feature worth detecting in one place (an edge, a corner) is worth detecting everywhere, so one filter "
        "slides over the image: far fewer parameters, and each learns from every position. Not (b): the count is "
        "independent of the image size; not (c): no Fourier transform is involved; not (d): shared weights learn, "
        "from gradients summed over positions.")

q4 = Choice(
    "q4", right="d",
    wrong={"a": "dropout on a convolutional layer is possible and used elsewhere; the book explains why it did not "
                "need it.",
           "b": "dropout would not cost many more computations in a convolutional layer; that is not the book's "
                "reason.",
           "c": "max-pooling keeps the largest activation of each block, whatever dropout would do; that is not "
                "the reason either."},
    hints=["Dropout fights overfitting. How likely is a convolutional layer to overfit?",
           "A shared filter must work at every position of every image."],
    why="the book's reason: the shared weights make each filter learn from the whole image, so the convolutional "
        "layers resist overfitting by themselves and need no dropout. Not (a): it can be applied; not (b): cost is "
        "not the reason; not (c): pooling would still work.")

q5 = Choice(
    "q5", right="b",
    wrong={"a": "a flipped filter is still a filter: gradient descent can learn the flipped weights as easily.",
           "c": "the cross-correlation and the convolution differ only by the flip; both can detect any pattern.",
           "d": "the 5×5 sum has the same cost either way."},
    hints=["If the true convolution flips the filter, what does a network that learns the filter end up with?",
           "The learned weights absorb the flip."],
    why="a true convolution is the cross-correlation with a flipped filter; a network that learns its filters simply "
        "learns them flipped, with the same accuracy. Only weights copied between the two conventions must be "
        "flipped. Not (a) or (c): both learn the same patterns; not (d): the cost is the same.")
