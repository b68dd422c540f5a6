"""Checks for notebook 10, initialisation and choosing hyper-parameters."""
import numpy as np

from . import Exercise, Hint, check
from .questions import Choice, Written


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


ex1 = Exercise(
    "ex1", check=check_scaled_weights, grade_id="nb10_scaled_weights",
    hints=["Draw a matrix of standard normal numbers with the shape of a layer's weights, then scale it.",
           "N(0, 1/n_in) has standard deviation 1/√n_in, and a N(0, 1) number times s is N(0, s²)."],
    why="The book's default_weight_initializer: each weight N(0, 1/n_in), so that z = Σ_j w_j x_j + b has a variance "
        "near 1 whatever the number of inputs, and the neuron starts away from saturation.")

ex2 = Exercise(
    "ex2", check=check_std_of_z, grade_id="nb10_std_of_z",
    hints=["Each input equal to 1 adds its weight to z, each input equal to 0 adds nothing, and the bias adds itself.",
           "A weight N(0, s²) adds s² to the variance of z; the bias adds 1. Add the variances, then take the square root."],
    why="z is the sum of n_active weights and the bias, all independent: variance n_active·s² + 1, with s² = 1 "
        "(chapter 1) or 1/n_in (scaled): for 1,000 inputs of which 500 are 1, √501 ≈ 22.4 against √1.5 ≈ 1.22.")


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
           "Exercise 2's std_of_z for the scaled start: which term is the bias?"],
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
           "What did the reduced search of section 3 say about λ, and why?"],
    why="section 3's reduced search runs in seconds but shows little of what λ does, since overfitting needs "
        "many epochs.")
