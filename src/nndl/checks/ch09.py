"""Checks for notebook 09, overfitting and regularisation."""
import numpy as np

from .. import Network
from . import Exercise, Hint, check
from .questions import Choice, Written


def _step_cases():
    """(w, nabla_w, eta, lmbda, n, m): weights of several shapes and signs, a summed mini-batch gradient."""
    rng = np.random.default_rng(9)
    return [(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.5, 5.0, 50_000, 10),
            (rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), 0.1, 0.1, 1_000, 20),
            (np.array([[0.0, -2.0, 3.0]]), np.array([[1.0, 1.0, -1.0]]), 1.0, 2.0, 100, 5)]


def _run_step(step, w, nabla_w, eta, lmbda, n, m):
    original = w.copy()
    got = np.asarray(step(w.copy(), nabla_w.copy(), eta, lmbda, n, m), dtype=float)
    if got.shape != w.shape:
        raise Hint(f"return the new weights, an array shaped like w ({w.shape}), got {got.shape}.")
    assert np.array_equal(w, original)
    return got


@check("Right: the weights shrink by the factor 1 - ηλ/n, then take the usual gradient step (eq. 93).")
def check_l2_step(l2_step):
    for w, nabla_w, eta, lmbda, n, m in _step_cases():
        got = _run_step(l2_step, w, nabla_w, eta, lmbda, n, m)
        descent = eta / m * nabla_w
        if np.allclose(got, (1 - eta * lmbda / n) * w - descent):
            continue
        if np.allclose(got, w - descent):
            raise Hint("that is the unregularised step: where does λ come in?")
        if np.allclose(got, (1 - eta * lmbda / m) * w - descent):
            raise Hint("the decay divides by n, the size of the whole training set, not by the mini-batch size m "
                       "(the regularisation term (λ/2n) Σ w² belongs to the cost of all n examples).")
        if np.allclose(got, (1 - lmbda / n) * w - descent):
            raise Hint("the decay factor is missing η: the regularisation term's gradient is (λ/n) w, and every "
                       "gradient is multiplied by η.")
        if np.allclose(got, (1 - eta * lmbda / n) * w - eta * nabla_w):
            raise Hint("nabla_w is the gradient summed over the mini-batch: average it (divide by m).")
        raise Hint("start from the regularised cost C = C₀ + (λ/2n) Σ w² (eq. 87): its gradient is ∂C₀/∂w + (λ/n) w "
                   "(eq. 88); take a gradient step with it.")


@check("Right: L1 moves every weight a constant ηλ/n towards 0, then takes the gradient step.")
def check_l1_step(l1_step):
    for w, nabla_w, eta, lmbda, n, m in _step_cases():
        got = _run_step(l1_step, w, nabla_w, eta, lmbda, n, m)
        descent = eta / m * nabla_w
        if np.allclose(got, w - eta * lmbda / n * np.sign(w) - descent):
            continue
        if np.allclose(got, (1 - eta * lmbda / n) * w - descent):
            raise Hint("that is L2's weight decay, proportional to w. L1's term is (λ/n) Σ |w|: what is the "
                       "derivative of |w|?")
        if np.allclose(got, w + eta * lmbda / n * np.sign(w) - descent):
            raise Hint("the sign is flipped: L1 pulls each weight towards 0, so a positive weight must decrease.")
        if np.allclose(got, w - lmbda / n * np.sign(w) - descent):
            raise Hint("the L1 term's gradient is multiplied by η like every gradient.")
        if 0.0 in w and np.allclose(np.delete(got, np.flatnonzero(w == 0)),
                                    np.delete(w - eta * lmbda / n * np.sign(w) - descent, np.flatnonzero(w == 0))):
            raise Hint("|w| has no derivative at w = 0: take sgn(0) = 0 there, as the book does (np.sign does).")
        raise Hint("the L1-regularised cost is C₀ + (λ/n) Σ |w|; its gradient is ∂C₀/∂w + (λ/n) sgn(w).")


def _epochs_trained(accuracies, n, ties_improve=False):
    """The independent reference: train epoch by epoch, stop once n epochs in a row brought no new best.

    ``ties_improve=True`` is the typical mistake of counting an equal accuracy as an improvement.
    """
    best, best_epoch = -np.inf, 0
    for epoch, accuracy in enumerate(accuracies):
        if accuracy > best or (ties_improve and accuracy == best):
            best, best_epoch = accuracy, epoch
        elif epoch - best_epoch >= n:
            return epoch + 1
    return len(accuracies)


@check("Right: training stops after the n-th epoch in a row without a new best validation accuracy.")
def check_epochs_trained(epochs_trained):
    cases = [([90, 91, 92, 92, 91, 93, 92, 92, 92], 3), ([90, 91, 92, 92, 91, 93, 92, 92, 92], 2),
             ([80, 85, 85, 85, 85], 1), ([50, 60, 70, 80], 2), ([70, 70, 70, 70], 3), ([93], 1)]
    for accuracies, n in cases:
        got = epochs_trained(list(accuracies), n)
        expected = _epochs_trained(accuracies, n)
        if got == expected:
            continue
        if got == expected - 1:
            raise Hint(f"for {accuracies} and n = {n}: count the epochs trained, the stopping epoch included "
                       "(epochs are numbered from 0).")
        if got == _epochs_trained(accuracies, n, ties_improve=True):
            raise Hint(f"for {accuracies} and n = {n}, training should have stopped sooner. Does an accuracy equal "
                       "to the best so far count as an improvement? It should not.")
        raise Hint(f"for {accuracies} and n = {n}, keep the best accuracy so far and the epoch it was reached; "
                   "stop when the current epoch is n epochs past it.")


def l1_regularised_epoch(net, mini_batches, eta, lmbda, n):
    """One epoch of SGD with L1 regularisation (eqs. 96-97): the reference that notebook 09's λ search trains with.

    ``mini_batches`` is a list of pairs ``(X, Y)``, the inputs and desired
    outputs side by side as columns, as ``net.backprop_batch`` takes them;
    ``n`` is the size of the whole training set.  Each weight moves ηλ/n
    towards 0 (not at all if it is exactly 0), then takes the gradient step;
    the biases take the gradient step only.  The network gets new lists of
    arrays, as its own ``SGD`` gives it.
    """
    _epoch(net, mini_batches, lambda w, nabla_w, m: w - eta * lmbda / n * np.sign(w) - eta / m * nabla_w,
           lambda b, nabla_b, m: b - eta / m * nabla_b)


def _epoch(net, mini_batches, weight_step, bias_step):
    """An epoch whose step for each weight array is ``weight_step(w, nabla_w, m)``: the reference and its slips."""
    for X, Y in mini_batches:
        m = X.shape[1]
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        net.weights = [weight_step(w, nw, m) for w, nw in zip(net.weights, nabla_w)]
        net.biases = [bias_step(b, nb, m) for b, nb in zip(net.biases, nabla_b)]


def _l1_epoch_case(seed):
    """A small cross-entropy network and an epoch of mini-batches for it, the last one smaller than the others."""
    net = Network([5, 4, 3], cost="cross-entropy", seed=seed)
    rng = np.random.default_rng(seed)
    sizes = (4, 4, 3)
    labels = rng.integers(3, size=sum(sizes))
    X, Y = rng.normal(size=(5, len(labels))), np.eye(3)[:, labels]
    starts = np.cumsum((0,) + sizes)
    return net, [(X[:, a:b], Y[:, a:b]) for a, b in zip(starts, starts[1:])]


def _l1_epoch_slip(seed, eta, lmbda, n, net):
    """The hint for a typical mistake that leaves ``net`` as the learner's epoch did, or None."""
    plain = lambda b, nabla_b, m: b - eta / m * nabla_b
    l1 = lambda w, nabla_w, m: w - eta * lmbda / n * np.sign(w) - eta / m * nabla_w
    first_m = _l1_epoch_case(seed)[1][0][0].shape[1]
    slips = {"that is training without regularisation: each weight must also move ηλ/n towards 0 (your l1_step "
             "does it).": (plain, plain),
             "that is L2's weight decay, in proportion to w: use your l1_step from Exercise 2.":
             (lambda w, nabla_w, m: (1 - eta * lmbda / n) * w - eta / m * nabla_w, plain),
             "the biases are regularised too: in eq. (95) the sum runs over the weights only, so the biases take the "
             "plain gradient step.": (l1, l1),
             "the regularisation term divides by n, the size of the whole training set, not by the mini-batch's "
             "size m.": (lambda w, nabla_w, m: w - eta * lmbda / m * np.sign(w) - eta / m * nabla_w, plain),
             "backprop_batch returns the gradient summed over the mini-batch: the step averages it (divide by m), "
             "for the biases as for the weights.": (lambda w, nabla_w, m: w - eta * lmbda / n * np.sign(w) - eta * nabla_w,
                                                    lambda b, nabla_b, m: b - eta * nabla_b),
             "the last mini-batch is smaller than the others: take m from each mini-batch (X.shape[1]), not from the "
             "first.": (lambda w, nabla_w, m: l1(w, nabla_w, first_m), lambda b, nabla_b, m: plain(b, nabla_b, first_m))}
    for hint, (weight_step, bias_step) in slips.items():
        expected, batches = _l1_epoch_case(seed)
        _epoch(expected, batches, weight_step, bias_step)
        if _same_parameters(net, expected):
            return hint
    return None


def _same_parameters(net, other):
    return all(np.shape(a) == np.shape(b) and np.allclose(a, b)
               for a, b in zip(net.weights + net.biases, other.weights + other.biases))


@check("Right: every mini-batch's summed gradient from backprop_batch, averaged; the weights also move ηλ/n "
       "towards 0 (eq. 97), the biases take the plain step.")
def check_l1_sgd_epoch(l1_sgd_epoch):
    for seed, eta, lmbda in ((1, 0.5, 2.0), (2, 3.0, 0.5)):
        net, batches = _l1_epoch_case(seed)
        n = sum(X.shape[1] for X, _ in batches)
        before = [p.copy() for p in net.weights + net.biases]
        l1_sgd_epoch(net, batches, eta, lmbda, n)
        if all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, before)):
            raise Hint("the network's weights and biases did not change: assign the new lists to net.weights and "
                       "net.biases (or the new arrays to their entries).")
        expected, batches = _l1_epoch_case(seed)
        l1_regularised_epoch(expected, batches, eta, lmbda, n)
        if _same_parameters(net, expected):
            continue
        raise Hint(_l1_epoch_slip(seed, eta, lmbda, n, net) or
                   "for each mini-batch (X, Y) in turn: the gradient from net.backprop_batch(X, Y) at the current "
                   "weights, then one step with it; compare your steps with eq. (97) and the plain step for the "
                   "biases.")


ex1 = Exercise(
    "ex1", check=check_l2_step, grade_id="nb09_l2_step",
    hints=["The regularised cost adds (λ/2n) Σ w² to C₀ (eq. 87). Differentiate that term with respect to one weight.",
           "Its gradient is (λ/n) w; the step is w - η (∂C₀/∂w + (λ/n) w), with ∂C₀/∂w the mini-batch's average "
           "gradient nabla_w / m. Collect the terms in w."],
    why="w - η(λ/n) w - (η/m) Σ ∇C_x = (1 - ηλ/n) w - (η/m) Σ ∇C_x: the book's eq. (93), a decay by 1 - ηλ/n "
        "then the unregularised step.")

ex2 = Exercise(
    "ex2", check=check_l1_step, grade_id="nb09_l1_step",
    hints=["L1 adds (λ/n) Σ |w| to the cost. The derivative of |w| is +1 for w > 0 and -1 for w < 0.",
           "That derivative is sgn(w) (np.sign; 0 at w = 0): subtract η (λ/n) sgn(w) as well as the averaged "
           "gradient step."],
    why="The gradient of (λ/n) Σ |w| is (λ/n) sgn(w), so each step moves a weight a constant ηλ/n towards 0, "
        "where L2 moves it by an amount proportional to w.")

ex3 = Exercise(
    "ex3", check=check_epochs_trained, grade_id="nb09_epochs_trained",
    hints=["Walk through the accuracies in order, remembering the best so far and the epoch at which it came.",
           "Only a strictly larger accuracy is an improvement; once the current epoch minus the best epoch reaches "
           "n, return how many epochs have run (the current epoch's index plus one)."],
    why="Early stopping with 'no improvement in n epochs' ends the run at the first epoch n epochs after the "
        "last new best; the epochs trained are that epoch's index plus one.")

ex4 = Exercise(
    "ex4", check=check_l1_sgd_epoch, grade_id="nb09_l1_sgd_epoch",
    hints=["Loop over the mini-batches. For each, net.backprop_batch(X, Y) gives the gradients of all the layers, "
           "summed over the mini-batch's m examples; then every weight array takes your l1_step and every bias "
           "array the plain step.",
           "m is the number of columns of X. Build the new lists with zip(net.weights, nabla_w) and zip(net.biases, "
           "nabla_b), and assign them to net.weights and net.biases before the next mini-batch."],
    why="eq. (97) with the mini-batch average for ∂C₀/∂w: each step moves every weight ηλ/n towards 0 and takes the "
        "usual gradient step; the regularisation term (95) has no biases, so they take the plain step. The gradient "
        "is computed afresh for each mini-batch, at the weights the previous step left.")

ex5 = Written(
    "ex5",
    answer="A rotation by a large angle can turn an image of one digit into a picture of another, or of no digit at "
           "all, while the expanded data keeps the original label. The clearest case: a 6 turned by 180° is a 9, "
           "and a 9 turned by 180° a 6. With rotations of any size the expanded data holds upside-down 6s labelled "
           "6 that look exactly like 9s labelled 9 (and the other way round): the network is taught two opposite "
           "answers for the same picture, and the one feature that tells 6 from 9, which way up the loop is, "
           "becomes useless to it. Its accuracy on the real 6s and 9s, which are all upright, can only suffer.\n\n"
           "The other digits are damaged less visibly but in the same way: a 1 turned by 90° is a horizontal "
           "stroke and a 7 turned by 180° an L-like shape, images that no test set will ever show. The network "
           "spends its capacity (and, with L2, its weight budget) on learning to recognise them, capacity missing "
           "where the real variation is.\n\n"
           "The general rule: expand the data only with transformations that keep the label right and that imitate "
           "variation the real data has. Handwriting is slanted by a few degrees, 10° or 15°, so small rotations "
           "are good copies; large ones are neither.",
    hints=["Take a digit and turn it upside down in your mind. Is it still the digit of its label? Is there a digit "
           "for which the answer is a clear no?",
           "Think of 6 and 9. What would the expanded data then teach the network about images that look like a 9? "
           "And would the test images ever be rotated like that?"],
    why="a transformation used to expand the data must keep every label right and produce images like the real "
        "ones: large rotations do neither (6 ↔ 9, a sideways 1), small ones do both.")

ex6 = Written(
    "ex6",
    answer="No one has a complete answer to this research problem; a good answer shows the choices and argues "
           "for some of them. What it can contain:\n\n"
           "**What to fit.** Fit the error rate ε(n) = 1 - accuracy, not the accuracy, and plot it against log n: "
           "the measured points then lie on a smooth curve that falls more and more slowly. The candidates: a "
           "power law with a floor, ε(n) = ε∞ + a n^(-b) (three parameters: ε∞ is the asymptotic error, b the "
           "rate); the same without a floor (ε → 0: the algorithm would become perfect with enough data); an "
           "exponential approach ε∞ + a e^(-n/c); or a straight line in log n (which eventually predicts negative "
           "errors and has no limit at all). Over our sizes several of them fit about equally well, yet their "
           "limits differ: that is the book's objection, made concrete.\n\n"
           "**A reason to prefer one class.** The error of a trained model splits into an approximation part, what "
           "the best network of this size could reach with unlimited data (ε∞ > 0 for a fixed [784, 30, 10] "
           "network, and never below the error of the labels themselves), and an estimation part, which comes from "
           "fitting a finite sample. Statistical learning theory bounds the estimation part by a power of 1/n "
           "(n^(-1/2) in the worst case, up to n^(-1) when the problem is easier), and measured learning curves of "
           "many models follow a power law over a wide range of n. That argues for ε∞ + a n^(-b) with 0 < b ≤ 1, "
           "and against curves that fall exponentially or have no floor. It is a justification, not a proof: the "
           "bounds are upper bounds, and the power law holds only once n is past the small-data regime.\n\n"
           "**What the fit depends on.** The curve measures an algorithm only together with its hyper-parameters: "
           "here the number of steps and λ, chosen for each n as the book did; with the epochs fixed instead, "
           "the small sets would be trained for fewer steps and the curve would mix two effects. One seed per "
           "point adds noise that a three-parameter fit then treats as signal: average several seeds and weight "
           "each point by its spread. Test the extrapolation: fit without the largest size and see whether the "
           "fit predicts it.\n\n"
           "**Comparing algorithms.** With the same class of curve fitted to each algorithm's points (the book "
           "compares the network with an SVM), compare ε∞ and b, with the uncertainty of each; an algorithm "
           "better at 50,000 images may have the higher floor. Our measured curve, seven points of one seed each, "
           "cannot tell ε∞ apart from the rate: its last points lie close together, within what the training budget "
           "(4 epochs at 50,000 images) and the seed could change.",
    hints=["Try drawing two different curves through the measured points that both look right but flatten out at "
           "different heights. Which curve you choose decides the limit: what could justify one choice?",
           "Split the error into what the best network of this size could reach with unlimited data, and what "
           "comes from having only n examples. How does each part depend on n? Think also about what else the "
           "measured curve depends on: epochs, λ, seeds."],
    why="the limit of a learning curve is a property of the curve chosen to fit it; a principled choice comes from "
        "how the error falls with n (an approximation floor plus an estimation part shrinking like a power of "
        "1/n), and the fit depends on how the hyper-parameters change with n and on the noise of the points.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="c",
    wrong={"a": "the test accuracy changes with λ as much as the validation accuracy does; the problem is what "
                "choosing by it does to the measurement.",
           "b": "the size of the set is not the problem: choosing λ by it is."},
    hints=["After choosing λ by the test accuracy, what does the test accuracy still measure?",
           "Section 2 says what each data set is kept for."],
    why="a λ chosen by the test accuracy is fitted to the test images, so the test accuracy no longer tells how "
        "the network does on new data; λ is chosen on the validation data and the test data used once, at the end.")

q2 = Written(
    "q2",
    answer="A good answer says that the term (λ/2n) Σ w² of eq. (87) belongs to the cost of the whole training set "
           "of n images: its gradient, (λ/n) w, is known exactly and added once to each step, while the mini-batch "
           "average over m examples only estimates the gradient of C₀. The step (93) is w - ηλ/n · w - (η/m) Σ ∇C_x.",
    hints=["Differentiate eq. (87) with respect to one weight: which n appears?",
           "Which part of the gradient needs an estimate from the mini-batch, and which part does not?"],
    why="only the gradient of C₀ is averaged over the mini-batch; the regularisation term's gradient (λ/n) w "
        "does not depend on the examples.")

q3 = Choice(
    "q3", right="b",
    wrong={"a": "n, the training-set size, is in the decay factor 1 - ηλ/n of eq. (93).",
           "c": "n is in the denominator: more data makes each step's decay smaller, not larger.",
           "d": "an epoch is n/m steps: with twice the data, twice as many steps."},
    hints=["Eq. (93) shrinks each weight by the factor 1 - ηλ/n at every step. What does doubling n do to ηλ/n?",
           "How many steps are there in one epoch of n images in mini-batches of m?"],
    why="each step's decay ηλ/n halves, and an epoch has twice as many steps, so the decay per epoch, about "
        "ηλ/m in all, stays about the same. Per step it is weaker, which is why the book raises λ from 0.1 to 5.0 "
        "when it moves from 1,000 to 50,000 training images.")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "that is the other way round: L2's step is in proportion to the weight, L1's is the same for all.",
           "c": "the two steps differ: L2 scales each weight by 1 - ηλ/n, L1 subtracts ηλ/n · sgn(w).",
           "d": "L1's gradient, (λ/n) sgn(w), does not depend on the size of the weight."},
    hints=["Write the two steps: L2 multiplies w by (1 - ηλ/n); L1 subtracts ηλ/n · sgn(w).",
           "Compare the two amounts for w = 0.001 and for w = 10."],
    why="L2 shrinks a weight in proportion to its size: 10 a lot, 0.001 hardly at all. L1 moves both by the same "
        "amount ηλ/n: the small weight is driven to 0, the large one shrinks less than under L2.")

q5 = Choice(
    "q5", right="d",
    wrong={"a": "dropout leaves the cost as it is; it thins the network for each mini-batch.",
           "b": "dropout leaves out hidden neurons, not input pixels, and the images are the same.",
           "c": "the rescaling is of weights or activations, not of η: it is about the size of the next layer's input."},
    hints=["During training each hidden neuron is present with probability 1 - p. How many are present when the "
           "full network is used?",
           "What happens to the weighted input of the next layer when twice as many hidden neurons feed it?"],
    why="trained with half of the hidden neurons, the next layer expects the input of half of them; the full "
        "network would give it about twice as much. Halving the outgoing weights afterwards (the book) or "
        "scaling the kept activations by 1/(1-p) during training (nndl) keeps the two the same on average.")
