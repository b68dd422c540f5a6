"""Checks for notebook 10, initialisation and choosing hyper-parameters.

Besides the checks, the course's own answers to Exercises 2, 4 and 6, which
the notebook's experiments run with, so that those cells run before the
exercises are solved: ``scaled_start(sizes, rng)``, a network's N(0, 1/n_in)
weights (``yours_or_the_courses`` picks the learner's once it passes its
check), ``early_stopping(n)``, an ``SGD`` callback for the
no-improvement-in-n rule, and ``scheduled_eta``, the halving schedule's next η.
"""
import numpy as np

from ..network import Network
from ..training import History
from . import Exercise, Hint, check, without
from .ch05 import passes
from .questions import Choice, Written


def scaled_start(sizes, rng):
    """The weights of a ``sizes`` network drawn from N(0, 1/n_in), one (n_out, n_in) matrix per layer."""
    return [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def yours_or_the_courses(scaled_weights):
    """The learner's ``scaled_weights`` once it passes Exercise 2's check; until then ``scaled_start``, said so."""
    if passes(check_scaled_weights, scaled_weights):
        return scaled_weights
    print("Your scaled_weights does not pass ex2.check yet: this run starts from the course's scaled weights.")
    return scaled_start


def _stalled(correct, ties_improve=False):
    """Epochs since the best accuracy of ``correct``: its first epoch, or its last if ties count as improvements."""
    best = len(correct) - 1 - int(np.argmax(correct[::-1])) if ties_improve else int(np.argmax(correct))
    return len(correct) - 1 - best


def early_stopping(n):
    """An ``SGD`` callback that stops training (returns False) once n epochs in a row bring no new best accuracy."""
    return lambda epoch, history: _stalled(history.test_correct) < n


def scheduled_eta(accuracies, eta, eta0, n):
    """The halving schedule: the η for the next epoch, or None to stop.

    ``accuracies`` are the validation accuracies of the epochs trained at the
    current η.  After n of them without a new best, η is halved; training stops
    when the halved η would be below η0/128.
    """
    if _stalled(accuracies) < n:
        return eta
    return eta / 2 if eta / 2 >= eta0 / 128 else None


@check("Right: one matrix per layer of weights, one row per neuron, each weight from N(0, 1/n_in) with n_in the "
       "layer's own number of inputs, drawn from the generator you were given.")
def check_scaled_weights(scaled_weights):
    for sizes in ([784, 100, 30], [1000, 50, 40]):  # at least 2,000 weights a layer: their spread is measured well
        with without(Network.default_weight_initializer, scaled_start):
            weights = scaled_weights(sizes, np.random.default_rng(10))
            again = scaled_weights(sizes, np.random.default_rng(10))
            other = scaled_weights(sizes, np.random.default_rng(11))
        if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
            raise Hint(f"return a list of weight matrices, one per layer of weights; got {type(weights).__name__}.")
        if len(weights) != len(sizes) - 1:
            raise Hint(f"a {sizes} network has {len(sizes) - 1} matrices of weights, one for each layer after the "
                       f"input layer (which has no weights); you returned {len(weights)}.")
        weights = [np.asarray(w, dtype=float) for w in weights]
        for layer, (w, n_in, n_out) in enumerate(zip(weights, sizes[:-1], sizes[1:]), start=1):
            if w.shape != (n_out, n_in):
                raise Hint(f"layer {layer} of a {sizes} network has {n_in} inputs and {n_out} neurons: one row per "
                           f"neuron, shape ({n_out}, {n_in}); yours has shape {w.shape}.")
        if not all(np.array_equal(w, np.asarray(a, dtype=float)) for w, a in zip(weights, again)):
            raise Hint("the same seed gave different weights: draw from the generator `rng` you are given "
                       "(rng.normal or rng.standard_normal), so that a seed gives the same network.")
        if all(np.array_equal(w, np.asarray(o, dtype=float)) for w, o in zip(weights, other)):
            raise Hint("two different generators gave the same weights: draw from the `rng` you are given, not "
                       "from a generator of your own.")
        for layer, (w, n_in, n_out) in enumerate(zip(weights, sizes[:-1], sizes[1:]), start=1):
            std = w.std()
            if abs(w.mean()) > 5 * std / np.sqrt(w.size):
                raise Hint(f"the weights of layer {layer} should have mean 0.")
            if np.isclose(std, 1 / np.sqrt(n_in), rtol=0.1):
                continue
            if np.isclose(std, 1 / n_in, rtol=0.1):
                raise Hint("1/n_in is the variance; a N(0, 1) number times s has the standard deviation s, and the "
                           "variance s².")
            if np.isclose(std, 1.0, rtol=0.1):
                raise Hint(f"layer {layer} has chapter 1's N(0, 1) weights: scale them so that their variance is "
                           "1/n_in.")
            if np.isclose(std, 1 / np.sqrt(sizes[0]), rtol=0.1):
                raise Hint(f"layer {layer} is scaled by the input layer's {sizes[0]} inputs; each layer's n_in is "
                           f"its own number of inputs, here {n_in}.")
            if np.isclose(std, 1 / np.sqrt(n_out), rtol=0.1):
                raise Hint(f"layer {layer} is scaled by its number of neurons, {n_out}; n_in is the number of "
                           f"inputs of each neuron, {n_in}.")
            raise Hint(f"the weights of layer {layer} ({n_in} inputs) have standard deviation {std:.4f}; a "
                       f"variance of 1/n_in asks for another.")


STD_OF_Z_CASES = [(n_in, n_active, scaled) for n_in, n_active in ((1000, 500), (784, 150), (30, 30), (10, 0))
                  for scaled in (False, True)]
"""(n_in, n_active, scaled) of Exercise 1's check: the book's neuron first, both starts each."""

STD_OF_Z_SLIPS = {  # hint: what the slip gives, from a weight's standard deviation s
    "that is the variance of z; the standard deviation is its square root.":
        lambda n_active, s: n_active * s ** 2 + 1,
    "variances add, not standard deviations: the spread of a sum of independent terms is the square root of the "
    "sum of their variances.": lambda n_active, s: n_active * s + 1,
    "the bias counts too: it is N(0, 1) and adds 1 to the variance of z.":
        lambda n_active, s: np.sqrt(n_active * s ** 2),
}


@check("Right: with N(0, 1) weights z is spread over tens, with N(0, 1/n_in) weights over about one.")
def check_std_of_z(std_of_z):
    got = [float(std_of_z(n_in, n_active, scaled)) for n_in, n_active, scaled in STD_OF_Z_CASES]
    weight_std = [1 / np.sqrt(n_in) if scaled else 1.0 for n_in, _, scaled in STD_OF_Z_CASES]
    expected = [np.sqrt(n_active * s ** 2 + 1) for (_, n_active, _), s in zip(STD_OF_Z_CASES, weight_std)]
    wrong = [k for k, (g, e) in enumerate(zip(got, expected)) if not np.isclose(g, e, rtol=1e-9)]
    if not wrong:
        return
    # A slip is named when it explains every case: for N(0, 1) weights the variance and the sum of standard
    # deviations are both 501 in the book's example, so no single case tells them apart.
    for hint, slip in STD_OF_Z_SLIPS.items():
        if all(np.isclose(g, slip(n_active, s), rtol=1e-9)
               for g, (_, n_active, _), s in zip(got, STD_OF_Z_CASES, weight_std)):
            raise Hint(hint)
    n_in, n_active, scaled = STD_OF_Z_CASES[wrong[0]]
    raise Hint(f"for n_in = {n_in}, {n_active} inputs equal to 1 and scaled = {scaled}: z is a sum of "
               "independent normal terms, and variances of independent terms add.")


def _epochs_trained(callback, accuracies):
    """How many epochs SGD trains when it calls ``callback`` after each epoch of a run with these accuracies."""
    history = History(n_test=100)
    for epoch, correct in enumerate(accuracies):
        history.test_correct.append(correct)
        history.epochs += 1
        if callback(epoch, history) is False:
            return epoch + 1
    return len(accuracies)


@check("Right: SGD stops after the n-th epoch in a row without a new best validation accuracy.")
def check_no_improvement_in(no_improvement_in):
    cases = [([90, 91, 92, 92, 91, 93, 92, 92, 92], 3), ([90, 91, 92, 92, 91, 93, 92, 92, 92], 2),
             ([80, 85, 85, 85, 85], 1), ([50, 60, 70, 80], 2), ([70, 70, 70, 70], 3), ([93], 1),
             ([90, 95, 91, 92, 93, 94], 2)]
    for accuracies, n in cases:
        answers = []
        callback = no_improvement_in(n)
        got = _epochs_trained(lambda epoch, history: answers.append(callback(epoch, history)) or answers[-1],
                              accuracies)
        expected = _epochs_trained(early_stopping(n), accuracies)
        if got == expected:
            continue
        if all(answer is None for answer in answers):
            raise Hint("Your callback returns None, and SGD stops only on False: return False to stop, True to go on.")
        if got == 1 and _epochs_trained(lambda e, h: _stalled(h.test_correct) >= n, accuracies) == 1:
            raise Hint(f"For {accuracies} and n = {n}, training stopped after the first epoch: SGD stops when the "
                       "callback returns False, so return True while training should go on.")
        if got == _epochs_trained(lambda e, h: _stalled(h.test_correct, ties_improve=True) < n, accuracies):
            raise Hint(f"For {accuracies} and n = {n}, training should have stopped sooner. Does an accuracy equal "
                       "to the best so far count as an improvement? It should not.")
        if got == _epochs_trained(lambda e, h: _stalled(h.test_correct) <= n, accuracies):
            raise Hint(f"For {accuracies} and n = {n}, training went on one epoch too long: stop at the n-th epoch "
                       "without a new best, not after it.")
        raise Hint(f"For {accuracies} and n = {n}, SGD trains {got} epochs with your callback. Compare each accuracy "
                   "with the best of all epochs so far (history.test_correct), not with the epoch before.")


@check("Right: η is halved after n epochs without a new best, and training stops below η0/128.")
def check_next_eta(next_eta):
    cases = [([90, 91, 92], 0.5, 0.5, 2), ([90, 92, 91, 91], 0.5, 0.5, 2), ([90, 90, 90], 0.5, 0.5, 2),
             ([90, 91], 0.25, 0.5, 1), ([93, 92], 0.5 / 64, 0.5, 1), ([93, 92], 0.5 / 128, 0.5, 1),
             ([93, 94, 94, 94], 1.0, 1.0, 3), ([93], 0.1, 0.1, 1)]
    for accuracies, eta, eta0, n in cases:
        given = list(accuracies)
        got = next_eta(given, eta, eta0, n)
        if given != accuracies:
            raise Hint("Your function changed the list of accuracies it was given; read it without changing it.")
        expected = scheduled_eta(accuracies, eta, eta0, n)
        if expected is None and got is None or (got is not None and expected is not None
                                                and np.isclose(float(got), expected, rtol=1e-12)):
            continue
        case = f"For accuracies {accuracies}, η = {eta:g}, η0 = {eta0:g} and n = {n}"
        if expected == eta and got is None:
            raise Hint(f"{case}, training should go on at the same η: return η unchanged while the rule is not met.")
        if expected is not None and got is None and expected < eta:
            raise Hint(f"{case}: in this notebook's schedule, as in SGD(halve_eta_n=...), η0/128 is itself the "
                       "last learning rate used; stop only when the halved η would fall below η0/128.")
        if expected is None:
            raise Hint(f"{case}, the halved η would be below η0/128: return None, so that training stops.")
        if np.isclose(float(got), eta / 10) or np.isclose(float(got), eta / 4):
            raise Hint(f"{case}: the schedule halves η each time the rule is met.")
        if expected == eta:
            raise Hint(f"{case}, η should stay as it is: count the epochs after the first one with the best "
                       "accuracy at this η, and halve only once there are n of them.")
        raise Hint(f"{case}, it is time to halve η: the best accuracy at this η is n or more epochs old (an "
                   "accuracy equal to the best is no improvement).")


ex1 = Exercise(
    "ex1", check=check_std_of_z, grade_id="nb10_std_of_z",
    hints=["Each input equal to 1 adds its weight to z, each input equal to 0 adds nothing, and the bias adds itself.",
           "A weight N(0, s²) adds s² to the variance of z; the bias adds 1. Add the variances, then take the square root."],
    why="z is the sum of n_active weights and the bias, all independent: variance n_active·s² + 1, with s² = 1 "
        "(chapter 1) or 1/n_in (scaled): for 1,000 inputs of which 500 are 1, √501 ≈ 22.4 against √1.5 ≈ 1.22.")

ex2 = Exercise(
    "ex2", check=check_scaled_weights, grade_id="nb10_scaled_weights",
    hints=["Go through the layers in pairs (n_in, n_out), zip(sizes[:-1], sizes[1:]); for each, draw a matrix of "
           "standard normal numbers with one row per neuron, then scale it.",
           "rng.standard_normal((n_out, n_in)) draws N(0, 1) numbers; a N(0, 1) number times s is N(0, s²), and "
           "the variance you want is 1/n_in."],
    why="the book's default_weight_initializer: each weight into a neuron with n_in inputs is N(0, 1/n_in), the "
        "standard deviation 1/√n_in, so that z = Σ_j w_j x_j + b has a variance near 1 in every layer, whatever "
        "the number of inputs, and the neuron starts away from saturation. Drawing from `rng` makes the start "
        "reproducible.")

ex3 = Written(
    "ex3", grade_id="nb10_l2_rescales_written",
    hints=["Write one step of eq. (93) for a weight into a hidden neuron, and ask which of its two terms is larger "
           "while that neuron is saturated.",
           "For (2): an epoch is n/m steps, each multiplying w by 1 - ηλ/n; use ln(1 - x) ≈ -x for small x. For "
           "(3): when is the neuron no longer saturated, and what happens to the gradient of C₀ then?"],
    why="with saturated hidden neurons only the decay term of eq. (93) acts, a factor (1 - ηλ/n)^(n/m) ≈ "
        "exp(-ηλ/m) per epoch, until the weights are small enough for the neurons to learn and the gradient of C₀ "
        "to balance the decay.")

ex4 = Exercise(
    "ex4", check=check_no_improvement_in, grade_id="nb10_no_improvement_in",
    hints=["history.test_correct is the list of validation accuracies so far, one per epoch. How many epochs ago "
           "was its best accuracy reached?",
           "The first epoch with the best accuracy is at index np.argmax(correct); the epochs since then are "
           "len(correct) - 1 minus that index. Return True (go on) while that is less than n."],
    why="SGD calls the callback after each epoch with the accuracies so far; the run stops as soon as the best of "
        "them is n epochs old, counting an equal accuracy as no improvement: the package's early_stopping_n rule, "
        "now written by you inside the training loop.")

ex5 = Written(
    "ex5", grade_id="nb10_my_rule_written",
    hints=["What makes no-improvement-in-n train long? Look at how the validation accuracy moves from epoch to "
           "epoch once it has nearly stopped improving.",
           "A rule can ask for a minimum improvement, smooth the accuracies over several epochs, or limit the "
           "time. Report epochs trained and accuracy reached, per seed."],
    why="no-improvement-in-n always trains at least n epochs past the best, and a noisy accuracy can reset its "
        "count; other rules stop sooner or more steadily, and the comparison shows what that costs in accuracy.")

ex6 = Exercise(
    "ex6", check=check_next_eta, grade_id="nb10_next_eta",
    hints=["Two questions in order: is the rule met (the best accuracy at this η is n or more epochs old)? If "
           "it is, is the halved η still at least η0/128?",
           "Epochs since the best: len(accuracies) - 1 - np.argmax(accuracies). Fewer than n: η stays as it is. "
           "Otherwise the next η is half of it, or None if that half is below eta0 / 128."],
    why="the book's schedule: hold η while the validation accuracy improves, halve it after n epochs without a "
        "new best, and stop once the halved η would fall below η0/128, so that η0/128 is the last η used, as in "
        "SGD(halve_eta_n=...). (The book ends training once η has dropped to η0/128, which can also be read as "
        "stopping as soon as η reaches it; this notebook trains at η0/128 too.)")

ex7 = Written(
    "ex7", grade_id="nb10_hyperparameters_written",
    hints=["For each step, name the value you chose and the line of your record that made you choose it; say which "
           "steps looked at the training cost and which at the validation accuracy, and why.",
           "For the book's question: write the regularised cost C₀ + (λ/2n) Σ w² and differentiate it with respect "
           "to λ: which way would gradient descent move λ? And where does η appear: in the cost, or in the update "
           "rule?"],
    why="the heuristics choose η on the training cost (it only has to make descent work) and the rest on validation "
        "data, starting small for speed; gradient descent on the training cost would only shrink λ, whose purpose "
        "shows on validation data, and η is not part of any cost: its effect shows only through a whole run.")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="c",
    wrong={"a": "z is not an average of the weights but their sum: a sum of many independent terms spreads more "
                "than any one of them.",
           "b": "one weight has standard deviation 1, but z adds up 500 of them and the bias: the spread grows "
                "with the number of terms.",
           "d": "the 501 terms are independent and partly cancel: their standard deviations do not simply add up "
                "(their variances do)."},
    hints=["z is a sum of 501 independent terms, each N(0, 1). Does a sum spread more or less than one term?",
           "For independent terms the variances add, not the standard deviations."],
    why="z is a sum of 501 independent N(0, 1) terms, so its variance is 501 and its standard deviation √501 ≈ "
        "22.4. (a) treats z as an average, (b) as a single term, and (d) adds standard deviations where only "
        "variances add.")

p2 = Choice(
    "p2", right="d",
    wrong={"a": "small weights do not slow learning down: small z means σ'(z) near its largest value, 1/4, so "
                "the gradients are large.",
           "b": "the N(0, 1) run starts with most hidden neurons saturated (section 1), and saturated neurons "
                "learn slowly: the first epoch shows it.",
           "c": "the gap is wider: the N(0, 1) run spends much of its first epoch getting its hidden neurons out of "
                "saturation."},
    hints=["Which run starts with its hidden neurons saturated, and what does saturation do to σ'(z) and the "
           "gradients (BP2)?",
           "The book reports the first epoch of both runs: one under 87%, the other almost 93%."],
    why="with N(0, 1) weights most hidden neurons start saturated, σ'(z) is tiny and their weights learn slowly, "
        "so the first epoch ends several points behind (the book: under 87% against almost 93%). (a) has it the "
        "wrong way round, (b) and (c) underestimate the slowdown.")

p3 = Choice(
    "p3", right="b",
    wrong={"a": "the slow start is a matter of the first epochs: once the N(0, 1) run's hidden neurons have left "
                "saturation, it learns as fast.",
           "c": "nothing makes the N(0, 1) start better in the end: it only starts worse, in a saturated regime.",
           "d": "the N(0, 1) run keeps learning after its slow start: by epoch 30 it is far past 93%."},
    hints=["Is saturation a permanent state, or one the weights can leave (the L2 term helps them)?",
           "The book says both runs end somewhat over 96%."],
    why="in the book's runs both initialisations end somewhat over 96%: the scaled start gets there sooner but "
        "not higher, for this network. (a) and (d) take the slow start for a lasting handicap; (c) has no reason "
        "behind it. (The book adds that in chapter 4 the long-run result is sometimes better too.)")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="d",
    wrong={"a": "the decay term of eq. (93) does not need a gradient of C₀: it shrinks every weight at every step, "
                "saturated or not.",
           "b": "1 - ηλ/n is the factor of one step, and an epoch has n/m steps: the factor per epoch is that power "
                "of it.",
           "c": "the decay is a factor per step, not a jump: the weights shrink gradually, by the same factor each "
                "epoch, and stop when the neurons learn."},
    hints=["Eq. (93) has two terms. Which one is tiny while the hidden neurons are saturated, and what does the other "
           "do at each step?",
           "Each step multiplies a weight by 1 - ηλ/n; an epoch has n/m steps. Use (1 - x)^k ≈ e^(-kx) for small x."],
    why="while the hidden neurons are saturated the gradient of C₀ is tiny (BP2), so only the decay acts: n/m steps "
        "of 1 - ηλ/n each, about e^(-ηλ/m) per epoch (Exercise 3), until the weights are small enough for the "
        "neurons to learn (d). (a) forgets that the decay needs no gradient, (b) takes one step's factor for an "
        "epoch's, and (c) has the weights jump to the scaled size at once.")

q2 = Choice(
    "q2", right="a",
    wrong={"b": "the random weights already make the neurons differ; the biases are not needed for that.",
           "c": "the biases are trained like the weights, by eq. (21).",
           "d": "the bias is one term of z, where the weights are many: its spread does not grow with n_in."},
    hints=["Section 1 adds up the variances of z: how much does the bias contribute, and how much the weights?",
           "Exercise 1's std_of_z for the scaled start: which term is the bias?"],
    why="a neuron's bias is a single term of z: drawn from N(0, 1) it adds 1 to z's variance (500/1000 + 1 = 3/2 in "
        "the book's example), which keeps z of order 1 and the neuron unsaturated; the book notes that how the "
        "biases start makes little difference. (b) the weights already break the symmetry, (c) the biases are "
        "trained, and (d) one bias cannot saturate z the way 500 weights do.")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "a validation accuracy costs one pass over the validation images, little next to an epoch of "
                "training, and both need several trials: the reason is what each is for.",
           "b": "overfitting shows as a gap between the training and the validation accuracy; the training cost keeps "
                "falling through it, so it cannot show overfitting.",
           "d": "the validation accuracy shows η's threshold clearly enough; the reason is not noise but what each "
                "hyper-parameter is for."},
    hints=["What is η's job, and what is λ's job?",
           "Which data shows whether gradient descent works, and which whether the network generalises?"],
    why="η's job is to make gradient descent lower the cost it minimises, which the training cost shows; λ's job "
        "is to make the network do well on new data, which only data it is not trained on, the validation data, "
        "can measure (c). (a) and (d) give reasons of expense and noise instead of purpose, and (b) has the training "
        "cost show overfitting, which it hides.")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "halving only ever makes η smaller than the η it starts with: the first epochs run at the same η "
                "as a fixed-η run.",
           "c": "smaller steps settle nearer a minimum of the training cost; they do not make the network "
                "generalise better, which is λ's job.",
           "d": "that is early stopping: the schedule goes on training at half the η, and stops only once η would "
                "fall below η0/128."},
    hints=["With a fixed η, what happens to gradient descent near a minimum when the steps are large?",
           "What do large steps give early in training, and small steps late?"],
    why="large steps make fast progress while the accuracy improves; once it stalls, smaller steps let gradient "
        "descent settle closer to the minimum instead of bouncing around it (a). The first epochs run at the same "
        "η as without the schedule (not b), smaller steps do not regularise (not c), and a stall halves η rather "
        "than ending the run (not d).")


q5 = Written(
    "q5",
    answer="A good answer says that a reduced problem (fewer training images, fewer epochs, fewer validation "
           "images) gives feedback in seconds, so that many settings can be tried, and that it can hide what "
           "shows only at full scale: overfitting over many epochs (so λ looks useless, as in this notebook's "
           "2-epoch search), and settings whose best value depends on the size of the data, such as λ with n in "
           "eq. (93).",
    hints=["How long does one try take at full scale, and at the reduced scale?",
           "What did the reduced search of section 5 say about λ, and why?"],
    why="section 5's reduced search runs in seconds but shows little of what λ does, since overfitting needs "
        "many epochs.")
