"""One neuron's learning slowdown (nndl.neuron): the costs and their δ against independent computations."""
import warnings

import numpy as np
import pytest

from nndl import neuron
from nndl.checks import numerical_gradient

Z = np.linspace(-6, 6, 25)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_costs_match_their_textbook_formulas(y):
    a = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(neuron.quadratic_cost(Z, y), (y - a) ** 2 / 2, rtol=1e-12)
    np.testing.assert_allclose(neuron.cross_entropy_cost(Z, y), -(y * np.log(a) + (1 - y) * np.log(1 - a)),
                               rtol=1e-10)


@pytest.mark.parametrize("name", list(neuron.COSTS))
@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_delta_is_the_derivative_of_the_cost_in_z(name, y):
    cost, delta = neuron.COSTS[name]
    for z in Z:
        expected = numerical_gradient(lambda v: float(cost(v[0], y)), np.array([z]))[0]
        assert delta(z, y) == pytest.approx(expected, abs=1e-8), (name, z, y)


def test_cross_entropy_of_a_saturated_neuron_is_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        costs = neuron.cross_entropy_cost(np.array([-1000.0, 1000.0]), 0.0)
    np.testing.assert_allclose(costs, [0.0, 1000.0])


def test_training_is_gradient_descent_step_by_step():
    run = neuron.train_neuron(2.0, 2.0, "quadratic", eta=0.15, epochs=3, x=1.5, y=0.2)
    w, b = 2.0, 2.0
    for epoch in range(3):
        z = w * 1.5 + b
        a = 1 / (1 + np.exp(-z))
        grad = (a - 0.2) * a * (1 - a)
        w, b = w - 0.15 * grad * 1.5, b - 0.15 * grad
        assert (run.weights[epoch + 1], run.biases[epoch + 1]) == pytest.approx((w, b), rel=1e-12)
    assert len(run.outputs) == len(run.costs) == 4


def test_the_books_slowdown_and_its_cure():
    quadratic = neuron.train_neuron(2.0, 2.0, "quadratic", eta=0.15, epochs=150)
    cross_entropy = neuron.train_neuron(2.0, 2.0, "cross-entropy", eta=0.15, epochs=150)
    assert quadratic.outputs[0] == pytest.approx(0.98, abs=0.005)
    assert quadratic.outputs[-1] > 0.9 > 0.1 > cross_entropy.outputs[-1]


@pytest.mark.parametrize("kwargs, message", [
    ({"cost": "cross entropy"}, "cost must be one of"),
    ({"eta": 0.0}, "eta must be a positive, finite number"),
    ({"eta": float("nan")}, "eta must be a positive, finite number"),
    ({"epochs": 2.5}, "epochs must be a whole number"),
    ({"epochs": -1}, "epochs must be a whole number"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        neuron.train_neuron(1.0, 1.0, **kwargs)
