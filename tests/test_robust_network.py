"""Issue 22, the network and costs part: each defect reproduced, then the clear error or the right number."""
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from nndl import network2
from nndl.costs import CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from nndl.network import Network, TrainingWarning


def random_data(n=200, n_in=20, n_out=3, seed=0):
    """n examples: inputs in [0, 1], int labels from 0 to n_out - 1."""
    rng = np.random.default_rng(seed)
    return [(rng.random((n_in, 1)), int(label)) for label in rng.integers(0, n_out, n)]


def binary_data(n, seed):
    """Points of the unit square, labelled 1 above the diagonal (x0 > x1) and 0 below: a binary classification."""
    rng = np.random.default_rng(seed)
    return [(x, int(x[0, 0] > x[1, 0])) for x in rng.random((n, 2, 1))]


# ----- item 2: one output neuron ----------------------------------------------------------------------------------
def test_one_output_neuron_answers_1_above_one_half():
    net = Network([4, 5, 1], seed=0)
    net.biases[-1][:] = 100.0  # the output neuron says 1 (a ≈ 1) for every input
    xs = [np.full((4, 1), k / 10) for k in range(10)]
    assert net.evaluate([(x, 1) for x in xs]) == 10
    assert net.evaluate([(x, np.ones((1, 1))) for x in xs]) == 10
    assert net.evaluate([(x, 0) for x in xs]) == 0  # was 10: the index of the only neuron is always 0
    assert net.evaluate([(x, np.zeros((1, 1))) for x in xs]) == 0
    net.biases[-1][:] = -100.0
    assert net.evaluate([(x, 0) for x in xs]) == 10 and net.evaluate([(x, 1) for x in xs]) == 0
    np.testing.assert_array_equal(net.predict(np.hstack(xs)), np.zeros(10))


def test_one_output_network_learns_a_binary_classification():
    training, test = binary_data(300, seed=1), binary_data(100, seed=2)
    net = network2.Network([2, 8, 1], seed=0)
    evaluation_cost, evaluation_accuracy, _, training_accuracy = net.SGD(
        training, 30, 10, 2.0, evaluation_data=test, monitor_evaluation_cost=True,
        monitor_evaluation_accuracy=True, monitor_training_accuracy=True, quiet=True)
    assert evaluation_accuracy[-1] == net.evaluate(test) >= 90  # of 100; always answering one class: about 50
    assert training_accuracy[-1] >= 270 and all(np.isfinite(evaluation_cost))
    as_columns = [(x, np.full((1, 1), float(label))) for x, label in test]
    assert net.evaluate(as_columns) == net.evaluate(test)


@pytest.mark.parametrize("cost", [LogLikelihoodCost, "log-likelihood"])
def test_log_likelihood_with_one_output_neuron_is_refused(cost):
    with pytest.raises(ValueError, match="softmax output layer, which needs at least 2 output neurons .* "
                                         "use CrossEntropyCost"):
        Network([4, 5, 1], cost=cost)
    with pytest.raises(ValueError, match="needs at least 2 output neurons"):
        network2.Network([4, 1], cost=cost)


# ----- items 3 and 11: huge learning rates --------------------------------------------------------------------------
def test_huge_learning_rate_without_l2_gives_finite_costs_not_nan():
    data = random_data()
    columns = [(x, np.eye(3)[:, [label]]) for x, label in data]
    net = Network([20, 10, 3], seed=0, dtype=np.float32)
    with pytest.warns(TrainingWarning, match="eta=1e\\+30 is far too large"):  # no RuntimeWarning: the suite errs
        history = net.SGD(columns, 2, 10, 1e30, quiet=True, monitor_cost=True)  # weights ~1e28: w² overflows
    assert all(np.isfinite(history.training_cost))  # was NaN: 0 · ∞ in the L2 term with λ = 0
    net = network2.Network([20, 10, 3], seed=0)
    with pytest.warns(TrainingWarning, match="eta=1e\\+300 is far too large"):
        costs = net.SGD(columns, 2, 10, 1e300, evaluation_data=data, monitor_evaluation_cost=True,
                        monitor_training_cost=True, quiet=True)
    assert all(np.isfinite(costs[0] + costs[2]))


@pytest.mark.parametrize("step", ["update_mini_batch", "update_mini_batch_per_example"])
def test_weights_that_overflow_in_one_step_are_reported_as_divergence(step):
    rng = np.random.default_rng(0)
    batch = [(1000 * rng.random((3, 1)), int(rng.integers(2))) for _ in range(5)]
    net = Network([3, 4, 2], seed=0)
    net.weights[0][:] = 0  # hidden neurons that do not saturate, so that the step overflows
    with pytest.raises(FloatingPointError, match=r"infinite or NaN in this step: training diverged\. "
                                                 r"Try a smaller learning rate than eta=1e\+308"):
        getattr(net, step)(batch, 1e308)  # was silent (or a RuntimeWarning), the weights left infinite


@pytest.mark.parametrize("cost", [CrossEntropyCost, LogLikelihoodCost])
@pytest.mark.parametrize("eta", [1e3, 1e30])
def test_huge_learning_rate_with_cross_entropy_or_log_likelihood_warns(cost, eta):
    net = Network([20, 10, 3], cost=cost, seed=0)
    with pytest.warns(TrainingWarning, match=rf"every neuron of the last hidden layer is saturated .* "
                                             rf"{re.escape(f'eta={eta:g}')} is far too large; try eta=3 or smaller"):
        net.SGD(random_data(), 2, 10, eta, quiet=True)


@pytest.mark.parametrize("cost", [CrossEntropyCost, LogLikelihoodCost])
def test_ordinary_training_with_cross_entropy_or_log_likelihood_does_not_warn(cost):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        Network([20, 10, 3], cost=cost, seed=0).SGD(random_data(), 30, 10, 0.5, quiet=True)


# ----- item 17: a saturation that a smaller eta would not cure ------------------------------------------------------
def test_a_network_that_starts_saturated_is_told_its_weights_are_too_large_not_its_eta():
    net = Network([20, 3000, 3], seed=0)  # N(0, 1) weights: the outputs' z have a standard deviation of ~30
    with pytest.warns(TrainingWarning) as record:
        net.SGD(random_data(), 1, 10, 3.0, quiet=True)
    message = str(record[0].message)
    assert "were saturated before training already" in message and "with 3000 inputs each" in message
    assert "default_weight_initializer()) or fewer than 3000 neurons" in message
    assert "a smaller eta alone will not help" in message
    assert "try eta" not in message  # was "eta=3 is far too large; try eta=3.0 or smaller"


def test_the_saturation_warning_never_suggests_the_same_eta():
    net = Network([20, 300, 3], cost=QuadraticCost, seed=0)  # N(0, 1/n_in) weights: not saturated at the start
    with pytest.warns(TrainingWarning, match=r"every output neuron is saturated .* "
                                             r"eta=3 is far too large; try eta=0\.3 or smaller"):
        net.SGD(random_data(), 2, 10, 3.0, quiet=True)


# ----- item 10: the costs -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost, LogLikelihoodCost])
def test_costs_take_a_column_with_a_flat_or_int_desired_output(cost):
    a = np.array([[0.2], [0.8]])
    column = np.array([[0.0], [1.0]])
    expected = cost.fn(a, column)
    assert cost.fn(a, np.array([0.0, 1.0])) == pytest.approx(expected)  # was the (2, 2) broadcast: about twice
    assert cost.fn(a, 1) == pytest.approx(expected)  # an int label, as Network takes it
    z = np.log(a / (1 - a))
    for y in (np.array([0.0, 1.0]), 1):
        np.testing.assert_allclose(cost.delta(z, a, y), cost.delta(z, a, column))  # was shape (2, 2)


def test_the_costs_formulas_on_a_column_against_hand_computed_numbers():
    a = np.array([[0.2], [0.8]])
    assert QuadraticCost.fn(a, 1) == pytest.approx(0.5 * (0.2 ** 2 + 0.2 ** 2))  # 0.04; a label 1 gave 0.34
    assert CrossEntropyCost.fn(a, 1) == pytest.approx(-2 * np.log(0.8))
    assert LogLikelihoodCost.fn(a, 1) == pytest.approx(-np.log(0.8))


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost, LogLikelihoodCost])
@pytest.mark.parametrize("a,y,message", [
    (np.array([[1.5], [0.5]]), np.array([[1.0], [0.0]]), r"a holds numbers outside \[0, 1\] \(from 0.5 to 1.5\)"),
    (np.array([[-2.0], [0.5]]), np.array([[1.0], [0.0]]), r"a holds numbers outside \[0, 1\].*pass activations"),
    (np.array([[np.nan], [0.5]]), np.array([[1.0], [0.0]]), r"a holds numbers outside \[0, 1\]"),
    (np.array([[0.5], [0.5]]), np.array([[2.0], [0.0]]), r"y holds numbers outside \[0, 1\]"),
    (np.full((2, 3), 0.5), np.array([0.0, 1.0]), r"y has shape \(2,\), but a has shape \(2, 3\)"),
    (np.full((2, 1), 0.5), np.zeros((3, 1)), r"y has shape \(3, 1\), but a has shape \(2, 1\)"),
    (np.full((2, 1), 0.5), 2, r"y has label 2, outside 0..1"),
])
def test_costs_refuse_mismatched_shapes_and_numbers_outside_0_1(cost, a, y, message):
    with pytest.raises(ValueError, match=message):
        cost.fn(a, y)
    with pytest.raises(ValueError, match=message):
        cost.delta(np.zeros(a.shape), a, y)


def test_delta_refuses_z_of_another_shape():
    with pytest.raises(ValueError, match=r"z has shape \(2,\), but a has shape \(2, 1\)"):
        QuadraticCost.delta(np.zeros(2), np.full((2, 1), 0.5), 1)


def test_desired_outputs_outside_0_1_are_refused_before_training():
    data = [(x, np.eye(3)[:, [label]]) for x, label in random_data(10)]
    data[7] = (data[7][0], np.array([[2.0], [0.0], [0.0]]))
    net = Network([20, 10, 3], seed=0)
    before = net.weights[0].copy()
    with pytest.raises(ValueError, match=r"training_data\[7\] has a desired output y outside \[0, 1\]"):
        net.SGD(data, 1, 5, 3.0, quiet=True, monitor_cost=True)
    np.testing.assert_array_equal(net.weights[0], before)


# ----- item 20: more arguments that were accepted in silence --------------------------------------------------------
def test_an_empty_mini_batch_is_refused_on_the_per_example_path_too():
    net = Network([4, 5, 3], seed=0)
    for step in (net.update_mini_batch, net.update_mini_batch_per_example):
        with pytest.raises(ValueError, match="mini_batch is empty: it needs at least one"):  # was ZeroDivisionError
            step([], 1.0)


def test_flat_biases_are_refused_by_feedforward_and_backprop():
    net = Network([2, 3], seed=0)
    net.biases = [np.zeros(3)]  # flat, not a column: w a + b would broadcast to (3, 3)
    with pytest.raises(ValueError, match=r"net.biases has shapes \[\(3,\)\], but a \[2, 3\] network needs "
                                         r"\[\(3, 1\)\]"):
        net.feedforward(np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"net.biases has shapes \[\(3,\)\]"):
        net.backprop(np.ones((2, 1)), 0)


def test_dropout_without_a_hidden_layer_is_refused():
    net = Network([4, 3], seed=0)
    before = net.weights[0].copy()
    with pytest.raises(ValueError, match=r"dropout=0.5 drops hidden neurons, but a \[4, 3\] network has no "
                                         r"hidden layer"):
        net.SGD(random_data(10, n_in=4), 1, 5, 1.0, dropout=0.5, quiet=True)
    np.testing.assert_array_equal(net.weights[0], before)


def test_dropout_without_a_hidden_layer_is_refused_on_the_command_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nndl", "train", "--sizes", "784", "10", "--dropout", "0.5",
                             "--epochs", "1"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "no hidden layer" in result.stderr


@pytest.mark.parametrize("option", ["monitor_evaluation_accuracy", "monitor_evaluation_cost"])
def test_network2_monitoring_evaluation_data_that_were_not_given_is_refused(option):
    net = network2.Network([20, 10, 3], seed=0)
    with pytest.raises(ValueError, match=rf"{option}=True needs evaluation data: pass evaluation_data"):
        net.SGD(random_data(10), 1, 5, 0.5, quiet=True, **{option: True})  # accuracy: was [] in silence


# ----- issue item 15 (its network half): a cost given as an instance ----------------------------------------------
def test_a_cost_instance_is_its_class_and_an_unknown_cost_is_not_saved(tmp_path):
    net = Network([4, 5, 3], cost=CrossEntropyCost(), seed=0)
    assert net.cost is CrossEntropyCost
    net.save(tmp_path / "net.npz")  # was a bare StopIteration
    assert Network.load(tmp_path / "net.npz").cost is CrossEntropyCost

    class MyCost(CrossEntropyCost):
        pass

    with pytest.raises(ValueError, match="cannot save a network whose cost is .*MyCost.*load\\(\\) knows only "
                                         "quadratic, cross-entropy, log-likelihood"):
        Network([4, 5, 3], cost=MyCost).save(tmp_path / "mine.npz")
    assert not (tmp_path / "mine.npz").exists()
