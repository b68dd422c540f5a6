"""nndl.network2 keeps the book's names working: accuracy and total_cost with ``convert``, the JSON save and load.

The book's own code is not used here: its file format is written and read by
the few lines below that do what its ``save`` and ``load`` do, and its
``accuracy`` and ``total_cost`` are computed by a plain loop over the examples.
"""
import json
import re

import numpy as np
import pytest

from nndl import Network, mnist, network2
from nndl.network2 import CrossEntropyCost, LogLikelihoodCost, QuadraticCost

LMBDA = 0.1  # the book's λ for 1,000 training images


@pytest.fixture(scope="module")
def data():
    training, validation, _ = mnist.load_data()
    return training[:1000], validation[:300]


def book_style_save(filename, sizes, weights, biases, cost_name):
    """What the book's ``Network.save`` does: ``json.dump`` of a dict of nested lists."""
    with open(filename, "w") as f:
        json.dump({"sizes": sizes, "weights": [w.tolist() for w in weights],
                   "biases": [b.tolist() for b in biases], "cost": cost_name}, f)


def book_style_load(filename):
    """What the book's ``load`` does with the file: ``json.load``, then ``np.array`` of each nested list."""
    with open(filename) as f:
        saved = json.load(f)
    return saved, [np.array(w) for w in saved["weights"]], [np.array(b) for b in saved["biases"]]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def output(weights, biases, x):
    """The sigmoid network's output for one input column, layer by layer."""
    a = np.asarray(x, dtype=np.float64)
    for w, b in zip(weights, biases):
        a = sigmoid(w @ a + b)
    return a


def one_hot(j):
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def random_parameters(sizes, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((y, x)) / np.sqrt(x) for x, y in zip(sizes, sizes[1:])]
    return weights, [rng.standard_normal((y, 1)) for y in sizes[1:]]


def test_the_books_chapter3_session(data, tmp_path, capsys):
    training_data, validation_data = data
    net = network2.Network([784, 30, 10], cost=network2.CrossEntropyCost)
    net.large_weight_initializer()
    evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = net.SGD(
        training_data, 3, 10, 0.5, lmbda=LMBDA, evaluation_data=validation_data, monitor_evaluation_cost=True,
        monitor_evaluation_accuracy=True, monitor_training_cost=True, monitor_training_accuracy=True)
    assert f"Cost on training data: {training_cost[0]}" in capsys.readouterr().out.splitlines()
    assert net.accuracy(validation_data) == evaluation_accuracy[-1] > 100  # of 300; chance: 30
    assert net.accuracy(training_data, convert=True) == training_accuracy[-1]
    assert net.total_cost(training_data, LMBDA) == pytest.approx(training_cost[-1], rel=1e-12)
    assert net.total_cost(validation_data, LMBDA, convert=True) == pytest.approx(evaluation_cost[-1], rel=1e-12)
    filename = str(tmp_path / "net.json")
    net.save(filename)
    net = network2.load(filename)
    assert net.accuracy(validation_data) == evaluation_accuracy[-1]
    assert net.total_cost(training_data, LMBDA) == pytest.approx(training_cost[-1], rel=1e-12)


COST_OF_ONE = {  # the book's fn(a, y) of each cost, for one example
    QuadraticCost: lambda a, y: 0.5 * np.sum((a - y) ** 2),
    CrossEntropyCost: lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)),
}


@pytest.mark.parametrize("as_list", [False, True], ids=["load_data's lists", "plain lists"])
@pytest.mark.parametrize("cost", COST_OF_ONE)
def test_accuracy_and_total_cost_match_a_loop_over_the_examples(data, cost, as_list):
    net = network2.Network([784, 30, 10], cost=cost, seed=3)
    net.SGD(data[0], 1, 10, 0.5, quiet=True)  # trained a little, so that the counts are not those of chance
    penalty = 0.5 * LMBDA * sum(np.sum(w ** 2) for w in net.weights)
    for dataset, labelled in zip(data, (False, True)):
        dataset = list(dataset) if as_list else dataset
        outputs = [output(net.weights, net.biases, x) for x, _ in dataset]
        targets = [one_hot(y) if labelled else y for _, y in dataset]
        correct = sum(int(np.argmax(a) == np.argmax(y)) for a, y in zip(outputs, targets))
        cost_value = (sum(COST_OF_ONE[cost](a, y) for a, y in zip(outputs, targets)) + penalty) / len(dataset)
        accuracy = net.accuracy(dataset, convert=not labelled)
        assert type(accuracy) is int and accuracy == correct
        assert net.total_cost(dataset, LMBDA, convert=labelled) == pytest.approx(cost_value, rel=1e-12, abs=0)


def test_vectorized_result_is_the_books_column(data):
    for j in range(10):
        np.testing.assert_array_equal(network2.vectorized_result(j), one_hot(j))
    with pytest.raises(ValueError, match="j has label 10, outside 0..9"):
        network2.vectorized_result(10)
    net = network2.Network([784, 30, 10], seed=0)
    validation = data[1]
    converted = [(x, network2.vectorized_result(y)) for x, y in validation]
    assert net.total_cost(converted, LMBDA) == net.total_cost(validation, LMBDA, convert=True)


LABELS = "int labels (as in validation and test data)"
VECTORS = "one-hot vectors (as in training data)"


@pytest.mark.parametrize("as_list", [False, True], ids=["load_data's lists", "plain lists"])
@pytest.mark.parametrize("method, convert, labelled, message", [
    ("accuracy", True, True, f"{LABELS}, and convert=True tells accuracy to convert one-hot vectors into int labels: "
                             f"pass convert=False"),
    ("accuracy", False, False, f"{VECTORS}, and convert=True tells accuracy to convert one-hot vectors into int "
                               f"labels: pass convert=True"),
    ("total_cost", False, True, f"{LABELS}, and convert=True tells total_cost to convert int labels into one-hot "
                                f"vectors: pass convert=True"),
    ("total_cost", True, False, f"{VECTORS}, and convert=True tells total_cost to convert int labels into one-hot "
                                f"vectors: pass convert=False"),
])
def test_a_convert_that_does_not_fit_the_data_is_refused(data, method, convert, labelled, message, as_list):
    net = network2.Network([784, 30, 10], seed=0)
    dataset = list(data[labelled]) if as_list else data[labelled]
    arguments = (LMBDA,) if method == "total_cost" else ()
    with pytest.raises(ValueError, match=re.escape(f"convert={convert} does not fit this data: its desired outputs "
                                                   f"y are {message}")):
        getattr(net, method)(dataset, *arguments, convert=convert)


def test_total_cost_refuses_a_negative_lmbda(data):
    with pytest.raises(ValueError, match="lmbda must be a number >= 0, got -0.1"):
        network2.Network([784, 30, 10], seed=0).total_cost(data[0], -0.1)


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost, LogLikelihoodCost])
def test_a_file_written_as_the_book_writes_it_loads(data, tmp_path, cost):
    sizes = [784, 30, 10]
    weights, biases = random_parameters(sizes, seed=5)
    book_style_save(tmp_path / "net.json", sizes, weights, biases, cost.__name__)
    net = network2.load(tmp_path / "net.json")
    assert type(net) is network2.Network and net.cost is cost and net.sizes == sizes
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, weights + biases))
    X = np.hstack([x for x, _ in data[1]])
    hidden = sigmoid(weights[0] @ X + biases[0])
    z = weights[1] @ hidden + biases[1]
    np.testing.assert_array_equal(net.predict(X), np.argmax(z, axis=0))  # sigmoid and softmax keep the order of z


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_save_writes_the_books_json_and_keeps_it_when_refusing(tmp_path, dtype):
    net = network2.Network([784, 30, 10], cost=QuadraticCost, seed=2, dtype=dtype)
    path = tmp_path / "net.json"
    net.save(path)
    saved, weights, biases = book_style_load(path)
    assert set(saved) == {"sizes", "weights", "biases", "cost"}
    assert saved["sizes"] == [784, 30, 10] and saved["cost"] == "QuadraticCost"
    assert all(np.array_equal(a, b) for a, b in zip(weights + biases, net.weights + net.biases))
    net.weights[1][0, 0] = np.nan
    with pytest.raises(ValueError, match=re.escape(f"cannot save the network to {path}, since load() would refuse "
                                                   f"the file: net.weights[1] holds NaN")):
        net.save(path)
    assert np.array_equal(book_style_load(path)[1][0], net.weights[0])  # the file saved before is kept


def test_a_cost_that_the_file_cannot_name_is_not_saved(tmp_path):
    class MyCost(QuadraticCost):
        pass

    with pytest.raises(ValueError, match=r"cannot save a network whose cost is .*MyCost.*: the file names its cost, "
                                         r"and load\(\) knows only QuadraticCost, CrossEntropyCost, LogLikelihoodCost"):
        network2.Network([4, 3, 2], cost=MyCost).save(tmp_path / "mine.json")
    assert not (tmp_path / "mine.json").exists()


def test_load_tells_the_formats_apart_by_content_not_by_name(tmp_path):
    package_net = Network([784, 30, 10], cost="log-likelihood", seed=0)
    package_net.save(tmp_path / "package.json")  # .npz content under a .json name
    weights, biases = random_parameters([784, 30, 10], seed=1)
    book_style_save(tmp_path / "book.npz", [784, 30, 10], weights, biases, "CrossEntropyCost")
    for name, expected in (("package.json", package_net.weights + package_net.biases),
                           ("book.npz", weights + biases)):
        net = network2.load(tmp_path / name)
        assert type(net) is network2.Network
        assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, expected))


GOOD = {"sizes": [2, 1], "weights": [[[1.0, 2.0]]], "biases": [[[0.5]]], "cost": "CrossEntropyCost"}
NOT_JSON = "is not a saved network, or is corrupt: it is neither an .npz file nor valid JSON"


@pytest.mark.parametrize("text, message", [
    (json.dumps(GOOD)[:30], NOT_JSON),  # cut short
    ("", NOT_JSON),
    ("\x00\x01 not a network", NOT_JSON),
    (json.dumps([1, 2]), "is not a network in the book's JSON format: it lacks "
                         "['sizes', 'weights', 'biases', 'cost']"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "cost"}),
     "is not a network in the book's JSON format: it lacks ['cost']"),
    (json.dumps({**GOOD, "cost": "FancyCost"}), "names the cost 'FancyCost', which nndl does not know (it knows "
                                                "QuadraticCost, CrossEntropyCost, LogLikelihoodCost)"),
    (json.dumps({**GOOD, "biases": [[0.5]]}), "is inconsistent, not a network in the book's JSON format: net.biases "
                                              "has shapes [(1,)], but a [2, 1] network needs [(1, 1)]"),
    (json.dumps({**GOOD, "weights": [[[1.0, 2.0], [3.0]]]}), "is inconsistent, not a network in the book's JSON "
                                                            "format: setting an array element with a sequence"),
    (json.dumps({**GOOD, "weights": [[["one", 2.0]]]}), "is inconsistent, not a network in the book's JSON format: "
                                                        "could not convert string to float"),
    (json.dumps({**GOOD, "sizes": [2, 0]}), "is inconsistent, not a network in the book's JSON format: sizes must "
                                            "be positive integers, got [2, 0]"),
    (json.dumps({**GOOD, "weights": [[[float("nan"), 2.0]]]}),  # NaN: what the book's save writes after divergence
     "is not a usable network: its weights or biases hold NaN or infinite numbers, as when training diverged"),
    (json.dumps({**GOOD, "cost": "LogLikelihoodCost"}), "LogLikelihoodCost has a softmax output layer, which needs "
                                                        "at least 2 output neurons"),
])
def test_a_bad_json_file_is_refused_with_its_name_and_problem(tmp_path, text, message):
    path = tmp_path / "net.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + re.escape(message)):
        network2.load(path)


def test_a_tanh_or_relu_network_is_not_saved_as_the_books_sigmoid_json(tmp_path):
    net = network2.Network([4, 3, 2], seed=0, activation="relu")
    with pytest.raises(ValueError, match="the book's JSON format has no place for the hidden neurons' activation"):
        net.save(tmp_path / "net.json")
    assert not (tmp_path / "net.json").exists()
    Network.save(net, tmp_path / "net.npz")
    loaded = network2.load(tmp_path / "net.npz")
    assert loaded.activation.name == "relu" and isinstance(loaded, network2.Network)
