"""Issue 22, the data side: hostile or misplaced data files, `expanded` on plain lists, the baseline's inputs.

Each test reproduces a defect the loader had: a gzipped file inflated whole
before its header was read, a header believed when it promised more than
the file holds, messages that guessed wrong ("swapped?", "has neither"),
labels that changed form, training and test images of two sizes reaching
the network or the baseline, a baseline that guessed digits it never saw.
"""
import gzip
import os
import resource
import subprocess
import sys
import threading
import tracemalloc
import zlib

import numpy as np
import pytest

from nndl import Network, baselines, mnist
from nndl.mnist import MnistError
from test_mnist import idx_bytes, write_dataset

MiB = 1 << 20


def gzipped_with_zeros(head, n_zeros):
    """A gzip file of ``head`` followed by ``n_zeros`` zero bytes, compressed a block at a time (a few KB per MiB)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    block = bytes(MiB)
    return b"".join([deflate.compress(head), *(deflate.compress(block) for _ in range(n_zeros // MiB)),
                     deflate.flush()])


def images_header(count, rows=28, columns=28):
    """The 16-byte IDX header of ``count`` images of rows × columns unsigned bytes, with none of their data."""
    return bytes([0, 0, 0x08, 3]) + b"".join(n.to_bytes(4, "big") for n in (count, rows, columns))


def peak_memory_of(call):
    """``(error message, peak bytes allocated)`` while ``call()`` raises MnistError."""
    tracemalloc.start()
    try:
        with pytest.raises(MnistError) as error:
            call()
        return str(error.value), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run_cli(*args, memory_limit=None):
    """``python -m nndl ARGS``, optionally with at most ``memory_limit`` bytes of address space."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")  # one BLAS thread: the same address space on any machine
    return subprocess.run([sys.executable, "-m", "nndl", *args], capture_output=True, text=True, timeout=300, env=env,
                          preexec_fn=limit_memory if memory_limit else None)


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for fragment in fragments:
        assert fragment in result.stderr


# ----- item 13: the header is read first, and bounds what is inflated ---------------------------
def test_a_gzip_bomb_with_a_bad_header_is_refused_before_it_is_inflated(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzipped_with_zeros(b"<html>", 64 * MiB))
    message, peak = peak_memory_of(lambda: mnist.load_data(tmp_path, validation_size=2))
    assert "train-images-idx3-ubyte.gz is not an IDX file" in message
    assert peak < 4 * MiB  # the old loader inflated all 64 MiB first


@pytest.mark.parametrize("form, problem", [
    ("raw", "has extra bytes at its end: its header promises (5,) values, 13 bytes with the header, "
            "but the file holds 67108877 bytes"),
    ("gzip", "is truncated or damaged: its header promises (5,) values, 13 bytes with the header, "
             "but the file holds about 67108877 bytes"),
    ("gzip whose trailer lies", "has extra bytes at its end: its header promises (5,) values, 13 bytes with the "
                                "header, but the file holds more than 13 bytes"),
])
def test_no_more_than_the_header_promises_is_read(tmp_path, form, problem):
    write_dataset(tmp_path)
    head = idx_bytes([1, 2, 3, 4, 5])  # 5 labels promised, 64 MiB more follow
    name = "t10k-labels-idx1-ubyte"
    (tmp_path / f"{name}.gz").unlink()
    path = tmp_path / (name if form == "raw" else f"{name}.gz")
    if form == "raw":
        path.write_bytes(head + bytes(64 * MiB))
    else:
        archive = gzipped_with_zeros(head, 64 * MiB)
        lie = len(head).to_bytes(4, "little")  # a trailer that records the length the header promises
        path.write_bytes(archive if form == "gzip" else archive[:-4] + lie)
    message, peak = peak_memory_of(lambda: mnist.load_data(tmp_path, validation_size=2))
    assert f"{path} {problem}" in message
    assert peak < 4 * MiB


@pytest.mark.parametrize("compress", [True, False])
def test_a_header_that_promises_more_than_the_file_holds_is_refused_before_reading(tmp_path, compress):
    write_dataset(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    if compress:  # 64 MiB of zeros in 64 KB: the old loader inflated them all, then said "is truncated"
        path.write_bytes(gzipped_with_zeros(images_header(1_000_000), 64 * MiB))
    else:
        path.unlink()
        path = tmp_path / "train-images-idx3-ubyte"
        path.write_bytes(images_header(1_000_000) + bytes(64 * MiB))
    message, peak = peak_memory_of(lambda: mnist.load_data(tmp_path, validation_size=2))
    problem, about = ("is truncated or damaged", "about ") if compress else ("is truncated", "")
    assert message == (f"{path} {problem}: its header promises 1000000 images of 28×28, 784000016 bytes with the "
                       f"header, but the file holds {about}67108880 bytes; copy or download the file again")
    assert peak < 4 * MiB


def test_the_checksum_is_taken_only_after_the_header_is_checked(tmp_path, monkeypatch):
    write_dataset(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzipped_with_zeros(b"<html>", 64 * MiB))
    monkeypatch.setattr(mnist, "DATA_DIR", tmp_path)
    monkeypatch.setattr(mnist, "SHIPPED_DIR", tmp_path.resolve())
    message, peak = peak_memory_of(mnist.load_data)
    assert "is not an IDX file" in message and peak < 4 * MiB  # was: all of it inflated, then "does not match"


def test_a_truncated_or_damaged_shipped_file_is_restored_with_git(tmp_path, monkeypatch):
    write_dataset(tmp_path)
    monkeypatch.setattr(mnist, "DATA_DIR", tmp_path)
    monkeypatch.setattr(mnist, "SHIPPED_DIR", tmp_path.resolve())
    images = tmp_path / "train-images-idx3-ubyte.gz"  # the first file read
    original = images.read_bytes()
    images.write_bytes(gzip.compress(gzip.decompress(original)[:-1]))
    with pytest.raises(MnistError, match="truncated or damaged: .* about 9423 bytes; .*git checkout -- data/mnist"):
        mnist.load_data()  # was: "does not match the original", or "copy or download the file again"
    images.write_bytes(original[:10] + bytes(50) + original[60:])
    with pytest.raises(MnistError, match="damaged gzip archive .*git checkout -- data/mnist"):
        mnist.load_data()


@pytest.mark.parametrize("header, message", [
    (b"<html>", "train-images-idx3-ubyte.gz is not an IDX file"),
    (images_header(1_000_000), "train-images-idx3-ubyte.gz is truncated or damaged: its header promises "
                               "1000000 images of 28×28, 784000016 bytes with the header, but the file holds about"),
])
def test_the_cli_refuses_a_gzip_bomb_within_a_memory_limit(tmp_path, header, message):
    write_dataset(tmp_path)  # the command needs ~300 MB; the old loader inflated 512 MiB, then said "not enough memory"
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzipped_with_zeros(header, 512 * MiB))
    result = run_cli("baseline", "--data", str(tmp_path), "--validation-size", "2", memory_limit=600 * MiB)
    assert_one_line_error(result, message)


# ----- item 17: true messages for the wrong kind of file ----------------------------------------
def test_a_float_typed_idx_file_is_named_as_such(tmp_path):
    write_dataset(tmp_path, compress=False)
    header = bytes([0, 0, 0x0D, 1]) + (5).to_bytes(4, "big")  # 5 labels as float32
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(header + np.arange(5, dtype=">f4").tobytes())
    with pytest.raises(MnistError) as error:
        mnist.load_data(tmp_path, validation_size=2)
    assert str(error.value) == (f"{tmp_path}/t10k-labels-idx1-ubyte holds float32 data (IDX type 0x0D); "
                                "MNIST files hold unsigned bytes (0x08)")


def test_images_with_the_wrong_number_of_dimensions_are_not_called_swapped(tmp_path):
    write_dataset(tmp_path, compress=False)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((5, 784))))
    with pytest.raises(MnistError) as error:
        mnist.load_data(tmp_path, validation_size=2)
    assert "has 2 dimensions (magic number 2050), but images have 3 (magic number 2051)" in str(error.value)
    assert "swapped" not in str(error.value)


@pytest.mark.parametrize("kind", ["folder", "named pipe (FIFO)"])
def test_a_folder_or_fifo_in_place_of_a_data_file(tmp_path, kind):
    write_dataset(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    in_place = tmp_path / "t10k-labels-idx1-ubyte"
    in_place.mkdir() if kind == "folder" else os.mkfifo(in_place)
    with pytest.raises(MnistError) as error:
        mnist.load_data(tmp_path, validation_size=2)
    assert str(error.value) == f"{in_place} is a {kind}, not a file: put the IDX file there"


def test_a_folder_named_like_the_gzipped_file_is_not_passed_over(tmp_path):
    write_dataset(tmp_path, compress=False)
    (tmp_path / "train-images-idx3-ubyte.gz").mkdir()
    with pytest.raises(MnistError, match="train-images-idx3-ubyte.gz is a folder, not a file"):
        mnist.load_data(tmp_path, validation_size=2)


def test_read_idx_refuses_a_fifo_without_opening_it(tmp_path):
    fifo = tmp_path / "t10k-labels-idx1-ubyte"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(idx_bytes([1, 2]),), daemon=True)
    writer.start()  # waits for a reader: the old read_idx opened the FIFO and parsed what came through it
    with pytest.raises(MnistError, match=r"t10k-labels-idx1-ubyte is a named pipe \(FIFO\), not a file"):
        mnist.read_idx(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer finish
    writer.join()
    os.close(reader)


def test_a_broken_link_in_place_of_a_data_file(tmp_path):
    write_dataset(tmp_path)
    link = tmp_path / "t10k-labels-idx1-ubyte.gz"
    link.unlink()
    link.symlink_to(tmp_path / "elsewhere.gz")
    with pytest.raises(MnistError, match=f"{link} is a link to {tmp_path}/elsewhere.gz, which does not exist"):
        mnist.load_data(tmp_path, validation_size=2)


# ----- item 16: expanded() keeps each label in the form it came in ------------------------------
def test_expanded_keeps_int_labels_and_sgd_accepts_them(tmp_path):
    write_dataset(tmp_path)
    _, validation, _ = mnist.load_data(tmp_path, validation_size=10)
    labels = [y for _, y in validation]
    for data in (validation, list(validation)):  # with its rows, and as a plain list of (x, int) pairs
        expanded = mnist.expanded(data)
        assert [expanded[s * 10 + i][1] for s in (0, 4) for i in range(10)] == labels * 2
        assert all(type(expanded[i][1]) is int for i in (0, 49))
        history = Network([784, 5, 10], seed=0).SGD(expanded, 1, 10, 3.0, quiet=True, monitor_training_accuracy=True)
        assert history.n_training == 50


# ----- the average-darkness baseline ------------------------------------------------------------
@pytest.mark.parametrize("command", ["train", "baseline"])
def test_training_and_test_images_of_two_sizes_are_refused_by_the_loader(tmp_path, command):
    write_dataset(tmp_path, compress=False)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((5, 20, 20))))
    # was, from train: "test_data[0] has an input x of shape (400, 1), but this network's first layer has 784 neurons"
    assert_one_line_error(run_cli(command, "--data", str(tmp_path), "--validation-size", "2"),
                          f"error: the training and test images differ in size: {tmp_path}/train-images-idx3-ubyte "
                          f"holds images of 28×28, {tmp_path}/t10k-images-idx3-ubyte of 20×20; a network or the "
                          "baseline needs one size for both")


def test_the_baseline_refuses_splits_of_two_sizes_given_to_it_directly():
    training = mnist.Split(np.zeros((2, 784)), np.array([0, 1]))  # e.g. from two data sets' load_arrays
    test = mnist.Split(np.zeros((2, 400)), np.array([0, 1]))
    with pytest.raises(ValueError, match="the training images have 784 pixels each but the test images 400"):
        baselines.average_darkness_accuracy(training, test)


def test_baseline_never_guesses_a_digit_without_training_images():
    training = mnist.Split(np.array([[0.2, 0.2], [0.4, 0.4], [0.6, 0.6]]), np.array([3, 5, 7]))
    averages = baselines.average_darkness(training)
    np.testing.assert_allclose(averages[[3, 5, 7]], [0.4, 0.8, 1.2])
    assert np.isinf(np.delete(averages, [3, 5, 7])).all()
    blank = mnist.Split(np.zeros((2, 2)), np.array([0, 3]))
    assert baselines.guess_digits(averages, blank.images).tolist() == [3, 3]  # was 0: an average of 0 for unseen digits
    assert baselines.average_darkness_accuracy(training, blank) == (1, 2)
