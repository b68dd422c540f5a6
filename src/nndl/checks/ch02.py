"""Checks for notebook 02, Sigmoid neurons."""
import numpy as np

from . import Hint, check


@check("As c grows, your scaled sigmoid neuron behaves exactly like a perceptron (and gives ½ where w·x + b = 0).")
def check_scaled_neuron(scaled_neuron):
    x, w = np.array([1.0, 0.5]), np.array([0.8, -0.4])
    for b, perceptron in ((0.3, 1.0), (-1.2, 0.0)):
        outputs = [float(scaled_neuron(x, w, b, c)) for c in (1, 10, 100, 1000)]
        if not all(0 <= o <= 1 for o in outputs):
            raise Hint("a sigmoid neuron's output lies between 0 and 1: apply σ to c·(w·x + b).")
        if abs(outputs[0] - 1 / (1 + np.exp(-(w @ x + b)))) > 1e-9:
            raise Hint("with c = 1 the output must be the ordinary sigmoid neuron's σ(w·x + b).")
        if abs(outputs[-1] - perceptron) > 1e-6 or not abs(outputs[2] - perceptron) <= abs(outputs[1] - perceptron):
            raise Hint("multiply both the weights and the bias by c: z = c·(w·x + b), then σ(z). "
                       "As c grows the output should move towards the perceptron's 0 or 1.")
    if abs(float(scaled_neuron(x, w, -float(w @ x), 1e6)) - 0.5) > 1e-9:
        raise Hint("when w·x + b = 0, c·(w·x + b) = 0 for every c, so the output stays σ(0) = ½.")


@check("Your output layer turns the 10 digit outputs into the digit's 4 bits, for every digit, noise and all.")
def check_bitwise_layer(weights, biases):
    weights, biases = np.asarray(weights, dtype=float), np.asarray(biases, dtype=float)
    if weights.shape != (4, 10):
        raise Hint(f"the weights go from 10 old outputs to 4 new neurons, so they are a (4, 10) matrix, not {weights.shape}.")
    if biases.shape != (4, 1):
        raise Hint(f"one bias per new neuron: a (4, 1) column, not {biases.shape}.")
    rng = np.random.default_rng(0)
    for trial in range(20):
        for digit in range(10):
            old = rng.uniform(0, 0.01, (10, 1))
            old[digit] = rng.uniform(0.99, 1.0)
            if trial == 0:  # the cleanest case first
                old = np.zeros((10, 1))
                old[digit] = 1
            new = 1 / (1 + np.exp(-(weights @ old + biases)))
            bits = (new[:, 0] > 0.5).astype(int)
            expected = [(digit >> k) & 1 for k in (3, 2, 1, 0)]
            if list(bits) != expected:
                raise Hint(f"for the digit {digit} the 4 outputs read {''.join(map(str, bits))} in binary "
                           f"(most significant bit first). Neuron k should get a large positive weight from "
                           f"the digits whose bit k is 1, a large negative one from the others.")
