"""Helpers for the locked, graded test cells: what the answer gave, noted as plain numbers, then judged.

A graded test cell has two halves.  The first runs the learner's code on the
test's inputs and notes each result in ``seen`` (a ``Seen``: plain arrays of
numbers, whatever object the learner returned).  The line
``grading.hand_over(seen)`` ends that half; the lines after it judge ``seen``
and need nothing else (the first half's imports are all they may use).

In the learner's own copy the whole cell runs in the learner's Python, so the
judging lines tell them at once what is wrong.  When a teacher grades a class,
only the first half runs in the student's (sandboxed) Python: ``hand_over``
writes ``seen`` to a ``.npy`` archive, and ``nndl.teach.judge`` runs the
judging lines in the grader, a process that ran no student code.  No earlier
cell can skip, rewrite or read the comparisons, since they never enter the
student's Python.

Even so, the helpers here compare with Python's own arithmetic on plain
floats and ints, not with ``np.allclose`` on objects the learner made, and
``forbidden`` makes the package's own functions refuse to run while the
learner's answer is computed, so an exercise cannot be answered by them.
"""
import contextlib
import os
import tempfile

import numpy as np

OBSERVED = "NNDL_OBSERVED"  # set in the grading kernel: the folder where hand_over writes what it saw
NUMBERS = "biuf"            # the kinds of array an observation may be: booleans, integers, floats

NUMBER_TYPES = (float, int, np.float64, np.float32, np.int64, np.int32)


def number(value, what):
    """``value`` as a plain float, if it is one number (a Python or NumPy scalar, or an array of size 1)."""
    if type(value) is np.ndarray and value.size == 1:
        value = value.reshape(-1).tolist()[0]
    if type(value) not in NUMBER_TYPES:
        raise AssertionError(f"{what} should be a number, got {type(value).__name__}")
    return float(value)


def bit(value, what):
    """``value`` as a plain int, if it is exactly 0 or 1: an int, a float, a bool, their NumPy kinds, an array of one.

    The exercises ask for "the number 0 or 1", so 1.0 counts as 1; a
    subclass of any of these types does not count (its ``==`` could lie).
    """
    if type(value) is np.ndarray and value.size == 1:
        value = value.reshape(-1).tolist()[0]
    if type(value) not in NUMBER_TYPES + (bool, np.bool_):
        raise AssertionError(f"{what} should be the number 0 or 1, got {type(value).__name__}")
    if float(value) not in (0.0, 1.0):
        raise AssertionError(f"{what} should be 0 or 1, got {value!r}")
    return int(value)


def pair(value, what):
    """``value`` as a tuple of two, if it is a tuple or a list of two items (a pair, however it was written)."""
    if type(value) not in (tuple, list) or len(value) != 2:
        raise AssertionError(f"{what} should be a pair of two values, got {type(value).__name__}"
                             + (f" of {len(value)}" if type(value) in (tuple, list) else ""))
    return tuple(value)


def array(value, shape, what):
    """``value`` as a fresh float array, if it is a NumPy array (or nested list) of exactly ``shape``."""
    if type(value) is not np.ndarray:
        if type(value) not in (list, tuple):
            raise AssertionError(f"{what} should be a NumPy array, got {type(value).__name__}")
        value = np.array(value, dtype=float)
    if value.shape != tuple(shape):
        raise AssertionError(f"{what} has shape {value.shape}; it should be {tuple(shape)}")
    return np.array(value.tolist(), dtype=float)


def close(actual, expected, what, rtol=1e-6, atol=1e-9):
    """True if ``actual`` has ``expected``'s shape and every entry is within the tolerance of it."""
    expected = np.array(expected, dtype=float)
    actual = array(actual, expected.shape, what)
    pairs = zip(actual.reshape(-1).tolist(), expected.reshape(-1).tolist())  # same length: shapes match
    return all(-(atol + rtol * (e if e >= 0 else -e)) <= a - e <= atol + rtol * (e if e >= 0 else -e)
               for a, e in pairs)


def _refusal(name):
    """A code object that raises AssertionError naming the package function ``name``."""
    namespace = {}
    exec(f"def refuse(*args, **kwargs):\n    raise AssertionError("
         f"{f'this exercise is answered with the package function {name}: write it yourself'!r})", namespace)
    return namespace["refuse"].__code__


def answered(*values, exercise):
    """Stop as an unsolved function does, with a NotImplementedError saying ``exercise`` is not done yet, while
    any of ``values`` (an answer given as values, such as ``MY_ETA``) is still None."""
    if any(value is None for value in values):
        raise NotImplementedError(f"{exercise} is not done yet")


@contextlib.contextmanager
def forbidden(*functions):
    """While inside, calling any of ``functions`` (however it was imported or renamed) raises AssertionError."""
    saved = [(f, f.__code__) for f in functions]
    try:
        for f in functions:
            f.__code__ = _refusal(f.__qualname__)
        yield
    finally:
        for f, code in saved:
            f.__code__ = code


class Seen(dict):
    """What the learner's code gave on a test's inputs, by name: each value a plain NumPy array of numbers.

    Storing converts at once (``np.array``, no subclass kept), so a number
    whose ``==`` lies, or a list of floats, arrives as the same plain array
    the grader will read back from the archive.
    """

    def __setitem__(self, name, value):
        try:
            array = np.array(value)
        except Exception as e:  # whatever the learner's object raises on conversion
            raise AssertionError(f"{name} should be numbers; converting it raised {type(e).__name__}: {e}") from None
        if array.dtype.kind not in NUMBERS:
            raise AssertionError(f"{name} should be numbers (or True/False), got {type(value).__name__}"
                                 + (f" of {array.dtype}" if type(value) is np.ndarray else ""))
        super().__setitem__(str(name), array)


def hand_over(seen, grade_id=None):
    """Hand ``seen`` to the judging lines below it: in the learner's copy they run right here, so nothing to do;
    in a class's grading kernel (the grader passes ``grade_id``) write it to ``$NNDL_OBSERVED/<grade_id>.npz``."""
    folder = os.environ.get(OBSERVED)
    if grade_id is None or not folder:
        return
    names = list(seen)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".npz")
    with os.fdopen(handle, "wb") as f:
        np.savez(f, np.array(names, dtype=str), *(seen[name] for name in names))
    os.replace(temporary, os.path.join(folder, f"{grade_id}.npz"))
