"""The checks of notebook 09 accept right answers, name typical mistakes, and never print the answer."""
import re

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import cli, learner
from nndl.checks import ch09
from nndl.widgets import draw_accuracy_runs


# ----- Exercise 1: the learner's own training loop, with the L2 step and early stopping ---------------------------

def loop(weight_step, bias_step, stalled):
    """A learner's ``train`` with the given step for each weight and bias array, stopping once ``stalled(correct,
    patience)``: written out here as a learner writes it, independently of the check's reference."""
    def train(net, training_data, epochs, mini_batch_size, eta, lmbda, validation_data, patience):
        X = np.hstack([x for x, _ in training_data])
        Y = np.hstack([y for _, y in training_data])
        n = X.shape[1]
        correct = []
        for epoch in range(epochs):
            order = net.rng.permutation(n)
            for k in range(0, n, mini_batch_size):
                batch = order[k:k + mini_batch_size]
                m = len(batch)
                nabla_b, nabla_w = net.backprop_batch(X[:, batch], Y[:, batch])
                net.weights = [weight_step(w, nw, eta, lmbda, n, m) for w, nw in zip(net.weights, nabla_w)]
                net.biases = [bias_step(b, nb, eta, lmbda, n, m) for b, nb in zip(net.biases, nabla_b)]
            correct.append(net.evaluate(validation_data))
            if stalled(correct, patience):
                break
        return correct
    return train


def l2_step(w, nabla_w, eta, lmbda, n, m):
    return (1 - eta * lmbda / n) * w - eta / m * nabla_w


def plain_step(b, nabla_b, eta, lmbda, n, m):
    return b - eta / m * nabla_b


def best_kept(correct, patience):
    """The right stop, with the best so far kept by hand: the last `patience` epochs brought no new best."""
    best_epoch = max(range(len(correct)), key=lambda epoch: (correct[epoch], -epoch))  # the first best
    return len(correct) - 1 - best_epoch >= patience


right = loop(l2_step, plain_step, best_kept)


def in_place(net, training_data, epochs, mini_batch_size, eta, lmbda, validation_data, patience):
    """Another right answer: the arrays changed in place, the stop written with np.argmax."""
    X = np.hstack([x for x, _ in training_data])
    Y = np.hstack([y for _, y in training_data])
    n = X.shape[1]
    correct = []
    for epoch in range(epochs):
        order = net.rng.permutation(n)
        for k in range(0, n, mini_batch_size):
            batch = order[k:k + mini_batch_size]
            nabla_b, nabla_w = net.backprop_batch(X[:, batch], Y[:, batch])
            for w, b, nw, nb in zip(net.weights, net.biases, nabla_w, nabla_b):
                w *= 1 - eta * lmbda / n
                w -= eta / len(batch) * nw
                b -= eta / len(batch) * nb
        correct.append(net.evaluate(validation_data))
        if epoch - np.argmax(correct) >= patience:
            break
    return correct


@pytest.mark.parametrize("answer", [right, in_place])
def test_train_accepts_the_right_answer(capsys, answer):
    assert_accepts(capsys, ch09.check_train, answer)


def test_the_checks_cases_stop_early_and_not():
    """The rule is the package's: its early stopping trains as many epochs as the reference, and the cases cover a run
    that stops and one that does not."""
    epochs = [len(ch09._package_run(seed, eta, lmbda, ch09.TRAIN_EPOCHS, patience)[1])
              for seed, eta, lmbda, patience in ch09.TRAIN_CASES]
    full = [ch09._package_run(seed, eta, lmbda, ch09.TRAIN_EPOCHS)[1] for seed, eta, lmbda, _ in ch09.TRAIN_CASES]
    assert epochs == [ch09.stop_epoch(counts, case[3]) for counts, case in zip(full, ch09.TRAIN_CASES)] == [8, 6, 20]


def one_more(correct, patience):
    """The off-by-one of issue 18: `> patience`, which waits one epoch too many."""
    return len(correct) - 1 - int(np.argmax(correct)) > patience


def one_less(correct, patience):
    """The opposite off-by-one: the epoch of the best counted as one without improvement."""
    return len(correct) - int(np.argmax(correct)) >= patience


def ties_improve(correct, patience):
    """A count equal to the best so far taken for an improvement: the last best, not the first."""
    return len(correct) - 1 - (len(correct) - 1 - int(np.argmax(correct[::-1]))) >= patience


def calls_the_package(net, training_data, epochs, mini_batch_size, eta, lmbda, validation_data, patience):
    return net.SGD(training_data, epochs, mini_batch_size, eta, validation_data, lmbda=lmbda,
                   early_stopping_n=patience, quiet=True).test_correct


@pytest.mark.parametrize("wrong, phrases", [
    (loop(lambda w, nw, eta, lmbda, n, m: w - eta / m * nw, plain_step, best_kept), ["without regularisation"]),
    (loop(lambda w, nw, eta, lmbda, n, m: l2_step(w, nw, eta, lmbda, m, m), plain_step, best_kept),
     ["not by the mini-batch's size m"]),
    (loop(lambda w, nw, eta, lmbda, n, m: (1 - lmbda / n) * w - eta / m * nw, plain_step, best_kept), ["missing η"]),
    (loop(lambda w, nw, eta, lmbda, n, m: (1 + eta * lmbda / n) * w - eta / m * nw, plain_step, best_kept),
     ["grows the weights"]),
    (loop(l2_step, l2_step, best_kept), ["biases decay too"]),
    (loop(lambda w, nw, eta, lmbda, n, m: l2_step(w, nw, eta, lmbda, n, 1),
          lambda b, nb, eta, lmbda, n, m: b - eta * nb, best_kept), ["divide by m"]),
    (loop(l2_step, plain_step, lambda correct, patience: False), ["never stopped early"]),
    (loop(l2_step, plain_step, one_more), ["waited one epoch too many"]),
    (loop(l2_step, plain_step, one_less), ["one epoch too soon"]),
    (loop(l2_step, plain_step, ties_improve), ["equal to the best"]),
    (loop(l2_step, plain_step, lambda correct, patience: len(correct) >= 2), ["stopped at the wrong epoch"]),
    (loop(lambda w, nw, eta, lmbda, n, m: 0.5 * w, plain_step, best_kept), ["eq. (88)"]),
    (calls_the_package, ["package function", "write it yourself"]),
    (lambda *args: None, ["return the list of validation counts"]),
])
def test_train_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_train, (wrong,), *phrases)


def test_each_off_by_one_gets_its_own_hint(capsys):
    """Issue 18: `> patience` was told to count the stopping epoch in, the hint for the opposite mistake."""
    too_many = assert_rejects(capsys, ch09.check_train, (loop(l2_step, plain_step, one_more),), "too many")
    too_soon = assert_rejects(capsys, ch09.check_train, (loop(l2_step, plain_step, one_less),), "too soon")
    assert "too soon" not in too_many and "too many" not in too_soon


# ----- Exercise 2: the L1 step ------------------------------------------------------------------------------------

def l1_step(w, nabla_w, eta, lmbda, n, m):
    return w - eta * lmbda / n * np.sign(w) - eta / m * nabla_w


def test_l1_step_accepts_the_right_answer(capsys):
    assert_accepts(capsys, ch09.check_l1_step, l1_step)


@pytest.mark.parametrize("wrong, phrases", [
    (l2_step, ["L2's weight decay", "derivative of |w|"]),
    (lambda w, g, eta, lmbda, n, m: w + eta * lmbda / n * np.sign(w) - eta / m * g, ["sign is flipped"]),
    (lambda w, g, eta, lmbda, n, m: w - lmbda / n * np.sign(w) - eta / m * g, ["multiplied by η"]),
    (lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.where(w >= 0, 1.0, -1.0) - eta / m * g, ["sgn(0) = 0"]),
    (lambda w, g, eta, lmbda, n, m: w - eta / m * g, ["without regularisation"]),
    (lambda w, g, eta, lmbda, n, m: w - eta * lmbda / m * np.sign(w) - eta / m * g, ["divides by n", "not by"]),
    (lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.sign(w) - eta * g, ["summed", "divide it by m"]),
    (lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.sign(w) - 2 * eta / m * g, ["nabla_w = 0"]),
])
def test_l1_step_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch09.check_l1_step, (wrong,), *phrases)


@pytest.mark.parametrize("wrong", [
    lambda w, g, eta, lmbda, n, m: w - eta * lmbda / m * np.sign(w) - eta / m * g,
    lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.sign(w) - eta * g,
    lambda w, g, eta, lmbda, n, m: w - eta * lmbda / n * np.sign(w) - 2 * eta / m * g,
])
def test_no_l1_hint_states_eq_96_or_blames_a_right_term(capsys, wrong):
    """Review: λ/m for λ/n, and a step missing /m, got the fallback, which stated eq. (96) itself."""
    out = assert_rejects(capsys, ch09.check_l1_step, (wrong,))
    assert "(λ/n) sgn(w)" not in out and "∂C₀/∂w +" not in out


def test_the_l1_search_trains_as_the_package_does_plus_a_constant_pull_towards_0():
    """Independent of the check: with λ = 0 the search's training is the package's SGD, epoch by epoch; with λ > 0 one
    epoch moves each weight a further ηλ/n · sgn(w) per mini-batch while its sign holds (eq. 97), and no bias."""
    net, training_data, validation_data = ch09.small_problem(4)
    package, _, _ = ch09.small_problem(4)
    correct = ch09.l1_regularised_sgd(net, training_data, 3, 5, 0.5, 0.0, validation_data)
    assert correct == package.SGD(training_data, 3, 5, 0.5, validation_data, quiet=True).test_correct
    for ours, theirs in zip(net.weights + net.biases, package.weights + package.biases):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    plain, l1 = ch09.small_problem(4)[0], ch09.small_problem(4)[0]
    one_batch = training_data[:5]
    ch09.l1_regularised_sgd(plain, one_batch, 1, 5, 0.5, 0.0, validation_data)
    ch09.l1_regularised_sgd(l1, one_batch, 1, 5, 0.5, 2.0, validation_data)
    start = ch09.small_problem(4)[0]
    for w, w_plain, w0 in zip(l1.weights, plain.weights, start.weights):
        np.testing.assert_allclose(w, w_plain - 0.5 * 2.0 / 5 * np.sign(w0), rtol=1e-12)
    for b, b_plain in zip(l1.biases, plain.biases):
        np.testing.assert_array_equal(b, b_plain)


@pytest.mark.parametrize("check", [ch09.check_train, ch09.check_l1_step])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


# ----- the figure of section 3 -------------------------------------------------------------------------------------

def test_every_faded_curve_is_named():
    """Issue 18: the grey comparison curves were unlabelled; the legend now names each, after the chosen run's two."""
    epochs = np.arange(5) / 10
    runs = {label: (0.5 + epochs, 0.4 + shift + epochs) for shift, label in enumerate(["λ = 0", "λ = 1", "dropout"])}
    legend = draw_accuracy_runs(runs, "λ = 1").axes[0].get_legend()
    assert [text.get_text() for text in legend.get_texts()] == \
        ["training accuracy", "test accuracy", "λ = 0: test accuracy", "dropout: test accuracy"]


# ----- the book's facts in the notebook's text ----------------------------------------------------------------------

def notebook_text():
    path = next(learner.NOTEBOOKS.glob("09_*.ipynb"))
    return " ".join(" ".join(cell.source.split()) for cell in nbformat.read(path, as_version=4).cells
                    if cell.cell_type == "markdown")


def test_the_command_for_the_97_92_run_is_the_books_run():
    """Issue 18: the command the notebook gives for the book's 97.92% run left out the book's large initial weights."""
    text = notebook_text()
    assert "97.92% on the validation data" in text
    command = re.search(r"`python -m nndl (train [^`]*)`", text).group(1).split()
    args = cli.build_parser().parse_args(command)
    assert (args.sizes, args.cost, args.init, args.lmbda, args.eta, args.epochs, args.mini_batch_size,
            args.evaluate_on) == ([784, 100, 10], "cross-entropy", "large", 5.0, 0.5, 30, 10, "validation")


def test_no_course_answer_is_imported_before_its_exercise():
    """Review: the setup cell imported l1_regularised_sgd, whose docstring (`??`) answers Exercise 2; it is now
    imported in the cell that uses it, after Exercise 2's graded test."""
    cells = nbformat.read(next(learner.NOTEBOOKS.glob("09_*.ipynb")), as_version=4).cells
    setup = next(c.source for c in cells if c.cell_type == "code")
    first_use = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "l1_regularised_sgd" in c.source)
    assert "l1_regularised_sgd" not in setup
    assert "from nndl.checks.ch09 import l1_regularised_sgd" in cells[first_use].source
    assert first_use > [learner.nbgrader_meta(c).get("grade_id") for c in cells].index("nb09_l1_step_test")


def test_prediction_3_is_not_answered_by_the_l2_table():
    """Review: p3 asked which L1 λ of 0, 0.1, 1 and 3 does best, which the L2 table just above (λ = 1 best of 0.1, 1, 5)
    and p3's first hint answered. It now asks about λ = 20, which no L2 run tried, and no hint points to the L2 runs."""
    text = notebook_text()
    asked = text.split("**Prediction 3.**")[1].split("**")[0]
    assert "λ = 20" in asked and "(0.0, 0.1, 1.0, 3.0, 20.0)" in " ".join(
        c.source for c in nbformat.read(next(learner.NOTEBOOKS.glob("09_*.ipynb")), as_version=4).cells)
    l2_values = re.search(r'runs \|= \{.*?\]\}', " ".join(
        c.source for c in nbformat.read(next(learner.NOTEBOOKS.glob("09_*.ipynb")), as_version=4).cells), re.S).group(0)
    assert '"lmbda": 20' not in l2_values
    assert not any("L2" in hint for hint in ch09.p3.hints)


def test_the_learning_curves_falling_last_point_is_said_to_fall():
    """Review: the text said the accuracy keeps rising, but the printed curve falls at the end (94.49% at 20,000 images,
    94.04% at 50,000, trained 4 epochs). The text and p4's right option now say what the curve does."""
    text = notebook_text()
    back = text.split("Back to Prediction 4")[1].split("**Exercise 4")[0]
    assert "the last point falls" in back and "4 times" in back and "ever more slowly: the tenfold" not in back
    right = text.split("**Prediction 4.**")[1].split("(d)")[1].split("**Exercise")[0]
    assert "still rises" not in right and "far less" in right


def test_the_books_unregularised_run_peaks_at_82_27_and_overfits_from_epoch_280():
    """Issue 18: 82.27% is the book's peak test accuracy ("tops out at"), not the accuracy after 400 epochs."""
    text = notebook_text()
    assert "tops out at 82.27%" in text and "around epoch 280" in text and "after 400 epochs" not in text
