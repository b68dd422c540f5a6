"""The command line, run as a learner would run it."""
import subprocess
import sys

import numpy as np
import pytest

from nndl.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "nndl", *args], capture_output=True, text=True, timeout=300)


def test_train_prints_the_transcript_saves_and_evaluates(tmp_path):
    saved = tmp_path / "net.npz"
    result = run("train", "--sizes", "784", "30", "10", "--epochs", "2", "--seed", "0", "--save", str(saved))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Epoch 0: ") and lines[0].endswith(" / 10000")
    correct = [int(line.split()[2]) for line in lines[:2]]
    assert all(8000 < c < 10000 for c in correct)  # two epochs of the book's network: ~90%+
    assert saved.exists()
    evaluated = run("evaluate", str(saved))
    assert evaluated.returncode == 0
    assert f"{correct[-1]} / 10000" in evaluated.stdout


def test_same_seed_same_run(capsys):
    args = ["train", "--sizes", "784", "10", "--epochs", "1", "--seed", "3"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first


def test_baseline_reproduces_the_book():
    result = run("baseline")
    assert result.returncode == 0, result.stderr
    assert "2225 of 10000" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["train", "--eta", "0"], "eta must be a positive, finite number, got 0.0"),
    (["train", "--sizes", "784", "0", "10"], "sizes must be positive integers"),
    (["train", "--mini-batch-size", "0"], "mini_batch_size must be an integer >= 1, got 0"),
    (["train", "--epochs", "ten"], "argument --epochs: invalid int value: 'ten'"),
    (["train", "--sizes", "100", "10"], "--sizes must start with 784 (the pixels of an image) and end with 10"),
    (["train", "--sizes", "784", "30", "4"], "got 784 30 4"),
    (["train", "--data", "/nonexistent"], "does not exist"),
    (["evaluate", "missing.npz"], "no saved network at missing.npz"),
    (["sweep", "--epochs", "0"], "a sweep needs epochs >= 1, got 0"),
    (["sweep", "--etas", "-1"], "eta must be a positive, finite number, got -1.0"),
    (["fly"], "invalid choice: 'fly'"),
    ([], "the following arguments are required: command"),
])
def test_bad_arguments_give_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_sweep_prints_a_table_and_saves_it_for_the_notebook(tmp_path):
    from nndl.sweep import load_sweep

    result = run("sweep", "--etas", "0.001", "3", "--epochs", "1", "--save", str(tmp_path / "sweep.json"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["eta", "validation", "accuracy", "per", "epoch"]
    sweep = load_sweep(tmp_path / "sweep.json")
    assert sweep["settings"]["measured_on"] == "validation" and sweep["settings"]["evaluation_examples"] == 10_000
    assert [r["eta"] for r in sweep["runs"]] == [0.001, 3.0]
    assert sweep["runs"][1]["accuracy"][0] > 0.8 > sweep["runs"][0]["accuracy"][0]
    assert f"{sweep['runs'][1]['accuracy'][0]:.2%}" in lines[2]


# ----- bad input: one line on stderr, exit status 2, no traceback, nothing lost ------------------
@pytest.fixture
def tiny_data(tmp_path):
    """A data set of 12 training and 5 test images in MNIST's format (train with --validation-size 2)."""
    from test_mnist import write_dataset

    folder = tmp_path / "tiny"
    folder.mkdir()
    write_dataset(folder)
    return folder


def assert_one_line_error(result, message, status=2):
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr, result.stderr


def tiny(data, *args):
    return ["--data", str(data), "--validation-size", "2", *args]


@pytest.mark.parametrize("command", ["train", "sweep"])
def test_save_targets_are_checked_before_loading_or_training(tmp_path, command):
    (tmp_path / "folder").mkdir()
    precious = tmp_path / "precious.npz"
    precious.write_bytes(b"keep me")
    nowhere = ["--data", str(tmp_path / "no-data-here")]  # the save target must be refused before the data are read
    for target, message in ((tmp_path / "missing" / "net.npz", f"the folder {tmp_path / 'missing'} does not exist"),
                            (tmp_path / "folder", "it is a folder; give a file name"),
                            ("/sys/net.npz", "the folder /sys does not accept new files")):  # even root cannot write /sys
        assert_one_line_error(run(command, *nowhere, "--save", str(target)), message)
    assert_one_line_error(run(command, *nowhere, "--save", str(precious), "--force"), "does not exist")  # no data ...
    assert precious.read_bytes() == b"keep me"  # ... and the file named by --save is untouched, even with --force


def test_tilde_in_the_save_path_is_the_home_folder(tmp_path, tiny_data):
    import os

    env = os.environ | {"HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "nndl", "train", "--sizes", "784", "10", "--epochs", "1",
                             *tiny(tiny_data), "--save", "~/net.npz"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert f"Saved the network to {tmp_path / 'net.npz'}" in result.stdout
    assert (tmp_path / "net.npz").is_file()


def test_a_full_disk_at_the_end_saves_the_network_elsewhere(tmp_path, tiny_data, monkeypatch, capsys):
    import errno

    from nndl.network import Network

    target = tmp_path / "net.npz"
    real_save = Network.save
    saved = {}

    def save_on_a_full_disk(net, path):
        if str(path) == str(target):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_save(net, path)
        saved["net"] = net

    monkeypatch.setattr(Network, "save", save_on_a_full_disk)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["train", "--sizes", "784", "10", "--epochs", "1", *tiny(tiny_data), "--save", str(target)]) == 2
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1
    rescued = list((tmp_path / "home").iterdir())
    assert len(rescued) == 1 and rescued[0].name.endswith("-net.npz")
    assert f"could not write {target} ({target}: No space left on device); saved the network in {rescued[0]}" in error
    loaded = Network.load(rescued[0])
    assert all(np.array_equal(a, b) for a, b in zip(loaded.weights, saved["net"].weights))


def interrupt_after_first_line(args, pattern, signum=None):
    """Run the CLI, press Ctrl-C (or send ``signum``) once stdout shows ``pattern``; returns (stdout, stderr, status)."""
    import signal

    process = subprocess.Popen([sys.executable, "-m", "nndl", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if pattern in line:
            process.send_signal(signum or signal.SIGINT)
            break
    out, err = process.communicate(timeout=120)
    return "".join(lines) + out, err, process.returncode


def test_ctrl_c_during_train_says_the_network_was_not_saved(tmp_path):
    target = tmp_path / "net.npz"
    target.write_bytes(b"an older network")
    out, err, status = interrupt_after_first_line(["train", "--epochs", "30", "--save", str(target), "--force"],
                                                  "Epoch 0")
    assert status == 130 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"interrupted: training stopped early, and the network was not saved to {target}" in err
    assert target.read_bytes() == b"an older network"


def test_ctrl_c_during_a_sweep_saves_the_learning_rates_finished(tmp_path):
    from nndl.sweep import load_sweep

    target = tmp_path / "sweep.json"
    out, err, status = interrupt_after_first_line(
        ["sweep", "--etas", "3", "1", "0.3", "0.1", "0.03", "--epochs", "4", "--save", str(target)], "%")
    assert status == 130 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "interrupted: the learning rates not finished were not run or saved" in err
    finished = load_sweep(target)["runs"]
    assert 1 <= len(finished) < 5 and [run["eta"] for run in finished] == [3.0, 1.0, 0.3, 0.1][:len(finished)]
    etas = " ".join(f"{run['eta']:g}" for run in finished)
    assert f"Saved the {len(finished)} learning rates finished ({etas}) to {target}" in out


def crafted_npz(path, **changes):
    from nndl.network import Network

    net = Network([784, 10], seed=0)
    arrays = dict(format_version=1, sizes=[784, 10], dtype="float64", weights_0=net.weights[0],
                  biases_0=net.biases[0]) | changes
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("make,message", [
    (lambda p: p, "is a folder, not a saved network"),
    (lambda p: (np.save(p / "w.npy", np.zeros(3)), p / "w.npy")[1], "is not a saved network: networks are saved"),
    (lambda p: (p / "t.npz").write_text("hello") and p / "t.npz", "is not a saved network: networks are saved"),
    (lambda p: (p / "r.npz").write_bytes(np.random.default_rng(0).bytes(999)) and p / "r.npz", "is not a saved network"),
    (lambda p: crafted_npz(p / "c.npz", sizes=[784.0, 10.0]), "field 'sizes' should hold integers"),
    (lambda p: crafted_npz(p / "c.npz", dtype=3), "field 'dtype' should hold a string"),
    (lambda p: crafted_npz(p / "c.npz", dtype="int8"), "its dtype is 'int8', not float32 or float64"),
    (lambda p: crafted_npz(p / "c.npz", format_version="one"), "field 'format_version' should hold integers"),
    (lambda p: crafted_npz(p / "c.npz", weights_0=np.zeros((10, 784), dtype="U1")), "field 'weights_0'"),
    (lambda p: crafted_npz(p / "c.npz", sizes=[784, 0, 10]), "layer sizes [784, 0, 10] are not those"),
    (lambda p: __import__("pathlib").Path("/proc/1/environ"), "/proc/1/environ: Permission denied"),
])
def test_evaluate_refuses_what_is_not_a_saved_network(tmp_path, make, message):
    result = run("evaluate", str(make(tmp_path)))
    assert_one_line_error(result, message)
    assert "pickle" not in result.stderr


def test_absurd_sizes_are_a_memory_error_in_one_line(tiny_data):
    result = run("train", "--sizes", "784", "100000000", "10", *tiny(tiny_data))
    assert_one_line_error(result, "error: not enough memory (Unable to allocate")


def test_an_unreadable_data_folder_is_one_line(tmp_path):
    """A folder with mode 000; root reads anything, so as root the CLI runs as the unprivileged user nobody."""
    import os
    import shutil
    import tempfile

    as_nobody = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.fail("as root this test needs setpriv (util-linux) to run the CLI as an unprivileged user")
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    with tempfile.TemporaryDirectory() as shared:
        os.chmod(shared, 0o755)
        locked = os.path.join(shared, "locked")
        os.mkdir(locked, 0o000)
        result = subprocess.run([*as_nobody, sys.executable, "-m", "nndl", "baseline", "--data", locked],
                                capture_output=True, text=True, cwd=shared)
    assert_one_line_error(result, f"{locked}")
    assert "Permission denied" in result.stderr


@pytest.mark.parametrize("command", ["train", "sweep", "baseline"])
def test_a_small_data_set_needs_validation_size(tiny_data, command):
    assert_one_line_error(run(command, "--data", str(tiny_data)),
                          "validation_size must be from 0 to 11, since")
    assert "--validation-size" in run(command, "--data", str(tiny_data)).stderr
    result = run(command, *tiny(tiny_data), *(["--epochs", "1"] if command != "baseline" else []))
    assert result.returncode == 0, result.stderr


def test_nndl_data_dir_at_fashion_mnist_says_to_pass_the_folder():
    import os
    from pathlib import Path

    fashion = Path("/usr/share/datasets/fashion-mnist")
    if not fashion.is_dir():
        pytest.fail("needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
    result = subprocess.run([sys.executable, "-m", "nndl", "baseline"], capture_output=True, text=True,
                            env=os.environ | {"NNDL_DATA_DIR": str(fashion)})
    assert_one_line_error(result, "for another data set in MNIST's format pass its folder instead")
    assert "git checkout" not in result.stderr
    assert run("baseline", "--data", str(fashion)).returncode == 0


# ----- chapter 3's options ---------------------------------------------------------------------
def test_chapter3_options_train_and_print_the_books_transcript(tmp_path, tiny_data):
    saved = tmp_path / "net.npz"
    result = run("train", *tiny(tiny_data, "--sizes", "784", "8", "10", "--cost", "log-likelihood", "--lmbda", "0.5",
                                "--init", "large", "--evaluate-on", "validation", "--dropout", "0.3", "--expand",
                                "--epochs", "2", "--eta", "0.1", "--seed", "0", "--save", str(saved)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Epoch 0 training complete"
    assert lines[1].startswith("Accuracy on evaluation data: ") and lines[1].endswith(" / 2")
    assert lines[4].startswith("Final: ") and lines[4].endswith(" on the validation data")
    from nndl import Network
    from nndl.costs import LogLikelihoodCost

    assert Network.load(saved).cost is LogLikelihoodCost


def test_chapter3_cli_runs_are_the_package_runs(tiny_data, capsys):
    from nndl import Network, mnist

    assert main(["train", *tiny(tiny_data, "--sizes", "784", "6", "10", "--cost", "cross-entropy", "--lmbda", "2",
                                "--epochs", "2", "--eta", "0.5", "--seed", "4", "--dtype", "float64")]) == 0
    printed = capsys.readouterr().out.splitlines()
    training, _, test = mnist.load_data(tiny_data, validation_size=2)
    history = Network([784, 6, 10], cost="cross-entropy", seed=4).SGD(training, 2, 10, 0.5, test, lmbda=2.0, quiet=True)
    assert printed[3] == f"Accuracy on evaluation data: {history.test_correct[1]} / 5"


@pytest.mark.parametrize("flag,option,note", [
    ("--early-stopping", "early_stopping_n", "Early stopping: no improvement in 2 epochs"),
    ("--halve-eta", "halve_eta_n", "eta halved to 0.25"),
])
def test_the_schedule_options_are_the_packages(tiny_data, capsys, flag, option, note):
    from nndl import Network, mnist

    assert main(["train", *tiny(tiny_data, "--sizes", "784", "6", "10", "--cost", "cross-entropy", "--epochs", "40",
                                "--eta", "0.5", "--seed", "1", "--dtype", "float64", flag, "2")]) == 0
    printed = capsys.readouterr().out
    training, _, test = mnist.load_data(tiny_data, validation_size=2)
    history = Network([784, 6, 10], cost="cross-entropy", seed=1).SGD(training, 40, 10, 0.5, test, quiet=True,
                                                                       **{option: 2})
    assert history.epochs < 40, "the tiny data set stalls within 40 epochs, so the schedule must act"
    assert printed.count("training complete") == history.epochs
    assert note in printed


@pytest.mark.parametrize("args,message", [
    (["--cost", "entropy"], "argument --cost: invalid choice: 'entropy'"),
    (["--init", "small"], "argument --init: invalid choice: 'small'"),
    (["--evaluate-on", "training"], "argument --evaluate-on: invalid choice: 'training'"),
    (["--lmbda", "-1"], "lmbda must be a number >= 0"),
    (["--dropout", "1"], "dropout is the probability of dropping a hidden neuron"),
    (["--early-stopping", "-1"], "early_stopping_n must be an integer >= 0, got -1"),
    (["--halve-eta", "two"], "argument --halve-eta: invalid int value: 'two'"),
    (["--evaluate-on", "validation", "--validation-size", "0"], "--evaluate-on validation needs validation images"),
])
def test_bad_chapter3_options_are_one_line(tiny_data, args, message):
    assert_one_line_error(run("train", "--data", str(tiny_data), "--validation-size", "2", *args), message)


@pytest.mark.parametrize("args,message", [
    (["--validation-size", "0"], "--evaluate-on validation needs validation images"),
    (["--evaluate-on", "training"], "argument --evaluate-on: invalid choice: 'training'"),
])
def test_a_sweep_measured_on_no_validation_data_is_one_line(tiny_data, args, message):
    assert_one_line_error(run("sweep", "--data", str(tiny_data), "--etas", "3", "--epochs", "1", *args), message)
