"""Checks for notebook 01, Perceptrons: ``check_perceptron``, ``check_logic_gates``, ``check_full_adder``.

Each check tries the learner's answer on many cases, edge cases included,
and on the first wrong one raises a ``Hint`` that says which input went
wrong and what to think about, never the answer itself.  The reference
answers are computed here with the package's ``step`` (eq. 2), an
independent oracle for the learner's code.  Then the notebook's written
exercise, its predictions ``p1``-``p3`` and its questionnaire.
"""
import itertools

import numpy as np

from . import Exercise, Hint, check, without
from .questions import Choice, Number, Written
from ..functions import step


def _as_bit(value, what):
    """``value`` as the int 0 or 1, or a Hint saying what kind of thing ``what`` returned instead."""
    if np.ndim(value) != 0:
        raise Hint(f"{what} returned an array of shape {np.shape(value)}; it should return one number, 0 or 1.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Hint(f"{what} returned {value!r} ({type(value).__name__}); it should return the number 0 or 1.") from None
    if number not in (0.0, 1.0):
        raise Hint(f"{what} returned {number:g}, but perceptrons only output 0 or 1, nothing in between.")
    return int(number)


# (inputs, weights, bias) for check_perceptron, in the order a learner's bugs show up best.
# All numbers are exact in binary floating point, so w·x + b = 0 is exactly 0.
_PERCEPTRON_CASES = [
    # the book's NAND perceptron (weights -2, -2, bias 3), all four inputs
    *[(x, (-2, -2), 3) for x in itertools.product([0, 1], repeat=2)],
    # with every input 0, only the bias decides
    ((0, 0), (1, 1), 1), ((0, 0), (1, 1), -1),
    # the festival (weights 6, 2, 2) with threshold 5 and 3, i.e. bias -5 and -3: three inputs
    ((1, 0, 0), (6, 2, 2), -5), ((0, 1, 1), (6, 2, 2), -5), ((0, 1, 1), (6, 2, 2), -3),
    # one input, and five inputs
    ((1,), (-1.5,), 1), ((1,), (0.25,), 0), ((1, 0, 1, 1, 0), (0.5, 9, -0.25, 0.5, 9), -0.5),
    # w·x + b exactly 0: the book's perceptron outputs 0 there
    ((1, 1), (-2, -2), 4), ((1, 1), (0.75, 0.25), -1), ((0, 0, 0), (1, 2, 3), 0),
]


@check("Your perceptron outputs 1 exactly when w·x + b > 0 (eq. 2), for any number of inputs.")
def check_perceptron(perceptron):
    """Check ``perceptron(x, w, b)`` against eq. (2) on the cases above, given as NumPy arrays.

    The package's ``step`` refuses to run while the learner's function does, as in the graded test:
    the exercise is to write the comparison.
    """
    for x, w, b in _PERCEPTRON_CASES:
        z = float(np.dot(w, x) + b)
        expected = int(step(z))
        with without(step):
            got = perceptron(np.array(x, dtype=float), np.array(w, dtype=float), float(b))
        got = _as_bit(got, f"perceptron(x={x}, w={w}, b={b})")
        if got == expected:
            continue
        where = f"For x = {x}, w = {w}, b = {b}, w·x + b = {z:g}"
        if z == 0:
            raise Hint(f"For x = {x}, w = {w}, b = {b}, w·x + b is exactly 0, and your perceptron fired. "
                       f"Eq. (2) fires only when w·x + b > 0: use '> 0', not '>= 0'.")
        if not any(x):
            raise Hint(f"{where}: with every input 0 only the bias counts, so the output is 1 exactly when b > 0. "
                       f"Did you add the bias to w·x? (b = -threshold: w·x + b, not w·x - b.)")
        raise Hint(f"{where}, so the output should be {'1' if z > 0 else '0'}, but your perceptron gave {got}. "
                   f"Multiply each input by its weight, add them all up, add the bias, and compare with 0.")


def _gate_outputs(gate, name, n_inputs):
    """The truth table [(inputs, output)] of the perceptron ``gate = (weights, bias)``."""
    form = f"{name} = ([w1, w2], b)" if n_inputs == 2 else f"{name} = ([w1], b)"
    if not (isinstance(gate, (tuple, list)) and len(gate) == 2):
        raise Hint(f"Give {name} as a pair (weights, bias), like {form} with numbers for w1, ... and b.")
    try:
        weights = np.asarray(gate[0], dtype=float).ravel()
        bias = float(gate[1])
    except (TypeError, ValueError):
        raise Hint(f"{name}'s weights must be numbers and its bias one number; got {gate!r}.") from None
    if weights.size != n_inputs:
        plural = "s" if n_inputs > 1 else ""
        raise Hint(f"{name} takes {n_inputs} input{plural}, so it needs {n_inputs} weight{plural}, not {weights.size}: "
                   f"give it as a pair (weights, bias), like {form}.")
    if not (np.all(np.isfinite(weights)) and np.isfinite(bias)):
        raise Hint(f"{name}'s weights and bias must be finite numbers; got {gate!r}.")
    inputs = list(itertools.product([0, 1], repeat=n_inputs))
    return [(x, int(step(weights @ np.array(x) + bias))) for x in inputs]  # (eq. 2)


@check("AND, OR and NOT each give the right truth table (eq. 2, with '> 0').")
def check_logic_gates(and_gate, or_gate, not_gate):
    """Check three perceptrons given as ``(weights, bias)`` pairs against the truth tables of AND, OR, NOT."""
    rules = {"AND": (and_gate, 2, lambda x: int(all(x))),
             "OR": (or_gate, 2, lambda x: int(any(x))),
             "NOT": (not_gate, 1, lambda x: 1 - x[0])}
    tables = {name: _gate_outputs(gate, name, n) for name, (gate, n, _) in rules.items()}
    for name, (_, _, rule) in rules.items():
        table = tables[name]
        wrong = [(x, out) for x, out in table if out != rule(x)]
        if not wrong:
            continue
        outputs = [out for _, out in table]
        if name == "AND" and outputs == [int(any(x)) for x, _ in table]:
            raise Hint("Your AND perceptron behaves like OR: it fires when only one input is 1. "
                       "Raise its threshold (make the bias more negative) so that one input alone is not enough.")
        if name == "OR" and outputs == [int(all(x)) for x, _ in table]:
            raise Hint("Your OR perceptron behaves like AND: it needs both inputs. "
                       "Lower its threshold (make the bias less negative) so that one input is enough.")
        if len(set(outputs)) == 1:
            raise Hint(f"Your {name} perceptron outputs {outputs[0]} whatever the input: "
                       f"compare the size of the bias with the size of the weights.")
        x, out = wrong[0]
        raise Hint(f"Your {name} perceptron outputs {out} for the input {x}. Write out w·x + b for every "
                   f"input and choose the bias so that exactly the right inputs get above 0.")


class _Wire:
    """A bit travelling along a wire of the learner's circuit: only a NAND gate may read it.

    ``check_full_adder`` feeds these to ``full_adder`` in place of 0 and 1, so that any ``+``, ``%``,
    ``^``, ``&``, ``|``, comparison, ``if`` or ``int()`` on a bit stops the check with a hint saying
    which one was used: the exercise asks for NAND perceptrons only.
    """

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"<bit {self.value}>"

    def _forbidden(symbol):
        def refuse(self, *other):
            raise Hint(f"Your full_adder used {symbol} on a bit. Build it from nand and half_adder only, no "
                       f"arithmetic, comparisons or if on the bits: every gate you need is a circuit of NANDs.")
        return refuse

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _forbidden("`+`, `-` or `*`")
    __mod__ = __rmod__ = __floordiv__ = __truediv__ = __pow__ = _forbidden("`%`, `//`, `/` or `**`")
    __xor__ = __rxor__ = __and__ = __rand__ = __or__ = __ror__ = __invert__ = _forbidden("`^`, `&`, `|` or `~`")
    __lshift__ = __rshift__ = __neg__ = _forbidden("a shift or a minus sign")
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _forbidden("a comparison")
    __bool__ = _forbidden("`if`, `and`, `or` or `not`")
    __int__ = __float__ = __index__ = _forbidden("int() or float()")
    __hash__ = object.__hash__
    del _forbidden


def _bit_of(value, what):
    """The 0 or 1 carried by ``value``: a wire of the circuit, or a constant bit."""
    return value.value if isinstance(value, _Wire) else _as_bit(value, what)


def _run_on_wires(full_adder):
    """``{bits: (sum, carry)}`` for all eight inputs, with ``nand`` replaced by a counting one; and the count.

    The learner's ``nand`` is looked up by ``full_adder`` (and ``half_adder``) in the notebook's globals
    at call time, so swapping it there for a NAND that takes and gives ``_Wire`` s makes the whole
    circuit run on wires; it is put back afterwards, whatever happens.
    """
    calls = []

    def counting_nand(p, q):
        calls.append((p, q))
        return _Wire(1 - (_bit_of(p, "an input of nand") & _bit_of(q, "an input of nand")))

    names = getattr(full_adder, "__globals__", {})
    had_nand, saved = "nand" in names, names.get("nand")
    if had_nand:
        names["nand"] = counting_nand
    try:
        results = {}
        for bits in itertools.product([0, 1], repeat=3):
            result = full_adder(*map(_Wire, bits))
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise Hint(f"full_adder{bits} returned {result!r}: return a pair (sum_bit, carry_bit).")
            results[bits] = tuple(_bit_of(r, f"full_adder{bits}") for r in result)
    finally:
        if had_nand:
            names["nand"] = saved
    return results, len(calls)


@check("Your full adder, NAND perceptrons only, adds three bits: sum and carry are right for all eight inputs.")
def check_full_adder(full_adder):
    """Check ``full_adder(x1, x2, carry_in) -> (sum, carry_out)`` on all eight inputs, built from ``nand`` only.

    The inputs are wires that only the (counting) ``nand`` can read, so arithmetic, comparisons
    and ``if`` on the bits are caught, and a circuit that never calls ``nand`` too.
    """
    results, nand_calls = _run_on_wires(full_adder)
    right = {bits: (sum(bits) % 2, int(sum(bits) >= 2)) for bits in results}
    if nand_calls == 0:
        raise Hint("Your full_adder never called nand: build it from the NAND perceptron nand and the "
                   "half_adder above (which calls nand).")
    if results == right:
        return
    if results == {bits: (c, s) for bits, (s, c) in right.items()}:
        raise Hint("You return (carry, sum): the sum bit comes first, then the carry bit.")
    if all(results[(x1, x2, 0)] == results[(x1, x2, 1)] for x1, x2 in itertools.product([0, 1], repeat=2)):
        raise Hint("Your full adder gives the same answer whether carry_in is 0 or 1: the carry coming in "
                   "must be added too. Add x1 and x2 with one half adder, then add carry_in to their sum with another.")
    bits = next(b for b in results if results[b] != right[b])
    if results[bits][0] != right[bits][0]:
        raise Hint(f"The sum bit is wrong for x1, x2, carry_in = {bits}: it is 1 when an odd number of the three "
                   f"bits is 1.")
    raise Hint(f"The carry bit is wrong for x1, x2, carry_in = {bits}: it is 1 when at least two of the three bits "
               f"are 1. (If you used two half adders: the carry out is 1 when either of them carries.)")


ex1 = Exercise(
    "ex1", check=check_perceptron, grade_id="nb01_perceptron",
    hints=["Eq. (2) compares a single number with 0: the weighted sum of the inputs plus the bias.",
           "np.dot(w, x) gives w·x for arrays of any length. Then decide 0 or 1 with a strict comparison: "
           "a perceptron whose w·x + b is exactly 0 does not fire."],
    why="it is eq. (2) as written: w·x + b, then '> 0', so that w·x + b = 0 gives 0. The package's step computes "
        "the same comparison; the exercise is to write it, so the check and the graded test refuse it.")

ex2 = Exercise(
    "ex2", check=check_logic_gates, grade_id="nb01_gates",
    hints=["Draw the four corners (0, 0), (0, 1), (1, 0), (1, 1), as in the NAND picture, and look for a line "
           "w·x + b = 0 that puts exactly the right corners on the firing side, where w·x + b > 0.",
           "Try the weights 1 and 1: then w·x counts the inputs that are 1 (0, 1 or 2), and the bias is minus the "
           "count you want to exceed. NOT has one input: a negative weight turns it around."],
    why="with weights 1, 1 the sum counts the inputs that are 1: AND needs it above 1.5, OR above 0.5; NOT's "
        "weight -1 pushes the input 1 below 0. Any line that separates the right corners works as well.")

ex3 = Exercise(
    "ex3", check=check_full_adder, grade_id="nb01_full_adder",
    hints=["Add x1 and x2 with one half adder, then add carry_in to their sum bit with a second half adder.",
           "The carry out is 1 when either half adder carries. OR is made of NANDs: OR(p, q) = NAND(NOT p, NOT q), "
           "and NOT p = NAND(p, p)."],
    why="the two half adders give the sum bit of the three; at most one of them carries, so the carry out is "
        "the OR of their carries, built from NANDs.")

ex4 = Written(
    "ex4", grade_id="nb01_scaling_written",
    hints=["Eq. (2) looks only at the sign of w·x + b. Write the weighted input of the perceptron whose weights are "
           "c·w and whose bias is c·b, and compare its sign with the sign of w·x + b.",
           "For one perceptron: (cw)·x + cb = c(w·x + b), and c > 0 keeps the sign. For the network, go layer by "
           "layer: the first layer sees the unchanged inputs; what does the second layer see?"],
    why="the model answer proves it for one perceptron (the sign of c(w·x + b) is the sign of w·x + b) and carries "
        "it through the network layer by layer, each layer receiving the same bits as before.")


# ----- the predictions (asked before the experiment that shows the outcome) ------------------------

p1 = Choice(
    "p1", right="c",
    wrong={"a": "the threshold moved: evidence that was not above 5 may be above 3. Look at company and transit "
                "together, evidence 4.",
           "b": "one factor other than the weather brings evidence 2, not above 3.",
           "d": "good weather alone is evidence 6, already above 3."},
    hints=["Compute the evidence w·x for each situation: 0, 2, 4, 6, 8 or 10. Which of them are above 3?",
           "Company and transit together give 2 + 2 = 4."],
    why="with threshold 3 the evidence must exceed 3: good weather (6 or more) or company and transit together (4) "
        "do; one of company or transit alone (2) does not. (a) misses the pair worth 4, (b) counts a single 2 as "
        "enough, (d) forgets that the weather alone already gives 6.")

p2 = Choice(
    "p2", right="b",
    wrong={"a": "look at the weighted input of a scaled perceptron: c(w·x + b). Does a small c > 0 change its sign?",
           "c": "a perceptron outputs 0 or 1, whatever its weights; nothing multiplies its output.",
           "d": "a perceptron only compares its weighted input with 0; a large value is as good as a small one of "
                "the same sign."},
    hints=["A perceptron's output depends only on whether w·x + b is above 0.",
           "With weights c·w and bias c·b, the weighted input is c(w·x + b). What sign has it for c > 0?"],
    why="every scaled perceptron's weighted input is c(w·x + b), of the same sign as w·x + b for any c > 0, so each "
        "gate and the whole adder answer as before. Outputs stay 0 or 1, so (c) cannot be; the size of c, small (a) "
        "or large (d), does not matter, only its sign.")

p3 = Choice(
    "p3", right="d",
    wrong={"a": "the first perceptron's weighted input for 1 + 1 is -2 - 2 + b: does it stay on one side of 0 for "
                "every bias up to 5?",
           "b": "a perceptron's output is 0 or 1, and so is every bit of the adder: there is nothing in between to "
                "drift through.",
           "c": "when the first perceptron fires, a = 1: follow it through the sum and carry gates for x1 = x2 = 1."},
    hints=["For the input (1, 1) the first perceptron's weighted input is -2 - 2 + b. At which b does it cross 0?",
           "Below that bias nothing changes; above it a = NAND(1, 1) becomes 1. Run the adder by hand with a = 1."],
    why="-4 + b crosses 0 at b = 4: below it nothing changes and the adder says 2; above it the first perceptron "
        "fires, a = 1, the sum becomes 1 and the carry 0, so the adder says 1. It cannot drift (b): every output is "
        "0 or 1; (a) misses the crossing at 4, and (c) the effect of a = 1 on the carry, which drops to 0.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="c",
    wrong={"a": "a perceptron outputs 0 or 1 only; real numbers come with sigmoid neurons (notebook 02).",
           "b": "universality is about what circuits of perceptrons compute, whoever chose the weights.",
           "d": "one perceptron only draws a line between yes and no; it cannot compute XOR alone."},
    hints=["Which logic gate did one perceptron compute in this notebook?",
           "Any computation can be built from copies of one gate."],
    why="one perceptron computes NAND, and NAND is universal: any logical function is a circuit of NAND gates. "
        "Perceptrons output bits, not real numbers (a); learning is not needed for universality (b); a single "
        "perceptron only separates by a line (d).")

q2 = Number(
    "q2", -5.0,
    slips=[(5.0, "the bias moves the threshold to the other side of the inequality: b ≡ -threshold (eq. 2).")],
    hints=["Rewrite w·x > threshold as w·x + b > 0.", "Subtract the threshold from both sides."],
    why="w·x > 5 is w·x - 5 > 0, so b = -5 (eq. 2).")

q3 = Choice(
    "q3", right="a",
    wrong={"b": "the sign of w·x + b decides the output, and c = -1 changes the sign.",
           "c": "where w·x + b = 0, -(w·x + b) is 0 too, and eq. (2) gives 0 for both.",
           "d": "a perceptron with w·x + b < 0 gets -(w·x + b) > 0 and fires after the change."},
    hints=["The output depends only on the sign of w·x + b. What does c = -1 do to the sign?",
           "Treat the cases w·x + b > 0, < 0 and = 0 separately; remember eq. (2)'s strict '>'."],
    why="-(w·x + b) has the opposite sign, so the output flips where w·x + b ≠ 0; where w·x + b = 0 it stays 0, "
        "since eq. (2) outputs 0 at exactly 0. Only c > 0 keeps every output (b); the case 0 does not flip (c); "
        "negative weighted inputs become positive and fire (d).")

q4 = Choice(
    "q4", right="b",
    wrong={"a": "they compute anything in a network: NAND is universal, and XOR is a circuit of NANDs.",
           "c": "a half adder needs only five perceptrons; the number of weights is not the problem.",
           "d": "perceptrons output 0 or 1, and that is the trouble, not real numbers."},
    hints=["Look again at the plot of the half adder's answer against the bias of its first perceptron.",
           "What does a tiny change of the bias do to the output: a tiny change?"],
    why="a small change of a weight or bias either changes nothing or flips an output from 0 to 1, which can change "
        "the whole network's answer: learning by small steps needs small changes of the output. Networks of "
        "perceptrons compute XOR (a), need no more weights than others (c), and output bits, not real numbers (d).")

q5 = Written(
    "q5",
    answer="A good answer says that the bias b = -threshold measures how easy it is to make the perceptron output 1: "
           "with a large positive bias it fires for almost any input, with a very negative bias hardly ever; and that "
           "the output is 1 exactly when w·x + b > 0 (eq. 2).",
    hints=["What happens to the output for the input 0, 0, ... when b > 0, and when b < 0?",
           "Think of b as -threshold."],
    why="it is the book's reading of the bias, from eq. (2).")
