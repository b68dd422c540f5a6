"""Network: each formula against an independent computation."""
import copy

import numpy as np
import pytest

from nndl.checks import numerical_gradient
from nndl.costs import CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from nndl.folded import FoldedNetwork
from nndl.functions import quadratic_cost, sigmoid, softmax
from nndl.network import History, Network, TrainingWarning


def random_batch(sizes, m, rng):
    """m random examples as (x, y) column pairs, y a random target in [0, 1]."""
    return [(rng.standard_normal((sizes[0], 1)), rng.random((sizes[-1], 1))) for _ in range(m)]


def cost_of(net, attribute, l, x, y, cost_fn=quadratic_cost):
    """``cost_fn(a, y)`` as a function of one parameter array, net.weights[l] or net.biases[l].

    By default the quadratic cost C_x of eq. 6; with ``net.cost.fn`` and X, Y as columns, Σ_x C_x of any cost.
    """
    params = getattr(net, attribute)

    def cost(value):
        saved = params[l]
        params[l] = value
        try:
            return cost_fn(net.feedforward(x), y)
        finally:
            params[l] = saved
    return cost


def books_sgd(net, data, epochs, mini_batch_size, eta):
    """The book's SGD: shuffle with the network's generator, then update_mini_batch_per_example batch by batch."""
    for _ in range(epochs):
        order = net.rng.permutation(len(data))
        for k in range(0, len(data), mini_batch_size):
            net.update_mini_batch_per_example([data[i] for i in order[k:k + mini_batch_size]], eta)


def assert_same_parameters(net, other, atol):
    for a, b in zip(net.weights + net.biases, other.weights + other.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)


def test_hand_worked_feedforward():
    # A 4-input, 2-neuron layer worked out by hand: σ(w·a + b) for each row of w.
    net = Network([4, 2])
    net.weights[0] = np.array([[0.3490, 0.2552, 1.7718, -0.6382], [1.5340, 0.2998, -1.0761, -1.4656]])
    net.biases[0] = np.array([[-1.3518], [-2.1354]])
    a = np.array([[0.2871], [0.7834], [0.6244], [0.6702]])
    np.testing.assert_allclose(net.feedforward(a), [[0.4078], [0.0425]], atol=5e-5)


def test_feedforward_batch_equals_columns_one_by_one():
    rng = np.random.default_rng(1)
    net = Network([5, 4, 3], seed=2)
    X = rng.standard_normal((5, 7))
    batch = net.feedforward(X)
    assert batch.shape == (3, 7)
    for j in range(7):
        np.testing.assert_allclose(batch[:, [j]], net.feedforward(X[:, [j]]), rtol=1e-12)


def test_book_shapes_and_seeded_init():
    net = Network([784, 30, 10], seed=0)
    assert net.num_layers == 3 and net.sizes == [784, 30, 10]
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    same = Network([784, 30, 10], seed=0)
    other = Network([784, 30, 10], seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, same.weights))
    assert not np.array_equal(net.weights[0], other.weights[0])
    # N(0, 1), as chapter 1 initialises them
    assert abs(net.weights[0].mean()) < 0.02 and abs(net.weights[0].std() - 1) < 0.02


@pytest.mark.parametrize("sizes,seed", [([3, 4, 2], 0), ([5, 2], 1), ([2, 6, 5, 3], 2), ([4, 3, 3, 3, 4], 3)])
def test_backprop_matches_finite_differences(sizes, seed):
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=seed)
    (x, y), = random_batch(sizes, 1, rng)
    nabla_b, nabla_w = net.backprop(x, y)
    for l in range(net.num_layers - 1):
        expected_w = numerical_gradient(cost_of(net, "weights", l, x, y), net.weights[l].copy())
        expected_b = numerical_gradient(cost_of(net, "biases", l, x, y), net.biases[l].copy())
        np.testing.assert_allclose(nabla_w[l], expected_w, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(nabla_b[l], expected_b, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("sizes", [[3, 4, 2], [2, 6, 5, 3]])
def test_backprop_batch_is_the_sum_of_per_example_gradients(sizes):
    rng = np.random.default_rng(7)
    net = Network(sizes, seed=7)
    batch = random_batch(sizes, 6, rng)
    X = np.hstack([x for x, _ in batch])
    Y = np.hstack([y for _, y in batch])
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    per_example = [net.backprop(x, y) for x, y in batch]
    for l in range(net.num_layers - 1):
        np.testing.assert_allclose(nabla_b[l], sum(g[0][l] for g in per_example), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(nabla_w[l], sum(g[1][l] for g in per_example), rtol=1e-12, atol=1e-14)


def test_backprop_batch_takes_data_of_any_float_type_and_answers_in_the_networks():
    net = Network([3, 2], seed=0, dtype=np.float32)
    X, Y = np.random.default_rng(0).random((3, 4)), np.ones((2, 4))  # float64, and an int-valued float
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    assert all(g.dtype == np.float32 for g in nabla_b + nabla_w)
    expected = Network([3, 2], seed=0, dtype=np.float32).backprop_batch(X.astype(np.float32), Y.astype(np.float32))
    np.testing.assert_array_equal(nabla_w[0], expected[1][0])


def test_update_mini_batch_equals_the_books_loop():
    rng = np.random.default_rng(3)
    matrix = Network([784, 30, 10], seed=3)
    book = Network([784, 30, 10], seed=3)
    for _ in range(5):
        batch = [(rng.random((784, 1)), np.eye(10)[:, [rng.integers(10)]]) for _ in range(10)]
        matrix.update_mini_batch(batch, 3.0)
        book.update_mini_batch_per_example(batch, 3.0)
    assert_same_parameters(matrix, book, atol=1e-10)
    assert not np.array_equal(matrix.weights[0], Network([784, 30, 10], seed=3).weights[0])


def test_sgd_steps_are_the_books_loop_over_the_same_mini_batches():
    # SGD's own fast path, epoch by epoch, against update_mini_batch_per_example on the batches SGD picked:
    # the same generator state gives the same shuffle; 23 examples in batches of 5 end with a batch of 3.
    rng = np.random.default_rng(8)
    data = [(rng.random((6, 1)), np.eye(3)[:, [rng.integers(3)]]) for _ in range(23)]
    fast, book = Network([6, 4, 3], seed=8), Network([6, 4, 3], seed=8)
    fast.SGD(data, 2, 5, 2.5, quiet=True)
    books_sgd(book, data, 2, 5, 2.5)
    assert_same_parameters(fast, book, atol=1e-10)
    assert not np.array_equal(fast.weights[0], Network([6, 4, 3], seed=8).weights[0])


def test_sgd_on_mnist_is_the_books_loop_in_float64():
    # The measure of "the same computation": MNIST's rows (float32 images, one-hot targets) trained by
    # SGD's epoch loop in float64 give the book's per-example steps to 1e-10; 2,005 images end with a batch of 5.
    from nndl import mnist
    data = mnist.load_data()[0][:2005]
    fast, book = Network([784, 30, 10], seed=5), Network([784, 30, 10], seed=5)
    fast.SGD(data, 2, 10, 3.0, quiet=True)
    books_sgd(book, data, 2, 10, 3.0)
    assert_same_parameters(fast, book, atol=1e-10)
    assert not np.allclose(fast.weights[0], Network([784, 30, 10], seed=5).weights[0])


def test_a_mini_batch_larger_than_the_data_is_the_whole_data():
    # full-batch gradient descent by asking for a huge mini-batch: one step per epoch, buffers sized to the data
    rng = np.random.default_rng(4)
    data = [(rng.random((5, 1)), np.eye(2)[:, [rng.integers(2)]]) for _ in range(6)]
    huge, whole = Network([5, 3, 2], seed=4), Network([5, 3, 2], seed=4)
    huge.SGD(data, 2, 10**12, 1.0, quiet=True)
    books_sgd(whole, data, 2, len(data), 1.0)
    assert_same_parameters(huge, whole, atol=1e-12)


def test_weights_assigned_between_epochs_are_trained_from():
    # Assigning net.weights[0] in a callback after epoch 0 must act like assigning it between two SGD calls.
    rng = np.random.default_rng(3)
    data = [(rng.random((2, 1)), int(rng.integers(2))) for _ in range(8)]
    new_weights = np.full((3, 2), 0.5)
    in_callback, between_calls = Network([2, 3, 2], seed=0), Network([2, 3, 2], seed=0)

    def assign(epoch, history):
        if epoch == 0:
            in_callback.weights[0] = new_weights.copy()
    in_callback.SGD(data, 2, 2, 1.0, quiet=True, callback=assign)
    between_calls.SGD(data, 1, 2, 1.0, quiet=True)
    between_calls.weights[0] = new_weights.copy()
    between_calls.SGD(data, 1, 2, 1.0, quiet=True)
    assert not np.allclose(in_callback.weights[0], new_weights)  # trained further, not left as assigned
    for a, b in zip(in_callback.weights + in_callback.biases, between_calls.weights + between_calls.biases):
        np.testing.assert_array_equal(a, b)


def test_the_network_is_current_during_training():
    # the weights SGD trains are the network's own, so a callback's feedforward sees every update at once
    rng = np.random.default_rng(2)
    data = [(rng.random((3, 1)), int(rng.integers(2))) for _ in range(12)]
    net = Network([3, 4, 2], seed=1)
    X = np.hstack([x for x, _ in data])
    outputs = []
    net.SGD(data, 3, 4, 3.0, quiet=True, callback=lambda epoch, history: outputs.append(net.feedforward(X)))
    assert not np.allclose(outputs[0], outputs[1]) and not np.allclose(outputs[1], outputs[2])
    np.testing.assert_array_equal(outputs[-1], net.feedforward(X))


def test_sgd_takes_int_labels_or_one_hot_and_is_reproducible():
    rng = np.random.default_rng(4)
    xs = [rng.random((6, 1)) for _ in range(40)]
    labels = [int(np.argmax(x[:3])) for x in xs]  # a learnable rule
    one_hot = [np.eye(3)[:, [k]] for k in labels]
    run = lambda data: Network([6, 5, 3], seed=9).SGD(data, 3, 4, 2.0, test_data=list(zip(xs, labels)), quiet=True)
    h1, h2, h3 = run(list(zip(xs, one_hot))), run(list(zip(xs, one_hot))), run(list(zip(xs, labels)))
    assert h1.test_correct == h2.test_correct == h3.test_correct
    assert h1.n_test == 40 and h1.epochs == 3


def test_sgd_prints_the_books_transcript(capsys):
    rng = np.random.default_rng(5)
    data = [(rng.random((4, 1)), int(rng.integers(2))) for _ in range(20)]
    history = Network([4, 3, 2], seed=0).SGD(data, 2, 5, 1.0, test_data=data)
    assert capsys.readouterr().out.splitlines() == [f"Epoch {j}: {history.test_correct[j]} / 20" for j in range(2)]
    Network([4, 3, 2], seed=0).SGD(data, 1, 5, 1.0)
    assert capsys.readouterr().out == "Epoch 0 complete\n"


def test_sgd_history_cost_and_early_stop():
    rng = np.random.default_rng(6)
    data = [(rng.random((4, 1)), int(rng.integers(2))) for _ in range(30)]
    net = Network([4, 3, 2], seed=0)
    history = net.SGD(data, 10, 5, 1.0, quiet=True, monitor_cost=True,
                      callback=lambda epoch, h: epoch < 3)
    assert history.epochs == 4 and len(history.training_cost) == 4
    X = np.hstack([x for x, _ in data])
    Y = np.hstack([np.eye(2)[:, [y]] for _, y in data])
    assert history.training_cost[-1] == pytest.approx(quadratic_cost(net.feedforward(X), Y), rel=1e-12)


def test_history_accuracy():
    assert History(n_test=10, test_correct=[5, 9]).test_accuracy == [0.5, 0.9]


def test_float32_stays_float32():
    net = Network([4, 3, 2], seed=0, dtype=np.float32)
    data = [(np.ones((4, 1)), 1)] * 4
    net.SGD(data, 1, 2, 1.0, quiet=True)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    net.biases[0] = np.zeros((3, 1))  # float64, assigned by hand
    net.update_mini_batch(data[:2], 1.0)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)


def test_extreme_inputs_and_learning_rates_stay_finite():
    net = Network([2, 3, 2], seed=0)
    out = net.feedforward(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]))
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    rng = np.random.default_rng(0)
    data = [(rng.random((2, 1)) * 50, int(rng.integers(2))) for _ in range(20)]
    with pytest.warns(TrainingWarning, match="eta=100 is far too large"):  # a warning, but no RuntimeWarning
        net.SGD(data, 3, 2, 100.0, quiet=True)  # RuntimeWarnings are errors in this test suite
    assert all(np.all(np.isfinite(w)) for w in net.weights)


def test_non_finite_weights_are_reported():
    net = Network([2, 2], seed=0)
    net.weights[0][0, 0] = np.nan  # by hand, before training: not the learning rate's fault
    with pytest.raises(ValueError, match=r"net.weights\[0\] holds NaN or infinite numbers"):
        net.SGD([(np.ones((2, 1)), 0)], 1, 1, 1.0, quiet=True)


def test_weights_that_overflow_during_training_name_the_learning_rate():
    rng = np.random.default_rng(0)
    data = [(1000 * rng.random((3, 1)), int(rng.integers(2))) for _ in range(10)]
    net = Network([3, 4, 2], seed=0)
    net.weights[0][:] = 0  # hidden neurons that do not saturate on these large inputs, so the first step overflows
    with pytest.raises(FloatingPointError, match="diverged. Try a smaller learning rate than eta=1e"):
        net.SGD(data, 2, 5, 1e308, quiet=True)


@pytest.mark.parametrize("where,bad", [("x", np.nan), ("x", np.inf), ("y", -np.inf)])
def test_non_finite_data_are_refused_before_training_with_their_index(where, bad):
    rng = np.random.default_rng(0)
    data = [(rng.random((3, 1)), np.eye(2)[:, [i % 2]]) for i in range(6)]
    data[4][0 if where == "x" else 1][1, 0] = bad
    net = Network([3, 4, 2], seed=0)
    before = net.weights[0].copy()
    what = "an input x" if where == "x" else "a desired output y"
    with pytest.raises(ValueError, match=rf"training_data\[4\] has {what} with NaN or infinite numbers"):
        net.SGD(data, 1, 2, 3.0, quiet=True)
    np.testing.assert_array_equal(net.weights[0], before)
    if where == "x":
        with pytest.raises(ValueError, match=r"test_data\[4\] has an input x with NaN"):
            net.evaluate([(x, 0) for x, _ in data])


def test_a_learning_rate_far_too_large_warns_that_the_outputs_saturated():
    from nndl import mnist
    training_data = mnist.load_data()[0][:1000]
    with pytest.warns(TrainingWarning, match=r"every output neuron is saturated .* eta=1e\+06 is far too large"):
        history = Network([784, 30, 10], seed=0).SGD(training_data, 2, 10, 1e6, quiet=True)
    assert history.epochs == 2
    Network([784, 30, 10], seed=0).SGD(training_data, 2, 10, 3.0, quiet=True)  # no warning: the suite runs -W error


def test_an_int_label_gives_the_same_update_on_every_path():
    rng = np.random.default_rng(7)
    xs = [rng.random((4, 1)) for _ in range(6)]
    labels = [int(k) for k in rng.integers(0, 3, 6)]
    as_labels, as_columns = list(zip(xs, labels)), [(x, np.eye(3)[:, [k]]) for x, k in zip(xs, labels)]
    net = Network([4, 5, 3], seed=2)
    for a, b in zip(net.backprop(*as_labels[0]), net.backprop(*as_columns[0])):
        for ga, gb in zip(a, b):
            np.testing.assert_array_equal(ga, gb)
    results = []
    for data in (as_labels, as_columns):
        per_example, matrix, sgd = Network([4, 5, 3], seed=2), Network([4, 5, 3], seed=2), Network([4, 5, 3], seed=2)
        per_example.update_mini_batch_per_example(data, 2.0)
        matrix.update_mini_batch(data, 2.0)
        sgd.SGD(data, 1, 6, 2.0, quiet=True)  # one mini-batch of all six: the same step in another order
        results += [per_example, matrix, sgd]
    for other in results[1:]:
        assert_same_parameters(results[0], other, atol=1e-12)


@pytest.mark.parametrize("label", [1.7, "1", True, 2.0, np.float64(1.0)])
def test_labels_that_are_not_integers_are_refused_everywhere(label):
    net = Network([2, 3, 3], seed=0)
    x = np.ones((2, 1))
    message = f"has the label {label!r}, which is not an integer"
    for train in (lambda: net.SGD([(x, label)], 1, 1, 1.0, quiet=True), lambda: net.evaluate([(x, label)]),
                  lambda: net.update_mini_batch([(x, label)], 1.0),
                  lambda: net.update_mini_batch_per_example([(x, label)], 1.0), lambda: net.backprop(x, label)):
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            train()


def test_one_rule_for_the_shape_of_an_input_everywhere():
    net = Network([4, 3, 2], seed=0)
    row = np.ones((1, 4))
    column_please = r"\(4, 1\)"
    for call in (lambda: net.feedforward(row), lambda: net.backprop(row, 0), lambda: net.evaluate([(row, 0)]),
                 lambda: net.SGD([(row, 0)], 1, 1, 1.0, quiet=True), lambda: net.update_mini_batch([(row, 0)], 1.0),
                 lambda: net.update_mini_batch_per_example([(row, 0)], 1.0)):
        with pytest.raises(ValueError, match=rf"shape \(1, 4\).*{column_please}"):
            call()
    flat = np.ones(4)  # a flat vector of the right size is a column everywhere
    assert net.feedforward(flat).shape == (2, 1) and net.evaluate([(flat, 0)]) in (0, 1)


def test_history_counts_epochs_without_test_data_or_cost():
    data = [(np.ones((2, 1)), 1)] * 4
    assert Network([2, 2], seed=0).SGD(data, 3, 2, 1.0, quiet=True).epochs == 3


@pytest.mark.parametrize("sizes,message", [
    ([784], "at least 2 layers"), ([784, 0, 10], r"positive integers, got \[784, 0, 10\]"),
    ([784, 2.5, 10], "positive integers"), ([784, -1, 10], "positive integers"), (784, "list of layer sizes"),
])
def test_bad_sizes(sizes, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Network(sizes)


@pytest.mark.parametrize("kwargs,message", [
    (dict(eta=0), "eta must be a positive, finite number, got 0"), (dict(eta=-1.0), "got -1.0"),
    (dict(eta=float("nan")), "got nan"), (dict(mini_batch_size=0), "mini_batch_size must be an integer >= 1, got 0"),
    (dict(epochs=-1), "epochs must be an integer >= 0, got -1"), (dict(epochs=2.5), "got 2.5"),
])
def test_bad_training_arguments(kwargs, message):
    args = dict(training_data=[(np.zeros((2, 1)), 0)], epochs=1, mini_batch_size=1, eta=1.0) | kwargs
    with pytest.raises(ValueError, match=message):
        Network([2, 2]).SGD(quiet=True, **args)


def test_data_that_does_not_fit_the_network():
    net = Network([784, 30, 10])
    with pytest.raises(ValueError, match=r"training_data\[1\] has an input x of shape \(783, 1\)"):
        net.SGD([(np.zeros((784, 1)), 0), (np.zeros((783, 1)), 0)], 1, 1, 1.0, quiet=True)
    with pytest.raises(ValueError, match=r"desired output y of shape \(9, 1\)"):
        net.SGD([(np.zeros((784, 1)), np.zeros((9, 1)))], 1, 1, 1.0, quiet=True)
    with pytest.raises(ValueError, match="label 10, outside 0..9"):
        net.evaluate([(np.zeros((784, 1)), 10)])
    with pytest.raises(ValueError, match=r"input has shape \(10, 1\).*784 neurons"):
        net.feedforward(np.zeros((10, 1)))
    with pytest.raises(ValueError, match="empty"):
        net.SGD([], 1, 1, 1.0)
    with pytest.raises(TypeError, match="list of \\(x, y\\) pairs"):
        net.SGD([np.zeros(784)], 1, 1, 1.0)
    with pytest.raises(ValueError, match=r"Y has shape \(10,\), .* must be \(10, 3\)"):
        net.backprop_batch(np.zeros((784, 3)), np.zeros(10))


@pytest.mark.parametrize("attribute,value,shapes", [
    ("weights", np.zeros((784, 30)), r"\[\(784, 30\), \(10, 30\)\].*needs \[\(30, 784\), \(10, 30\)\]"),
    ("biases", np.zeros(30), r"\[\(30,\), \(10, 1\)\].*needs \[\(30, 1\), \(10, 1\)\]"),
])
def test_weights_or_biases_of_the_wrong_shape(attribute, value, shapes):
    net = Network([784, 30, 10], seed=0)
    getattr(net, attribute)[0] = value
    with pytest.raises(ValueError, match=rf"net.{attribute} has shapes {shapes}"):
        net.SGD([(np.zeros((784, 1)), 0)], 1, 1, 1.0, quiet=True)
    net = Network([784, 30, 10], seed=0)
    setattr(net, attribute, getattr(net, attribute)[:1])
    with pytest.raises(ValueError, match=f"net.{attribute} has shapes"):
        net.update_mini_batch([(np.zeros((784, 1)), np.zeros((10, 1)))], 1.0)


@pytest.mark.parametrize("size", [2.7, 10.0, "10", True])
def test_mini_batch_sizes_are_whole_numbers_in_sgd_and_the_explorer(size):
    from nndl.widgets import LearningRateExplorer

    with pytest.raises(ValueError, match=f"mini_batch_size must be an integer >= 1, got {size!r}"):
        Network([2, 2]).SGD([(np.ones((2, 1)), 0)], 1, size, 1.0, quiet=True)
    with pytest.raises(ValueError, match=f"mini_batch_size must be an integer >= 1, got {size!r}"):
        LearningRateExplorer.key(3.0, 30, size)
    assert LearningRateExplorer.key(3.0, np.int64(30), np.int64(10)) == (3.0, 30, 10)


def test_float32_steps_are_the_books_loop_to_float32_precision():
    # the float32 fast path updates its weights in place (BLAS's gemm): checked against the float64 book loop
    rng = np.random.default_rng(5)
    data = [(rng.random((6, 1)), np.eye(3)[:, [rng.integers(3)]]) for _ in range(20)]
    fast, book = Network([6, 4, 3], seed=5, dtype=np.float32), Network([6, 4, 3], seed=5)
    book.weights, book.biases = [w.astype(np.float64) for w in fast.weights], [b.astype(np.float64) for b in fast.biases]
    book.rng.bit_generator.state = fast.rng.bit_generator.state  # float32 draws leave the generator elsewhere
    fast.SGD(data, 2, 5, 2.5, quiet=True)
    books_sgd(book, data, 2, 5, 2.5)
    assert fast.weights[0].dtype == np.float32
    assert_same_parameters(fast, book, atol=1e-5)
    assert not np.allclose(fast.weights[0], Network([6, 4, 3], seed=5, dtype=np.float32).weights[0], atol=1e-3)
    g32 = fast.backprop_batch(np.ones((6, 2)), np.zeros((3, 2)))
    book.weights, book.biases = [w.astype(np.float64) for w in fast.weights], [b.astype(np.float64) for b in fast.biases]
    g64 = book.backprop_batch(np.ones((6, 2)), np.zeros((3, 2)))
    for a, b in zip(g32[1] + g32[0], g64[1] + g64[0]):
        assert np.abs(b).max() > 1e-3 and np.allclose(a, b, atol=1e-6)


# ----- chapter 3: costs, L2, dropout, monitoring, early stopping, the schedule ------------------------------------
COSTS = [QuadraticCost, CrossEntropyCost, LogLikelihoodCost]


def one_hot_batch(sizes, m, rng):
    return [(rng.standard_normal((sizes[0], 1)), np.eye(sizes[-1])[:, [rng.integers(sizes[-1])]]) for _ in range(m)]


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("sizes", [[3, 4, 2], [2, 5, 4, 3]])
def test_chapter3_gradients_match_finite_differences_for_every_cost(cost, sizes):
    rng = np.random.default_rng(4)
    net = Network(sizes, cost=cost, seed=4)
    batch = one_hot_batch(sizes, 3, rng)
    X, Y = np.hstack([x for x, _ in batch]), np.hstack([y for _, y in batch])
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    per_example = [net.backprop(x, y) for x, y in batch]
    for l in range(net.num_layers - 1):
        expected_w = numerical_gradient(cost_of(net, "weights", l, X, Y, net.cost.fn), net.weights[l].copy())
        expected_b = numerical_gradient(cost_of(net, "biases", l, X, Y, net.cost.fn), net.biases[l].copy())
        np.testing.assert_allclose(nabla_w[l], expected_w, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(nabla_b[l], expected_b, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(sum(g[1][l] for g in per_example), expected_w, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(sum(g[0][l] for g in per_example), expected_b, rtol=1e-5, atol=1e-8)


def books_sgd_l2(net, data, epochs, mini_batch_size, eta, lmbda):
    """The book's network2 SGD: the same shuffles, update_mini_batch_per_example with weight decay over n."""
    for _ in range(epochs):
        order = net.rng.permutation(len(data))
        for k in range(0, len(data), mini_batch_size):
            net.update_mini_batch_per_example([data[i] for i in order[k:k + mini_batch_size]], eta, lmbda, len(data))


@pytest.mark.parametrize("cost", COSTS)
def test_sgd_with_l2_is_the_books_loop_for_every_cost(cost):
    rng = np.random.default_rng(9)
    data = one_hot_batch([6, 4, 3], 23, rng)
    fast, book = Network([6, 5, 3], cost=cost, seed=9), Network([6, 5, 3], cost=cost, seed=9)
    data = [(x, y) for x, y in data]
    fast.SGD(data, 2, 5, 0.7, lmbda=3.0, quiet=True)
    books_sgd_l2(book, data, 2, 5, 0.7, 3.0)
    assert_same_parameters(fast, book, atol=1e-10)
    unregularised = Network([6, 5, 3], cost=cost, seed=9)
    unregularised.SGD(data, 2, 5, 0.7, quiet=True)
    assert not np.allclose(fast.weights[0], unregularised.weights[0], atol=1e-4)


def test_l2_step_is_equation_93_and_leaves_the_biases_alone():
    rng = np.random.default_rng(5)
    net = Network([4, 3, 2], cost=CrossEntropyCost, seed=5)
    batch = one_hot_batch([4, 3, 2], 6, rng)
    X, Y = np.hstack([x for x, _ in batch]), np.hstack([y for _, y in batch])
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    eta, lmbda, n = 0.5, 2.0, 40
    net.update_mini_batch(batch, eta, lmbda=lmbda, n=n)
    for l in range(2):
        np.testing.assert_allclose(net.weights[l], (1 - eta * lmbda / n) * weights[l] - eta / 6 * nabla_w[l],
                                   rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l], biases[l] - eta / 6 * nabla_b[l], rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match=r"n \(the size of the training set\) must be an integer >= 1"):
        net.update_mini_batch(batch, eta, lmbda=lmbda)


@pytest.mark.parametrize("cost", [CrossEntropyCost, LogLikelihoodCost])
def test_dropout_step_is_backpropagation_through_the_kept_neurons(cost):
    # The folded network's dropout step against a per-example computation with the same masks (same generator).
    rng = np.random.default_rng(6)
    net = Network([5, 7, 6, 3], cost=cost, seed=6)
    batch = one_hot_batch([5, 7, 6, 3], 4, rng)
    X, Y = np.hstack([x for x, _ in batch]).T, np.hstack([y for _, y in batch]).T
    keep, eta = 0.6, 0.8
    masks_rng = np.random.default_rng(11)
    draws = copy.deepcopy(masks_rng)
    masks = [draws.random((4, 7)) < keep, draws.random((4, 6)) < keep]
    W, B = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    grad_w, grad_b = [np.zeros_like(w) for w in W], [np.zeros_like(b) for b in B]
    for i in range(4):
        a, activations, derivatives = X[i][:, None], [X[i][:, None]], []
        for l in range(2):
            s = sigmoid(W[l] @ a + B[l])
            mask = masks[l][i][:, None] / keep
            a = s * mask
            activations.append(a)
            derivatives.append(s * (1 - s) * mask)
        output = cost.output_activation(W[2] @ a + B[2])
        delta = output - Y[i][:, None]  # both costs: δ = a - y
        for l in (2, 1, 0):
            grad_w[l] += delta @ activations[l].T
            grad_b[l] += delta
            if l:
                delta = (W[l].T @ delta) * derivatives[l - 1]
    folded = FoldedNetwork(net.weights, net.biases, 4, cost.output_delta, np.float64,
                           cost.output_activation is softmax)
    folded.descend(X, Y, np.arange(4), eta, 1.0, keep, masks_rng)
    for l in range(3):
        np.testing.assert_allclose(folded.weights[l], W[l] - eta / 4 * grad_w[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(folded.biases[l], B[l] - eta / 4 * grad_b[l], rtol=1e-12, atol=1e-14)


def test_dropout_training_is_reproducible_and_changes_the_run():
    rng = np.random.default_rng(2)
    data = one_hot_batch([6, 8, 3], 30, rng)
    runs = [Network([6, 8, 3], cost=CrossEntropyCost, seed=2) for _ in range(3)]
    runs[0].SGD(data, 2, 5, 0.5, dropout=0.5, quiet=True)
    runs[1].SGD(data, 2, 5, 0.5, dropout=0.5, quiet=True)
    runs[2].SGD(data, 2, 5, 0.5, quiet=True)
    assert_same_parameters(runs[0], runs[1], atol=0)
    assert not np.allclose(runs[0].weights[0], runs[2].weights[0])


def test_the_books_initialisers():
    net = Network([400, 300, 10], cost=CrossEntropyCost, seed=0)  # default_weight_initializer
    assert abs(net.weights[0].std() * np.sqrt(400) - 1) < 0.02 and abs(net.weights[1].std() * np.sqrt(300) - 1) < 0.1
    assert abs(net.biases[0].std() - 1) < 0.15
    net.large_weight_initializer()
    assert abs(net.weights[0].std() - 1) < 0.02
    chapter1, large = Network([5, 4, 2], seed=3), Network([5, 4, 2], cost=QuadraticCost, seed=3)
    large.rng = np.random.default_rng(3)
    large.large_weight_initializer()  # the same draws as chapter 1's constructor
    assert_same_parameters(chapter1, large, atol=0)
    float32 = Network([5, 4, 2], cost="cross-entropy", dtype=np.float32)
    assert all(w.dtype == np.float32 for w in float32.weights + float32.biases)


def test_softmax_output_layer_gives_probabilities():
    net = Network([4, 3, 5], cost=LogLikelihoodCost, seed=1)
    a = net.feedforward(np.random.default_rng(1).standard_normal((4, 6)))
    np.testing.assert_allclose(a.sum(axis=0), 1.0, rtol=1e-13)
    hidden = sigmoid(net.weights[0] @ np.ones((4, 1)) + net.biases[0])
    np.testing.assert_allclose(net.feedforward(np.ones((4, 1))), softmax(net.weights[1] @ hidden + net.biases[1]))


def test_monitoring_measures_each_quantity_like_the_book():
    rng = np.random.default_rng(3)
    train, test = one_hot_batch([5, 4, 3], 20, rng), [(x, int(rng.integers(3))) for x, _ in one_hot_batch([5, 4, 3], 9, rng)]
    net = Network([5, 4, 3], cost=CrossEntropyCost, seed=3)
    history = net.SGD(train, 2, 4, 0.5, test, lmbda=1.5, quiet=True, monitor_cost=True,
                      monitor_training_accuracy=True, monitor_evaluation_cost=True)
    l2 = sum(np.sum(w ** 2) for w in net.weights)
    X, Y = np.hstack([x for x, _ in train]), np.hstack([y for _, y in train])
    expected_training = CrossEntropyCost.fn(net.feedforward(X), Y) / 20 + 0.5 * 1.5 / 20 * l2
    X_test, Y_test = np.hstack([x for x, _ in test]), np.eye(3)[:, [y for _, y in test]]
    expected_evaluation = CrossEntropyCost.fn(net.feedforward(X_test), Y_test) / 9 + 0.5 * 1.5 / 9 * l2
    assert history.training_cost[-1] == pytest.approx(expected_training, rel=1e-12)
    assert history.evaluation_cost[-1] == pytest.approx(expected_evaluation, rel=1e-12)
    assert history.training_correct[-1] == sum(int(np.argmax(net.feedforward(x)) == np.argmax(y)) for x, y in train)
    assert history.test_correct[-1] == net.evaluate(test)
    assert history.epochs == 2 and history.n_training == 20 and history.etas == [0.5, 0.5]


def test_chapter3_transcript(capsys):
    rng = np.random.default_rng(3)
    train = one_hot_batch([5, 4, 3], 12, rng)
    test = [(x, 1) for x, _ in train[:4]]
    Network([5, 4, 3], cost=CrossEntropyCost, seed=3).SGD(train, 1, 4, 0.5, test, monitor_cost=True,
                                                          monitor_training_accuracy=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 0 training complete"
    assert lines[1].startswith("Cost on training data: ")
    assert lines[2].startswith("Accuracy on training data: ") and lines[2].endswith(" / 12")
    assert lines[3].startswith("Accuracy on evaluation data: ") and lines[3].endswith(" / 4")


def stalled_run(**options):
    """A run whose evaluation accuracy cannot change: η so small that no prediction moves."""
    rng = np.random.default_rng(0)
    data = one_hot_batch([4, 3, 2], 10, rng)
    test = [(x, 0) for x, _ in data]
    return Network([4, 3, 2], cost=CrossEntropyCost, seed=0).SGD(data, 30, 5, 1e-12, test, quiet=True, **options)


def test_early_stopping_stops_after_n_epochs_without_improvement():
    history = stalled_run(early_stopping_n=3)
    assert history.epochs == 4  # the best is epoch 0 (ties are no improvement); epochs 1, 2, 3 did not improve


def test_the_schedule_halves_eta_when_stalled_and_stops_below_eta_over_128():
    history = stalled_run(halve_eta_n=1)
    assert history.etas == [1e-12] * 2 + [1e-12 / 2 ** k for k in range(1, 8)]


def test_the_schedule_counts_from_the_best_epoch():
    from nndl.training import Schedule

    schedule = Schedule(1.0, early_stopping_n=0, halve_eta_n=2)
    accuracies, etas = [], []
    for correct in [5, 6, 6, 7, 7, 7, 7, 8]:
        accuracies.append(correct)
        schedule.after_epoch(accuracies)
        etas.append(schedule.eta)
    assert etas == [1, 1, 1, 1, 1, 0.5, 0.5, 0.5]
    stopping = Schedule(1.0, early_stopping_n=2, halve_eta_n=0)
    assert [stopping.after_epoch([5, 6, 6][:k]) is not None for k in (1, 2, 3)] == [False, False, False]
    assert stopping.after_epoch([5, 6, 6, 6]) == "Early stopping: no improvement in 2 epochs" and stopping.stopped


@pytest.mark.parametrize("kwargs,message", [
    (dict(lmbda=-1.0), "lmbda must be a number >= 0"),
    (dict(lmbda=float("nan")), "lmbda must be a number >= 0"),
    (dict(dropout=1.0), "dropout is the probability of dropping a hidden neuron"),
    (dict(dropout=-0.1), "dropout is the probability of dropping a hidden neuron"),
    (dict(early_stopping_n=2), "early_stopping_n=2 needs evaluation data: pass test_data"),
    (dict(lmbda=2.0), r"eta\*lmbda/n = 0.5\*2/1 is 1, but the weight decay"),
    (dict(halve_eta_n=1.5), "halve_eta_n must be an integer >= 0"),
])
def test_bad_chapter3_arguments(kwargs, message):
    net = Network([2, 2], cost=CrossEntropyCost)
    with pytest.raises(ValueError, match=message):
        net.SGD([(np.zeros((2, 1)), 0)], 1, 1, 0.5, **kwargs)


def test_save_and_load_keep_the_cost(tmp_path):
    net = Network([3, 2], cost=LogLikelihoodCost, seed=0, dtype=np.float32)
    net.save(tmp_path / "net.npz")
    loaded = Network.load(tmp_path / "net.npz")
    assert loaded.cost is LogLikelihoodCost and loaded.dtype == np.float32
    assert_same_parameters(net, loaded, atol=0)
    Network([3, 2]).save(tmp_path / "chapter1.npz")
    assert Network.load(tmp_path / "chapter1.npz").cost is None
