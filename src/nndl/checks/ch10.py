"""Checks for notebook 10, initialisation and choosing hyper-parameters.

Besides the checks, the course's own answers to Exercises 4 and 6, which the
notebook's experiments run with, so that those cells run before the exercises
are solved: ``early_stopping(n)``, an ``SGD`` callback for the
no-improvement-in-n rule, and ``scheduled_eta``, the halving schedule's next η.
"""
import numpy as np

from ..training import History
from . import Exercise, Hint, check
from .questions import Choice, Written


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


@check("Right: weights drawn from N(0, 1/n_in), one row per neuron, from the generator you were given.")
def check_scaled_weights(scaled_weights):
    for n_in, n_out in ((784, 30), (100, 10), (2000, 5)):
        w = np.asarray(scaled_weights(np.random.default_rng(10), n_in, n_out), dtype=float)
        if w.shape != (n_out, n_in):
            raise Hint(f"the weight matrix of a layer with {n_in} inputs and {n_out} neurons has one row per neuron: "
                       f"shape ({n_out}, {n_in}), got {w.shape}.")
        again = np.asarray(scaled_weights(np.random.default_rng(10), n_in, n_out), dtype=float)
        if not np.array_equal(w, again):
            raise Hint("draw from the generator `rng` you are given (rng.normal or rng.standard_normal), so that a "
                       "seed gives the same weights.")
        std, expected = w.std(), 1 / np.sqrt(n_in)
        if abs(w.mean()) > 5 * std / np.sqrt(w.size):
            raise Hint("the weights should have mean 0.")
        if np.isclose(std, 1 / n_in, rtol=0.1):
            raise Hint("1/n_in is the variance; rng.normal takes the standard deviation, its square root.")
        if np.isclose(std, 1.0, rtol=0.1):
            raise Hint("those are chapter 1's N(0, 1) weights: scale them so that their variance is 1/n_in.")
        if not np.isclose(std, expected, rtol=0.1):
            raise Hint(f"for n_in = {n_in} the standard deviation should be {expected:.4f}; yours is {std:.4f}.")


@check("Right: with N(0, 1) weights z is spread over tens, with N(0, 1/n_in) weights over about one.")
def check_std_of_z(std_of_z):
    for n_in, n_active in ((1000, 500), (784, 150), (30, 30), (10, 0)):
        for scaled in (False, True):
            got = float(std_of_z(n_in, n_active, scaled))
            expected = np.sqrt((n_active / n_in if scaled else n_active) + 1)
            if np.isclose(got, expected, rtol=1e-9):
                continue
            if np.isclose(got, expected ** 2, rtol=1e-9):
                raise Hint("that is the variance of z; the standard deviation is its square root.")
            if np.isclose(got, np.sqrt(n_active / n_in if scaled else n_active), rtol=1e-9):
                raise Hint("the bias counts too: it is N(0, 1) and adds 1 to the variance of z.")
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
            raise Hint(f"{case}: η0/128 is itself the last learning rate used; stop only when the halved η would "
                       "fall below η0/128.")
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
    hints=["Draw a matrix of standard normal numbers with the shape of a layer's weights, then scale it.",
           "N(0, 1/n_in) has standard deviation 1/√n_in, and a N(0, 1) number times s is N(0, s²)."],
    why="The book's default_weight_initializer: each weight N(0, 1/n_in), so that z = Σ_j w_j x_j + b has a variance "
        "near 1 whatever the number of inputs, and the neuron starts away from saturation.")

ex3 = Written(
    "ex3",
    answer="**(1) Weight decay first.** Each step moves a weight by two terms (eq. 93): the decay -(ηλ/n) w and the "
           "gradient step -(η/m) Σ_x ∂C_x/∂w. With N(0, 1) weights a hidden neuron with many inputs starts "
           "saturated (section 1: z spread over tens), so σ'(z) is tiny, and by BP2 so are its error δ and, by BP4, "
           "the gradients of the weights into it. The decay term is proportional to w, of size 1 at the start: "
           "unless λ is very small it is much the larger of the two, and for the first epochs the weights shrink "
           "almost as if the unregularised cost C₀ were not there.\n\n"
           "**(2) exp(-ηλ/m) per epoch.** If the decay dominates, each mini-batch step multiplies a weight by "
           "1 - ηλ/n, and an epoch has n/m steps: a factor (1 - ηλ/n)^(n/m) per epoch. When ηλ ≪ n, "
           "ln(1 - ηλ/n) ≈ -ηλ/n, so the factor is about exp(-(ηλ/n)(n/m)) = exp(-ηλ/m), whatever n is. In the "
           "run of the notebook, η = 0.5, λ = 5, m = 10 and n = 10,000: ηλ = 2.5 ≪ n, and the factor is "
           "exp(-0.25) ≈ 0.78 per epoch.\n\n"
           "**(3) The decay tails off.** As the weights shrink, so does z: its standard deviation is about "
           "√(n_active)·|w|. Once the weights are of size about 1/√n_in, z is of order 1 (section 1's scaled "
           "start), the neurons leave saturation, σ'(z) is no longer tiny, and the gradient of C₀ grows until it "
           "balances the decay: the weights stop shrinking and settle where the two terms cancel on average. That "
           "is the size the scaled initialisation starts near: L2 regularisation has done the rescaling by itself, "
           "only a few epochs later. If λ were too large, the decay would still win there and push the weights "
           "further down (underfitting); if it were too small, (1) would fail and the saturated start would "
           "stay. (The book states (3) with n the number of weights in the network; what decides saturation is "
           "the number of inputs of a neuron, n_in.)\n\n"
           "**In the run.** The measured size of the weights falls by about 0.78 per epoch for the first epochs, "
           "as (2) says, then levels off at the size the run from the scaled start settles at; without "
           "regularisation (λ = 0) the N(0, 1) weights stay near 1.",
    hints=["Write one step of eq. (93) for a weight into a hidden neuron, and ask which of its two terms is larger "
           "while that neuron is saturated.",
           "For (2): an epoch is n/m steps, each multiplying w by 1 - ηλ/n; use ln(1 - x) ≈ -x for small x. For "
           "(3): when is the neuron no longer saturated, and what happens to the gradient of C₀ then?"],
    why="with saturated hidden neurons only the decay term of eq. (93) acts, a factor (1 - ηλ/n)^(n/m) ≈ "
        "exp(-ηλ/m) per epoch, until the weights are small enough (about 1/√n_in) for the neurons to learn and "
        "the gradient of C₀ to balance the decay.")

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
    "ex5",
    answer="A good answer states a rule that trades accuracy against training time and compares it with "
           "no-improvement-in-n using the printed numbers. For example, **no improvement of at least δ in n "
           "epochs** (say δ = 0.2% of the validation images): small fluctuations no longer reset the count, so the "
           "run stops sooner, usually at the cost of a few tenths of a percent. Or **a moving average**: stop "
           "when the mean accuracy of the last k epochs is no higher than that of the k epochs before; a single "
           "lucky epoch no longer keeps the run going, at the price of reacting k epochs later to real progress. "
           "Or **a fixed budget** (the placeholder): cheap to plan, blind to the run. The comparison should report, "
           "for each seed, the epochs trained and the best and final validation accuracy of each rule; say which "
           "rule trains fewer epochs and how much accuracy that costs, and note that three small runs on 10,000 "
           "images and 2,000 validation images are few and noisy: a difference of a few tenths of a percent may "
           "be chance. Whatever the rule, the network to keep is the one of the best validation epoch, not the "
           "last.",
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
        "new best, and stop once the halved η would fall below η0/128, so that η0/128 is the last η used.")

ex7 = Written(
    "ex7",
    answer="**λ.** Gradient descent lowers the cost it is given, and the only cost containing λ is the regularised "
           "training cost C = C₀ + (λ/2n) Σ w² (eq. 87). Its derivative ∂C/∂λ = (1/2n) Σ w² is never negative, so "
           "descending on λ always lowers λ, towards 0 and beyond (a negative λ rewards large weights, and the "
           "cost has no minimum). λ's job is not to lower the training cost but to make the network do well on "
           "data it was not trained on: the quantity to optimise is the validation accuracy (or cost) after "
           "training, which depends on λ only through the whole training run. The accuracy is a count, piecewise "
           "constant in λ, with gradient zero almost everywhere; the validation cost's gradient with respect to λ "
           "would need differentiating through every step of training, which is expensive and, with the "
           "randomness of the mini-batches, noisy.\n\n"
           "**η.** η is not part of any cost: it sets how gradient descent moves. To tune it by gradient descent we "
           "would need the cost after training as a function of η and its derivative, again through the whole "
           "run; and a second learning rate for η, a hyper-hyper-parameter with the same problem. The cost is also a "
           "badly behaved function of η: smooth below the threshold where descent starts to oscillate, jumping to "
           "huge values above it (notebook 07), so gradient steps on η are unreliable exactly where the best η "
           "lies. Choosing η greedily, to lower the cost most in the next step, favours steps near that threshold "
           "and is short-sighted about the rest of training. So both are chosen by search on held-out data.",
    hints=["Write the regularised cost C₀ + (λ/2n) Σ w² and differentiate it with respect to λ: which way would "
           "gradient descent move λ? And which data does λ's choice depend on?",
           "Where does η appear: in the cost, or in the update rule? What would you have to differentiate to "
           "measure how the result of training depends on η?"],
    why="gradient descent on the training cost would only shrink λ, whose purpose shows on validation data; and η "
        "is not part of any cost: its effect shows only through the whole run, non-smoothly near divergence.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="b",
    wrong={"a": "the cross-entropy changes the cost, and with it only the output layer's error δ^L = a^L - y.",
           "c": "the learning rate multiplies every step; it does not remove a factor from the gradient."},
    hints=["Which of the equations BP1 to BP4 carries the error into the hidden layers?",
           "Which factor of BP2 depends on the hidden neuron's own z?"],
    why="the cross-entropy removes σ'(z^L) from the output error only; BP2, δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ "
        "σ'(z^l), still multiplies a hidden neuron's error by its σ'(z^l), which is tiny when it is saturated.")

q2 = Choice(
    "q2", right="a",
    wrong={"b": "the random weights already make the neurons differ; the biases are not needed for that.",
           "c": "the biases are trained like the weights, by eq. (21).",
           "d": "the bias is one term of z, where the weights are many: its spread does not grow with n_in."},
    hints=["Section 1 adds up the variances of z: how much does the bias contribute, and how much the weights?",
           "Exercise 1's std_of_z for the scaled start: which term is the bias?"],
    why="a neuron's bias is a single term of z: drawn from N(0, 1) it adds 1 to z's variance (500/1000 + 1 = 3/2 in "
        "the book's example), which keeps z of order 1 and the neuron unsaturated; the book notes that how the "
        "biases start makes little difference.")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "the test data is kept for the final measurement, for η as for λ.",
           "b": "η is chosen on the training cost: the validation accuracy also moves with overfitting, which η is "
                "not there to cure.",
           "d": "λ's job is to help the network on data it has not seen, which the training data cannot show."},
    hints=["What is η's job, and what is λ's job?",
           "Which data shows whether gradient descent works, and which whether the network generalises?"],
    why="η's job is to make gradient descent lower the cost it minimises, which the training cost shows; λ's job "
        "is to make the network do well on new data, which only data it is not trained on, the validation data, "
        "can measure.")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "halving η makes the steps smaller: it slows the early progress down, it does not speed it up.",
           "c": "the schedule stops training only when η has fallen to 1/128 of its start; it changes η before that.",
           "d": "η is halved when the validation accuracy stalls, not on a fixed schedule of epochs."},
    hints=["With a fixed η, what happens to gradient descent near a minimum when the steps are large?",
           "What do large steps give early in training, and small steps late?"],
    why="large steps make fast progress while the accuracy improves; once it stalls, smaller steps let gradient "
        "descent settle closer to the minimum instead of bouncing around it.")

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
