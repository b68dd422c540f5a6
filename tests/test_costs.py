"""Chapter 3's costs and softmax, against independent computations."""
import warnings

import numpy as np
import pytest

from nndl.checks import numerical_gradient
from nndl.costs import COSTS, CrossEntropyCost, LogLikelihoodCost, QuadraticCost, check_cost
from nndl.functions import sigmoid, softmax


def test_softmax_is_the_formula_and_its_columns_sum_to_one():
    z = np.random.default_rng(0).standard_normal((4, 3))
    expected = np.exp(z) / np.exp(z).sum(axis=0)
    np.testing.assert_allclose(softmax(z), expected, rtol=1e-13)
    np.testing.assert_allclose(softmax(z.T, axis=1), expected.T, rtol=1e-13)
    np.testing.assert_allclose(softmax(z).sum(axis=0), 1.0, rtol=1e-14)


def test_softmax_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = softmax(np.array([[1000.0], [999.0], [-1000.0]]))
    np.testing.assert_allclose(a[:, 0], [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1)), 0.0], atol=1e-15)
    assert softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float32
    np.testing.assert_allclose(softmax(np.array([1, 1])), [0.5, 0.5])  # ints work too


def test_each_cost_is_its_formula():
    a = np.array([[0.2, 0.9], [0.7, 0.4]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert QuadraticCost.fn(a, y) == pytest.approx(0.5 * (0.04 + 0.09 + 0.01 + 0.16))
    cross_entropy = -(np.log(0.8) + np.log(0.7) + np.log(0.9) + np.log(0.6))
    assert CrossEntropyCost.fn(a, y) == pytest.approx(cross_entropy)
    assert LogLikelihoodCost.fn(a, y) == pytest.approx(-(np.log(0.7) + np.log(0.9)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_costs_at_saturated_outputs_are_finite_without_a_warning(dtype):
    a = np.array([[0.0, 1.0, 0.0, 1.0]], dtype=dtype)
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right = CrossEntropyCost.fn(a[:, :2], y[:, :2])
        wrong = CrossEntropyCost.fn(a, y)
        likelihood = LogLikelihoodCost.fn(a, y)
    assert right == 0.0
    assert np.isfinite(wrong) and wrong > 80  # two confidently wrong outputs: large, but a number
    assert np.isfinite(likelihood) and likelihood > 80


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost, LogLikelihoodCost])
def test_delta_is_the_derivative_of_the_cost_with_respect_to_z(cost):
    rng = np.random.default_rng(1)
    z = rng.standard_normal((5, 1))
    y = np.eye(5)[:, [2]]  # one-hot: the log-likelihood's δ = a - y needs Σ y = 1
    expected = numerical_gradient(lambda v: cost.fn(cost.output_activation(v), y), z.copy())
    a = cost.output_activation(z)
    np.testing.assert_allclose(cost.delta(z, a, y), expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(cost.output_delta(a.copy(), y), cost.delta(z, a, y), rtol=1e-12)


def test_only_the_log_likelihood_has_a_softmax_output_layer():
    assert QuadraticCost.output_activation is sigmoid and CrossEntropyCost.output_activation is sigmoid
    assert LogLikelihoodCost.output_activation is softmax


def test_a_cost_is_named_or_given_as_a_class():
    assert check_cost("cross-entropy") is CrossEntropyCost
    assert all(check_cost(cost) is cost for cost in COSTS.values())
    with pytest.raises(ValueError, match="unknown cost 'entropy': choose one of quadratic, cross-entropy"):
        check_cost("entropy")
    with pytest.raises(TypeError, match="cost=0 is not a cost: pass QuadraticCost"):
        check_cost(0)
