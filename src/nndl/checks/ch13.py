"""Checks for notebook 13, why deep networks are hard to train (the book's chapter 5).

Besides the checks: the book's numbers, our full-scale runs, and the chain of
single sigmoid neurons the chapter studies (``chain_network``, ``chain_cost``,
``chain_gradient_reference``, ``exploding_biases_reference``), so that the
notebook's cells after each exercise run before it is solved.
"""

import numpy as np

from .. import training
from ..checking import as_rows
from ..functions import sigmoid
from ..network import Network
from . import Exercise, Hint, check, numerical_gradient, without
from .questions import Choice, Number, Written

BOOK_ACCURACY = {1: 96.48, 2: 96.90, 3: 96.57, 4: 96.53}
"""The book's validation accuracies (%) of [784, 30, ..., 30, 10] with 1-4 hidden layers: 30 epochs, η 0.1, λ 5.0."""

OUR_FULL_SCALE_ACCURACY = {1: 96.61, 2: 97.13, 3: 96.47, 4: 96.08}
"""The same runs with the package, measured once (network2.Network(sizes, seed=0), 50,000 training images, the
validation accuracy after epoch 30): about a minute in all on two cores; the README lists the commands and two more
seeds."""

BOOK_SPEEDS = {2: [0.07, 0.31], 3: [0.012, 0.060, 0.283], 4: [0.003, 0.017, 0.070, 0.285]}
"""The book's speeds of learning ‖δ^l‖ of the hidden layers at the start, first hidden layer first."""


# ----- the chain of single neurons: a_j = σ(w_j a_{j-1} + b_j), C = (a_L - y)²/2 ------------------------------

def chain_network(w, b):
    """The chain of ``len(w)`` single sigmoid neurons as a package ``Network([1, 1, ..., 1])``, quadratic cost."""
    net = Network([1] * (len(w) + 1))
    net.weights = [np.array([[float(wj)]]) for wj in w]
    net.biases = [np.array([[float(bj)]]) for bj in b]
    return net


def chain_cost(w, b, a0, y):
    """The quadratic cost (a_L - y)²/2 of the chain with weights ``w`` and biases ``b`` for the input ``a0``."""
    a = a0
    for wj, bj in zip(w, b):
        a = sigmoid(wj * a + bj)
    return 0.5 * (a - y) ** 2


def chain_gradient_reference(w, b, a0, y):
    """∂C/∂b_j for every neuron of the chain, by the package's backpropagation: an array of ``len(w)`` numbers."""
    nabla_b, _ = chain_network(w, b).backprop(np.array([[float(a0)]]), np.array([[float(y)]]))
    return np.array([nb[0, 0] for nb in nabla_b])


def exploding_biases_reference(w, a0, layers):
    """The biases that make every weighted input z_j = 0 in a chain of ``layers`` neurons, all of weight ``w``."""
    return np.array([-w * a0] + [-w * sigmoid(0.0)] * (layers - 1))


def range_width(w):
    """Eq. (123): the width of the interval of inputs a for which |w σ'(wa + b)| >= 1 (for |w| >= 4)."""
    w = np.abs(w)
    return 2 / w * np.log(w * (1 + np.sqrt(1 - 4 / w)) / 2 - 1)


# ----- Exercise 1: the speed of learning of each hidden layer -------------------------------------------------

def network_and_data(sizes, seed, n, cost="cross-entropy"):
    """A network with N(0, 1) weights and biases drawn from ``seed``, and ``n`` examples (x, one-hot y) for it."""
    net = Network(sizes, cost=cost)
    rng = np.random.default_rng(seed)
    net.weights = [rng.standard_normal((m, k)) for k, m in zip(sizes, sizes[1:])]
    net.biases = [rng.standard_normal((m, 1)) for m in sizes[1:]]
    data = [(rng.random((sizes[0], 1)), np.eye(sizes[-1])[:, [k % sizes[-1]]]) for k in range(n)]
    return net, data


def package_speeds(net, data):
    """The package's ``training.layer_speeds`` for a list of (x, y) pairs: what Exercise 1 computes."""
    return training.layer_speeds(net, *as_rows(data, "data", net.sizes, net.dtype))


@check("Right: the length of the average over the examples of ∂C_x/∂b^l, for each hidden layer: ‖δ^l‖.")
def check_speeds_of_learning(speeds_of_learning):
    for net, data in (network_and_data([5, 4, 3, 2], 1, 7), network_and_data([6, 3, 4, 3, 3], 2, 7),
                      network_and_data([4, 5, 3], 3, 6, cost=None)):
        before = [p.copy() for p in net.weights + net.biases]
        with without(training.layer_speeds):
            got = np.asarray(speeds_of_learning(net, data), dtype=float).ravel()
        if not all(np.array_equal(p, q) for p, q in zip(before, net.weights + net.biases)):
            raise Hint("your function changed the network's weights or biases: it should only measure them.")
        expected = np.array(package_speeds(net, data))
        hidden = net.num_layers - 2
        if len(got) == hidden + 1:
            raise Hint(f"for {net.sizes} you return {len(got)} speeds: leave out the output layer, as the book "
                       f"does, and give one per hidden layer ({hidden}).")
        if len(got) != hidden:
            raise Hint(f"for {net.sizes} return one speed per hidden layer, {hidden} numbers; got {len(got)}.")
        if np.allclose(got, expected, rtol=1e-6, atol=1e-12):
            continue
        per_example = [net.backprop(x, y) for x, y in data]
        mean_b = [np.mean([nabla_b[l] for nabla_b, _ in per_example], axis=0) for l in range(hidden)]
        slips = {"that is n times the speed: average the gradients over the n examples, don't just add them up.":
                 expected * len(data),
                 "that is the squared length: take the square root of the sum of squares (np.linalg.norm).":
                 expected ** 2,
                 "that is the average of the lengths of each example's gradient; the speed is the length of the "
                 "average gradient (average first, then the length).":
                 [np.mean([np.linalg.norm(nabla_b[l]) for nabla_b, _ in per_example]) for l in range(hidden)],
                 "those are the weights' gradients: the book's δ^l is ∂C/∂b^l, the first list backprop returns.":
                 [np.linalg.norm(np.mean([nabla_w[l] for _, nabla_w in per_example], axis=0)) for l in range(hidden)],
                 "those are the layers from the output backwards: give the first hidden layer first.":
                 expected[::-1] if hidden > 1 else None,
                 "that is the sum of the entries of each layer's average gradient, not its length (the square root "
                 "of the sum of the squares).": [float(np.sum(m)) for m in mean_b]}
        for hint, slip in slips.items():
            if slip is not None and np.allclose(got, slip, rtol=1e-6, atol=1e-12):
                raise Hint(hint)
        raise Hint(f"for {net.sizes} your speeds differ from ‖δ^l‖: for each example take backprop's nabla_b, "
                   "average it over the examples layer by layer, then take each hidden layer's length.")


# ----- Exercise 3: the chain's gradient -------------------------------------------------------------------------

CHAIN_CASES = (([0.5, -1.2, 0.8, 1.5], [0.1, 0.4, -0.3, 0.2], 0.7, 0.0),
               ([2.0, 1.0, -0.5], [-1.0, 0.5, 0.3], 0.2, 1.0),
               ([1.3], [-0.2], 0.9, 0.3),
               ([0.9, -0.4, 1.1, 0.6, -1.3], [0.3, -0.6, 0.1, 0.8, -0.2], 0.4, 1.0))


@check("Right: each ∂C/∂b_j is σ'(z_j) times the factors w_k σ'(z_k) of every later neuron, times ∂C/∂a_L.")
def check_chain_gradient(chain_gradient):
    for w, b, a0, y in CHAIN_CASES:
        w_given, b_given = np.array(w), np.array(b)
        with without(Network.backprop, Network.backprop_batch, numerical_gradient, chain_gradient_reference):
            got = np.asarray(chain_gradient(w_given, b_given, a0, y), dtype=float).ravel()
        if not (np.array_equal(w_given, w) and np.array_equal(b_given, b)):
            raise Hint("your function changed the arrays w or b it was given: compute with them, don't change them.")
        if len(got) != len(w):
            raise Hint(f"for a chain of {len(w)} neurons return {len(w)} numbers, ∂C/∂b_1 first; got {len(got)}.")
        expected = chain_gradient_reference(w, b, a0, y)
        if np.allclose(got, expected, rtol=1e-7, atol=1e-12):
            continue
        zs, a = [], a0
        for wj, bj in zip(w, b):
            zs.append(wj * a + bj)
            a = sigmoid(zs[-1])
        last_prime = sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
        slips = {"the sign is reversed: ∂C/∂a_L for C = (a_L - y)²/2 is a_L - y.": -expected,
                 "the last neuron's σ'(z_L) is missing: a change in b_L changes a_L by σ'(z_L) times as much, and "
                 "every ∂C/∂b_j goes through that step.": expected / last_prime,
                 "each ∂C/∂b_j has one factor too many, its own w_j: w_j multiplies a_{j-1} before b_j is added, "
                 "so a change in b_j does not pass through it.": expected * np.array(w),
                 "the gradients come out in reverse order: return ∂C/∂b_1 first, ∂C/∂b_L last.": expected[::-1]}
        for hint, slip in slips.items():
            if np.allclose(got, slip, rtol=1e-7, atol=1e-12) and len(w) > 1:
                raise Hint(hint)
        worst = int(np.argmax(np.abs(got - expected)))
        raise Hint(f"for the chain w = {w}, b = {b}, a0 = {a0}, y = {y}, your ∂C/∂b_{worst + 1} is off. Run the "
                   "chain forward, keeping every z_j; then go backwards from ∂C/∂a_L = a_L - y, multiplying by "
                   "σ'(z_j) at each neuron and by w_j at each weight you pass.")


# ----- Exercise 5: biases that make the gradient explode --------------------------------------------------------

@check("Right: b_1 = -w a_0 makes z_1 = 0, so a_1 = σ(0) = 1/2, and every later b_j = -w/2 keeps z_j = 0.")
def check_exploding_biases(exploding_biases):
    for w, a0, layers in ((100.0, 0.3, 4), (-7.0, 1.0, 3), (100.0, 0.0, 1), (6.5, 0.8, 5)):
        with without(exploding_biases_reference):
            b = np.asarray(exploding_biases(w, a0, layers), dtype=float).ravel()
        if len(b) != layers:
            raise Hint(f"for a chain of {layers} neurons return {layers} biases; got {len(b)}.")
        zs, a = [], a0
        for bj in b:
            zs.append(w * a + bj)
            a = sigmoid(zs[-1])
        if np.allclose(zs, 0.0, atol=1e-9):
            continue
        if np.allclose(b, -w * a0):
            raise Hint("b_1 = -w a_0 is right, but the later neurons' input is not a_0: it is the output of the "
                       "neuron before, which is σ(0) once that neuron's z is 0.")
        if np.allclose(b, exploding_biases_reference(-w, a0, layers)):
            raise Hint("the signs are reversed: z_j = w a_{j-1} + b_j is 0 when b_j = -w a_{j-1}.")
        j = int(np.argmax(np.abs(zs) > 1e-9))
        raise Hint(f"with w = {w}, a0 = {a0}, your biases give z_{j + 1} = {zs[j]:.4g}, not 0: choose each b_j so "
                   "that w a_{j-1} + b_j = 0, with a_{j-1} the output of the neuron before (a_0 for the first).")


# ----- the exercises -------------------------------------------------------------------------------------------

ex1 = Exercise(
    "ex1", check=check_speeds_of_learning, grade_id="nb13_speeds_of_learning",
    hints=["net.backprop(x, y) returns (nabla_b, nabla_w) for one example; nabla_b[l] is ∂C_x/∂b for the layer "
           "l + 1 after the input. The hidden layers are all but the last entry.",
           "Add up nabla_b over the examples layer by layer, divide by the number of examples, and take "
           "np.linalg.norm of each hidden layer's average: a list of floats, first hidden layer first."],
    why="C is the average of C_x over the examples, so ∂C/∂b^l is the average of backpropagation's ∂C_x/∂b^l = δ^l "
        "(BP3); its length ‖δ^l‖ is the book's speed of learning of layer l. The book's own program computes it in "
        "the same way, on 1,000 training images.")

ex2 = Written(
    "ex2", grade_id="nb13_chain_derivation_written",
    hints=["Follow a small change Δb_1: it changes z_1 by Δb_1, so a_1 by σ'(z_1) Δb_1. What does that do to z_2?",
           "Each step through a weight multiplies the change by w_j, each step through a neuron by σ'(z_j); at the "
           "end ΔC ≈ (∂C/∂a_4) Δa_4. Divide by Δb_1."],
    why="a change in b_1 travels through every later weight and neuron, picking up a factor at each, so ∂C/∂b_1 is "
        "a product with one factor per step (eqs. 120-122); ∂C/∂b_3 is the same product without the first steps.")

ex3 = Exercise(
    "ex3", check=check_chain_gradient, grade_id="nb13_chain_gradient",
    hints=["Run the chain forward and keep every z_j. The last gradient is ∂C/∂b_L = σ'(z_L) (a_L - y).",
           "Going backwards, ∂C/∂b_j = σ'(z_j) w_{j+1} ∂C/∂b_{j+1}: keep a running product, and fill an array "
           "from the end. sigmoid_prime is imported in the setup cell."],
    why="eq. (122) for a chain of any length: ∂C/∂b_j = σ'(z_j) w_{j+1} σ'(z_{j+1}) ... w_L σ'(z_L) ∂C/∂a_L, computed "
        "from the end backwards so that each gradient reuses the next one's; this is BP1-BP3 for layers of one "
        "neuron.")

ex4 = Written(
    "ex4", grade_id="nb13_quarter_written",
    hints=["Write σ'(z) = σ(z)(1 - σ(z)) = s(1 - s) with s between 0 and 1. Where is s(1 - s) largest?",
           "s(1 - s) = 1/4 - (s - 1/2)²: so σ'(z) <= 1/4, with equality only at s = 1/2, z = 0. Then multiply by |w|."],
    why="σ' is at most 1/4, so each factor |w_j σ'(z_j)| is at most |w_j|/4, below 1/4 when |w_j| < 1; two extra "
        "such factors make ∂C/∂b_1 at least 16 times smaller than ∂C/∂b_3 (when σ'(z_1) and σ'(z_3) are alike).")

ex5 = Exercise(
    "ex5", check=check_exploding_biases, grade_id="nb13_exploding_biases",
    hints=["z_1 = w a_0 + b_1: which b_1 makes it 0? Then what is a_1, the input of the second neuron?",
           "Once z_1 = 0, a_1 = σ(0) = 1/2 whatever w is, and so is every later a_j: the later biases are all the "
           "same number."],
    why="z_1 = w a_0 + b_1 = 0 needs b_1 = -w a_0; then a_1 = σ(0) = 1/2, so b_2 = -w/2 makes z_2 = 0, and so on down "
        "the chain: every factor w σ'(z_j) is w/4, 25 for w = 100.")

ex6 = Written(
    "ex6", grade_id="nb13_larger_derivative_written",
    hints=["The gradient of an early layer is still a product of many factors w_j f'(z_j). What does a larger f' do "
           "to each factor, and to a product of many of them?",
           "Vanishing and exploding are the two sides of one problem: a product of many factors stays near 1 only "
           "if the factors balance. Does a larger derivative make them balance?"],
    why="a larger derivative only scales every factor w_j f'(z_j) up: the early layers' gradient is still a product "
        "of many factors, now prone to explode rather than vanish. The instability comes from the product, not from "
        "the size of σ'.")

ex7 = Written(
    "ex7", grade_id="nb13_input_range_written",
    hints=["Part 1: σ'(wa + b) <= 1/4 for every a. Part 2: with s = σ(wa + b), the condition is s(1 - s) >= 1/|w|: "
           "solve the quadratic for s.",
           "The roots are s± = (1 ± √(1 - 4/|w|))/2, with s+ + s- = 1 and s+ s- = 1/|w|. Turn s into z with "
           "z = ln(s/(1 - s)), then z into a = (z - b)/w."],
    why="|w σ'| >= 1 needs σ' >= 1/|w|, which holds only for z in a band around 0 whose width in z is "
        "2 ln(s+/s-); in a it is 1/|w| of that, eq. (123): never more than about 0.45.")

ex8 = Written(
    "ex8", grade_id="nb13_identity_neuron_written",
    hints=["Write x = 1/2 + Δ, with Δ from -1/2 to 1/2, and choose b so that the weighted input w1 x + b is just "
           "w1 Δ. For a small u = w1 Δ, what are the first terms of the Taylor series of σ(u) around u = 0?",
           "σ(0) = 1/2, σ'(0) = 1/4, σ''(0) = 0 and σ'''(0) = -1/8. Multiply the series by w2 and choose w2 so that "
           "the term in Δ is exactly Δ. What constant is left over, and how large can the cubic term get for "
           "Δ in [-1/2, 1/2]?"],
    why="with b = -w1/2 the weighted input is w1 Δ, and σ(w1 Δ) = 1/2 + w1 Δ/4 - (w1 Δ)³/48 + ...; w2 = 4/w1 makes "
        "the output x + (2/w1 - 1/2) - w1² Δ³/12 + ...: x plus a constant, which the next layer's bias can take "
        "away, and an error of at most about w1²/96 on [0, 1], which shrinks like w1².")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="b",
    wrong={"a": "if depth helped like that, the book would not need a chapter on why deep networks are hard to "
                "train: the run with four hidden layers does not come out best.",
           "c": "every run trains well, whatever its depth: the differences are tenths of a point, not several "
                "points.",
           "d": "the runs differ by more than that: one of them stands out by a few tenths of a point."},
    hints=["The chapter is called \"Why are deep neural networks hard to train?\".",
           "Extra layers could in the worst case do nothing; but does gradient descent find how to use them?"],
    why="in the book two hidden layers give 96.90% against 96.48% for one; three and four give 96.57% and 96.53%, "
        "no better than one. Our full-scale runs show the same: depth beyond two layers does not help. Not (a): the "
        "deepest networks are not the best; not (c): all four train to about 96-97%; not (d): the second layer "
        "gains a few tenths of a point.")

p2 = Choice(
    "p2", right="c",
    wrong={"a": "the first hidden layer has the most weights, but its δ^1 is the product of the most factors: "
                "what size are they?",
           "b": "the two layers start alike, but their gradients do not: δ^1 is computed from δ^2 by BP2, which "
                "multiplies it by more factors.",
           "d": "the sizes vary with the random start, but one layer is faster with every start; the printed "
                "speeds for three networks show which."},
    hints=["BP2 computes δ^1 from δ^2: δ^1 = ((w^2)ᵀ δ^2) ⊙ σ'(z^1). How large can σ'(z) be?",
           "σ'(z) is at most 1/4, and the weights into the second hidden layer are small (N(0, 1/30))."],
    why="BP2 multiplies δ^2 by (w^2)ᵀ and by σ'(z^1) <= 1/4 to get δ^1, so the first hidden layer's gradient comes "
        "out several times smaller: the book finds 0.07 against 0.31. Not (a): being nearer the input makes the "
        "gradient pass through more factors, not fewer; not (b): same sizes do not give the same gradients; "
        "not (d): the pattern holds with every random start.")

p3 = Choice(
    "p3", right="d",
    wrong={"a": "gradient descent changes each layer by its own gradient: nothing makes the factors that shrink "
                "the first layer's gradient go away as the network learns.",
           "b": "for the first layer to overtake, the factors w σ'(z) between it and the output would have to "
                "grow past 1; does training at η = 0.1 with λ = 5.0 make the weights that large?",
           "c": "as the network fits the training images the errors shrink, and with them every layer's gradient."},
    hints=["What makes the first layer slow is the product of factors between it and the output. Does training "
           "change that product much?",
           "Look at the log scale of the plot's vertical axis once it is drawn: what stays between the curves?"],
    why="all the speeds fall as the network learns, but the gap between the layers stays: in the book's runs and "
        "ours the first hidden layer learns tens to hundreds of times slower than the last throughout. Not (a) or "
        "(b): training does not make the factors w σ'(z) grow past 1; not (c): the errors shrink, and so do the "
        "gradients.")

p4 = Choice(
    "p4", right="a",
    wrong={"b": "large weights do saturate neurons when z is large; here the biases keep every z_j = 0, where σ' "
                "is largest.",
           "c": "nothing cancels: each factor w_j σ'(z_j) is the same number, and the product multiplies them.",
           "d": "each weight multiplies the gradient by 100, but each neuron multiplies it by σ'(0) too."},
    hints=["With z_j = 0, what is σ'(z_j)? And the factor w_j σ'(z_j)?",
           "∂C/∂b_1 has three factors w_j σ'(z_j) more than ∂C/∂b_4 (and σ'(z_1) = σ'(z_4))."],
    why="with every z_j = 0, σ'(z_j) = 1/4 and each factor w_j σ'(z_j) is 100/4 = 25: ∂C/∂b_1 is 25³ = 15,625 times "
        "∂C/∂b_4. Not (b): the biases were chosen so that no neuron saturates; not (c): the factors multiply, they "
        "do not cancel; not (d): each neuron contributes σ'(0) = 1/4 as well as its weight.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 0.25,
    slips=[(0.5, "that is σ(0), the sigmoid's value at 0; its slope there is σ(0)(1 - σ(0))."),
           (1.0, "the sigmoid rises from 0 to 1 over many units of z: its slope is far below 1.")],
    hints=["σ'(z) = σ(z)(1 - σ(z)).", "It is largest where σ(z) = 1/2."],
    why="σ'(z) = σ(z)(1 - σ(z)) is largest at z = 0, where σ = 1/2: σ'(0) = 1/4.")

q2 = Choice(
    "q2", right="b",
    wrong={"a": "a small gradient in early layers does not mean they are nearly right: the weights are random, "
                "and the first layer throws away most of the image.",
           "c": "the later layers do learn; the trouble is that what they get from the first layers is random.",
           "d": "the gradient is computed exactly by backpropagation; it is small, not wrong."},
    hints=["Recall the book's argument about a function of one variable whose derivative is small.",
           "The weights start random: can the first layer's random features be good enough?"],
    why="the early layers start random and must learn a lot, but their gradients are small, so they barely change: "
        "they learn much more slowly than the later layers. Not (a): random weights are not nearly right; not (c): "
        "the later layers do learn; not (d): the gradient is right, only small.")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "the sigmoid makes the gradient usually vanish, but any activation leaves the gradient a product "
                "of many factors.",
           "b": "a large η changes every layer by more, but the ratio of the layers' gradients stays the same.",
           "d": "more neurons per layer do not remove the product; in eq. (124) each layer adds a matrix factor."},
    hints=["In the chain, ∂C/∂b_1 is a product with one factor for each later layer.",
           "What has to happen for a product of many factors to stay near 1?"],
    why="the gradient of an early layer is the product of factors from every later layer; only if those factors "
        "balance does it stay moderate, and nothing makes them balance: it vanishes or explodes. Not (a): with "
        "another activation the product remains; not (b): η scales all layers alike; not (d): eq. (124) is the "
        "same product with matrices.")

q4 = Number(
    "q4", 4.0,
    slips=[(1.0, "|w| < 1 gives |w σ'(z)| < 1/4; the question asks when the factor can reach 1."),
           (0.25, "that is the largest σ'(z); the factor is w times it.")],
    hints=["σ'(z) is at most 1/4.", "|w σ'(z)| <= |w|/4: when can this reach 1?"],
    why="σ'(z) <= 1/4, so |w σ'(wa + b)| <= |w|/4, which reaches 1 only if |w| >= 4 (part 1 of the book's problem).")

q5 = Choice(
    "q5", right="d",
    wrong={"a": "either way an epoch computes the gradients of all 1,000 images, in one step or in a hundred "
                "mini-batch steps of 10: not speed but smoothness was what the book was after.",
           "b": "the speeds are computed from the gradient over the whole training set, whatever the mini-batch "
                "size of the training.",
           "c": "with 1,000 images a network does overfit; the choice of batch gradient descent is not about that."},
    hints=["What does the book say mini-batch gradient descent would have given instead?",
           "One step per epoch, using every training image: what happens to the noise from one step to the next?"],
    why="the book says mini-batch stochastic gradient descent gives much noisier (but, averaged, very similar) "
        "curves; one full-batch step per epoch smooths them. Not (a): an epoch computes the same 1,000 gradients "
        "either way; not (b): the speeds can be measured with any mini-batch size; not (c): it is not about "
        "overfitting.")
