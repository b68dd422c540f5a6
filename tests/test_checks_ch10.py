"""The checks of notebook 10 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network
from nndl.training import Schedule
from nndl.checks import ch10


def test_scaled_weights_accepts_two_right_answers(capsys):
    assert_accepts(capsys, ch10.check_scaled_weights, lambda rng, n_in, n_out: rng.normal(0, n_in ** -0.5, (n_out, n_in)))
    assert_accepts(capsys, ch10.check_scaled_weights,
                   lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) / np.sqrt(n_in))


def test_the_packages_initialiser_passes_the_same_check(capsys):
    """nndl's default_weight_initializer draws what the exercise asks for (its first layer's weights)."""
    def from_the_package(rng, n_in, n_out):
        net = Network([n_in, n_out], seed=int(rng.integers(2**31)), cost="cross-entropy")
        net.default_weight_initializer()
        return net.weights[0]
    assert_accepts(capsys, ch10.check_scaled_weights, from_the_package)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)), ["N(0, 1)"]),
    (lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) / n_in, ["variance", "square root"]),
    (lambda rng, n_in, n_out: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in), ["one row per neuron"]),
    (lambda rng, n_in, n_out: np.random.default_rng().standard_normal((n_out, n_in)) / np.sqrt(n_in), ["rng"]),
    (lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) + 0.5, ["mean 0"]),
    (lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) / np.sqrt(n_out), ["standard deviation should be"]),
])
def test_scaled_weights_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch10.check_scaled_weights, (wrong,), *phrases)


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


def test_unsolved_callbacks_are_not_done_yet(capsys):
    def learner_copy(n):  # the learner's copy: the region inside the inner function is replaced
        def callback(epoch, history):
            raise NotImplementedError()
        return callback
    for unsolved in (stub, learner_copy):
        assert printed(capsys, ch10.check_no_improvement_in, unsolved).startswith("… Not done yet")
    assert printed(capsys, ch10.check_next_eta, stub).startswith("… Not done yet")
