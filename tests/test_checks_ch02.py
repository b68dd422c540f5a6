"""The checks of notebook 02 accept right answers and explain typical wrong ones in words.

Each test gives a check a learner's answer and reads the one line it prints (see checking.py).
"""
import math
import re

import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl.checks import ch02
from nndl.checks.ch02 import check_bitwise_layer, check_scaled_neuron
from nndl.functions import sigmoid, sigmoid_prime, step
from test_checks_ch01 import notebook


# ----- Exercise 1: scaled_neuron(x, w, b, c) ---------------------------------------------------

@pytest.mark.parametrize("scaled_neuron", [
    lambda x, w, b, c: sigmoid(c * (np.dot(w, x) + b)),
    lambda x, w, b, c: sigmoid(np.dot(c * w, x) + c * b),                  # scale first, then eq. (4)
    lambda x, w, b, c: 1 / (1 + np.exp(-c * (np.dot(w, x) + b))),          # eq. (3) literally
    lambda x, w, b, c: sigmoid(np.array([c * (np.dot(w, x) + b)])),        # a one-element array is fine
], ids=["package-sigmoid", "scaled-weights", "numpy-formula", "one-element-array"])
def test_scaled_neuron_accepts_right_answers(capsys, scaled_neuron):
    assert_accepts(capsys, check_scaled_neuron, scaled_neuron)


def special_case_at_zero(x, w, b, c):  # right, except that it jumps to the perceptron for large c
    z = np.dot(w, x) + b
    return float(step(z)) if c > 10_000 else sigmoid(c * z)


@pytest.mark.parametrize("scaled_neuron, phrases", [
    (lambda x, w, b, c: sigmoid(-c * (np.dot(w, x) + b)), ["c = 1", "sign is flipped"]),
    (lambda x, w, b, c: 1 / (1 + np.exp(c * (np.dot(w, x) + b))), ["sign is flipped"]),
    (lambda x, w, b, c: sigmoid(c * np.dot(w, x) + b),
     ["c = 2", "scales the weights but not the bias", "multiply both"]),
    (lambda x, w, b, c: sigmoid(np.dot(w, x) + c * b), ["scales the bias but not the weights"]),
    (lambda x, w, b, c: sigmoid(np.dot(w, x) + b), ["does not change with c"]),
    (lambda x, w, b, c: sigmoid(c ** 2 * (np.dot(w, x) + b)), ["c = 2", "weights c·w and bias c·b"]),
    (lambda x, w, b, c: step(c * (np.dot(w, x) + b)), ["like a perceptron", "eq. (4)"]),
    (lambda x, w, b, c: np.tanh(c * (np.dot(w, x) + b)), ["returned -0.462117", "between 0 and 1"]),
    (lambda x, w, b, c: sigmoid(c * (np.dot(w, x) + b)) ** 2, ["c = 1", "not the ordinary sigmoid"]),
    (lambda x, w, b, c: c * (np.dot(w, x) + b), ["between 0 and 1"]),
    (lambda x, w, b, c: sigmoid(c * (w * x + b)), ["array of shape (2,)", "one output"]),
    (special_case_at_zero, ["w·x + b = 0 exactly", "c = 1000000", "no special case"]),
], ids=["sign-flipped", "sign-flipped-formula", "bias-not-scaled", "weights-not-scaled", "no-c", "c-squared",
        "perceptron", "tanh", "squared", "no-sigmoid", "no-sum", "special-case-at-zero"])
def test_scaled_neuron_rejects_typical_mistakes_with_a_hint(capsys, scaled_neuron, phrases):
    assert_rejects(capsys, check_scaled_neuron, [scaled_neuron], *phrases)


def graded_test_passes(grade_id, **answer):
    """Run notebook 02's graded cell ``grade_id``, hidden tests included, with the learner's ``answer`` defined.

    True if it passes, False on an AssertionError; any other error (an OverflowError, say) propagates.
    """
    cells = notebook("02_sigmoid_neurons.ipynb").cells
    source = next(c.source for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    try:
        with np.errstate(over="ignore"):  # in the notebook np.exp's overflow is a warning, not an error
            exec(source, dict(answer))
    except AssertionError:
        return False
    return True


def test_math_exp_overflows_in_the_check_as_in_the_graded_test(capsys):
    """The graded test's c·(w·x + b) = -1000 is in the check too: math.exp(1000) overflows in both, np.exp in neither."""
    with_math = lambda x, w, b, c: 1 / (1 + math.exp(-c * (w @ x + b)))  # noqa: E731
    assert_rejects(capsys, check_scaled_neuron, [with_math],
                   "raised OverflowError", "c·(w·x + b) = -1000", "math.exp", "package's sigmoid, or np.exp")
    with pytest.raises(OverflowError):
        graded_test_passes("nb02_scaled_neuron_test", scaled_neuron=with_math)
    with_numpy = lambda x, w, b, c: 1 / (1 + np.exp(-c * (np.dot(w, x) + b)))  # noqa: E731
    assert_accepts(capsys, check_scaled_neuron, with_numpy)
    assert graded_test_passes("nb02_scaled_neuron_test", scaled_neuron=with_numpy)
    assert graded_test_passes("nb02_scaled_neuron_test", scaled_neuron=lambda x, w, b, c: sigmoid(c * (w @ x + b)))


def test_scaled_neuron_not_done_yet_and_crashes(capsys):
    out = printed(capsys, check_scaled_neuron, stub)
    assert out.startswith("… Not done yet") and "NotImplementedError" in out, out
    out = printed(capsys, check_scaled_neuron, lambda x, w, b, c: sigmoid(c * (np.dot(w, x) + b + undefined)))  # noqa: F821
    assert out.startswith("✗ Your code raised NameError"), out


# ----- Exercise 2: the bitwise output layer -------------------------------------------------------

DIGIT_BITS = np.array([[(d >> k) & 1 for d in range(10)] for k in (3, 2, 1, 0)])  # (4, 10), row 0: the 8s


def test_digit_bits_oracle():  # column d is d in binary, most significant bit first
    assert [int("".join(map(str, DIGIT_BITS[:, d])), 2) for d in range(10)] == list(range(10))


def strong_layer():
    """+10 from the digits whose bit is 1, -10 from the others, no bias."""
    return 10.0 * (2 * DIGIT_BITS - 1), np.zeros((4, 1))


@pytest.mark.parametrize("weights, biases", [
    strong_layer(),
    (DIGIT_BITS, np.full((4, 1), -0.5)),                        # 0/1 weights, bias -0.5: margin just enough
    (1000.0 * DIGIT_BITS - 500, [[-1.0]] * 4),                  # huge weights, lists for the biases
    (DIGIT_BITS.tolist(), (-0.5 * np.ones((4, 1))).tolist()),   # nested lists
], ids=["strong", "zero-one", "huge", "lists"])
def test_bitwise_layer_accepts_right_answers(capsys, weights, biases):
    assert_accepts(capsys, check_bitwise_layer, weights, biases)


def one_weight_wrong():
    weights, biases = strong_layer()
    weights[3, 6] = 10.0  # 6 = 0110 would read 0111
    return weights, biases


def fails_only_in_the_worst_case():
    """Clean and typical noisy outputs read right, but nine activations of 0.01 together sink neuron 0 for 8 and 9.

    The 1s of neuron 0 (digits 8, 9) weigh +1; its 0s (digits 0-7) weigh -10, so eight wrong outputs at 0.01 take
    0.8 off z = b + 0.99 = 0.69, while random noise (mean 0.005) takes only about 0.4.
    """
    weights = np.where(DIGIT_BITS == 1, 1.0, -10.0)
    return weights, np.full((4, 1), -0.3)


@pytest.mark.parametrize("layer, phrases", [
    ((strong_layer()[0][::-1], strong_layer()[1]), ["reverse order", "most significant bit first"]),
    ((-strong_layer()[0], strong_layer()[1]), ["inverted", "signs"]),
    (one_weight_wrong(), ["old output says 6", "read 0111", "6 is 0110", "row 3"]),
    ((DIGIT_BITS, np.full((4, 1), -0.995)), ["random noise", "clear margin"]),
    (fails_only_in_the_worst_case(), ["digit 8", "worst noise", "neuron 0", "clear margin"]),
    ((strong_layer()[0].T, strong_layer()[1]), ["shape (10, 4)", "transpose", "(4, 10) matrix"]),
    ((strong_layer()[0][:, :9], strong_layer()[1]), ["(4, 10) matrix", "not (4, 9)"]),
    ((strong_layer()[0], strong_layer()[1].ravel()), ["(4, 1) column", "not (4,)"]),
    ((strong_layer()[0], np.full((4, 1), np.inf)), ["finite"]),
    ((strong_layer()[0], "zero"), ["arrays of numbers"]),
], ids=["reversed", "inverted", "one-weight", "no-margin", "worst-case-only", "transposed", "nine-columns",
        "flat-biases", "inf", "string"])
def test_bitwise_layer_rejects_typical_mistakes_with_a_hint(capsys, layer, phrases):
    out = assert_rejects(capsys, check_bitwise_layer, layer, *phrases)
    assert "10." not in out and "-0.5" not in out, f"the hint gives away numbers of an answer:\n{out}"


def test_the_worst_case_layer_survives_typical_noise():  # so the test above really needs the worst case
    weights, biases = fails_only_in_the_worst_case()
    rng = np.random.default_rng(1)
    for _ in range(200):
        old = rng.uniform(0, 0.01, (10, 10))
        np.fill_diagonal(old, rng.uniform(0.99, 1.0, 10))
        assert np.array_equal(sigmoid(weights @ old + biases) > 0.5, DIGIT_BITS == 1)


def test_bitwise_layer_not_done_yet(capsys):
    assert printed(capsys, check_bitwise_layer, None, None).startswith("… Not done yet: your answer is still None")
    assert printed(capsys, check_bitwise_layer, strong_layer()[0], None).startswith("… Not done yet")


# ----- the predictions, the letters, the figure, and what notebook 02 leaves to later notebooks ----------


SIGMA_PRIME = re.compile(r"σ\(z\)\s*\(1\s*-\s*σ\(z\)\)|\\sigma\(z\)\s*\(1\s*-\s*\\sigma\(z\)\)")  # σ(z)(1 - σ(z))
TANH_FORM = re.compile(r"tanh\(z\s*/\s*2\)")


def test_notebooks_01_and_02_leave_later_exercises_to_the_learner(capsys):
    """08's Exercise 1 derives σ'(z) = σ(z)(1 - σ(z)) and 11's Exercises 3-4 prove σ = (1 + tanh(z/2))/2 and invert it:
    neither formula is in a cell of 01 or 02, nor in a hint or solution of their questions."""
    text = "\n".join(c.source for name in ("01_perceptrons.ipynb", "02_sigmoid_neurons.ipynb")
                     for c in notebook(name).cells)
    for name, value in vars(ch02).items():
        if re.fullmatch(r"(ex|p|q)\d+", name):
            text += "\n".join([*value.hints, value.why, value.answer or ""])
    assert not SIGMA_PRIME.search(text.replace("−", "-")), "σ'(z) = σ(z)(1 - σ(z)) is given away"
    assert not TANH_FORM.search(text), "the tanh form of σ is given away"


def test_the_sigmoid_figures_legend_hides_no_curve():
    """The legend of notebook 02's first figure covers no point of the step, σ or σ' lines."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    source = next(c.source for c in notebook("02_sigmoid_neurons.ipynb").cells
                  if c.cell_type == "code" and "step function (perceptron)" in c.source)
    namespace = {"np": np, "plt": plt, "sigmoid": sigmoid, "sigmoid_prime": sigmoid_prime, "step": step}
    shown = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plt, "show", lambda: shown.append(plt.gcf()))
        exec(source, namespace)
    (fig,) = shown
    fig.canvas.draw()
    (ax,) = fig.axes
    box = ax.get_legend().get_window_extent()
    for line in ax.get_lines():
        points = ax.transData.transform(line.get_path().interpolated(20).vertices)  # the jump of the step included
        covered = points[(points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
                         & (points[:, 1] >= box.y0) & (points[:, 1] <= box.y1)]
        assert not len(covered), f"the legend covers {len(covered)} points of {line.get_label()!r}"
    assert [line.get_label() for line in ax.get_lines()] == [text.get_text() for text in ax.get_legend().get_texts()]
    plt.close(fig)


def cells_02():
    return notebook("02_sigmoid_neurons.ipynb").cells


def index_of(grade_id):
    return next(i for i, c in enumerate(cells_02()) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_exercise_1s_scaled_weighted_input_comes_after_its_graded_test():
    """c(w·x + b), the answer of Exercise 1, is in no cell before its graded test; the text after it says it."""
    cells, graded = cells_02(), index_of("nb02_scaled_neuron_test")
    before = "\n".join(c.source for c in cells[:graded])
    assert "c\\,(w\\cdot x + b)" not in before and "weighted input\n$c" not in before
    assert "c\\,(w\\cdot x + b)$, as in Exercise 1" in cells[graded + 2].source
    assert cells[graded].metadata["nbgrader"]["points"] == 2 and "**Exercise 1 (2 points;" in before


def test_prediction_1s_options_each_give_a_number_and_a_reason():
    source = next(c.source for c in cells_02() if "**Prediction 1.**" in c.source).split("**Prediction 1.**")[1]
    options = re.findall(r"\(([a-d])\) (.*?)(?= &nbsp;|$)", re.sub(r"\s+", " ", source))
    assert [letter for letter, _ in options] == list("abcd")
    assert all(re.match(r"by about [\d.]+: \S", text) for _, text in options), options
    lengths = [len(text) for _, text in options]
    assert max(lengths) < 1.5 * min(lengths), options


def test_eq_22_in_component_form_is_a_written_exercise_after_eq_22():
    """The book's exercise: eq. (22) in components, a graded Markdown answer right after eq. (22), with its rubric."""
    cells, answer = cells_02(), index_of(ch02.ex3.grade_id)
    assert "\\tag{22}" in cells[answer - 1].source and "**Exercise 3 (2 points; the book's exercise).**" in cells[answer - 1].source
    assert not any("\\sum_k w_{jk}" in c.source for c in cells[:answer])
    cell = cells[answer]
    assert cell.cell_type == "markdown" and cell.metadata["nbgrader"]["points"] == 2
    assert cell.source.startswith("**Model answer.**") and "**Rubric (2 points).**" in cell.source
    assert "a'_j = \\sigma\\Big(\\sum_k w_{jk} a_k + b_j\\Big)" in cell.source
    assert "ex3.hint()" in cells[answer + 1].source and ch02.ex3.answer is None
    assert "Exercise 4 (6 points; the book's exercise on the bitwise" in "\n".join(c.source for c in cells)
