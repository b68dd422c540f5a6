"""network3: every layer's backward pass against finite differences, the convolution and pooling against loops."""
import numpy as np
import pytest

from nndl import mnist
from nndl.checks import numerical_gradient
from nndl.network3 import (ConvPoolLayer, FullyConnectedLayer, History, Network, ReLU, SoftmaxLayer, linear, sigmoid,
                           tanh)

F64 = np.float64


def random_batch(net, rng, m=None):
    """Random images (m, n_in) in [0, 1] and random labels for ``net``."""
    m = m or net.mini_batch_size
    return rng.random((m, net.n_in)), rng.integers(0, net.layers[-1].n_out, m)


def assert_gradients_match(net, x, y, lmbda=0.0, num_training_batches=1):
    """backprop's gradient of every parameter against central differences of the cost, same dropout masks."""
    def cost(_):
        return net.cost(x, y, lmbda, num_training_batches, rng=np.random.default_rng(5))

    gradients = net.backprop(x, y, lmbda, num_training_batches, rng=np.random.default_rng(5))
    for j, (layer, layer_gradients) in enumerate(zip(net.layers, gradients)):
        for name, param, gradient in zip(("w", "b"), layer.params, layer_gradients):
            expected = numerical_gradient(cost, param)
            assert np.abs(expected).max() > 1e-6, f"layers[{j}].{name}: the cost does not depend on it"
            np.testing.assert_allclose(gradient, expected, rtol=1e-5, atol=1e-8,
                                       err_msg=f"layers[{j}].{name}")


def give_softmax_random_weights(net, rng):
    """The book's SoftmaxLayer starts at w = 0, where the layers below get no gradient: move it off 0."""
    net.layers[-1].w[...] = rng.normal(0, 0.5, net.layers[-1].w.shape)
    net.layers[-1].b[...] = rng.normal(0, 0.5, net.layers[-1].b.shape)


# ----- gradients ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p_dropout", [0.0, 0.5])
def test_softmax_layer_gradient(p_dropout):
    rng = np.random.default_rng(0)
    net = Network([SoftmaxLayer(6, 4, p_dropout, dtype=F64)], 5)
    give_softmax_random_weights(net, rng)
    assert_gradients_match(net, *random_batch(net, rng))


@pytest.mark.parametrize("activation_fn", [sigmoid, tanh, ReLU, linear])
@pytest.mark.parametrize("p_dropout", [0.0, 0.3])
def test_fully_connected_layer_gradient(activation_fn, p_dropout):
    rng = np.random.default_rng(1)
    net = Network([FullyConnectedLayer(6, 5, activation_fn, p_dropout, seed=1, dtype=F64),
                   SoftmaxLayer(5, 3, p_dropout, dtype=F64)], 4)
    give_softmax_random_weights(net, rng)
    assert_gradients_match(net, *random_batch(net, rng))


@pytest.mark.parametrize("activation_fn", [sigmoid, tanh, ReLU, linear])
@pytest.mark.parametrize("poolsize", [(2, 2), (1, 1), (3, 2)])
def test_conv_pool_layer_gradient(activation_fn, poolsize):
    rng = np.random.default_rng(2)
    conv = ConvPoolLayer((3, 2, 3, 2), (2, 2, 8, 7), poolsize, activation_fn, seed=2, dtype=F64)
    net = Network([conv, SoftmaxLayer(np.prod(conv.output_shape), 3, dtype=F64)], 2)
    give_softmax_random_weights(net, rng)
    assert_gradients_match(net, *random_batch(net, rng))


def test_whole_network_gradient_with_l2_and_dropout():
    # conv-pool → conv-pool → fully connected → softmax: the gradient flows through every kind of layer.
    rng = np.random.default_rng(3)
    m = 3
    net = Network([ConvPoolLayer((4, 1, 3, 3), (m, 1, 12, 12), activation_fn=ReLU, seed=1, dtype=F64),
                   ConvPoolLayer((5, 4, 2, 2), (m, 4, 5, 5), activation_fn=sigmoid, seed=2, dtype=F64),
                   FullyConnectedLayer(5 * 2 * 2, 7, tanh, p_dropout=0.25, seed=3, dtype=F64),
                   SoftmaxLayer(7, 4, p_dropout=0.5, dtype=F64)], m)
    give_softmax_random_weights(net, rng)
    assert_gradients_match(net, *random_batch(net, rng), lmbda=0.7, num_training_batches=5)


def test_update_mini_batch_is_a_step_against_the_gradient():
    rng = np.random.default_rng(4)
    net = Network([FullyConnectedLayer(6, 5, seed=1, dtype=F64), SoftmaxLayer(5, 3, dtype=F64)], 4, seed=9)
    give_softmax_random_weights(net, rng)
    x, y = random_batch(net, rng)
    before = [p.copy() for p in net.params]
    gradients = [g.copy() for pair in net.backprop(x, y, 0.1, 20, rng=np.random.default_rng(9)) for g in pair]
    net.rng = np.random.default_rng(9)
    net.update_mini_batch(x, y, 0.5, 0.1, 20)
    for param, old, gradient in zip(net.params, before, gradients):
        np.testing.assert_allclose(param, old - 0.5 * gradient, rtol=1e-12)


# ----- the convolution and the pooling against loops ------------------------------------------------------------------
def loop_convolution(images, w):
    """Eq. (125) without the bias and σ, one output number at a time: Σ_c Σ_l Σ_m w[f, c, l, m] a[c, j + l, k + m]."""
    m, maps, height, width = images.shape
    filters, _, fh, fw = w.shape
    out = np.zeros((m, filters, height - fh + 1, width - fw + 1))
    for i in range(m):
        for f in range(filters):
            for j in range(height - fh + 1):
                for k in range(width - fw + 1):
                    out[i, f, j, k] = sum(w[f, c, l, n] * images[i, c, j + l, k + n]
                                          for c in range(maps) for l in range(fh) for n in range(fw))
    return out


def loop_max_pool(z, ph, pw):
    """Max-pooling block by block, and the position (row, column) of each block's first maximum."""
    m, filters, height, width = z.shape
    pooled = np.zeros((m, filters, height // ph, width // pw))
    winners = {}
    for i, f, r, c in np.ndindex(pooled.shape):
        block = z[i, f, r * ph:(r + 1) * ph, c * pw:(c + 1) * pw]
        best = np.unravel_index(np.argmax(block), block.shape)  # the first maximum in reading order
        pooled[i, f, r, c] = block[best]
        winners[i, f, r, c] = (r * ph + best[0], c * pw + best[1])
    return pooled, winners


def test_convolution_is_the_books_eq_125_against_a_loop():
    rng = np.random.default_rng(5)
    layer = ConvPoolLayer((4, 3, 3, 2), (2, 3, 7, 6), poolsize=(1, 1), activation_fn=linear, seed=0, dtype=F64)
    layer.b[...] = 0
    images = rng.standard_normal((2, 3, 7, 6))
    expected = loop_convolution(images, layer.w)
    np.testing.assert_allclose(layer.forward(images), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.convolve(images), expected, rtol=1e-12, atol=1e-12)


def test_conv_pool_forward_and_backward_against_loops():
    # Odd sizes leave a row and a column out of the pooling; a blank image makes equal maxima (ties).
    rng = np.random.default_rng(6)
    layer = ConvPoolLayer((3, 2, 3, 3), (3, 2, 9, 8), poolsize=(2, 3), activation_fn=sigmoid, seed=0, dtype=F64)
    images = rng.random((3, 2, 9, 8))
    images[1] = 0.0
    z = loop_convolution(images, layer.w)
    pooled, winners = loop_max_pool(z, 2, 3)
    a = 1 / (1 + np.exp(-(pooled + layer.b[None, :, None, None])))
    np.testing.assert_allclose(layer.forward(images, training=True), a, rtol=1e-12)

    delta = rng.standard_normal(a.shape)  # ∂C/∂a from the layer above
    dx = layer.backward(delta)
    dpooled = delta * a * (1 - a)
    dz = np.zeros_like(z)
    for (i, f, r, c), (row, column) in winners.items():
        dz[i, f, row, column] = dpooled[i, f, r, c]
    filters, maps, fh, fw = layer.filter_shape
    nabla_w, expected_dx = np.zeros(layer.filter_shape), np.zeros(images.shape)
    for i, f, j, k in np.ndindex(dz.shape):
        nabla_w[f] += dz[i, f, j, k] * images[i, :, j:j + fh, k:k + fw]
        expected_dx[i, :, j:j + fh, k:k + fw] += dz[i, f, j, k] * layer.w[f]
    np.testing.assert_allclose(layer.nabla_b, dpooled.sum(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(layer.nabla_w, nabla_w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-10, atol=1e-12)


# ----- dropout ------------------------------------------------------------------------------------------------------
def test_dropout_drops_inputs_in_training_and_scales_by_1_minus_p_at_test_time():
    rng = np.random.default_rng(7)
    layer = FullyConnectedLayer(200, 3, linear, p_dropout=0.3, seed=0, dtype=F64)
    x = rng.random((50, 200)) + 0.5
    np.testing.assert_allclose(layer.forward(x), 0.7 * (x @ layer.w) + layer.b, rtol=1e-12)  # test time
    z = layer.forward(x, rng, training=True)
    kept = layer._kept
    assert 0.65 < kept.mean() < 0.75
    np.testing.assert_allclose(z, (x * kept) @ layer.w + layer.b, rtol=1e-12)  # the kept inputs are not rescaled
    assert not np.array_equal(kept, (layer.forward(x, rng, training=True), layer._kept)[1])  # new mask each time


# ----- the layers' own arrays -----------------------------------------------------------------------------------------
def test_a_result_survives_the_layers_next_call():
    # The conv-pool layer computes in arrays it keeps for the next batch of the same size: what it returns must not
    # be one of them, or a second call would silently change the first result.
    rng = np.random.default_rng(8)
    layer = ConvPoolLayer((3, 2, 3, 3), (4, 2, 8, 8), activation_fn=ReLU, seed=0, dtype=F64)
    first_images, second_images = rng.random((2, 4, 2, 8, 8))
    for training in (False, True):
        first = layer.forward(first_images, training=training)
        kept = first.copy()
        layer.forward(second_images, training=training)
        np.testing.assert_array_equal(first, kept, err_msg=f"forward(training={training})")
    first = layer.backward(rng.standard_normal(kept.shape))  # ∂C/∂input from a ∂C/∂output
    kept_gradient = first.copy()
    layer.backward(rng.standard_normal(kept.shape))
    np.testing.assert_array_equal(first, kept_gradient, err_msg="backward")


# ----- training on MNIST ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mnist_arrays():
    return mnist.load_arrays()


@pytest.fixture(scope="module")
def small_mnist(mnist_arrays):
    return first_images(mnist_arrays, 1000)


def first_images(data, n_training):
    """The first ``n_training`` training images, and the first 500 of validation and test, as (images, labels)."""
    return ((data.training.images[:n_training], data.training.labels[:n_training]),
            (data.validation.images[:500], data.validation.labels[:500]),
            (data.test.images[:500], data.test.labels[:500]))


def shallow(seed=1):
    return Network([FullyConnectedLayer(784, 100, seed=seed), SoftmaxLayer(100, 10)], 10, seed=seed)


def one_conv_pool(seed=1, activation_fn=sigmoid):
    return Network([ConvPoolLayer((20, 1, 5, 5), (10, 1, 28, 28), activation_fn=activation_fn, seed=seed),
                    FullyConnectedLayer(20 * 12 * 12, 100, activation_fn, seed=seed + 1),
                    SoftmaxLayer(100, 10)], 10, seed=seed)


@pytest.mark.parametrize("make, eta", [(shallow, 0.5), (lambda: one_conv_pool(activation_fn=ReLU), 0.1)])
def test_learns_mnist_digits(small_mnist, make, eta):
    net = make()
    history = net.SGD(*small_mnist[:1], 2, 10, eta, *small_mnist[1:], quiet=True)
    assert history.validation_accuracy[-1] > 0.6  # chance is 0.1
    assert history.test_accuracy[-1] > 0.6


def test_a_sigmoid_conv_pool_network_learns(mnist_arrays):
    # With the book's initial weights, a sigmoid conv-pool layer's outputs barely differ from image to image at
    # first: its network needs about a thousand mini-batches before it starts to learn.
    training_data, validation_data, test_data = first_images(mnist_arrays, 2000)
    history = one_conv_pool().SGD(training_data, 5, 10, 0.1, validation_data, test_data, quiet=True)
    assert history.validation_accuracy[-1] > 0.6


def test_a_network_with_dropout_learns(mnist_arrays):
    net = Network([FullyConnectedLayer(784, 300, ReLU, p_dropout=0.5, seed=1),
                   FullyConnectedLayer(300, 300, ReLU, p_dropout=0.5, seed=2),
                   SoftmaxLayer(300, 10, p_dropout=0.5)], 10, seed=1)
    training_data, validation_data, test_data = first_images(mnist_arrays, 5000)
    history = net.SGD(training_data, 3, 10, 0.1, validation_data, test_data, quiet=True)
    assert history.validation_accuracy[-1] > 0.6


def test_two_conv_pool_layers_with_relu_learn(small_mnist):
    m = 10
    net = Network([ConvPoolLayer((20, 1, 5, 5), (m, 1, 28, 28), activation_fn=ReLU, seed=1),
                   ConvPoolLayer((40, 20, 5, 5), (m, 20, 12, 12), activation_fn=ReLU, seed=2),
                   FullyConnectedLayer(40 * 4 * 4, 100, ReLU, seed=3), SoftmaxLayer(100, 10)], m, seed=1)
    history = net.SGD(*small_mnist[:1], 2, m, 0.03, *small_mnist[1:], lmbda=0.1, quiet=True)
    assert history.validation_accuracy[-1] > 0.6


def test_same_seeds_same_run_and_another_seed_another(small_mnist):
    training_data = (small_mnist[0][0][:200], small_mnist[0][1][:200])
    runs = []
    for seed in (1, 1, 2):
        net = Network([FullyConnectedLayer(784, 30, p_dropout=0.2, seed=1), SoftmaxLayer(30, 10, 0.5)], 10,
                      seed=seed)
        history = net.SGD(training_data, 2, 10, 0.5, small_mnist[1], quiet=True)
        runs.append((net.params, history.validation_correct))
    for a, b in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(a, b)
    assert runs[0][1] == runs[1][1]
    assert not np.array_equal(runs[0][0][0], runs[2][0][0])
    np.testing.assert_array_equal(FullyConnectedLayer(5, 3, seed=4).w, FullyConnectedLayer(5, 3, seed=4).w)


def test_the_data_forms_of_nndl_mnist_train_alike():
    # The arrays of load_arrays, the pairs of load_data and a plain list of pairs: the same run.
    arrays = mnist.load_arrays()
    pairs = [data[:100] for data in mnist.load_data()]
    plain = [list(data) for data in pairs]
    forms = [(arrays.training[0][:100], arrays.training[1][:100]), pairs[0], plain[0]]
    results = []
    for training_data, validation_data in zip(forms, [arrays.validation, pairs[1], plain[1]]):
        net = Network([FullyConnectedLayer(784, 20, seed=1), SoftmaxLayer(20, 10)], 10, seed=1)
        history = net.SGD(training_data, 1, 10, 0.5, validation_data[:100] if validation_data is not arrays.validation
                          else (arrays.validation[0][:100], arrays.validation[1][:100]), quiet=True)
        results.append((net.params[0], history.validation_correct))
    for w, correct in results[1:]:
        np.testing.assert_array_equal(w, results[0][0])
        assert correct == results[0][1]


def test_sgd_prints_the_books_transcript_and_returns_a_history(small_mnist, capsys):
    net = shallow()
    history = net.SGD(small_mnist[0], 2, 10, 0.1, *small_mnist[1:])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Epoch 0: validation accuracy {history.validation_accuracy[0]:.2%}"
    assert lines[1:3] == ["This is the best validation accuracy to date.",
                          f"The corresponding test accuracy is {history.test_accuracy[0]:.2%}"]
    best = history.best_epoch
    assert lines[-3:] == ["Finished training network.",
                          f"Best validation accuracy of {history.validation_accuracy[best]:.2%} obtained at "
                          f"iteration {100 * (best + 1) - 1}",
                          f"Corresponding test accuracy of {history.test_accuracy[best]:.2%}"]
    assert isinstance(history, History) and history.epochs == 2 and history.n_validation == 500


def test_best_epoch_is_the_last_of_equal_best():
    history = History(n_validation=10, validation_correct=[5, 7, 7, 6], n_test=10, test_correct=[1, 2, 3, 4])
    assert history.best_epoch == 2 and history.best_test_accuracy == 0.3


# ----- clear errors ------------------------------------------------------------------------------------------------
def test_image_shape_that_does_not_match_the_data_is_refused(small_mnist):
    net = Network([ConvPoolLayer((4, 1, 5, 5), (10, 1, 32, 32)), SoftmaxLayer(4 * 14 * 14, 10)], 10)
    with pytest.raises(ValueError, match=r"images of \(784,\) numbers, but the first layer.*takes 1024.*image_shape"):
        net.SGD(small_mnist[0], 1, 10, 0.1, small_mnist[1])


def test_n_in_that_does_not_match_the_previous_layer_is_refused():
    with pytest.raises(ValueError, match=r"layers\[2\] takes n_in=2880 inputs, but layers\[1\] outputs 40×4×4 = 640 "
                                         r"numbers per image: set n_in=640"):
        Network([ConvPoolLayer((20, 1, 5, 5), (10, 1, 28, 28)), ConvPoolLayer((40, 20, 5, 5), (10, 20, 12, 12)),
                 FullyConnectedLayer(20 * 12 * 12, 100), SoftmaxLayer(100, 10)], 10)
    with pytest.raises(ValueError, match=r"layers\[1\] has image_shape \(10, 20, 14, 14\).*set image_shape="
                                         r"\(10, 20, 12, 12\)"):
        Network([ConvPoolLayer((20, 1, 5, 5), (10, 1, 28, 28)), ConvPoolLayer((40, 20, 5, 5), (10, 20, 14, 14)),
                 SoftmaxLayer(40 * 5 * 5, 10)], 10)


def test_mini_batch_size_mismatches_are_refused(small_mnist):
    with pytest.raises(ValueError, match=r"image_shape \(20, 1, 28, 28\), whose first entry is the mini-batch size, "
                                         r"but the network's mini_batch_size is 10"):
        Network([ConvPoolLayer((20, 1, 5, 5), (20, 1, 28, 28)), SoftmaxLayer(20 * 12 * 12, 10)], 10)
    with pytest.raises(ValueError, match="mini_batch_size is 20, but this network was made for mini-batches of 10"):
        shallow().SGD(small_mnist[0], 1, 20, 0.1, small_mnist[1])


@pytest.mark.parametrize("make, message", [
    (lambda: ConvPoolLayer((20, 3, 5, 5), (10, 1, 28, 28)), "reads 3 input feature map"),
    (lambda: ConvPoolLayer((20, 1, 5), (10, 1, 28, 28)), r"filter_shape must be 4 positive integers"),
    (lambda: ConvPoolLayer((20, 1, 5, 5), (10, 1, 28, 28), poolsize=(25, 25)), "poolsize .* is larger"),
    (lambda: FullyConnectedLayer(784, 100, activation_fn=np.tanh), "activation_fn must be one of"),
    (lambda: FullyConnectedLayer(784, 100, p_dropout=1.0), "p_dropout is the probability"),
    (lambda: Network([SoftmaxLayer(784, 10), FullyConnectedLayer(10, 10)], 10), "last layer must be a SoftmaxLayer"),
    (lambda: Network([FullyConnectedLayer(784, 10, dtype=F64), SoftmaxLayer(10, 10)], 10), "same dtype"),
])
def test_bad_layers_get_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_labels_are_refused(small_mnist):
    images, labels = small_mnist[0]
    with pytest.raises(ValueError, match="labels from 0 to 10, but the SoftmaxLayer has 10 neurons"):
        shallow().SGD((images, np.where(labels == 9, 10, labels)), 1, 10, 0.1, small_mnist[1])
    with pytest.raises(ValueError, match=r"one int label per image \(1000 images\)"):
        shallow().SGD((images, labels[:10]), 1, 10, 0.1, small_mnist[1])
