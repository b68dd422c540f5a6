"""The checks of notebook 10 accept right answers, name typical mistakes, and never print the answer."""
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network
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
