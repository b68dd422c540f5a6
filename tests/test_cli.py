"""The command line, run as a learner would run it."""
import subprocess
import sys

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
    (["train", "--eta", "0"], "eta must be a positive number, got 0.0"),
    (["train", "--sizes", "784", "0", "10"], "sizes must be positive integers"),
    (["train", "--mini-batch-size", "0"], "mini_batch_size must be an integer >= 1, got 0"),
    (["train", "--epochs", "ten"], "argument --epochs: invalid int value: 'ten'"),
    (["train", "--sizes", "100", "10"], "--sizes must start with 784 (the pixels of an image) and end with 10"),
    (["train", "--sizes", "784", "30", "4"], "got 784 30 4"),
    (["train", "--data", "/nonexistent"], "does not exist"),
    (["evaluate", "missing.npz"], "no saved network at missing.npz"),
    (["sweep", "--epochs", "0"], "a sweep needs epochs >= 1, got 0"),
    (["sweep", "--etas", "-1"], "eta must be a positive number, got -1.0"),
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
    assert lines[0].split() == ["eta", "test", "accuracy", "per", "epoch"]
    sweep = load_sweep(tmp_path / "sweep.json")
    assert [r["eta"] for r in sweep["runs"]] == [0.001, 3.0]
    assert sweep["runs"][1]["accuracy"][0] > 0.8 > sweep["runs"][0]["accuracy"][0]
    assert f"{sweep['runs'][1]['accuracy'][0]:.2%}" in lines[2]
