"""Automatic checks for the notebooks' exercises, one module per chapter.

A notebook calls a check on the learner's function, for example
``check_nand(nand)``.  The check tries several cases, edge cases included,
and prints one line: ``✓`` with a short confirmation, or ``✗`` with a hint
in words a learner understands, never the expected answer itself.  A
function that still raises ``NotImplementedError`` (an unsolved exercise in
a released assignment) gets a friendly "not done yet" instead of a
traceback, so the rest of the notebook keeps running.  A check returns
None, so that a notebook shows the printed line only.

Chapter modules write their checks with the ``check`` decorator and raise
``Hint("...")`` where the learner's answer goes wrong.
"""
import functools

import numpy as np


class Hint(Exception):
    """Raised inside a check with a message for the learner: what is wrong, and what to look at."""


def check(success_message):
    """Turn ``body(*args)``, which raises ``Hint`` on a wrong answer, into a learner-facing check.

    The checked function's own exceptions are reported too: a learner's
    ``TypeError`` becomes "your function raised TypeError: ...".
    """
    def decorate(body):
        @functools.wraps(body)
        def run(*args, **kwargs):
            if any(arg is None for arg in args):
                print("… Not done yet: your answer is still None; fill it in, then run this cell again.")
                return
            try:
                body(*args, **kwargs)
            except NotImplementedError:
                print("… Not done yet: replace `raise NotImplementedError()` with your code, "
                      "then run this cell again.")
            except Hint as hint:
                print(f"✗ Not yet. {hint}")
            except Exception as e:  # the learner's code failed: report it like a hint
                print(f"✗ Your code raised {type(e).__name__}: {e}")
            else:
                print(f"✓ {success_message}")
        return run
    return decorate


def numerical_gradient(f, x, eps=1e-6):
    """The gradient of the scalar function ``f`` at the array ``x`` by central differences.

    ∂f/∂x_i ≈ (f(x + ε e_i) - f(x - ε e_i)) / 2ε, with an error of order ε².
    ``x`` is changed in place during the computation and restored after.
    This is the independent oracle that backpropagation is checked against.
    """
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f(x)
        x[i] = saved - eps
        f_minus = f(x)
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
