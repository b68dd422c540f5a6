"""Checks for notebook 02, Sigmoid neurons: ``check_scaled_neuron``, ``check_bitwise_layer``.

The reference values come from the package's ``sigmoid`` and ``step``; the
hints say which case went wrong and what to look at, never the answer.
Then the notebook's written exercises, its predictions ``p1``-``p3`` and its
questionnaire.  Nothing here states the formula for σ'(z) in terms of σ(z):
notebook 08's Exercise 1 asks the learner to derive it.
"""
import numpy as np

from . import Exercise, Hint, check
from .questions import Choice, Number, Written
from ..functions import sigmoid, step

# (inputs, weights, bias) with w·x + b = 0.25, -0.5, -0.125, 0.125, -1, 1: never 0. The last two, the graded
# test's neuron, reach c·(w·x + b) = ∓1000 at c = 1000, as the graded test does, where math.exp(1000) overflows.
# The numbers are exact in binary floating point.
_NEURONS = [((1, 0.5), (0.75, -0.5), -0.25),
            ((1,), (-1.5,), 1.0),
            ((1, 0, 1), (0.25, 2, -0.5), 0.125),
            ((0.5, 0.5, 1, 0), (1, 1, -1.5, 4), 0.625),
            ((1, 0), (2, 1), -3.0),
            ((1, 0), (2, 1), -1.0)]
_ZERO = ((1, 1), (0.75, 0.25), -1.0)  # w·x + b = 0 exactly
_CS = (1, 2, 10, 100, 1000)


def _close(a, b):
    return abs(a - b) <= 1e-9 * max(abs(b), 1e-3)


def _neuron_output(scaled_neuron, x, w, b, c):
    call = f"scaled_neuron(x={x}, w={w}, b={b}, c={c:.0f})"
    try:
        with np.errstate(over="ignore", under="ignore"):  # np.exp(-cz) may overflow to inf: σ is then 0, as it should be
            out = scaled_neuron(np.array(x, dtype=float), np.array(w, dtype=float), b, c)
    except OverflowError:
        raise Hint(f"{call} raised OverflowError: there c·(w·x + b) = {c * (np.dot(w, x) + b):g}, and math.exp of "
                   f"a number above about 709 is too large for a Python float. Use the package's sigmoid, or np.exp, "
                   f"whose e^1000 is inf, so that the output comes out as 0.") from None
    if np.size(out) != 1:
        raise Hint(f"{call} returned an array of shape {np.shape(out)}: a single neuron has one output, a number.")
    try:
        out = float(np.ravel(out)[0])
    except (TypeError, ValueError):
        raise Hint(f"{call} returned {out!r}: a neuron's output is a number.") from None
    if not 0 <= out <= 1:
        raise Hint(f"{call} returned {out:g}, but a sigmoid neuron's output lies between 0 and 1.")
    return out


@check("Your scaled sigmoid neuron is σ(c·(w·x + b)), and it behaves more and more like a perceptron as c grows.")
def check_scaled_neuron(scaled_neuron):
    """Check ``scaled_neuron(x, w, b, c)``, the sigmoid neuron with weights c·w and bias c·b, and its limit c → ∞."""
    outputs = {(case, c): _neuron_output(scaled_neuron, *case, c) for case in _NEURONS for c in _CS}
    for x, w, b in _NEURONS:
        wx = float(np.dot(w, x))
        where = f"For x = {x}, w = {w}, b = {b}"
        out = outputs[(x, w, b), 1]
        if not _close(out, sigmoid(wx + b)):
            if _close(out, sigmoid(-(wx + b))):
                raise Hint(f"{where} and c = 1, your neuron gives σ(-(w·x + b)): the sign is flipped. "
                           f"σ(z) = 1 / (1 + e^(-z)) grows with z (eq. 3).")
            if out in (0.0, 1.0):
                raise Hint(f"{where} and c = 1, your neuron outputs exactly {out:g}, like a perceptron. With c = 1 "
                           f"it is the ordinary sigmoid neuron of eq. (4); it turns into a perceptron only as c grows.")
            raise Hint(f"{where} and c = 1, your neuron gives {out:.6g}, which is not the ordinary sigmoid neuron's "
                       f"output (eq. 4). With c = 1 nothing is scaled.")
        for c in _CS[1:]:
            out = outputs[(x, w, b), c]
            if _close(out, sigmoid(c * (wx + b))):
                continue
            if _close(out, sigmoid(c * wx + b)):
                raise Hint(f"{where} and c = {c}, your neuron scales the weights but not the bias: "
                           f"multiply both the weights and the bias by c.")
            if _close(out, sigmoid(wx + c * b)):
                raise Hint(f"{where} and c = {c}, your neuron scales the bias but not the weights: "
                           f"multiply both the weights and the bias by c.")
            if _close(out, sigmoid(wx + b)):
                raise Hint(f"{where}, your neuron's output does not change with c: multiply both the weights "
                           f"and the bias by c.")
            raise Hint(f"{where} and c = {c}, your neuron gives {out:.6g}: that is not a sigmoid neuron with "
                       f"weights c·w and bias c·b. Multiply both the weights and the bias by c.")
    for x, w, b in _NEURONS:  # the limit c → ∞: as close to the perceptron as we like, and closer for larger c
        perceptron = float(step(np.dot(w, x) + b))
        gaps = [abs(outputs[(x, w, b), c] - perceptron) for c in _CS]
        if gaps[-1] > 1e-6 or any(later > earlier for earlier, later in zip(gaps, gaps[1:])):
            raise Hint(f"For x = {x}, w = {w}, b = {b}, your neuron does not approach the perceptron's output "
                       f"as c grows.")
    x, w, b = _ZERO
    for c in (1, 10, 1e6):
        out = _neuron_output(scaled_neuron, x, w, b, c)
        if not _close(out, sigmoid(0.0)):
            raise Hint(f"For x = {x}, w = {w}, b = {b}, where w·x + b = 0 exactly, your neuron gives {out:.6g} "
                       f"with c = {c:.0f}. Use the same formula there as everywhere else, with no special case.")


# The book's assumption about the old output layer: the right digit's activation is at least 0.99,
# every other one at most 0.01.
RIGHT, WRONG = (0.99, 1.0), (0.0, 0.01)


def _bits(digit):
    """The 4 binary digits of ``digit``, most significant first: 6 -> [0, 1, 1, 0]."""
    return [(digit >> k) & 1 for k in (3, 2, 1, 0)]


def _read(weights, biases, activations):
    """The new layer's 4 outputs for old activations (10, m), read as bits (above ½ is 1): an int array (4, m)."""
    return (sigmoid(weights @ activations + biases) > 0.5).astype(int)  # (eq. 22)


def _worst_case(weights, digit, neuron):
    """Old activations within the book's bounds that push ``neuron`` hardest towards the wrong bit for ``digit``."""
    row, push_up = weights[neuron], _bits(digit)[neuron] == 0  # if the bit is 0, the worst case raises z
    low, high = np.full(10, WRONG[0]), np.full(10, WRONG[1])
    low[digit], high[digit] = RIGHT
    return np.where((row > 0) == push_up, high, low).reshape(10, 1)  # z is linear: the worst case is a corner


def _describe(bits):
    return "".join(str(b) for b in bits)


@check("Your new output layer turns the 10 digit outputs into the digit's 4 bits, for every digit, noise and all.")
def check_bitwise_layer(weights, biases):
    """Check a (4, 10) weight matrix and (4, 1) biases that turn the 10 old outputs into the digit in binary.

    Neuron 0 is the most significant bit; a neuron reads as 1 when its output is above ½.  The old outputs
    are tried clean (1 and 0), with random noise within the book's bounds, and with the worst such noise.
    """
    try:
        weights, biases = np.asarray(weights, dtype=float), np.asarray(biases, dtype=float)
    except (TypeError, ValueError):
        raise Hint("The weights and the biases must be arrays of numbers.") from None
    if weights.shape == (10, 4):
        raise Hint("Your weights have shape (10, 4): transpose them. They go from 10 old outputs to 4 new neurons, "
                   "one row per new neuron, so they are a (4, 10) matrix (like net.weights in the book).")
    if weights.shape != (4, 10):
        raise Hint(f"The weights go from 10 old outputs to 4 new neurons, so they are a (4, 10) matrix, "
                   f"not {weights.shape}.")
    if biases.shape != (4, 1):
        raise Hint(f"One bias per new neuron, as a (4, 1) column like the book's biases, not {biases.shape} "
                   f"(np.reshape(b, (4, 1)) makes one).")
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(biases))):
        raise Hint("The weights and biases must be finite numbers (no inf or nan).")

    expected = np.array([_bits(d) for d in range(10)]).T  # (4, 10): column d is digit d in binary
    clean = _read(weights, biases, np.eye(10))            # column d: old output d is 1, the others 0
    if not np.array_equal(clean, expected):
        if np.array_equal(clean, expected[::-1]):
            raise Hint("Your bits come out in reverse order: neuron 0 should give the most significant bit "
                       "(worth 8) and neuron 3 the least (worth 1), most significant bit first.")
        if np.array_equal(clean, 1 - expected):
            raise Hint("Every bit comes out inverted, 1 where it should be 0 and 0 where it should be 1: "
                       "look at the signs of your weights and biases.")
        digit = int(np.flatnonzero((clean != expected).any(axis=0))[0])
        neuron = int(np.flatnonzero(clean[:, digit] != expected[:, digit])[0])
        raise Hint(f"When the old output says {digit} (its neuron {digit} at 1, the others at 0), your four "
                   f"neurons read {_describe(clean[:, digit])}, but {digit} is {_describe(expected[:, digit])} "
                   f"in binary, most significant bit first. Look at row {neuron} of your weights (and bias "
                   f"{neuron}): which digits should turn neuron {neuron} on?")

    margin_hint = ("it works for clean outputs (exactly 1 and 0), but the book only promises that the right "
                   "output is at least 0.99 and the nine others at most 0.01, and nine small activations can "
                   "add up against the big one. Give every neuron a clear margin on the right side of ½.")
    rng = np.random.default_rng(0)
    for _ in range(50):
        noisy = rng.uniform(*WRONG, size=(10, 10))
        np.fill_diagonal(noisy, rng.uniform(*RIGHT, size=10))  # column d: digit d, with noise
        wrong = np.flatnonzero((_read(weights, biases, noisy) != expected).any(axis=0))
        if wrong.size:
            raise Hint(f"For the digit {wrong[0]} with random noise within the book's bounds, your layer reads "
                       f"{_describe(_read(weights, biases, noisy)[:, wrong[0]])}: {margin_hint}")
    for digit in range(10):
        for neuron in range(4):
            worst = _worst_case(weights, digit, neuron)
            if _read(weights, biases, worst)[neuron, 0] != expected[neuron, digit]:
                raise Hint(f"For the digit {digit}, with the worst noise within the book's bounds, neuron "
                           f"{neuron} reads wrong: {margin_hint}")


ex1 = Exercise(
    "ex1", check=check_scaled_neuron, grade_id="nb02_scaled_neuron",
    hints=["Write down the weighted input of a neuron whose weights are c·w and whose bias is c·b.",
           "That weighted input is c times w·x + b. The package's sigmoid is imported; np.dot(w, x) gives w·x."],
    why="σ(c(w·x + b)): as c grows, c(w·x + b) runs off to +∞ or -∞ with the sign of w·x + b, so the output "
        "tends to the perceptron's 1 or 0; where w·x + b = 0 it stays at σ(0) = ½ for every c.")

ex2 = Written(
    "ex2", grade_id="nb02_sigmoid_limit_written",
    hints=["Start with one neuron of the first layer, whose inputs do not depend on c: what does σ(cz) do as "
           "c → ∞ when z > 0, and when z < 0? Then go on layer by layer.",
           "In the next layer the weighted input is c(w·a(c) + b), where a(c) tends to the perceptrons' outputs, so "
           "w·a(c) + b tends to the perceptron's weighted input, which is not 0. What does that give for large c? "
           "And what is σ(c · 0)?"],
    why="the model answer takes the limit for one neuron, carries it through the layers by induction (each weighted "
        "input keeps the sign of the perceptron's, which is not 0), and shows the ½ on the boundary.")

ex3 = Written(
    "ex3", grade_id="nb02_feedforward_components_written",
    hints=["Name the entries: a'_j is neuron j of the new layer, a_k neuron k of the layer before, w_jk the weight "
           "from neuron k to neuron j, b_j the bias of neuron j. Which entries of w does entry j of the product wa "
           "use?",
           "Entry j of wa is the sum over k of row j of w times a. Then compare what neuron j computes with eq. (4): "
           "what plays the part of its weights w_1, w_2, ..., its inputs x_1, x_2, ... and its bias b?"],
    why="entry j of wa is the sum over k of w_jk a_k, so eq. (22) is one copy of eq. (4) per neuron j of the layer: "
        "row j of w holds neuron j's weights, a its inputs, b_j its bias.")

ex4 = Exercise(
    "ex4", check=check_bitwise_layer, grade_id="nb02_bitwise",
    hints=["Each new neuron reads one bit. Let it weigh the old outputs: a positive weight from every digit "
           "whose binary form has that bit set, a negative weight from the others.",
           "Make the weights large enough that the correct old output (at least 0.99) wins against the nine wrong "
           "ones (less than 0.01 each) whatever their values; then a bias of 0 will do."],
    why="the correct old output brings at least 9.9 towards the right bit, the nine others at most 0.9 "
        "against it, so σ lands on the right side of ½ for every digit.")


# ----- the predictions (asked before the experiment that shows the outcome) ------------------------

p1 = Choice(
    "p1", right="b",
    wrong={"a": "eq. (5): the change of the output is the change of the weight times ∂output/∂w_1 = σ'(z) x_1. "
                "Is the slope of σ at 0 equal to 1? Look at the dotted curve.",
           "c": "a jump is the perceptron's behaviour; σ is smooth, and a small change of z moves σ(z) a little.",
           "d": "σ(0) = ½ is the output's value, not its slope: eq. (5) needs the slope σ'(0), the top of the "
                "dotted curve."},
    hints=["Eq. (5) with one change: Δoutput ≈ σ'(z) x_1 Δw_1, with z = 0 and x_1 = 1.",
           "Read σ'(0) off the figure of the sigmoid and its slope: the top of the dotted curve."],
    why="Δoutput ≈ σ'(0) · x_1 · Δw_1 = ¼ · 1 · 0.01 = 0.0025 (eq. 5). Not the full 0.01 (a): the slope at 0 is ¼, not "
        "1; no jump (c): σ is smooth; and not 0.005 (d): ½ is σ(0), the output, not the slope σ'(0).")

p2 = Choice(
    "p2", right="d",
    wrong={"a": "on the boundary the weighted input is c · 0 = 0 for every c: what is σ(0)?",
           "b": "c multiplies the weighted input: c · 0.001 is 10 at c = 10000, not tiny any more.",
           "c": "σ(0) is exactly ½ for every c; nothing rounds it."},
    hints=["Multiplying every weight and the bias by c: what does that do to the weighted input w·x + b of each "
           "of the three neurons?",
           "σ(z) → 0 as z → -∞ and → 1 as z → +∞. And what is σ where the weighted input is exactly 0?"],
    why="c(w·x + b) runs to -∞ and +∞ for the two neurons off the boundary, so they tend to the perceptron's 0 and 1; "
        "on the boundary it is 0 for every c, and the output stays σ(0) = ½, where the perceptron says 0. So not "
        "exactly the perceptron (a), not all ½ (b: large c makes even ±0.001 large), and no rounding (c).")

p3 = Choice(
    "p3", right="a",
    wrong={"b": "nothing in eq. (22) sums over the columns: each column is multiplied by the same w on its own.",
           "c": "w @ batch keeps the columns of batch: the outputs come out as columns, one per input.",
           "d": "(3, 2) @ (2, 5) fits: the inner sizes, 2 and 2, agree."},
    hints=["What is the shape of a (3, 2) matrix times a (2, 5) matrix?",
           "b is a (3, 1) column; NumPy adds it to every column of the (3, 5) product. Then the last layer."],
    why="w @ batch is (3, 2) @ (2, 5) = (3, 5), b is added to every column, and the last layer makes (1, 3) @ (3, 5) "
        "= (1, 5): one output per input, in its column. The shapes fit (not d), and the columns are neither summed "
        "into one output (b) nor stacked into one column (c).")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 0.25,
    slips=[(0.5, "0.5 is σ(0), the output; the question asks for its slope σ'(0)."),
           (0.0, "σ is steepest at 0, not flat.")],
    hints=["Read it off the notebook's figure: the top of the dotted curve of σ'.",
           "Or differentiate σ(z) = 1 / (1 + e^(-z)) with the chain rule and put z = 0, where e^0 = 1."],
    why="σ'(0) = e^0 / (1 + e^0)² = 1/4, the largest slope the sigmoid has (the top of the dotted curve).")

q2 = Number(
    "q2", 30.0,
    slips=[(784.0, "784 is the number of columns: one per input neuron. A row belongs to the neuron it feeds."),
           (10.0, "weights[0] feeds the hidden layer, not the output layer.")],
    hints=["weights[0] connects the input layer to the hidden layer.",
           "Its entry w_jk goes from input neuron k to hidden neuron j: j numbers the rows."],
    why="weights[0] has shape (30, 784): one row per hidden neuron, one column per input.")

q3 = Number(
    "q3", 23860.0,
    slips=[(23820.0, "that is the weights only: add one bias per neuron of each layer after the input."),
           (24644.0, "the input layer has no biases.")],
    hints=["Weights: 784 × 30 + 30 × 10. Biases: one per hidden and output neuron.",
           "23,520 + 300 weights, 30 + 10 biases."],
    why="784 · 30 + 30 · 10 = 23,820 weights and 30 + 10 = 40 biases.")

q4 = Choice(
    "q4", right="c",
    wrong={"a": "2^4 = 16 ≥ 10: four neurons can encode ten digits in binary.",
           "b": "ten output neurons have more weights than four, not fewer.",
           "d": "the book gives reasons: what works better in practice, and a heuristic about hidden neurons."},
    hints=["Could four output neurons encode ten digits?", "Read the section \"Why 10 output neurons, not 4?\" again."],
    why="the book's reasons are empirical (ten outputs learn better) and heuristic (each digit's neuron weighs "
        "evidence from hidden neurons that detect parts of that digit). Four neurons could encode ten digits (a), "
        "ten have more weights (b), and the book does prefer ten (d).")

q5 = Written(
    "q5",
    answer="A good answer says that σ is smooth, so the output changes by approximately a linear function of the "
           "changes Δw_j and Δb (eq. 5), with slopes ∂output/∂w_j = σ'(z) x_j and ∂output/∂b = σ'(z); and that a "
           "perceptron's step either does not change or jumps by 1.",
    hints=["What does eq. (5) say?", "Compare the shape of σ with the step function near z = 0."],
    why="it is eq. (5) and the reason the book gives for using sigmoid neurons.")
