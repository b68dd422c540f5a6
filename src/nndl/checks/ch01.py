"""Checks for notebook 01, Perceptrons."""
import itertools

import numpy as np

from . import Hint, check

BITS = list(itertools.product([0, 1], repeat=2))


def _output(perceptron, x, w, b):
    out = perceptron(np.array(x, dtype=float), np.array(w, dtype=float), float(b))
    if out not in (0, 1):
        raise Hint(f"a perceptron outputs 0 or 1, but yours returned {out!r} for x={x}, w={w}, b={b}.")
    return int(out)


@check("Your perceptron fires exactly when w·x + b > 0 (eq. 2).")
def check_perceptron(perceptron):
    if _output(perceptron, [1, 0], [1, 1], 0.5) != 1 or _output(perceptron, [0, 0], [1, 1], -0.5) != 0:
        raise Hint("with w·x + b clearly above 0 the output must be 1, clearly below 0 it must be 0.")
    if _output(perceptron, [1, 1], [-2, -2], 4) != 0:
        raise Hint("when w·x + b is exactly 0 the book's perceptron outputs 0: use '> 0', not '>= 0'.")
    if _output(perceptron, [1, 0, 1], [6, 2, 2], -5) != 1 or _output(perceptron, [0, 1, 1], [6, 2, 2], -5) != 0:
        raise Hint("your perceptron gets the festival example wrong: it must work for any number of inputs.")
    if _output(perceptron, [1, 1], [-2, -2], 3) != 0 or _output(perceptron, [0, 1], [-2, -2], 3) != 1:
        raise Hint("negative weights must count against firing: multiply each input by its weight and add the bias.")


def _gate_table(gate, inputs):
    w, b = gate
    w = np.atleast_1d(np.asarray(w, dtype=float))
    return [int(np.dot(w, x) + b > 0) for x in inputs]


@check("AND, OR and NOT all give the right truth table.")
def check_logic_gates(and_gate, or_gate, not_gate):
    for name, gate, n, rule in (("AND", and_gate, 2, lambda x: int(all(x))),
                                ("OR", or_gate, 2, lambda x: int(any(x))),
                                ("NOT", not_gate, 1, lambda x: 1 - x[0])):
        if not (isinstance(gate, tuple) and len(gate) == 2):
            raise Hint(f"give {name} as a pair (weights, bias), e.g. ([1, 1], -1).")
        if np.size(gate[0]) != n:
            raise Hint(f"{name} takes {n} input{'s' if n > 1 else ''}, so it needs {n} weight{'s' if n > 1 else ''}.")
        inputs = list(itertools.product([0, 1], repeat=n))
        got = _gate_table(gate, inputs)
        wrong = [x for x, g in zip(inputs, got) if g != rule(x)]
        if wrong:
            raise Hint(f"your {name} perceptron is wrong for input {wrong[0]}. Write out w·x + b for each "
                       f"input and pick the bias so that only the right inputs get above 0.")


@check("Your half adder adds two bits: sum and carry are right for all four inputs.")
def check_half_adder(half_adder):
    for x1, x2 in BITS:
        result = half_adder(x1, x2)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise Hint("return a pair (sum_bit, carry_bit).")
        total, carry = (int(r) for r in result)
        if carry != x1 & x2:
            raise Hint(f"the carry bit is wrong for x1={x1}, x2={x2}: it is 1 only when both bits are 1.")
        if total != x1 ^ x2:
            raise Hint(f"the sum bit is wrong for x1={x1}, x2={x2}: it is 1 when exactly one bit is 1 (x1 XOR x2).")
