"""The checks of notebook 01 accept right answers and explain typical wrong ones in words.

Each test gives a check a learner's answer and reads the one line it prints (see checking.py).
"""
import itertools
import re

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import learner
from nndl.checks.ch01 import check_full_adder, check_logic_gates, check_perceptron
from nndl.functions import step


# ----- Exercise 1: perceptron(x, w, b) -----------------------------------------------------------

def perceptron_loop(x, w, b):
    total = b
    for wj, xj in zip(w, x):
        total += wj * xj
    return 1 if total > 0 else 0


@pytest.mark.parametrize("perceptron", [
    lambda x, w, b: 1 if np.dot(w, x) + b > 0 else 0,
    lambda x, w, b: np.dot(w, x) + b > 0,          # a NumPy bool is fine
    lambda x, w, b: float(w @ x + b > 0),          # 0.0 and 1.0 count as 0 and 1
    perceptron_loop,
], ids=["if-else", "numpy-bool", "float", "loop"])
def test_perceptron_accepts_eq_2_however_written(capsys, perceptron):
    assert_accepts(capsys, check_perceptron, perceptron)


@pytest.mark.parametrize("perceptron, phrases", [
    (lambda x, w, b: int(np.dot(w, x) + b >= 0), ["exactly 0", "use '> 0', not '>= 0'"]),
    (lambda x, w, b: int(np.dot(w, x) - b > 0), ["every input 0", "w·x + b, not w·x - b"]),
    (lambda x, w, b: int(np.dot(w, x) > 0), ["every input 0", "add the bias"]),
    (lambda x, w, b: int(np.sum(x) + b > 0), ["x = (1, 1), w = (-2, -2), b = 3", "by its weight"]),
    (lambda x, w, b: int(w[0] * x[0] + w[1] * x[1] + b > 0), ["x = (0, 1, 1)", "add them all up"]),
    (lambda x, w, b: np.dot(w, x) + b, ["0 or 1"]),
    (lambda x, w, b: np.array([int(np.dot(w, x) + b > 0)]), ["array of shape (1,)", "one number"]),
    (lambda x, w, b: "yes" if np.dot(w, x) + b > 0 else "no", ["returned 'yes' (str)", "the number 0 or 1"]),
], ids=[">=", "threshold-sign", "no-bias", "no-weights", "two-inputs-only", "no-step", "array", "string"])
def test_perceptron_rejects_typical_mistakes_with_a_hint(capsys, perceptron, phrases):
    assert_rejects(capsys, check_perceptron, [perceptron], *phrases)


def test_perceptron_refuses_the_packages_step_as_the_graded_test_does(capsys):
    """One rule: the exercise asks for eq. (2)'s comparison written out, so step is refused by both."""
    assert_rejects(capsys, check_perceptron, [lambda x, w, b: step(w @ x + b)],
                   "package function step", "write it yourself")
    assert step(1.0) == 1.0, "the check puts step back"


def test_perceptron_hint_for_a_crash_names_the_error(capsys):
    out = printed(capsys, check_perceptron, lambda x, w, b: x.dot(w) + b.sum())
    assert out.startswith("✗ Your code raised AttributeError"), out


# ----- Exercise 2: AND, OR, NOT as (weights, bias) ----------------------------------------------

GOOD_GATES = (([1, 1], -1.5), ([1, 1], -0.5), ([-1], 0.5))


@pytest.mark.parametrize("gates", [
    GOOD_GATES,
    (([1, 1], -1), ([2, 2], -1), (-1, 0.5)),          # AND's boundary passes through (1, 0): '> 0' makes it 0
    ((np.array([3.0, 3.0]), -4.0), [np.array([1.0, 1.0]), 0.0], (np.array([-2.0]), 1)),  # arrays, a list pair
], ids=["book-like", "on-the-boundary", "arrays"])
def test_logic_gates_accepts_right_answers(capsys, gates):
    assert_accepts(capsys, check_logic_gates, *gates)


AND, OR, NOT = GOOD_GATES


@pytest.mark.parametrize("gates, phrases", [
    ((OR, OR, NOT), ["AND perceptron behaves like OR", "bias more negative"]),
    ((AND, AND, NOT), ["OR perceptron behaves like AND", "less negative"]),
    ((([1, 1], -2), OR, NOT), ["AND perceptron outputs 0 whatever the input"]),
    ((AND, OR, ([1], -0.5)), ["NOT perceptron outputs 0 for the input (0,)"]),
    ((AND, OR, ([1], 0.5)), ["NOT perceptron outputs 1 whatever the input"]),
    ((AND, ([1, -1], -0.5), NOT), ["OR perceptron outputs 0 for the input (0, 1)"]),
    ((AND, OR, ([-1, -1], 0.5)), ["NOT takes 1 input, so it needs 1 weight, not 2"]),
    (([1, 1], OR, NOT), ["AND takes 2 inputs, so it needs 2 weights, not 1", "pair (weights, bias)"]),
    ((AND, ([1, 1], -0.5, 0), NOT), ["Give OR as a pair (weights, bias)"]),
    ((AND, OR, ([-1], [0.5, 0.5])), ["bias one number"]),
    ((AND, OR, ([np.nan], 0.5)), ["finite"]),
], ids=["AND-is-OR", "OR-is-AND", "AND-never", "NOT-is-identity", "NOT-always", "OR-wrong-weight",
        "NOT-two-weights", "weights-only", "three-items", "bias-list", "nan"])
def test_logic_gates_rejects_typical_mistakes_with_a_hint(capsys, gates, phrases):
    out = assert_rejects(capsys, check_logic_gates, gates, *phrases)
    assert "-1.5" not in out and "-0.5" not in out, f"the hint gives away weights:\n{out}"


def test_logic_gates_not_done_yet(capsys):
    assert printed(capsys, check_logic_gates, None, None, None).startswith("… Not done yet")
    assert printed(capsys, check_logic_gates, AND, OR, None).startswith("… Not done yet")


# ----- Exercise 3: full_adder(x1, x2, carry_in) -> (sum, carry) ----------------------------------

def nand(x1, x2):
    return int(-2 * x1 - 2 * x2 + 3 > 0)


def half_adder(x1, x2):
    a = nand(x1, x2)
    return nand(nand(x1, a), nand(x2, a)), nand(a, a)


def full_adder(x1, x2, carry_in):
    s1, c1 = half_adder(x1, x2)
    s, c2 = half_adder(s1, carry_in)
    return s, nand(nand(c1, c1), nand(c2, c2))  # c1 OR c2


def OR(p, q):
    return nand(nand(p, p), nand(q, q))


def test_full_adder_accepts_nand_circuits(capsys):
    assert_accepts(capsys, check_full_adder, full_adder)
    # another circuit: the carry out as NAND(NAND(x1, x2), NAND(carry_in, x1 XOR x2)), and a constant input
    def majority_adder(x1, x2, c):
        s1, _ = half_adder(x1, x2)
        s, _ = half_adder(s1, c)
        return s, nand(nand(x1, x2), nand(c, s1))
    assert_accepts(capsys, check_full_adder, majority_adder)
    assert_accepts(capsys, check_full_adder, lambda x1, x2, c: [full_adder(x1, x2, c)[0],
                                                                nand(nand(OR(half_adder(x1, x2)[1], half_adder(
                                                                    half_adder(x1, x2)[0], c)[1]), 1), 1)])


def test_the_reference_full_adder_really_adds():  # the oracle the tests above rely on
    for bits in itertools.product([0, 1], repeat=3):
        s, c = full_adder(*bits)
        assert 2 * c + s == sum(bits), bits


def test_the_check_puts_the_learners_nand_back(capsys):
    printed(capsys, check_full_adder, full_adder)
    assert nand is globals()["nand"] and nand(1, 1) == 0 and full_adder(1, 1, 1) == (1, 1)
    printed(capsys, check_full_adder, lambda x1, x2, c: (x1 + x2, 0))  # stopped half-way by a forbidden `+`
    assert globals()["nand"] is nand


@pytest.mark.parametrize("adder, phrases", [
    (lambda x1, x2, c: full_adder(x1, x2, c)[::-1], ["(carry, sum)"]),
    (lambda x1, x2, c: half_adder(x1, x2), ["same answer whether carry_in is 0 or 1"]),
    (lambda x1, x2, c: (OR(OR(x1, x2), c), full_adder(x1, x2, c)[1]), ["sum bit is wrong", "(0, 1, 1)", "odd number"]),
    (lambda x1, x2, c: (full_adder(x1, x2, c)[0], half_adder(half_adder(x1, x2)[1], c)[1]),
     ["carry bit is wrong", "(0, 1, 1)", "at least two"]),
    (lambda x1, x2, c: full_adder(x1, x2, c)[0], ["returned <bit 0>", "return a pair (sum_bit, carry_bit)"]),
    (lambda x1, x2, c: (2, 0), ["returned 2", "0 or 1"]),
    (lambda x1, x2, c: (1, 1), ["never called nand"]),
], ids=["swapped", "ignores-carry-in", "sum-is-or", "carry-is-and", "one-number", "constants", "no-nand"])
def test_full_adder_rejects_typical_mistakes_with_a_hint(capsys, adder, phrases):
    assert_rejects(capsys, check_full_adder, [adder], *phrases)


@pytest.mark.parametrize("adder, used", [
    (lambda x1, x2, c: ((x1 + x2 + c) % 2, int(x1 + x2 + c >= 2)), "`+`"),
    (lambda x1, x2, c: (x1 ^ x2 ^ c, x1 & x2 | c & (x1 ^ x2)), "`^`"),
    (lambda x1, x2, c: (half_adder(half_adder(x1, x2)[0], c)[0], 1 if x1 == x2 == 1 else 0), "a comparison"),
    (lambda x1, x2, c: (full_adder(x1, x2, c)[0], 1 if (x1 and x2) or c else 0), "`if`"),
    (lambda x1, x2, c: (full_adder(x1, x2, c)[0], int(full_adder(x1, x2, c)[1])), "int()"),
    (lambda x1, x2, c: (full_adder(x1, x2, c)[0], max(half_adder(x1, x2)[1], 0)), "a comparison"),
], ids=["plus-mod", "xor-and-or", "comparison", "if", "int", "max"])
def test_full_adder_catches_what_the_exercise_forbids(capsys, adder, used):
    assert_rejects(capsys, check_full_adder, [adder], f"used {used}", "nand and half_adder only")


# ----- every check --------------------------------------------------------------------------------

@pytest.mark.parametrize("check_function, n_args", [(check_perceptron, 1), (check_full_adder, 1)])
def test_an_unfinished_exercise_is_not_done_yet(capsys, check_function, n_args):
    out = printed(capsys, check_function, *[stub] * n_args)
    assert out.startswith("… Not done yet") and "NotImplementedError" in out, out


# ----- the predictions, the balance of the letters, and what the notebook does not give away -----------

def notebook(name):
    return nbformat.read(learner.NOTEBOOKS / name, as_version=4)


def test_notebook_01_shows_no_exercise_answer_before_its_exercise():
    """Exercise 1 sits right after eq. (2), before the notebook shows any perceptron code: the festival table's
    decisions come from the package's step, with no comparison of w·x written out."""
    cells = notebook("01_perceptrons.ipynb").cells
    ex1 = next(i for i, c in enumerate(cells) if learner.nbgrader_meta(c).get("grade_id") == "nb01_perceptron")
    before = "\n".join(c.source for c in cells[:ex1])
    assert "step(np.dot" not in before and "+ b > 0 else" not in before
    code = "\n".join(c.source for c in cells[:ex1] if c.cell_type == "code")
    assert not re.search(r"np\.dot\([^)]*\)[^\n]*[<>]|evidence\s*[<>]|>\s*threshold", code), "a perceptron's comparison"
    assert "step(evidence - 5)" in code
    gates = next(i for i, c in enumerate(cells) if learner.nbgrader_meta(c).get("grade_id") == "nb01_gates")
    assert "-4" not in "\n".join(c.source for c in cells[:gates]), "a NOT gate (one weight -4, bias 3) shown before Ex2"
