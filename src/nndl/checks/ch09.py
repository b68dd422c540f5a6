"""Checks for notebook 09, overfitting and regularisation.

Exercise 1's check trains the learner's ``train`` and the package's
``Network.SGD(lmbda=..., early_stopping_n=...)`` from the same small network,
``small_problem(seed)``, and asks for the same numbers; ``l1_regularised_sgd``
is the L1 training the notebook's search for λ runs with, so that it runs
before Exercise 2 is solved (the notebook imports it only after Exercise 2).
"""
import numpy as np

from .. import Network
from ..folded import FoldedNetwork
from . import Exercise, Hint, check, without
from .questions import Choice, Written

TRAINING_STEPS = (Network.SGD, Network.update_mini_batch, Network.update_mini_batch_per_example,
                  FoldedNetwork.descend)
"""The package's own training: Exercise 1's ``train`` must do its steps itself (the graded test refuses these too)."""


def small_problem(seed):
    """A [5, 4, 3] cross-entropy network, 25 training pairs (x, one-hot y) and 15 validation pairs (x, label).

    The labels are noisy, so that the validation accuracy soon stalls and early
    stopping has something to do, and 25 examples in mini-batches of 5 train
    20 epochs in a blink.  The same ``seed`` gives the same network and data.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 5, 1))
    labels = np.argmax(X[:, :3, 0] + 0.8 * rng.normal(size=(40, 3)), axis=1)
    training_data = [(x, np.eye(3)[:, [k]]) for x, k in zip(X[:25], labels[:25])]
    validation_data = [(x, int(k)) for x, k in zip(X[25:], labels[25:])]
    return Network([5, 4, 3], cost="cross-entropy", seed=seed), training_data, validation_data


def _sgd(net, training_data, epochs, mini_batch_size, validation_data, weight_step, bias_step, stops=None):
    """SGD as the package does it, with the steps ``weight_step(w, nabla_w, m, n)`` and ``bias_step(b, nabla_b, m, n)``.

    Each epoch shuffles with ``net.rng`` and takes the mini-batches in that
    order; after it the validation count is recorded, and the run ends when
    ``stops(counts)`` says so.  Returns the counts.  The typical slips of
    Exercise 1's step run on it, and so does the L1 training of the λ search.
    """
    X = np.hstack([x for x, _ in training_data])
    Y = np.hstack([y for _, y in training_data])
    n = X.shape[1]
    correct = []
    for _ in range(epochs):
        order = net.rng.permutation(n)
        for k in range(0, n, mini_batch_size):
            batch = order[k:k + mini_batch_size]
            nabla_b, nabla_w = net.backprop_batch(X[:, batch], Y[:, batch])
            net.weights = [weight_step(w, nw, len(batch), n) for w, nw in zip(net.weights, nabla_w)]
            net.biases = [bias_step(b, nb, len(batch), n) for b, nb in zip(net.biases, nabla_b)]
        correct.append(net.evaluate(validation_data))
        if stops is not None and stops(correct):
            break
    return correct


def l1_regularised_sgd(net, training_data, epochs, mini_batch_size, eta, lmbda, validation_data):
    """SGD with L1 regularisation (eq. 97): the validation count after each epoch; notebook 09's λ search.

    Each weight moves ηλ/n towards 0 (not at all if it is exactly 0), n the
    size of the training set, then takes the mini-batch's averaged gradient
    step; the biases take the gradient step only.  Shuffled as
    ``Network.SGD`` shuffles, so that the same seed gives the same mini-batches.
    """
    return _sgd(net, training_data, epochs, mini_batch_size, validation_data,
                lambda w, nabla_w, m, n: w - eta * lmbda / n * np.sign(w) - eta / m * nabla_w,
                lambda b, nabla_b, m, n: b - eta / m * nabla_b)


def stop_epoch(correct, patience, ties_improve=False):
    """How many epochs early stopping trains, given the validation count of every epoch of a run without it.

    It stops once ``patience`` epochs in a row have brought no new best.
    ``ties_improve=True`` is the typical slip of counting an equal count as
    an improvement.
    """
    best_epoch = 0
    for epoch, count in enumerate(correct):
        if count > correct[best_epoch] or (ties_improve and count == correct[best_epoch]):
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            return epoch + 1
    return len(correct)


# (seed, η, λ, patience) of Exercise 1's check: early stopping after 8 and 6 of the 20 epochs, and not at all.
TRAIN_CASES = ((6, 1.0, 2.0, 3), (27, 1.0, 2.0, 2), (13, 0.5, 5.0, 25))
TRAIN_EPOCHS, TRAIN_MINI_BATCH = 20, 5


def _package_run(seed, eta, lmbda, epochs, patience=0):
    """The package's ``Network.SGD`` on ``small_problem(seed)``: the trained network and its validation counts."""
    net, training_data, validation_data = small_problem(seed)
    history = net.SGD(training_data, epochs, TRAIN_MINI_BATCH, eta, validation_data, lmbda=lmbda,
                      early_stopping_n=patience, quiet=True)
    return net, history.test_correct


def _same_parameters(net, other):
    return all(np.shape(a) == np.shape(b) and np.allclose(a, b)
               for a, b in zip(net.weights + net.biases, other.weights + other.biases))


@check("Right: your loop gives the numbers of Network.SGD(lmbda=..., early_stopping_n=...) with the same seed: "
       "the weights decay by 1 - ηλ/n before each gradient step, the biases do not, and the run stops after "
       "`patience` epochs without a new best.")
def check_train(train):
    for seed, eta, lmbda, patience in TRAIN_CASES:
        net, training_data, validation_data = small_problem(seed)
        with without(*TRAINING_STEPS):
            got = train(net, training_data, TRAIN_EPOCHS, TRAIN_MINI_BATCH, eta, lmbda, validation_data, patience)
        try:
            got = [int(count) for count in got]
        except (TypeError, ValueError):
            raise Hint(f"return the list of validation counts, one per epoch trained; got {got!r}.") from None
        package, expected = _package_run(seed, eta, lmbda, TRAIN_EPOCHS, patience)
        if got == expected and _same_parameters(net, package):
            continue
        if not got:
            raise Hint("your run trained no epoch: record the validation count after every epoch, the first included.")
        raise Hint(_stop_slip(seed, eta, lmbda, patience, got, net)
                   or _step_slip(seed, eta, lmbda, patience, net)
                   or "after each mini-batch every weight array takes a step with the gradient of eq. (88), "
                      "∂C₀/∂w being the mini-batch's average, and every bias array the step with eq. (89); "
                      "compare your two lines with that.")


def _stop_slip(seed, eta, lmbda, patience, got, net):
    """The hint if the learner's steps are right and only the stop is wrong, else None.

    Each typical slip is the right rule with another patience, or with ties taken for improvements: the run without
    early stopping says at which epoch each of them would have stopped.
    """
    package, trained_alike = _package_run(seed, eta, lmbda, len(got))
    if got != trained_alike or not _same_parameters(net, package):
        return None
    full = _package_run(seed, eta, lmbda, TRAIN_EPOCHS)[1]
    counts = f"with patience {patience} and the validation counts {', '.join(map(str, got))}"
    if len(got) == TRAIN_EPOCHS:
        return (f"{counts}, your run never stopped early: after recording each epoch's count, stop once "
                f"`patience` epochs in a row have brought no new best.")
    if len(got) == stop_epoch(full, patience + 1):
        return (f"{counts}, your run waited one epoch too many: stop as soon as the best count is {patience} epochs "
                f"old, that is after the {patience}-th epoch in a row without a new best, not after one more.")
    if len(got) == stop_epoch(full, patience - 1):
        return (f"{counts}, your run stopped one epoch too soon: the epoch that brought the best count is not one of "
                f"the {patience} epochs without improvement; count the epochs after it.")
    if len(got) == stop_epoch(full, patience, ties_improve=True):
        return (f"{counts}, your run went on too long. Does a count equal to the best so far count as an "
                f"improvement? It should not: only a new best resets the wait.")
    return (f"{counts}, your run stopped at the wrong epoch: keep the best count so far and the epoch it came in; "
            f"stop once the current epoch is `patience` epochs past it.")


def _step_slip(seed, eta, lmbda, patience, net):
    """The hint for a typical mistake in the step that leaves ``net`` as the learner's loop did, or None."""
    plain = lambda b, nabla_b, m, n: b - eta / m * nabla_b
    decayed = lambda w, nabla_w, m, n: (1 - eta * lmbda / n) * w - eta / m * nabla_w
    slips = {
        "that is training without regularisation: where does λ come in? Eq. (88) adds a second term to the "
        "weights' gradient.": (lambda w, nabla_w, m, n: w - eta / m * nabla_w, plain),
        "the weight decay divides by n, the size of the whole training set, not by the mini-batch's size m: the "
        "term (λ/2n) Σ w² belongs to the cost of all n examples.":
        (lambda w, nabla_w, m, n: (1 - eta * lmbda / m) * w - eta / m * nabla_w, plain),
        "the weight decay is missing η: the regularisation term's gradient (λ/n) w is multiplied by η like every "
        "gradient.": (lambda w, nabla_w, m, n: (1 - lmbda / n) * w - eta / m * nabla_w, plain),
        "the decay grows the weights: the term's gradient (λ/n) w is subtracted, times η, so the weights shrink.":
        (lambda w, nabla_w, m, n: (1 + eta * lmbda / n) * w - eta / m * nabla_w, plain),
        "the biases decay too: eq. (89) leaves the biases' gradient as it was, so they take the plain step.":
        (decayed, decayed),
        "backprop_batch returns the gradients summed over the mini-batch: the step uses their average (divide by "
        "m), for the biases as for the weights.":
        (lambda w, nabla_w, m, n: (1 - eta * lmbda / n) * w - eta * nabla_w,
         lambda b, nabla_b, m, n: b - eta * nabla_b),
    }
    for hint, (weight_step, bias_step) in slips.items():
        expected, training_data, validation_data = small_problem(seed)
        _sgd(expected, training_data, TRAIN_EPOCHS, TRAIN_MINI_BATCH, validation_data, weight_step, bias_step,
             lambda correct: len(correct) - 1 - int(np.argmax(correct)) >= patience)
        if _same_parameters(net, expected):
            return hint
    return None


# ----- Exercise 2: the L1 step, checked on arrays of weights -----------------------------------------------------

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
        if np.allclose(got, w - descent):
            raise Hint("that is the step without regularisation: where does λ come in? The L1 term of eq. (95) adds a "
                       "second part to the weights' gradient.")
        if np.allclose(got, w + eta * lmbda / n * np.sign(w) - descent):
            raise Hint("the sign is flipped: L1 pulls each weight towards 0, so a positive weight must decrease.")
        if np.allclose(got, w - lmbda / n * np.sign(w) - descent):
            raise Hint("the L1 term's gradient is multiplied by η like every gradient.")
        if np.allclose(got, w - eta * lmbda / m * np.sign(w) - descent):
            raise Hint("the L1 term divides by n, the size of the whole training set, not by the mini-batch's size m: "
                       "the term (λ/n) Σ |w| of eq. (95) belongs to the cost of all n examples.")
        if np.allclose(got, w - eta * lmbda / n * np.sign(w) - eta * nabla_w):
            raise Hint("nabla_w is the gradient of C₀ summed over the mini-batch: the step uses its average, so "
                       "divide it by m.")
        if 0.0 in w and np.allclose(np.delete(got, np.flatnonzero(w == 0)),
                                    np.delete(w - eta * lmbda / n * np.sign(w) - descent, np.flatnonzero(w == 0))):
            raise Hint("|w| has no derivative at w = 0: take sgn(0) = 0 there, as the book does (np.sign does).")
        raise Hint("your new weights differ from one step of gradient descent on the cost (95). Write the step as "
                   "w minus η times the gradient, with two parts: the mini-batch's average for ∂C₀/∂w, and the "
                   "derivative of the L1 term for one weight; then try your function with nabla_w = 0 to check the "
                   "second part alone.")


ex1 = Exercise(
    "ex1", check=check_train, grade_id="nb09_train",
    hints=["The weights: differentiate the regularisation term (λ/2n) Σ w² of eq. (87) with respect to one weight, "
           "add it to the average of nabla_w over the mini-batch, and take a step of size η against the sum; collect "
           "the terms in w. The biases: eq. (89) says their gradient has no new term. The stop: after each epoch, "
           "how many epochs ago was the best count so far?",
           "The weights' step is w - η ∂C/∂w, with ∂C/∂w from eq. (88) and nw / m standing for ∂C₀/∂w: write it for "
           "every layer with zip(net.weights, nabla_w), and the biases' plain step with zip(net.biases, nabla_b). "
           "For the stop, np.argmax(correct) is the epoch of the first best count: how far back from the current "
           "epoch is it?"],
    why="the gradient of C = C₀ + (λ/2n) Σ w² is ∂C₀/∂w + (λ/n) w (eq. 88), so a step is w - η(λ/n) w - (η/m) Σ ∇C_x "
        "= (1 - ηλ/n) w - (η/m) Σ ∇C_x: the book's eq. (93), a decay then the unregularised step; the biases' "
        "gradient is unchanged (eq. 89), so their step is the plain one (eq. 94). Early stopping ends the run once "
        "the best count is `patience` epochs old: a count equal to the best is no improvement.")

ex2 = Exercise(
    "ex2", check=check_l1_step, grade_id="nb09_l1_step",
    hints=["L1 adds (λ/n) Σ |w| to the cost. The derivative of |w| is +1 for w > 0 and -1 for w < 0.",
           "That derivative is sgn(w) (np.sign; 0 at w = 0): subtract η (λ/n) sgn(w) as well as the averaged "
           "gradient step."],
    why="The gradient of (λ/n) Σ |w| is (λ/n) sgn(w) (eq. 96), so each step moves a weight a constant ηλ/n towards "
        "0 (eq. 97), where L2 moves it by an amount proportional to w.")

ex3 = Written(
    "ex3", grade_id="nb09_rotations_written",
    hints=["Take a digit and turn it upside down in your mind. Is it still the digit of its label? Is there a digit "
           "for which the answer is a clear no?",
           "Think of 6 and 9. What would the expanded data then teach the network about images that look like a 9? "
           "And would the test images ever be rotated like that?"],
    why="a transformation used to expand the data must keep every label right and produce images like the real "
        "ones: large rotations do neither (6 ↔ 9, a sideways 1), small ones do both.")

ex4 = Written(
    "ex4", grade_id="nb09_learning_curve_written",
    hints=["Try drawing two different curves through the measured points that both look right but flatten out at "
           "different heights. Which curve you choose decides the limit: what could justify one choice?",
           "Split the error into what the best network of this size could reach with unlimited data, and what "
           "comes from having only n examples. How does each part depend on n? Think also about what else the "
           "measured curve depends on: epochs, λ, seeds."],
    why="the limit of a learning curve is a property of the curve chosen to fit it; a principled choice comes from "
        "how the error falls with n (an approximation floor plus an estimation part shrinking like a power of "
        "1/n), and the fit depends on how the hyper-parameters change with n and on the noise of the points.")


# ----- the predictions, asked before the experiment that shows the outcome ----------------------------------------

p1 = Choice(
    "p1", right="b",
    wrong={"a": "the test accuracy gains much less in the second half than in the first; compare the two gains "
                "printed last, and look at the curve.",
           "c": "the network does not forget what it learnt: the test accuracy stays near where it was, far above "
                "chance (10%).",
           "d": "the training accuracy is already 100%; the test accuracy stays far below it: that gap is the lesson."},
    hints=["The training cost falls because the network fits its 1,000 images ever more closely. Does fitting those "
           "images more closely help with images it has never seen?",
           "Once every training image is classified right, what is left to learn from them?"],
    why="the training cost keeps falling, but what the network learns in those epochs are details of its 1,000 "
        "images that do not carry over to new ones: the test accuracy hardly moves. It neither keeps its early pace "
        "(a), nor collapses (c), nor catches up with the training accuracy (d): it levels off, and the gap stays.")

p2 = Choice(
    "p2", right="a",
    wrong={"b": "does a small pull towards 0 stop a network with 23,860 parameters from fitting 1,000 images? Look at "
                "the training curve, not only the test curve.",
           "c": "the weight decay changes what the network learns, not only how fast: the test accuracy ends higher.",
           "d": "the gap narrows: the test accuracy ends higher while the training accuracy still reaches 100%."},
    hints=["Eq. (93) shrinks every weight a little at each step. Which is easier for a network with small weights: "
           "fitting each of its 1,000 images exactly, or a smoother rule that also fits new images?",
           "1,000 images and 23,860 parameters: can the network still classify every training image right with "
           "smaller weights?"],
    why="with λ = 1 the training accuracy still reaches 100%, but the test accuracy ends several points higher: "
        "the gap narrows from below (a). The training accuracy does not fall to meet the test accuracy (b), "
        "regularisation changes what is learnt, not just its pace (c), and the gap does not widen (d).")

p3 = Choice(
    "p3", right="d",
    wrong={"a": "a pull of ηλ/n per step, the same for every weight, is not a cure that gets better the stronger it "
                "is: compare it with the size of the weights.",
           "b": "the pull of λ = 20 is not merely strong: per epoch it is about as large as a typical weight, so the "
                "data cannot hold the weights up.",
           "c": "at λ = 20 the pull per epoch is about the size of a typical weight: far more than a little is lost."},
    hints=["With n = 1,000 images, η = 0.5 and mini-batches of 10, how far does λ = 20 move a weight towards 0 in "
           "one epoch of n/m steps? Compare that with the size of an N(0, 1) weight.",
           "ηλ/n = 0.01 per step and 100 steps an epoch: up to 1 per epoch, for every weight, whatever its size. What "
           "is left of the weights after an epoch or two, and what can a network with (almost) no weights do?"],
    why="λ = 20 moves every weight up to ηλ/n · n/m = 1 towards 0 per epoch, about the size of an N(0, 1) weight: "
        "the weights are pulled to 0 faster than the gradient of C₀ can build them up, and the network ends near "
        "chance (d). It is not the best (a), nor between λ = 0 and the best (b), nor a little below λ = 0 (c): a "
        "λ far too large destroys what the data teaches, and only the validation data shows where 'too large' "
        "begins.")

p4 = Choice(
    "p4", right="d",
    wrong={"a": "the gain shrinks: the tenfold from 5,000 to 50,000 images adds far less than the one before.",
           "b": "the 5,000-image network is not the best of the curve: more data still gains something, if little.",
           "c": "the gain shrinks, it does not grow: the first images teach the most."},
    hints=["Think of what the network learns from its first few hundred images, and what is left to learn from "
           "the next 45,000.",
           "A learning curve plotted against log n is usually concave: each tenfold of data buys less."],
    why="the tenfold from 5,000 to 50,000 images gains far less than the tenfold from 500 to 5,000 (d): each tenfold "
        "buys less (not as much, a), the larger sets still gain a little (not nothing, b), and the gain shrinks "
        "rather than grows (c). Here the last point even falls below the one at 20,000 images: the 50,000-image "
        "network trained only 4 epochs.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="c",
    wrong={"a": "the test accuracy changes with λ as much as the validation accuracy does; the problem is what "
                "choosing by it does to the measurement.",
           "b": "both sets hold 10,000 images, so neither is noisier; the problem is choosing λ by the test set at "
                "all."},
    hints=["After choosing λ by the test accuracy, what does the test accuracy still measure?",
           "Section 2 says what each data set is kept for."],
    why="a λ chosen by the test accuracy is fitted to the test images, so the test accuracy no longer tells how "
        "the network does on new data (c); λ is chosen on the validation data and the test data used once, at the "
        "end. The test accuracy does depend on λ (a), and the two sets are the same size (b).")

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
        "ηλ/m in all, stays about the same (b). Per step it is weaker, which is why the book raises λ from 0.1 to "
        "5.0 when it moves from 1,000 to 50,000 training images. The decay does depend on n (a), falls rather than "
        "grows with it (c), and is made up for per epoch by the extra steps (d).")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "that is the other way round: L2's step is in proportion to the weight, L1's is the same for all.",
           "c": "only L2 shrinks by a fraction of the weight; L1 subtracts ηλ/n · sgn(w), the same for every size.",
           "d": "L1's gradient, (λ/n) sgn(w), does not depend on the size of the weight."},
    hints=["Write the two steps: L2 multiplies w by (1 - ηλ/n); L1 subtracts ηλ/n · sgn(w).",
           "Compare the two amounts for w = 0.001 and for w = 10."],
    why="L2 shrinks a weight in proportion to its size: 10 a lot, 0.001 hardly at all. L1 moves both by the same "
        "amount ηλ/n: the small weight is driven to 0, the large one shrinks less than under L2 (a). (b) swaps the "
        "two; (c) and (d) give L1 a pull that grows with the weight, which it does not have.")

q5 = Choice(
    "q5", right="d",
    wrong={"a": "dropout leaves the cost as it is; it thins the network for each mini-batch.",
           "b": "dropout leaves out hidden neurons, not input pixels, and the images are the same.",
           "c": "the rescaling is of weights or activations, not of η: it is about the size of the next layer's "
                "input."},
    hints=["During training each hidden neuron is present with probability 1 - p. How many are present when the "
           "full network is used?",
           "What happens to the weighted input of the next layer when twice as many hidden neurons feed it?"],
    why="trained with half of the hidden neurons, the next layer expects the input of half of them; the full "
        "network would give it about twice as much (d). Halving the outgoing weights afterwards (the book) or "
        "scaling the kept activations by 1/(1-p) during training (nndl) keeps the two the same on average. The "
        "cost is unchanged (a), the input pixels are all kept (b), and η is not what is rescaled (c).")
