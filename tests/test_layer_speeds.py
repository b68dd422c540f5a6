"""Chapter 5's speed of learning ‖δ^l‖ per hidden layer (training.layer_speeds, SGD's track_layer_speeds)."""
import numpy as np
import pytest

from nndl import Network, mnist, training
from nndl.checks import numerical_gradient


def small_data(n, n_in, n_out, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), np.eye(n_out)[rng.integers(0, n_out, n)]


@pytest.mark.parametrize("cost", ["cross-entropy", None])
def test_layer_speeds_are_the_lengths_of_the_bias_gradients_by_finite_differences(cost):
    """‖∂C/∂b^l‖ with C the mean cost over the rows, each partial derivative by central differences."""
    net = Network([5, 4, 3, 4, 2], cost=cost, seed=3)
    X, Y = small_data(9, 5, 2)
    speeds = training.layer_speeds(net, X, Y)
    expected = []
    for l in range(len(net.sizes) - 2):  # the hidden layers
        def mean_cost(b, l=l):
            net.biases[l] = b.reshape(-1, 1)
            return training.total_cost(net, X, Y)
        expected.append(np.linalg.norm(numerical_gradient(mean_cost, net.biases[l].ravel().copy())))
    np.testing.assert_allclose(speeds, expected, rtol=1e-6)


def test_layer_speeds_match_the_books_loop_over_examples_in_chunks_of_10000_rows():
    """The book's generate_gradient: average backprop's nabla_b over the examples, one by one; 10,001 rows: 2 chunks."""
    net = Network([3, 4, 4, 2], cost="cross-entropy", seed=1)
    X, Y = small_data(10_001, 3, 2)
    by_loop = [np.zeros(n) for n in net.sizes[1:-1]]
    for x, y in zip(X, Y):
        nabla_b, _ = net.backprop(x.reshape(-1, 1), y.reshape(-1, 1))
        by_loop = [t + nb.ravel() for t, nb in zip(by_loop, nabla_b)]
    np.testing.assert_allclose(training.layer_speeds(net, X, Y),
                               [np.linalg.norm(t / len(X)) for t in by_loop], rtol=1e-9)


def test_sgd_records_the_speeds_before_training_and_after_each_epoch_only_when_asked():
    training_data = mnist.load_data()[0][:200]
    X, Y = training_data.as_rows()
    Y = np.eye(10)[Y] if Y.ndim == 1 else Y
    net = Network([784, 10, 10, 10], cost="cross-entropy", seed=0)
    start = training.layer_speeds(net, X, Y)
    history = net.SGD(training_data, 3, 200, 0.1, lmbda=5.0, quiet=True, track_layer_speeds=True)
    assert len(history.layer_speeds) == 4 and all(len(s) == 2 for s in history.layer_speeds)
    assert history.layer_speeds[0] == start
    assert history.layer_speeds[-1] == training.layer_speeds(net, X, Y)
    assert history.layer_speeds[1] != start  # the network changed in between
    assert Network([784, 10, 10], seed=0).SGD(training_data, 1, 10, 0.1, quiet=True).layer_speeds == []
