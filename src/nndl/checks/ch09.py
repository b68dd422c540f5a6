"""Checks for notebook 09, overfitting and regularisation."""
import numpy as np

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
        raise Hint("start from the regularised cost C = C₀ + (λ/2n) Σ w² (eq. 85): its gradient is ∂C₀/∂w + (λ/n) w "
                   "(eq. 86); take a gradient step with it.")


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


ex1 = Exercise(
    "ex1", check=check_l2_step, grade_id="nb09_l2_step",
    hints=["The regularised cost adds (λ/2n) Σ w² to C₀ (eq. 85). Differentiate that term with respect to one weight.",
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
    answer="A good answer says that the term (λ/2n) Σ w² of eq. (85) belongs to the cost of the whole training set "
           "of n images: its gradient, (λ/n) w, is known exactly and added once to each step, while the mini-batch "
           "average over m examples only estimates the gradient of C₀. The step (93) is w - ηλ/n · w - (η/m) Σ ∇C_x.",
    hints=["Differentiate eq. (85) with respect to one weight: which n appears?",
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

q6 = Choice(
    "q6", right="c",
    wrong={"a": "a shift by two pixels still shows the same digit: it is still a correct example.",
           "b": "a small rotation keeps the digit: people write at a slant.",
           "d": "a slightly thicker stroke is still the same digit."},
    hints=["Which transformation would make one digit look like another?", "Think of 6 and 9."],
    why="turned upside down, a 6 reads as a 9 (and a 9 as a 6): the label would no longer be right, so such "
        "copies would teach the network wrong answers.")
