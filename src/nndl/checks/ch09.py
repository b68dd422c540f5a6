"""Checks for notebook 09, overfitting and regularisation."""
import numpy as np

from . import Exercise, Hint, check


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
