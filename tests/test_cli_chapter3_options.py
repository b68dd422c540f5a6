"""``--momentum`` and ``--activation`` on ``python -m nndl train`` (issue 19), run as a learner would."""
import numpy as np
import pytest

from nndl import Network, mnist
from test_cli import assert_one_line_error, run, tiny, tiny_data  # noqa: F401 (tiny_data is a fixture)


def test_the_issues_command_prints_the_books_lines_and_matches_the_package(tmp_path):
    """The issue's command, cut to 2 epochs and 5,000 images, gives the package's run line for line."""
    saved = tmp_path / "net.npz"
    args = ["--sizes", "784", "30", "10", "--cost", "cross-entropy", "--lmbda", "5", "--eta", "0.5",
            "--momentum", "0.5", "--epochs", "2", "--evaluate-on", "validation", "--seed", "0",
            "--validation-size", "45000", "--activation", "tanh"]
    result = run("train", *args, "--save", str(saved))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Epoch 0 training complete" and lines[1].startswith("Accuracy on evaluation data: ")
    training, validation, _ = mnist.load_data(validation_size=45_000)
    net = Network([784, 30, 10], cost="cross-entropy", seed=0, dtype=np.float32, activation="tanh")
    history = net.SGD(training, 2, 10, 0.5, validation, lmbda=5.0, mu=0.5, quiet=True)
    assert [int(line.split()[-3]) for line in lines if line.startswith("Accuracy")] == history.test_correct
    assert history.test_correct[-1] > 0.7 * 45_000  # it learns (chance is 10%)
    loaded = Network.load(saved)
    assert loaded.activation.name == "tanh"
    assert all(np.array_equal(a, b) for a, b in zip(loaded.weights, net.weights))


def test_momentum_changes_the_cli_run(tiny_data, tmp_path):  # noqa: F811
    common = ["--sizes", "784", "5", "10", "--epochs", "2", "--seed", "1"]
    for name, extra in (("plain", []), ("moving", ["--momentum", "0.9"])):
        result = run("train", *tiny(tiny_data, *common, *extra, "--save", str(tmp_path / f"{name}.npz")))
        assert result.returncode == 0, result.stderr
    plain, moving = Network.load(tmp_path / "plain.npz"), Network.load(tmp_path / "moving.npz")
    assert not np.allclose(plain.weights[0], moving.weights[0])


@pytest.mark.parametrize("args, message", [
    (["--momentum", "1.5"], "the momentum coefficient mu must be a number from 0 (no momentum) to 1"),
    (["--momentum", "-0.5"], "the momentum coefficient mu must be a number from 0 (no momentum) to 1"),
    (["--momentum", "nan"], "the momentum coefficient mu must be a number from 0 (no momentum) to 1"),
    (["--momentum", "fast"], "argument --momentum: invalid float value: 'fast'"),
    (["--activation", "softplus"], "argument --activation: invalid choice: 'softplus'"),
])
def test_bad_momentum_or_activation_is_one_line(tiny_data, args, message):  # noqa: F811
    assert_one_line_error(run("train", *tiny(tiny_data, "--sizes", "784", "5", "10", "--epochs", "1", *args)),
                          message)
