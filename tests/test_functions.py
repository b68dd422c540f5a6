"""Activation functions and cost against independent computations."""
import math

import numpy as np
import pytest

from nndl.checks import numerical_gradient
from nndl.functions import quadratic_cost, quadratic_cost_derivative, sigmoid, sigmoid_prime, step


def test_sigmoid_matches_the_textbook_formula():
    z = np.linspace(-30, 30, 121)
    expected = [1 / (1 + math.exp(-v)) for v in z]
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-12, atol=1e-15)


def test_sigmoid_limits_without_overflow_warnings():
    # RuntimeWarning is an error in this test suite, so an overflow would fail here.
    assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
    assert sigmoid(0) == 0.5
    assert sigmoid(np.float32(3)).dtype == np.float32
    assert sigmoid(np.array([1, 2])).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_agrees_with_scipys_expit_used_for_training(dtype):
    # nndl.folded trains with scipy.special.expit: it must be the same function, extremes included.  They agree
    # to the dtype's precision relative to 1; far out on the left expit is the more accurate (sigmoid(-40) is
    # 4e-18, which ½(1 + tanh(z/2)) rounds to 0).
    from scipy.special import expit

    z = np.concatenate([np.linspace(-40, 40, 801), [-1000, -88.8, 88.8, 1000]]).astype(dtype)
    assert expit(z).dtype == dtype
    np.testing.assert_allclose(expit(z), sigmoid(z), rtol=1e-6 if dtype == np.float32 else 1e-13,
                               atol=np.finfo(dtype).eps)


def test_sigmoid_prime_is_the_derivative():
    z = np.linspace(-6, 6, 25)
    numeric = [numerical_gradient(lambda v: float(sigmoid(v[0])), np.array([t]))[0] for t in z]
    np.testing.assert_allclose(sigmoid_prime(z), numeric, rtol=1e-7, atol=1e-10)


def test_step():
    assert step(np.array([-1.0, 0.0, 1e-9, 5.0])).tolist() == [0.0, 0.0, 1.0, 1.0]


def test_quadratic_cost_by_hand():
    # two examples: ||y - a||² = 0.25 + 0.0 and 0.01 + 0.04; C = (0.25 + 0.05) / (2 * 2)
    a = np.array([[0.5, 0.9], [1.0, 0.2]])
    y = np.array([[1.0, 1.0], [1.0, 0.0]])
    assert quadratic_cost(a, y) == pytest.approx(0.075)
    np.testing.assert_allclose(quadratic_cost_derivative(a, y), a - y)
