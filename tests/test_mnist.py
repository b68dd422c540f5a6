"""The MNIST loader: IDX parsing and its errors on files the tests write, then the shipped data."""
import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from nndl import mnist
from nndl.mnist import MnistError


def idx_bytes(array, magic_type=0x08):
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, magic_type, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def write_dataset(folder, n_train=12, n_test=5, compress=True, seed=0):
    """A tiny data set in MNIST's four-file format; returns its images and labels."""
    rng = np.random.default_rng(seed)
    parts = {}
    for part, n in (("train", n_train), ("test", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        parts[part] = images, labels
        for kind, array in (("images", images), ("labels", labels)):
            name = mnist.FILES[f"{part}_{kind}"]
            data = idx_bytes(array)
            if compress:
                (folder / f"{name}.gz").write_bytes(gzip.compress(data))
            else:
                (folder / name).write_bytes(data)
    return parts


@pytest.mark.parametrize("compress", [True, False])
def test_valid_files_in_the_books_formats(tmp_path, compress):
    parts = write_dataset(tmp_path, compress=compress)
    training, validation, test = mnist.load_data(tmp_path, validation_size=2)
    assert (len(training), len(validation), len(test)) == (10, 2, 5)
    x, y = training[3]
    assert x.shape == (784, 1) and y.shape == (10, 1) and y.sum() == 1
    np.testing.assert_allclose(x[:, 0], parts["train"][0][3].reshape(-1) / 255, rtol=1e-6)
    assert int(np.argmax(y)) == parts["train"][1][3]
    assert validation[1][1] == parts["train"][1][11] and isinstance(validation[1][1], int)
    assert test[4][1] == parts["test"][1][4]
    assert 0 <= x.min() and x.max() <= 1


def test_lists_are_views_into_one_read_only_array(tmp_path):
    write_dataset(tmp_path)
    arrays = mnist.load_arrays(tmp_path, validation_size=2)
    training, _, _ = mnist.load_data(tmp_path, validation_size=2)
    assert np.shares_memory(training[0][0], arrays.training.images)
    assert not arrays.training.images.flags.writeable
    assert arrays.training.images.shape == (10, 784) and arrays.training.images.dtype == np.float32


def test_one_hot():
    np.testing.assert_array_equal(mnist.one_hot([2, 0]), [[0, 0, 1] + [0] * 7, [1] + [0] * 9])


def corrupt(tmp_path, name, transform):
    write_dataset(tmp_path, compress=False)
    path = tmp_path / name
    path.write_bytes(transform(path.read_bytes()))
    with pytest.raises(MnistError) as error:
        mnist.load_data(tmp_path, validation_size=2)
    return str(error.value)


def test_truncated_payload(tmp_path):
    message = corrupt(tmp_path, "train-images-idx3-ubyte", lambda b: b[:-100])
    assert ("train-images-idx3-ubyte is truncated: its header promises 12 images of 28×28, 9424 bytes with the "
            "header, but the file holds 9324 bytes") in message


def test_extra_bytes(tmp_path):
    assert "extra bytes" in corrupt(tmp_path, "t10k-labels-idx1-ubyte", lambda b: b + b"\0")


def test_truncated_header(tmp_path):
    assert "truncated inside its header" in corrupt(tmp_path, "train-images-idx3-ubyte", lambda b: b[:9])


def test_wrong_magic_is_named(tmp_path):
    message = corrupt(tmp_path, "train-images-idx3-ubyte", lambda b: bytes([0, 0, 8, 1]) + b[4:])
    assert "magic number 2049" in message and "need 2051" in message and "swapped" in message


def test_not_an_idx_file(tmp_path):
    message = corrupt(tmp_path, "train-labels-idx1-ubyte", lambda b: b"<html>" + b)
    assert "not an IDX file" in message and "train-labels-idx1-ubyte" in message


def test_image_and_label_counts_differ(tmp_path):
    write_dataset(tmp_path, compress=False)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(4)))
    with pytest.raises(MnistError, match="has 5 images but t10k-labels-idx1-ubyte has 4 labels"):
        mnist.load_data(tmp_path, validation_size=2)


def test_label_out_of_range(tmp_path):
    write_dataset(tmp_path, compress=False)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes([1, 2, 3, 4, 11]))
    with pytest.raises(MnistError, match="label 11"):
        mnist.load_data(tmp_path, validation_size=2)


def test_damaged_gzip(tmp_path):
    write_dataset(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # its last 4 bytes, where gzip records the length, are lost
    with pytest.raises(MnistError, match="train-images-idx3-ubyte.gz is truncated or damaged: .* holds about"):
        mnist.load_data(tmp_path, validation_size=2)
    path.write_bytes(data[:10] + bytes(50) + data[60:])
    with pytest.raises(MnistError, match="train-images-idx3-ubyte.gz is a damaged gzip archive"):
        mnist.load_data(tmp_path, validation_size=2)


def test_missing_file_and_folder(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(MnistError, match="neither t10k-images-idx3-ubyte.gz nor t10k-images-idx3-ubyte"):
        mnist.load_data(tmp_path, validation_size=2)
    with pytest.raises(MnistError, match="does not exist"):
        mnist.load_data(tmp_path / "nowhere")


def test_bad_validation_size(tmp_path):
    write_dataset(tmp_path)
    with pytest.raises(ValueError, match="validation_size must be from 0 to 11, since .* has 12 training images, got 12"):
        mnist.load_data(tmp_path, validation_size=12)


def test_checksum_mismatch_on_shipped_data_is_reported(tmp_path, monkeypatch):
    write_dataset(tmp_path)  # same file names as MNIST, other contents
    monkeypatch.setattr(mnist, "DATA_DIR", tmp_path)
    monkeypatch.setattr(mnist, "SHIPPED_DIR", tmp_path.resolve())
    with pytest.raises(MnistError, match="does not match the original MNIST file .*git checkout -- data/mnist"):
        mnist.load_data()


def test_nndl_data_dir_at_another_data_set_says_to_pass_its_folder(tmp_path, monkeypatch):
    write_dataset(tmp_path)
    monkeypatch.setattr(mnist, "DATA_DIR", tmp_path)  # as NNDL_DATA_DIR=tmp_path would
    with pytest.raises(MnistError, match=f"NNDL_DATA_DIR points at {tmp_path.resolve()}.*pass its folder") as error:
        mnist.load_data()
    assert "git checkout" not in str(error.value)
    assert len(mnist.load_data(tmp_path, validation_size=2)[0]) == 10  # as the message says


def test_a_file_given_as_the_folder(tmp_path):
    (tmp_path / "data.gz").write_bytes(b"")
    with pytest.raises(MnistError, match="data.gz is a file, not a folder: pass the folder that holds"):
        mnist.load_data(tmp_path / "data.gz")


def test_no_images(tmp_path):
    write_dataset(tmp_path, n_train=0)
    with pytest.raises(MnistError, match=r"train-images-idx3-ubyte.gz holds no images: .* \(0, 28, 28\)"):
        mnist.load_data(tmp_path, validation_size=0)


def test_header_dimensions_whose_product_overflows_int64():
    header = bytes([0, 0, 0x08, 3]) + (2**31).to_bytes(4, "big") * 3  # 2**93 values promised, none given
    with pytest.raises(MnistError, match="truncated: its header promises 2147483648 images of 2147483648×2147483648"):
        mnist.parse_idx(header, "huge")


@pytest.mark.parametrize("size", [2.5, 2.0, "2", True])
def test_validation_size_must_be_a_whole_number(tmp_path, size):
    write_dataset(tmp_path)
    with pytest.raises(ValueError, match=f"validation_size must be a whole number of images, got {size!r}"):
        mnist.load_data(tmp_path, validation_size=size)


# ----- the shipped data --------------------------------------------------------------------------
def test_shipped_files_have_the_original_checksums():
    listed = dict(line.split()[::-1] for line in (mnist.DATA_DIR / "SHA256SUMS").read_text().splitlines())
    assert listed == mnist.SHA256
    for name, digest in mnist.SHA256.items():
        raw = gzip.decompress((mnist.DATA_DIR / f"{name}.gz").read_bytes())
        assert hashlib.sha256(raw).hexdigest() == digest


def test_shipped_mnist_split_and_class_counts():
    arrays = mnist.load_arrays()
    assert [len(s.labels) for s in arrays] == [50_000, 10_000, 10_000]
    all_training = np.concatenate([arrays.training.labels, arrays.validation.labels])
    assert np.sum(all_training == 0) == 5923
    assert np.sum(arrays.test.labels == 1) == 1135
    training, validation, test = mnist.load_data()
    assert training[0][0].shape == (784, 1) and int(np.argmax(training[0][1])) == 5  # the book's first digit
    assert [y for _, y in test[:3]] == [7, 2, 1]


def test_fashion_mnist_from_debian_if_installed():
    folder = Path("/usr/share/datasets/fashion-mnist")
    if not folder.is_dir():
        pytest.skip("Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
    training, validation, test = mnist.load_data(folder)
    assert (len(training), len(validation), len(test)) == (50_000, 10_000, 10_000)


def test_lists_keep_their_rows_and_train_exactly_as_the_pairs_do(tmp_path):
    import random

    from nndl.network import Network

    write_dataset(tmp_path, n_train=40)
    arrays = mnist.load_arrays(tmp_path, validation_size=2)
    training, _, test = mnist.load_data(tmp_path, validation_size=2)
    inputs, targets = training.as_rows()
    assert inputs is arrays.training.images and np.array_equal(targets, mnist.one_hot(arrays.training.labels))
    assert training[5:9].as_rows()[0].tolist() == arrays.training.images[5:9].tolist()  # a slice keeps rows
    for dtype in (np.float32, np.float64):
        runs = []
        for data in (training, list(training)):  # with its rows, and as a plain list stacked pair by pair
            net = Network([784, 5, 10], seed=1, dtype=dtype)
            history = net.SGD(data, 2, 4, 3.0, test_data=test, quiet=True, monitor_cost=True)
            runs.append((net, history))
        (a, ha), (b, hb) = runs
        assert ha == hb and all(np.array_equal(u, v) for u, v in zip(a.weights + a.biases, b.weights + b.biases))
    random.Random(0).shuffle(training)
    assert training.as_rows() is None  # changed: the pairs count, not the rows
    net, again = Network([784, 5, 10], seed=1), Network([784, 5, 10], seed=1)
    net.SGD(training, 1, 4, 3.0, quiet=True)
    again.SGD(list(training), 1, 4, 3.0, quiet=True)
    assert np.array_equal(net.weights[0], again.weights[0])


def test_an_empty_validation_set_is_refused_for_training(tmp_path):
    from nndl.network import Network

    write_dataset(tmp_path)
    _, validation, _ = mnist.load_data(tmp_path, validation_size=0)
    with pytest.raises(ValueError, match="training_data is empty"):
        Network([784, 10]).SGD(validation, 1, 1, 1.0, quiet=True)


# ----- the expanded training set (chapter 3) ---------------------------------------------------
def shifted_by_hand(image, down, right):
    """The 28 × 28 image moved by (down, right) pixels, white (0) where nothing moves in: np.roll, edges cleared."""
    moved = np.roll(image.reshape(28, 28), (down, right), axis=(0, 1))
    if down:
        moved[0 if down > 0 else -1, :] = 0
    if right:
        moved[:, 0 if right > 0 else -1] = 0
    return moved.reshape(-1)


@pytest.mark.parametrize("as_plain_list", [False, True])
def test_expanded_holds_each_image_and_its_four_one_pixel_shifts(tmp_path, as_plain_list):
    write_dataset(tmp_path)
    training, _, _ = mnist.load_data(tmp_path, validation_size=2)
    data = list(training) if as_plain_list else training
    expanded = mnist.expanded(data)
    assert len(expanded) == 50
    images, targets = expanded.as_rows()
    for s, (down, right) in enumerate([(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]):
        for i in (0, 7):
            x, y = expanded[s * 10 + i]
            np.testing.assert_array_equal(x[:, 0], shifted_by_hand(training[i][0][:, 0], down, right))
            np.testing.assert_array_equal(y, training[i][1])
    rows = np.array([3, 41, 17])
    np.testing.assert_array_equal(images[rows], np.array([expanded[i][0][:, 0] for i in rows]))
    np.testing.assert_array_equal(images[10:13], images[np.arange(10, 13)])
    assert targets.shape == (50, 10)


def test_training_on_the_expanded_set(tmp_path):
    from nndl import Network

    write_dataset(tmp_path)
    training, _, test = mnist.load_data(tmp_path, validation_size=2)
    history = Network([784, 5, 10], cost="cross-entropy", seed=0).SGD(mnist.expanded(training), 1, 10, 0.5, test,
                                                                      quiet=True, monitor_training_accuracy=True)
    assert history.n_training == 50 and 0 <= history.training_correct[0] <= 50


def test_expanded_needs_square_images():
    with pytest.raises(ValueError, match="not square"):
        mnist.expanded([(np.zeros((10, 1)), 0)])
    with pytest.raises(TypeError, match="a list of \\(x, y\\) pairs"):
        mnist.expanded(5)
