"""The checks of notebook 10 accept right answers, name typical mistakes, and never print the answer."""
import re

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network, learner
from nndl.training import Schedule
from nndl.checks import ch10


def scaled_weights(sizes, rng):  # the reference, as the notebook's solution cell has it
    return [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def test_scaled_weights_accepts_two_right_answers(capsys):
    assert_accepts(capsys, ch10.check_scaled_weights, scaled_weights)
    assert_accepts(capsys, ch10.check_scaled_weights,
                   lambda sizes, rng: [rng.normal(0, n_in ** -0.5, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])])


def test_the_packages_initialiser_is_refused_with_a_hint(capsys):
    """The graded test forbids Network.default_weight_initializer: the check refuses it too, and says why."""
    def from_the_package(sizes, rng):
        return Network(sizes, cost="cross-entropy", seed=int(rng.integers(2**31))).weights
    assert_rejects(capsys, ch10.check_scaled_weights, (from_the_package,), "package function", "yourself")
    assert_rejects(capsys, ch10.check_scaled_weights, (ch10.scaled_start,), "package function", "yourself")


def per_layer(scale):
    """A wrong answer that draws each layer's weights from N(0, scale(n_in, n_out, sizes)²)."""
    return lambda sizes, rng: [rng.standard_normal((n_out, n_in)) * scale(n_in, n_out, sizes)
                               for n_in, n_out in zip(sizes[:-1], sizes[1:])]


@pytest.mark.parametrize("wrong, phrases", [
    (per_layer(lambda n_in, n_out, sizes: 1.0), ["N(0, 1)"]),
    (per_layer(lambda n_in, n_out, sizes: 1 / n_in), ["variance", "standard deviation"]),
    (per_layer(lambda n_in, n_out, sizes: 1 / np.sqrt(sizes[0])), ["input layer", "its own number of inputs"]),
    (per_layer(lambda n_in, n_out, sizes: 1 / np.sqrt(n_out)), ["number of neurons"]),
    (per_layer(lambda n_in, n_out, sizes: 0.5 / np.sqrt(n_in)), ["standard deviation 0.0"]),
    (lambda sizes, rng: [rng.standard_normal((n_in, n_out)) / np.sqrt(n_in) for n_in, n_out in zip(sizes, sizes[1:])],
     ["one row per neuron"]),
    (lambda sizes, rng: [np.random.default_rng().standard_normal((n_out, n_in)) / np.sqrt(n_in)
                         for n_in, n_out in zip(sizes, sizes[1:])], ["same seed", "rng"]),
    (lambda sizes, rng: [np.random.default_rng(0).standard_normal((n_out, n_in)) / np.sqrt(n_in)
                         for n_in, n_out in zip(sizes, sizes[1:])], ["two different generators"]),
    (lambda sizes, rng: [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) + 0.5 for n_in, n_out in zip(sizes, sizes[1:])],
     ["mean 0"]),
    (lambda sizes, rng: [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in zip(sizes, sizes[1:] + [1])],
     ["input layer", "returned 3"]),
    (lambda sizes, rng: rng.standard_normal((sizes[1], sizes[0])) / np.sqrt(sizes[0]), ["list of weight matrices"]),
])
def test_scaled_weights_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch10.check_scaled_weights, (wrong,), *phrases)


def test_the_notebook_trains_from_the_learners_weights_once_they_pass(capsys):
    """yours_or_the_courses: the learner's initialiser once ex2.check accepts it, the course's (said so) before."""
    assert ch10.yours_or_the_courses(scaled_weights) is scaled_weights
    assert capsys.readouterr().out == ""
    assert ch10.yours_or_the_courses(stub) is ch10.scaled_start
    assert "does not pass ex2.check yet" in capsys.readouterr().out
    net = Network([784, 30, 10], cost="cross-entropy", seed=0, dtype=np.float32)
    net.weights = ch10.scaled_start(net.sizes, net.rng)  # float64 weights in a float32 network, as the notebook does
    history = net.SGD([(np.ones((784, 1)) * 0.1, np.eye(10)[:, [3]])] * 20, 1, 10, 0.1, quiet=True)
    assert history.epochs == 1 and all(w.dtype == np.float32 for w in net.weights)


@pytest.mark.parametrize("sizes", [[784, 30, 10], [100, 50, 40, 5]])
def test_the_courses_scaled_start_has_the_spread_of_the_packages_initialiser(sizes):
    """ch10.scaled_start, which stands in for the learner's answer, against Network.default_weight_initializer."""
    ours = ch10.scaled_start(sizes, np.random.default_rng(0))
    package = Network(sizes, cost="cross-entropy", seed=0).weights
    assert [w.shape for w in ours] == [w.shape for w in package]
    for w, p in zip(ours, package):
        assert w.std() == pytest.approx(p.std(), rel=0.15)
        assert w.std() == pytest.approx(1 / np.sqrt(w.shape[1]), rel=0.15)


def test_std_of_z_accepts_the_right_answer_which_matches_sampling(capsys):
    def std_of_z(n_in, n_active, scaled):
        return np.sqrt(n_active * (1 / n_in if scaled else 1.0) + 1)
    assert_accepts(capsys, ch10.check_std_of_z, std_of_z)
    rng = np.random.default_rng(0)  # the formula against a sample of 20,000 neurons
    z = rng.normal(0, 1 / np.sqrt(1000), (20_000, 500)).sum(axis=1) + rng.normal(size=20_000)
    assert z.std() == pytest.approx(std_of_z(1000, 500, True), rel=0.02)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda n_in, n_active, scaled: n_active * (1 / n_in if scaled else 1.0) + 1, ["variance of z"]),
    (lambda n_in, n_active, scaled: np.sqrt(n_active * (1 / n_in if scaled else 1.0)), ["bias"]),
    (lambda n_in, n_active, scaled: np.sqrt(n_in * (1 / n_in if scaled else 1.0) + 1), ["variances"]),
])
def test_std_of_z_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch10.check_std_of_z, (wrong,), *phrases)


def test_a_sum_of_standard_deviations_is_not_called_the_variance(capsys):
    """Review: n_active·s + 1 (standard deviations added, p1's option (d)) was told 'that is the variance of z', since
    both slips give 501 in the book's example, the first case tried. Each slip now gets its own hint."""
    added_stds = assert_rejects(capsys, ch10.check_std_of_z,
                                (lambda n_in, n_active, scaled: n_active * (n_in ** -0.5 if scaled else 1.0) + 1,),
                                "variances add, not standard deviations")
    variance = assert_rejects(capsys, ch10.check_std_of_z,
                              (lambda n_in, n_active, scaled: n_active * (1 / n_in if scaled else 1.0) + 1,),
                              "that is the variance of z")
    assert "variance of z" not in added_stds and "not standard deviations" not in variance


@pytest.mark.parametrize("check", [ch10.check_scaled_weights, ch10.check_std_of_z])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


def no_improvement_in(n):  # the reference, as the notebook's solution cell has it
    def callback(epoch, history):
        correct = history.test_correct
        return len(correct) - 1 - int(np.argmax(correct)) < n
    return callback


def test_no_improvement_in_accepts_the_reference_and_a_loop(capsys):
    def with_a_loop(n):
        def callback(epoch, history):
            best, best_epoch = -1, 0
            for i, correct in enumerate(history.test_correct):
                if correct > best:
                    best, best_epoch = correct, i
            return epoch - best_epoch < n
        return callback
    assert_accepts(capsys, ch10.check_no_improvement_in, no_improvement_in)
    assert_accepts(capsys, ch10.check_no_improvement_in, with_a_loop)


def test_the_courses_callback_stops_where_the_packages_early_stopping_does():
    """ch10.early_stopping, which the notebook's experiments use, against SGD(early_stopping_n=n) in real runs."""
    rng = np.random.default_rng(3)
    data = [(rng.random((4, 1)), np.eye(2)[:, [i % 2]]) for i in range(40)]
    test = [(x, int(np.argmax(y))) for x, y in data[:20]]
    for n in (1, 2, 3):
        histories = [Network([4, 3, 2], cost="cross-entropy", seed=1).SGD(data, 40, 4, 3.0, test, quiet=True, **options)
                     for options in ({"early_stopping_n": n}, {"callback": ch10.early_stopping(n)})]
        assert histories[0].test_correct == histories[1].test_correct and histories[0].epochs < 40


def returns_none(n):
    return lambda epoch, history: None


def inverted(n):
    return lambda epoch, history: len(history.test_correct) - 1 - int(np.argmax(history.test_correct)) >= n


def ties_improve(n):  # epochs since the *last* epoch with the best accuracy
    return lambda epoch, history: int(np.argmax(history.test_correct[::-1])) < n


def one_epoch_late(n):
    return lambda epoch, history: len(history.test_correct) - 1 - int(np.argmax(history.test_correct)) <= n


def against_the_epoch_before(n):
    def callback(epoch, history):
        correct = history.test_correct
        worse = 0
        for before, now in zip(correct, correct[1:]):
            worse = worse + 1 if now <= before else 0
        return worse < n
    return callback


@pytest.mark.parametrize("wrong, phrases", [
    (returns_none, ["None", "return False"]),
    (inverted, ["first epoch", "return True"]),
    (ties_improve, ["equal", "improvement"]),
    (one_epoch_late, ["one epoch too long"]),
    (against_the_epoch_before, ["best of all epochs so far"]),
])
def test_no_improvement_in_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch10.check_no_improvement_in, (wrong,), *phrases)


def next_eta(accuracies, eta, eta0, n):  # the reference, as the notebook's solution cell has it
    if len(accuracies) - 1 - int(np.argmax(accuracies)) < n:
        return eta
    return eta / 2 if eta / 2 >= eta0 / 128 else None


def test_next_eta_accepts_the_reference(capsys):
    assert_accepts(capsys, ch10.check_next_eta, next_eta)


def test_scheduled_eta_is_the_packages_schedule_restarted_at_each_change():
    """On the accuracies at one η, ch10.scheduled_eta halves and stops where the package's Schedule does."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        accuracies, n, halvings = list(rng.integers(0, 4, rng.integers(1, 8))), int(rng.integers(1, 4)), int(rng.integers(8))
        eta0 = 0.5
        schedule = Schedule(eta0 / 2 ** halvings, 0, n)
        schedule.smallest_eta = eta0 / 128
        for i in range(len(accuracies)):
            schedule.after_epoch(accuracies[:i + 1])
            if schedule.eta != eta0 / 2 ** halvings or schedule.stopped:
                break
        if i == len(accuracies) - 1:  # the package changed η at the last epoch, or not at all
            expected = None if schedule.stopped else schedule.eta
            assert ch10.scheduled_eta(accuracies, eta0 / 2 ** halvings, eta0, n) == expected


@pytest.mark.parametrize("wrong, phrases", [
    (lambda accuracies, eta, eta0, n: next_eta(accuracies, eta, eta0, n) if next_eta(accuracies, eta, eta0, n) != eta
     else None, ["unchanged"]),
    (lambda accuracies, eta, eta0, n: None if next_eta(accuracies, eta, eta0, n) is None or eta / 2 <= eta0 / 128
     else next_eta(accuracies, eta, eta0, n), ["last learning rate used"]),
    (lambda accuracies, eta, eta0, n: eta / 2 if next_eta(accuracies, eta, eta0, n) is None
     else next_eta(accuracies, eta, eta0, n), ["return None"]),
    (lambda accuracies, eta, eta0, n: eta if next_eta(accuracies, eta, eta0, n) == eta else eta / 10, ["halves"]),
    (lambda accuracies, eta, eta0, n: next_eta(accuracies[::-1], eta, eta0, n), ["halve"]),
    (lambda accuracies, eta, eta0, n: accuracies.pop() and next_eta(accuracies + [0], eta, eta0, n),
     ["changed the list"]),
])
def test_next_eta_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch10.check_next_eta, (wrong,), *phrases)


def notebook():
    return nbformat.read(next(learner.NOTEBOOKS.glob("10_*.ipynb")), as_version=4)


def test_the_schedule_stops_by_one_rule_in_the_text_the_check_and_the_package():
    """Review: the text said training ends once η has fallen to η0/128, the spec that η0/128 is the last rate used,
    and the check refused the first reading. One rule now, the package's: η0/128 is the last rate used."""
    schedule = Schedule(0.5, 0, 1)
    etas = []
    while not schedule.stopped:  # the accuracy never improves: η is halved after every epoch
        etas.append(schedule.eta)
        schedule.after_epoch([90] + [80] * len(etas))
    assert min(etas) == 0.5 / 128
    assert ch10.scheduled_eta([93, 92], 0.5 / 64, 0.5, 1) == 0.5 / 128
    assert ch10.scheduled_eta([93, 92], 0.5 / 128, 0.5, 1) is None
    text = " ".join(" ".join(c.source.split()) for c in notebook().cells if c.cell_type == "markdown")
    assert "η₀/128 is itself the last rate used" in text and "halve_eta_n" in text and "fallen to 1/128" not in text
    assert "(so η₀/128 is the last rate used)" in text
    graded = next(c.source for c in notebook().cells
                  if learner.nbgrader_meta(c).get("grade_id") == "nb10_next_eta_test")
    assert "rate([93, 92], 0.5 / 64, 0.5, 1) == 0.5 / 128" in graded
    assert "rate([93, 92], 0.5 / 128, 0.5, 1) is None" in graded


def test_the_books_reading_of_the_stop_is_told_which_rule_this_notebook_follows(capsys):
    def books_reading(accuracies, eta, eta0, n):  # stop as soon as η would reach η0/128
        if len(accuracies) - 1 - int(np.argmax(accuracies)) < n:
            return eta
        return eta / 2 if eta / 2 > eta0 / 128 else None
    assert_rejects(capsys, ch10.check_next_eta, (books_reading,), "halve_eta_n", "last learning rate used")


def test_unsolved_callbacks_are_not_done_yet(capsys):
    def learner_copy(n):  # the learner's copy: the region inside the inner function is replaced
        def callback(epoch, history):
            raise NotImplementedError()
        return callback
    for unsolved in (stub, learner_copy):
        assert printed(capsys, ch10.check_no_improvement_in, unsolved).startswith("… Not done yet")
    assert printed(capsys, ch10.check_next_eta, stub).startswith("… Not done yet")


def test_prediction_1_is_what_sampling_gives():
    """p1's right option, a standard deviation between 10 and 50, against 10,000 sampled neurons."""
    rng = np.random.default_rng(0)
    z = rng.standard_normal((10_000, 500)).sum(axis=1) + rng.standard_normal(10_000)
    assert 10 < z.std() < 50 and z.std() == pytest.approx(np.sqrt(501), rel=0.02)


def test_the_setup_cell_imports_no_answer_before_its_exercise():
    """Review: the setup cell imported early_stopping and scheduled_eta, whose source (`??`) answers Exercises 4 and 6.
    Each is now imported in the first cell that uses it, after the exercise's graded test."""
    cells = notebook().cells
    setup = next(c.source for c in cells if c.cell_type == "code")
    grade_ids = [learner.nbgrader_meta(c).get("grade_id") for c in cells]
    for name, test_cell in (("yours_or_the_courses", "nb10_scaled_weights_test"),
                            ("early_stopping", "nb10_no_improvement_in_test"), ("scheduled_eta", "nb10_next_eta_test")):
        assert name not in setup
        first_use = next(i for i, c in enumerate(cells)
                         if c.cell_type == "code" and re.search(rf"(?<!\.)\b{name}\b", c.source))  # not ch10.name
        assert f"from nndl.checks.ch10 import {name}" in cells[first_use].source
        assert first_use > grade_ids.index(test_cell), name


def test_q1_is_not_notebook_08s_question():
    """Review: Q1 asked notebook 08's Q3 again (cross-entropy and hidden neurons); it now asks about this notebook."""
    def questions(number):
        path = next(learner.NOTEBOOKS.glob(f"{number}_*.ipynb"))
        return [c.source.split("\n\n")[0] for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "markdown" and c.source.startswith("**Q")]
    ours = questions("10")
    assert not any("cross-entropy" in q for q in ours)
    assert ours[0].startswith("**Q1.** A network starts from N(0, 1) weights and trains with L2 regularisation")
    assert not set(ours) & set(questions("08"))


def test_the_written_exercises_show_the_notebooks_model_answer_and_rubric(capsys):
    """ex3, ex5 and ex7 are graded by hand: solution() shows the reference cell's model answer and rubric."""
    for exercise, points in ((ch10.ex3, 4), (ch10.ex5, 3), (ch10.ex7, 4)):
        assert exercise.answer is None
        exercise.solution()
        out = capsys.readouterr().out
        assert "**Model answer.**" in out and f"**Rubric ({points} points).**" in out
