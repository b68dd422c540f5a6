"""nndl.network2: the book's chapter 3 session, run against the package's Network."""
import numpy as np
import pytest

from nndl import Network, mnist, network2


@pytest.fixture(scope="module")
def data():
    training, validation, test = mnist.load_data()
    return training[:1000], validation[:300], test[:300]


def test_the_books_session_returns_its_four_lists(data, capsys):
    training, _, test = data
    net = network2.Network([784, 30, 10], cost=network2.CrossEntropyCost)
    net.large_weight_initializer()
    evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = net.SGD(
        training, 3, 10, 0.5, evaluation_data=test, monitor_evaluation_accuracy=True)
    assert evaluation_cost == [] and training_cost == [] and training_accuracy == []
    assert len(evaluation_accuracy) == 3 and all(isinstance(c, int) for c in evaluation_accuracy)
    assert evaluation_accuracy[-1] == net.evaluate(test) and evaluation_accuracy[-1] > 100  # counts (chance: 30), as the book's
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Epoch 0 training complete", f"Accuracy on evaluation data: {evaluation_accuracy[0]} / 300"]


def test_network2_is_the_package_network_with_the_books_defaults(data):
    training, validation, _ = data
    net = network2.Network([784, 20, 10], seed=1)
    assert isinstance(net, Network) and net.cost is network2.CrossEntropyCost
    same = Network([784, 20, 10], cost="cross-entropy", seed=1)
    lists = net.SGD(training, 2, 10, 0.5, lmbda=2.0, evaluation_data=validation, monitor_evaluation_cost=True,
                    monitor_evaluation_accuracy=True, monitor_training_cost=True, monitor_training_accuracy=True)
    history = same.SGD(training, 2, 10, 0.5, validation, lmbda=2.0, quiet=True, monitor_cost=True,
                       monitor_evaluation_cost=True, monitor_training_accuracy=True)
    assert lists == (history.evaluation_cost, history.test_correct, history.training_cost, history.training_correct)
    assert all(len(values) == 2 for values in lists)


def test_early_stopping_n_passes_through(data):
    training, validation, _ = data
    net = network2.Network([784, 10, 10], seed=0)
    _, accuracy, _, _ = net.SGD(training, 50, 10, 1e-9, evaluation_data=validation,
                                monitor_evaluation_accuracy=True, early_stopping_n=2)
    assert len(accuracy) == 3  # epoch 0 is the best (η too small to change a prediction); 1 and 2 do not improve


def test_save_and_load(tmp_path):
    net = network2.Network([784, 10, 10], cost=network2.QuadraticCost, seed=0)
    net.save(tmp_path / "net.json")
    loaded = network2.load(tmp_path / "net.json")
    assert isinstance(loaded, network2.Network) and loaded.cost is network2.QuadraticCost
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, loaded.weights + loaded.biases))
