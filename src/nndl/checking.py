"""Input checking for ``Network``: a clear error for every bad argument, and data turned into rows.

``network.py`` calls these so that its class reads like the book's: each
function either returns its argument in the form the network computes with,
or raises an error that says what is wrong and how to fix it.  The data
conversion lives here too: ``as_rows`` turns the book's list of ``(x, y)``
column pairs into one array of inputs and one of desired outputs (or labels),
an example per row, which is how ``SGD`` gathers its mini-batches.
"""
import math
from numbers import Integral, Real

import numpy as np


def check_sizes(sizes):
    """The layer sizes as a list of ints, each at least 1, at least two layers."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a list of layer sizes such as [784, 30, 10], got {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least 2 layers (input and output), got {sizes}")
    if not all(isinstance(s, Integral) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(f"sizes must be positive integers, got {sizes}")
    return [int(s) for s in sizes]


def check_dtype(dtype):
    """The NumPy scalar type of ``dtype``, which must be float32 or float64."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype.name}")
    return dtype.type


def check_seed(seed):
    """``seed`` unchanged if it is None or an integer >= 0, the seeds NumPy's ``default_rng`` takes."""
    if seed is not None and (not isinstance(seed, Integral) or isinstance(seed, bool) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    return seed


def check_count(name, value, minimum):
    """``value`` as an int, if it is a whole number (int or NumPy integer) >= ``minimum``: 2.7 is not truncated."""
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_lmbda(lmbda):
    """λ of L2 regularisation as a float, if it is a finite number >= 0."""
    if not isinstance(lmbda, Real) or isinstance(lmbda, bool) or not math.isfinite(lmbda) or lmbda < 0:
        raise ValueError(f"the L2 regularisation parameter lmbda must be a number >= 0, got {lmbda!r}: "
                         "try lmbda=5.0 as the book does for 50,000 images")
    return float(lmbda)


def check_mu(mu):
    """The momentum coefficient μ as a float, if it is a number from 0 to 1."""
    if not isinstance(mu, Real) or isinstance(mu, bool) or not 0 <= mu <= 1:  # NaN fails too
        raise ValueError(f"the momentum coefficient mu must be a number from 0 (no momentum) to 1 (no friction), "
                         f"got {mu!r}: above 1 each step adds to the velocity instead of damping it, and below 0 "
                         f"the velocity flips direction every step; try mu=0.5 or 0.9")
    return float(mu)


def check_dropout(p, sizes):
    """The dropout probability as a float, if 0 <= p < 1 and, for p > 0, the network has a hidden layer to drop from."""
    if not isinstance(p, Real) or isinstance(p, bool) or not 0 <= p < 1:
        raise ValueError(f"dropout is the probability of dropping a hidden neuron, from 0 up to (not "
                         f"including) 1, got {p!r}: try dropout=0.5 as the book does")
    if p > 0 and len(sizes) < 3:
        raise ValueError(f"dropout={p!r} drops hidden neurons, but a {sizes} network has no hidden layer: "
                         f"add one (for instance sizes [{sizes[0]}, 30, {sizes[-1]}]) or leave dropout at 0")
    return float(p)


def is_learning_rate(eta):
    """Whether ``eta`` can be a learning rate: a real number (not a bool), finite and > 0."""
    return isinstance(eta, Real) and not isinstance(eta, bool) and 0 < eta < math.inf


def check_eta(eta):
    """The learning rate η as a float, if it is a finite number > 0."""
    if not is_learning_rate(eta):
        raise ValueError(f"the learning rate eta must be a positive, finite number, got {eta!r}: "
                         "try eta=3.0 as the book does")
    return float(eta)


def check_input(a, n_in):
    """``a`` as a column (n_in, 1) or a batch of columns (n_in, m); a flat vector becomes a column."""
    a = np.asarray(a)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or a.shape[0] != n_in:
        raise ValueError(
            f"the input has shape {a.shape}, but this network's first layer has "
            f"{n_in} neurons: pass a column vector of shape ({n_in}, 1) "
            f"or a batch of columns of shape ({n_in}, m)")
    return a


def check_parameter_shapes(sizes, weights, biases):
    """A clear error if ``weights`` or ``biases`` were given arrays of the wrong shape.

    A flat bias vector (3,) in place of a column (3, 1) would not fail by
    itself: w a + b would broadcast it into a (3, 3) matrix of wrong numbers.
    """
    arrays = {"weights": weights, "biases": biases}
    needed = {"weights": [(y, x) for x, y in zip(sizes, sizes[1:])],
              "biases": [(y, 1) for y in sizes[1:]]}
    for name, shapes in needed.items():
        actual = [np.shape(a) for a in arrays[name]]
        if actual != shapes:
            raise ValueError(f"net.{name} has shapes {actual}, but a {sizes} network needs {shapes}: "
                             f"assign arrays of those shapes")


def check_parameters(sizes, weights, biases):
    """A clear error if ``weights`` or ``biases`` were given arrays of the wrong shape or non-finite numbers."""
    check_parameter_shapes(sizes, weights, biases)
    for name, arrays in (("weights", weights), ("biases", biases)):
        bad = next((i for i, a in enumerate(arrays) if not np.isfinite(a).all()), None)
        if bad is not None:
            raise ValueError(f"net.{name}[{bad}] holds NaN or infinite numbers: assign finite arrays "
                             f"(or make a new Network) before training")


def check_evaluation_data(data, name, **options):
    """A clear error if an option that measures on evaluation data is set (``options``: name=value) without them."""
    wanted = [f"{option}={value!r}" for option, value in options.items() if value]
    if data is None and wanted:
        raise ValueError(f"{' and '.join(wanted)} need{'s' * (len(wanted) == 1)} evaluation data: "
                         f"pass {name} (for instance the validation data)")


def check_not_empty(pairs, name):
    """``pairs`` unchanged if it holds at least one (x, y) pair."""
    if not len(pairs):
        raise ValueError(f"{name} is empty: it needs at least one (x, y) pair")
    return pairs


def as_rows(data, name, sizes, dtype, labels=False):
    """The (x, y) pairs of ``data`` as rows: X (n, n_in), and Y (n, n_out) or int labels.

    One rule for every method: each x is a column (n_in, 1) (or flat,
    (n_in,)), as for ``feedforward``; each y a column (n_out, 1) or an int
    label (0 or 1 for a single output neuron); every number finite, every
    desired output in [0, 1].  A list from ``mnist.load_data`` holds its
    pairs as rows already (its ``as_rows()`` method): those arrays are used directly.
    """
    n_in, n_out = sizes[0], sizes[-1]
    rows = data.as_rows() if hasattr(data, "as_rows") else None
    if rows is not None and len(rows[0]) and rows[0].shape[1:] == (n_in,) and (
            rows[1].shape[1:] == (n_out,) or
            rows[1].ndim == 1 and rows[1].min() >= 0 and rows[1].max() < n_classes(n_out)):
        X, Y = rows  # X stays float32: each mini-batch is converted as it is gathered, not all 50,000 rows at once
        if labels:
            return X, (Y if Y.ndim == 1 else classes(Y, axis=1))
        if Y.ndim == 1:
            return X, desired_outputs(Y, n_out, dtype)
        check_target_range(Y, name)
        return X, Y.astype(dtype, copy=False)
    try:
        pairs = list(data)
        xs = [np.asarray(x) for x, _ in pairs]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a list of (x, y) pairs, as load_data() returns") from None
    check_not_empty(pairs, name)
    bad = next((i for i, x in enumerate(xs) if x.shape != (n_in, 1) and x.shape != (n_in,)), None)
    if bad is not None:
        raise ValueError(f"{name}[{bad}] has an input x of shape {xs[bad].shape}, but this "
                         f"network's first layer has {n_in} neurons: x must be a column ({n_in}, 1)")
    try:
        X = np.array([x.reshape(-1) for x in xs], dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} has inputs x that are not numbers: each x must be an array of floats") from None
    check_finite_rows(X, name, "an input x")
    ys = [y for _, y in pairs]
    if labels:
        return X, np.array([as_label(y, n_out, f"{name}[{i}]") for i, y in enumerate(ys)], dtype=np.int64)
    Y = np.array([as_target(y, n_out, f"{name}[{i}]") for i, y in enumerate(ys)], dtype=dtype)
    check_finite_rows(Y, name, "a desired output y")
    check_target_range(Y, name)
    return X, Y


def check_finite_rows(rows, name, what):
    """A clear error naming the first example whose row holds NaN or infinity."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(rows.sum()):  # one fast pass; only a sum that is not finite needs the search
            return
    bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
    if len(bad):
        raise ValueError(f"{name}[{bad[0]}] has {what} with NaN or infinite numbers ({len(bad)} example(s) in "
                         f"all): training needs finite data; fix or leave out those examples")


def check_target_range(Y, name):
    """A clear error naming the first example whose desired output row has a number outside [0, 1]."""
    if Y.min() < 0 or Y.max() > 1:
        bad = np.flatnonzero(((Y < 0) | (Y > 1)).any(axis=1))
        raise ValueError(f"{name}[{bad[0]}] has a desired output y outside [0, 1] ({len(bad)} example(s) in all): "
                         f"sigmoid and softmax output neurons give numbers from 0 to 1, so y must lie there too")


def n_classes(n_out):
    """How many classes a network with ``n_out`` output neurons tells apart: one per neuron, or two for one neuron."""
    return max(n_out, 2)


def classes(outputs, axis=0):
    """The class each (desired) output along ``axis`` stands for.

    The index of the most active neuron; or, for a single output neuron,
    1 if its activation is above ½ and 0 otherwise (binary classification:
    the index of a lone neuron would always be 0).
    """
    outputs = np.asarray(outputs)
    if outputs.shape[axis] == 1:
        return (np.take(outputs, 0, axis=axis) > 0.5).astype(np.int64)
    return np.argmax(outputs, axis=axis)


def desired_outputs(labels, n_out, dtype=np.float64):
    """The desired output for each int label: its one-hot row, or for a single output neuron the label itself."""
    labels = np.asarray(labels)
    return labels[..., None].astype(dtype) if n_out == 1 else np.eye(n_out, dtype=dtype)[labels]


def as_label(y, n_out, where):
    """A class index from an int label or a one-hot column; ``where`` names the example in errors."""
    if isinstance(y, np.ndarray) and y.ndim == 0:
        y = y.item()
    if np.ndim(y) == 0:
        top = n_classes(n_out) - 1
        if isinstance(y, (bool, np.bool_)) or not isinstance(y, Integral):
            raise ValueError(f"{where} has the label {y!r}, which is not an integer: a label is an int from 0 "
                             f"to {top}, or give a desired output column of shape ({n_out}, 1)")
        if not 0 <= y <= top:
            raise ValueError(f"{where} has label {y}, outside 0..{top} for {n_out} output(s)")
        return int(y)
    return int(classes(as_target(y, n_out, where)))


def as_target(y, n_out, where):
    """A desired output as a flat vector of n_out numbers, from an int label or a column."""
    if np.ndim(y) == 0:
        return desired_outputs(as_label(y, n_out, where), n_out)
    y = np.asarray(y)
    if y.shape != (n_out, 1) and y.shape != (n_out,):
        raise ValueError(f"{where} has a desired output y of shape {y.shape}, but this "
                         f"network's last layer has {n_out} neurons: y must be ({n_out}, 1)")
    return y.reshape(-1)
