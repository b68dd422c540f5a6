"""``python -m nndl train --network3 NAME`` (issue 20, item 3): chapter 6's runs from the command line."""
import re
import shlex
import signal
import subprocess
import sys

import numpy as np
import pytest

from nndl import network3
from nndl.cli import BOOK_RUNS, main, majority_vote
from nndl.mistakes import load_mistakes
from nndl.mnist import load_arrays
from test_cli import assert_one_line_error, run
from test_mnist import write_dataset

TINY = ["--validation-size", "100", "--seed", "0"]
"""With the ``tiny`` data set: 300 training images (30 mini-batches of 10), 100 for validation, 50 test images."""

# Chapter 6 of the book (chap6.html and src/conv.py), copied: each run's layers, its
# net.SGD(training_data, epochs, mini_batch_size, eta, validation_data, test_data, lmbda), whether it trains on
# the expanded data, and the test accuracy the book reports.  Mini-batches of 10 throughout.
CONV = "ConvPoolLayer(filter_shape=(20, 1, 5, 5), image_shape=(10, 1, 28, 28), poolsize=(2, 2), activation_fn={f})"
CONV_2 = ("ConvPoolLayer(filter_shape=(40, 20, 5, 5), image_shape=(10, 20, 12, 12), poolsize=(2, 2), "
          "activation_fn={f})")
BOOK = {
    "shallow": (["FullyConnectedLayer(n_in=784, n_out=100, activation_fn=sigmoid)",
                 "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.1, 0.0, False, 97.80),
    "conv1": ([CONV.format(f="sigmoid"), "FullyConnectedLayer(n_in=2880, n_out=100, activation_fn=sigmoid)",
               "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.1, 0.0, False, 98.78),
    "conv2": ([CONV.format(f="sigmoid"), CONV_2.format(f="sigmoid"),
               "FullyConnectedLayer(n_in=640, n_out=100, activation_fn=sigmoid)",
               "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.1, 0.0, False, 99.06),
    "relu": ([CONV.format(f="ReLU"), CONV_2.format(f="ReLU"),
              "FullyConnectedLayer(n_in=640, n_out=100, activation_fn=ReLU)",
              "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.03, 0.1, False, 99.23),
    "expanded": ([CONV.format(f="ReLU"), CONV_2.format(f="ReLU"),
                  "FullyConnectedLayer(n_in=640, n_out=100, activation_fn=ReLU)",
                  "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.03, 0.1, True, 99.37),
    "extra-fc": ([CONV.format(f="ReLU"), CONV_2.format(f="ReLU"),
                  "FullyConnectedLayer(n_in=640, n_out=100, activation_fn=ReLU)",
                  "FullyConnectedLayer(n_in=100, n_out=100, activation_fn=ReLU)",
                  "SoftmaxLayer(n_in=100, n_out=10)"], 60, 0.03, 0.1, True, 99.43),
    "dropout": ([CONV.format(f="ReLU"), CONV_2.format(f="ReLU"),
                 "FullyConnectedLayer(n_in=640, n_out=1000, activation_fn=ReLU, p_dropout=0.5)",
                 "FullyConnectedLayer(n_in=1000, n_out=1000, activation_fn=ReLU, p_dropout=0.5)",
                 "SoftmaxLayer(n_in=1000, n_out=10, p_dropout=0.5)"], 40, 0.03, 0.0, True, 99.60),
}
BOOK["ensemble"] = BOOK["dropout"][:-1] + (99.67,)  # five of the dropout networks, voting


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """400 random training images and 50 test images in MNIST's format: enough for the transcript's shape."""
    folder = tmp_path_factory.mktemp("tiny-mnist")
    write_dataset(folder, n_train=400, n_test=50)
    return ["--data", str(folder)]


def sgd_calls(monkeypatch, *args):
    """Run ``train`` in this process with network3's SGD recorded, not run: (layers, data size, epochs, m, η, λ)."""
    calls = []

    def recorded(net, training_data, epochs, mini_batch_size, eta, validation_data, test_data, lmbda, **options):
        calls.append(([repr(layer) for layer in net.layers], len(training_data), epochs, mini_batch_size, eta, lmbda))

    monkeypatch.setattr(network3.Network, "SGD", recorded)
    assert main(["train", *args]) == 0
    return calls


# ----- the book's hyper-parameters are the defaults -------------------------------------------------------------
@pytest.mark.parametrize("name", BOOK)
def test_each_run_trains_the_books_network_with_the_books_hyper_parameters(monkeypatch, tiny, name):
    layers, epochs, eta, lmbda, expanded, accuracy = BOOK[name]
    calls = sgd_calls(monkeypatch, "--network3", name, *tiny, *TINY)
    networks = 5 if name == "ensemble" else 1
    assert calls == [(layers, 300 * (5 if expanded else 1), epochs, 10, eta, lmbda)] * networks
    assert f"{100 * BOOK_RUNS[name].book_accuracy:.2f}" == f"{accuracy:.2f}"


def test_epochs_eta_lmbda_and_mini_batch_size_override_the_books(monkeypatch, tiny):
    calls = sgd_calls(monkeypatch, "--network3", "relu", *tiny, *TINY, "--epochs", "2", "--eta", "0.5",
                      "--lmbda", "0", "--mini-batch-size", "20")
    layers, n, epochs, mini_batch_size, eta, lmbda = calls[0]
    assert (epochs, mini_batch_size, eta, lmbda) == (2, 20, 0.5, 0.0)  # λ = 0 given is not the book's 0.1
    assert layers[0].startswith("ConvPoolLayer(filter_shape=(20, 1, 5, 5), image_shape=(20, 1, 28, 28)")


def test_the_ensemble_votes_like_the_books_counter():
    # Four networks' labels for two images: 1, 1, 2, 2 is a tie, won by the earliest network's 1; 3 has most votes.
    assert majority_vote([[1, 2], [1, 3], [2, 3], [2, 4]]) == [1, 3]
    assert majority_vote([[7, 0, 5]]) == [7, 0, 5]


# ----- each run through the command line, at a tiny scale -------------------------------------------------------
PERCENT = r"\d{1,3}\.\d\d%"


def assert_books_transcript(lines, iterations):
    """One epoch's transcript of the book's network3.SGD, which ends with the test accuracy at the best epoch."""
    assert len(lines) == 6, lines
    patterns = [f"Epoch 0: validation accuracy {PERCENT}", "This is the best validation accuracy to date.",
                f"The corresponding test accuracy is ({PERCENT})", "Finished training network.",
                f"Best validation accuracy of {PERCENT} obtained at iteration {iterations - 1}",
                f"Corresponding test accuracy of ({PERCENT})"]
    found = [re.fullmatch(pattern, line) for pattern, line in zip(patterns, lines)]
    assert all(found), list(zip(patterns, lines))
    assert found[2].group(1) == found[5].group(1)


@pytest.mark.parametrize("name", [name for name in BOOK if name != "ensemble"])
def test_each_run_prints_the_books_transcript(tiny, name):
    result = run("train", "--network3", name, "--epochs", "1", *tiny, *TINY)
    assert result.returncode == 0, result.stderr
    assert_books_transcript(result.stdout.splitlines(), 150 if BOOK[name][4] else 30)  # 300 images, or 1,500


def test_the_ensemble_prints_five_transcripts_and_the_vote(tiny):
    result = run("train", "--network3", "ensemble", "--epochs", "1", *tiny, *TINY)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5 * 7 + 1
    for k in range(5):
        assert lines[7 * k] == f"Network {k + 1} of 5 (seed {k})"
        assert_books_transcript(lines[7 * k + 1:7 * k + 7], 150)
    assert re.fullmatch(f"Majority vote of the 5 networks: test accuracy {PERCENT}", lines[-1])


def test_same_seed_same_run_another_seed_another(tiny):
    runs = [run("train", "--network3", "dropout", "--epochs", "2", *tiny, "--validation-size", "100",
                "--seed", seed).stdout for seed in ("3", "3", "4")]
    assert runs[0] == runs[1] != runs[2]


# ----- bad combinations: one line, exit status 2 --------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--sizes", "784", "30", "10"], "--network3 sets the layers, activation, dropout and data itself, so it does "
                                     "not take --sizes (options of chapters 1 and 3); it takes --epochs, --eta"),
    (["--activation", "relu"], "does not take --activation"),
    (["--cost", "log-likelihood", "--momentum", "0.5"], "does not take --cost, --momentum"),
    (["--dropout", "0.5"], "does not take --dropout"),
    (["--expand"], "does not take --expand"),
    (["--evaluate-on", "test"], "does not take --evaluate-on"),  # a default written out is refused too
    (["--init", "scaled", "--early-stopping", "5", "--halve-eta", "5"],
     "does not take --init, --early-stopping, --halve-eta"),
    (["--save", "net.npz"], "--save does not work with --network3: chapter 6's networks cannot be saved yet"),
    (["--eta", "0"], "eta must be a positive, finite number, got 0.0"),
    (["--lmbda", "-1"], "lmbda must be a number >= 0, got -1.0"),
    (["--epochs", "0"], "epochs must be an integer >= 1, got 0"),
    (["--mini-batch-size", "0"], "mini_batch_size must be an integer >= 1, got 0"),
    (["--seed", "-1"], "seed must be a non-negative integer or None, got -1"),
    ([], "no-data-here does not exist"),
])
def test_bad_options_are_one_line_before_the_data_are_read(tmp_path, args, message):
    nowhere = ["--data", str(tmp_path / "no-data-here")]  # a missing folder: the options are refused before it
    assert_one_line_error(run("train", "--network3", "conv2", *nowhere, *args), message)


def test_bad_names_and_data_that_do_not_fit_are_one_line(tiny):
    assert_one_line_error(run("train", "--network3", "lenet"), "argument --network3: invalid choice: 'lenet'")
    assert_one_line_error(run("train", "--network3", "conv1", *tiny, "--validation-size", "0"),
                          "chooses the best epoch by the validation accuracy: give --validation-size above 0")
    assert_one_line_error(run("train", "--network3", "shallow", *tiny, *TINY, "--mini-batch-size", "500"),
                          "training_data holds 300 images, fewer than one mini-batch of 500")


# ----- --mistakes: the test images the network gets wrong, for notebook 14 ---------------------------------------
def test_mistakes_are_those_of_the_ensembles_majority_vote(monkeypatch, tiny, tmp_path):
    # Each network's answers are set: network 1 is always right, 2-4 say label + 1 on the first ten images, and 5
    # says label + 2 everywhere, so the vote is wrong on the first ten images only, and no single network is.
    labels = read_test_labels(tiny[1])
    answers = [labels.copy(), *[labels.copy() for _ in range(3)], (labels + 2) % 10]
    for wrong in answers[1:4]:
        wrong[:10] = (labels[:10] + 1) % 10
    monkeypatch.setattr(network3.Network, "SGD", lambda *args, **kwargs: None)
    given = iter(answers)
    monkeypatch.setattr(network3.Network, "feedforward", lambda net, x: np.eye(10)[next(given)])
    saved = tmp_path / "mistakes.json"
    assert main(["train", "--network3", "ensemble", *tiny, *TINY, "--mistakes", str(saved)]) == 0
    listed = load_mistakes(saved)
    assert listed["mistakes"] == [{"index": i, "label": int(labels[i]), "answer": int(labels[i] + 1) % 10}
                                  for i in range(10)]
    assert listed["run"] == shlex.join(["python", "-m", "nndl", "train", "--network3", "ensemble", *tiny, *TINY,
                                        "--mistakes", str(saved)])


def test_mistakes_run_the_ensemble_and_agree_with_its_vote(tiny, tmp_path):
    saved = tmp_path / "my mistakes.json"
    result = run("train", "--network3", "ensemble", "--epochs", "1", *tiny, *TINY, "--mistakes", str(saved))
    listed = assert_saved_as_printed(result, saved, "Majority vote of the 5 networks: test accuracy")
    assert listed["mistakes"], "random images: the vote gets some wrong"
    assert listed["run"].endswith(f"--mistakes '{saved}'")  # a name with a space, quoted as a shell needs
    labels = read_test_labels(tiny[1])
    for m in listed["mistakes"]:
        assert m["label"] == labels[m["index"]] != m["answer"]
    assert f"Saved the {len(listed['mistakes'])} misclassified test images to {saved}" in result.stdout


def test_mistakes_of_one_network_are_those_after_its_last_epoch(tiny, tmp_path):
    saved = tmp_path / "mistakes.json"
    result = run("train", "--network3", "shallow", "--epochs", "3", *tiny, *TINY, "--mistakes", str(saved))
    assert_saved_as_printed(result, saved, "After the last epoch: test accuracy")
    assert "After the last epoch" not in run("train", "--network3", "shallow", "--epochs", "1", *tiny, *TINY).stdout


def test_mistakes_never_replaces_a_file_of_another_kind_and_needs_network3(tiny, tmp_path):
    kept = tmp_path / "notes.json"
    kept.write_text('{"mine": 1}')
    refused = run("train", "--network3", "shallow", "--epochs", "1", *tiny, *TINY, "--mistakes", str(kept))
    assert_one_line_error(refused, "notes.json exists and is not a saved list of mistakes, and saving would replace it")
    assert "Epoch" not in refused.stdout  # refused before the training, not after it
    assert kept.read_text() == '{"mine": 1}'
    assert_one_line_error(run("train", "--network3", "shallow", *tiny, *TINY, "--mistakes", str(tmp_path)),
                          f"it is a folder; give a file name, such as {tmp_path / 'mistakes.json'}")
    assert_one_line_error(run("train", "--epochs", "1", *tiny, "--mistakes", str(tmp_path / "m.json")),
                          "--mistakes works with --network3 only")


def test_a_signal_during_training_says_the_mistakes_were_not_saved(tiny, tmp_path):
    saved = tmp_path / "mistakes.json"
    process = subprocess.Popen([sys.executable, "-m", "nndl", "train", "--network3", "shallow", "--epochs", "50",
                                *tiny, *TINY, "--mistakes", str(saved)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    next(line for line in process.stdout if line.startswith("Epoch 0"))
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert err.strip() == f"interrupted: training stopped early, and the mistakes were not saved to {saved}"
    assert not saved.exists()


def assert_saved_as_printed(result, saved, line):
    """The run succeeded and the accuracy its ``line`` printed counts the mistakes ``saved`` holds; returns them."""
    assert result.returncode == 0, result.stderr
    printed = re.search(rf"{line} ([\d.]+)%", result.stdout)
    listed = load_mistakes(saved)
    assert listed["test_images"] == 50
    assert float(printed.group(1)) == pytest.approx(100 * (1 - len(listed["mistakes"]) / 50), abs=0.005)
    return listed


def read_test_labels(folder):
    return load_arrays(folder, validation_size=100).test.labels
