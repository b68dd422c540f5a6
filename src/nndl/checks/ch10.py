"""Checks for notebook 10, initialisation and choosing hyper-parameters."""
import numpy as np

from . import Exercise, Hint, check


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
