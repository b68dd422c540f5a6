"""Issue 22, the command line's side: nothing a learner has is replaced or lost, whatever the file, η or signal.

Each test reproduces one defect of the issue, numbered as there in the section headings.
"""
import math
import os
import signal
import stat
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from nndl.cli import main
from nndl.network import Network
from nndl.sweep import load_sweep
from test_cli import assert_one_line_error, crafted_npz, interrupt_after_first_line, run, tiny, tiny_data  # noqa: F401

FIRST_LAYER = ["--sizes", "784", "10"]


def hidden_files(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


# ----- 1. --save replaces only what it wrote, and never a pipe or a device ------------------------------
@pytest.mark.parametrize("command,args,load", [("train", FIRST_LAYER, Network.load),
                                               ("sweep", ["--etas", "3"], load_sweep)])
def test_save_replaces_another_file_only_with_force(tmp_path, tiny_data, command, args, load):
    notes = tmp_path / "notes.ipynb"
    notes.write_text('{"cells": []}')
    nowhere = ["--data", str(tmp_path / "no-data-here")]  # refused before the data are read, so before any training
    kind = "network" if command == "train" else "sweep"
    assert_one_line_error(run(command, *nowhere, "--save", str(notes)),
                          f"{notes} exists and is not a saved {kind}, and saving would replace it: give another file "
                          f"name, or add --force to replace it")
    assert notes.read_text() == '{"cells": []}'
    for force in (["--force"], []):  # then the file is one it wrote, which it replaces without being told
        result = run(command, *tiny(tiny_data, *args, "--epochs", "1", "--save", str(notes), *force))
        assert result.returncode == 0, result.stderr
        load(notes)


@pytest.mark.parametrize("target", ["pipe", "/dev/null"])
def test_save_never_replaces_a_pipe_or_a_device(tmp_path, target):
    if target == "pipe":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    nowhere = ["--data", str(tmp_path / "no-data-here")]  # should the check fail, nothing is trained or written
    for force in ([], ["--force"]):
        assert_one_line_error(run("train", *nowhere, "--save", str(target), *force),
                              f"cannot save to {target}: it is not a regular file (a pipe, a device or a socket)")
    assert not stat.S_ISREG(os.stat(target).st_mode)


def test_a_file_that_appears_during_training_is_not_replaced(tmp_path, tiny_data, monkeypatch, capsys):
    """The target is checked again at the end; the network goes to a fallback file instead."""
    target = tmp_path / "notes.ipynb"
    train = Network.SGD

    def train_while_the_learner_saves_notes(net, *args, **kwargs):
        target.write_text("notes written during training")
        return train(net, *args, **kwargs)

    monkeypatch.setattr(Network, "SGD", train_while_the_learner_saves_notes)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["train", *FIRST_LAYER, "--epochs", "1", *tiny(tiny_data), "--save", str(target)]) == 2
    error = capsys.readouterr().err
    [rescued] = (tmp_path / "home").iterdir()
    assert f"could not write {target} ({target} exists and is not a saved network" in error
    assert f"saved the network in {rescued} instead" in error and len(error.strip().splitlines()) == 1
    assert target.read_text() == "notes written during training"
    assert Network.load(rescued).sizes == [784, 10]


# ----- 3. a sweep goes on after a learning rate that diverges ------------------------------------------
def test_a_sweep_saves_the_rates_that_finished_and_lists_those_that_diverged(tmp_path, tiny_data):
    """η = 1e300 makes the weights infinite: it stopped the sweep, and η = 0.1 never ran."""
    target = tmp_path / "sweep.json"
    result = run("sweep", *tiny(tiny_data, "--etas", "3", "1e300", "0.1", "--epochs", "1", "--save", str(target)))
    assert result.returncode == 0, result.stderr
    assert "1e+300  diverged" in result.stdout
    sweep = load_sweep(target)
    assert [run["eta"] for run in sweep["runs"]] == [3.0, 0.1] and sweep["diverged"] == [1e300]
    assert hidden_files(tmp_path) == []  # written atomically: no temporary file left


def test_a_sweep_where_every_rate_diverges_says_so(tmp_path, tiny_data):
    target = tmp_path / "sweep.json"
    result = run("sweep", *tiny(tiny_data, "--etas", "1e300", "1e308", "--epochs", "1", "--save", str(target)))
    assert_one_line_error(result, "every learning rate diverged (1e+300 1e+308): try smaller ones", status=1)
    assert not target.exists()


# ----- 8. a console that cannot show η or ✓ -----------------------------------------------------------
def test_output_the_console_cannot_encode_is_written_as_escapes(tmp_path, tiny_data):
    def run_on_cp1252(*args):  # a Windows console or pipe
        return subprocess.run([sys.executable, "-m", "nndl", *args], capture_output=True, text=True,
                              env=os.environ | {"PYTHONIOENCODING": "cp1252"})

    helped = run_on_cp1252("train", "--help")
    assert helped.returncode == 0 and "Traceback" not in helped.stderr, helped.stderr
    assert "the learning rate \\u03b7" in helped.stdout
    Network([784, 10]).save(tmp_path / "η.npz")
    evaluated = run_on_cp1252("evaluate", str(tmp_path / "η.npz"), "--data", str(tiny_data))
    assert evaluated.returncode == 0, evaluated.stderr
    assert evaluated.stdout.startswith(f"{tmp_path}/\\u03b7.npz: ")


# ----- 9, 12, 13. loading refuses what is no network, without waiting or filling the memory ------------
@pytest.mark.parametrize("changes,message", [
    (dict(weights_0=np.where(np.eye(10, 784), np.nan, 0.5)), "its array 'weights_0' holds NaN or infinite numbers"),
    (dict(biases_0=np.full((10, 1), np.inf)), "its array 'biases_0' holds NaN or infinite numbers"),
    (dict(dtype="float32", biases_0=np.full((10, 1), 1e300)), "(or numbers too large for float32)"),
])
def test_evaluate_refuses_weights_that_are_not_finite(tmp_path, changes, message):
    assert_one_line_error(run("evaluate", str(crafted_npz(tmp_path / "net.npz", **changes))), message)


@pytest.mark.parametrize("make", [lambda folder: (os.mkfifo(folder / "pipe"), folder / "pipe")[1],
                                  lambda folder: "/dev/zero"])
def test_evaluate_refuses_a_pipe_or_a_device_before_reading_it(tmp_path, make):
    path = make(tmp_path)
    result = subprocess.run([sys.executable, "-m", "nndl", "evaluate", str(path)], capture_output=True, text=True,
                            timeout=60)  # reading either would wait forever
    assert_one_line_error(result, f"{path} is not a regular file (a pipe, a device or a socket)")


def write_npz(path, arrays, zeros):
    """An .npz file as ``np.savez`` writes it, but deflated: ``arrays``, and zeros of the (shape, dtype) of each
    name in ``zeros``, written a MiB at a time: a large array in a small file, made without the memory it takes."""
    chunk = bytes(2 ** 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, np.asarray(array))
        for name, (shape, dtype) in zeros.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array_header_1_0(member, {"descr": np.dtype(dtype).str, "fortran_order": False,
                                                              "shape": shape})
                size = math.prod(shape) * np.dtype(dtype).itemsize
                for start in range(0, size, len(chunk)):
                    member.write(chunk[:size - start])
    return path


def saved_network_fields(sizes):
    return dict(format_version=1, sizes=sizes, dtype="float64")


LOAD_AND_MEASURE = """
import resource, sys
from nndl.network import Network
try:
    Network.load(sys.argv[1])
except ValueError as e:
    print(e)
status = open("/proc/self/status").read()  # VmHWM: this process's peak memory (ru_maxrss would include the parent's)
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))  # in KiB
"""


@pytest.mark.parametrize("key,shape,dtype,message", [
    ("weights_0", (8192, 4096), np.float64, "layer 1 has weights (8192, 4096) and biases (10, 1), but sizes [784, 10]"),
    ("sizes", (2 ** 25,), np.int64, "its field 'sizes' holds int64 of shape (33554432,), far more than"),
])
def test_a_small_file_promising_a_large_array_is_refused_before_it_is_inflated(tmp_path, key, shape, dtype, message):
    """13: 256 MiB of zeros in a file of 256 KiB; nothing beyond the header is read."""
    net = Network([784, 10], seed=0)
    arrays = saved_network_fields([784, 10]) | dict(weights_0=net.weights[0], biases_0=net.biases[0])
    path = write_npz(tmp_path / "bomb.npz", {k: v for k, v in arrays.items() if k != key}, {key: (shape, dtype)})
    assert path.stat().st_size < 2 ** 20
    result = subprocess.run([sys.executable, "-c", LOAD_AND_MEASURE, str(path)], capture_output=True, text=True)
    refusal, peak_kib = result.stdout.splitlines()
    assert message in refusal
    assert int(peak_kib) < 200 * 1024, f"loading peaked at {int(peak_kib) // 1024} MiB"


EVALUATE_WITH_LITTLE_MEMORY = """
import resource, sys
from nndl.cli import main
import nndl.mnist, nndl.network  # what evaluate imports, loaded before the limit is set
in_use = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (in_use + 100 * 2 ** 20, resource.RLIM_INFINITY))  # 100 MiB more
sys.exit(main(["evaluate", sys.argv[1]]))
"""


def test_too_little_memory_for_a_saved_network_is_not_blamed_on_the_sizes(tmp_path):
    """13: evaluate has no sizes to choose, so the advice of train ("choose smaller sizes") is wrong there."""
    sizes = [784, 40_000, 10]  # a valid network, whose first layer's weights take 250 MB
    shapes = {f"weights_{i}": (n_out, n_in) for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))}
    shapes |= {f"biases_{i}": (n_out, 1) for i, n_out in enumerate(sizes[1:])}
    path = write_npz(tmp_path / "wide.npz", saved_network_fields(sizes),
                     {name: (shape, np.float64) for name, shape in shapes.items()})
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")  # OpenBLAS's buffers per thread would take the 100 MiB first
    result = subprocess.run([sys.executable, "-c", EVALUATE_WITH_LITTLE_MEMORY, str(path)], capture_output=True,
                            text=True, env=env)
    assert_one_line_error(result, "python -m nndl evaluate: error: not enough memory (Unable to allocate")
    assert "choose smaller sizes" not in result.stderr and "close other programs and try again" in result.stderr


# ----- 14. interruptions ----------------------------------------------------------------------------
SAVE_AFTER_A_SIGNAL = """
import sys
import numpy
from nndl.cli import main

savez = numpy.savez

def savez_after_a_signal(file, **arrays):  # the save has begun: its temporary file exists
    print("saving", flush=True)
    sys.stdin.readline()  # the test sends a signal, then a line
    savez(file, **arrays)

numpy.savez = savez_after_a_signal
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_final_save_takes_effect_once_the_network_is_saved(tmp_path, tiny_data, signum):
    target = tmp_path / "net.npz"
    older = Network([784, 10], seed=1)
    older.save(target)
    process = subprocess.Popen([sys.executable, "-c", SAVE_AFTER_A_SIGNAL, "train", *FIRST_LAYER, "--epochs", "1",
                                *tiny(tiny_data), "--save", str(target)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    next(line for line in process.stdout if line == "saving\n")
    process.send_signal(signum)
    out, err = process.communicate("go on\n", timeout=120)
    assert process.returncode == 130 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"interrupted: stopped once it had saved the network to {target}" in err
    assert f"Saved the network to {target}" in out
    assert not np.array_equal(Network.load(target).weights[0], older.weights[0])  # the trained one
    assert hidden_files(tmp_path) == []


def test_sigterm_during_training_stops_as_ctrl_c_does(tmp_path):
    target = tmp_path / "net.npz"
    out, err, status = interrupt_after_first_line(["train", "--epochs", "30", "--save", str(target)], "Epoch 0",
                                                  signal.SIGTERM)
    assert status == 130 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"interrupted: training stopped early, and the network was not saved to {target}" in err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_python_imports_numpy_is_one_line():
    """The signal comes while NumPy is imported: stderr is a pipe of 4 KiB, so the program cannot run ahead."""
    import fcntl

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # the program waits once 4 KiB of its stderr are unread
    process = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "nndl", "train", "--epochs", "30"],
                               stdout=subprocess.DEVNULL, stderr=write_end)
    os.close(write_end)
    with open(read_end, "rb", buffering=0) as stderr:  # unbuffered: read no further than the line wanted
        for line in iter(stderr.readline, b""):  # each import as it ends; NumPy's submodules take 8 KiB more
            if line.split(b"|")[-1].strip() == b"numpy.version":
                process.send_signal(signal.SIGINT)
                break
        said = [line for line in stderr.read().decode().splitlines() if not line.startswith("import time:")]
    assert process.wait(timeout=120) == 130 and len(said) == 1 and said[0].startswith("interrupted"), said


# ----- 20. the notebook's side: an η that cannot be used --------------------------------------------
def test_a_sweep_with_eta_0_is_refused_by_draw_sweep():
    from nndl import widgets

    sweep = {"settings": {"sizes": [784, 30, 10], "epochs": 1, "training_examples": 10, "measured_on": "validation"},
             "runs": [{"eta": 0.0, "accuracy": [0.1], "cost": [1.0]}, {"eta": 3.0, "accuracy": [0.9], "cost": [0.5]}]}
    with pytest.raises(ValueError, match="eta must be a positive, finite number, got 0.0"):
        widgets.draw_sweep(sweep, [0.0, 3.0])


def test_train_live_refuses_an_eta_given_as_text():
    from nndl import widgets

    with pytest.raises(ValueError, match="eta must be a positive, finite number, got '3'"):
        widgets.train_live(Network([784, 10]), [], 1, 10, "3")


# ----- the review of the fixes above (its findings numbered as there) ----------------------------------
def save_failing_with_a_full_disk(monkeypatch, failures):
    """Network.save fails with ENOSPC ``failures`` times (each write to the home folder or /tmp is one), then works."""
    import errno

    save, calls = Network.save, []

    def save_on_a_full_disk(net, path):
        calls.append(path)
        if len(calls) <= failures:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        save(net, path)

    monkeypatch.setattr(Network, "save", save_on_a_full_disk)


def test_1_a_network_with_a_long_file_name_is_rescued_when_the_disk_is_full(tmp_path, tiny_data, monkeypatch,
                                                                             capsys):
    """The rescue file's name keeps only the end of the 250-character name: the whole would pass 255 bytes."""
    target = tmp_path / ("n" * 246 + ".npz")
    save_failing_with_a_full_disk(monkeypatch, failures=1)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["train", *FIRST_LAYER, "--epochs", "1", *tiny(tiny_data), "--save", str(target)]) == 2
    error = capsys.readouterr().err
    [rescued] = (tmp_path / "home").iterdir()
    assert rescued.name.startswith("nndl-rescued-") and rescued.name.endswith("nnnn.npz")
    assert f"could not write {target} ({target}: No space left on device); saved the network in {rescued} " \
           f"instead" in error and len(error.strip().splitlines()) == 1
    assert Network.load(rescued).sizes == [784, 10] and not target.exists()


def test_1_a_network_that_cannot_be_saved_anywhere_says_so_and_why(tmp_path, tiny_data, monkeypatch, capsys):
    import tempfile

    target = tmp_path / "net.npz"
    save_failing_with_a_full_disk(monkeypatch, failures=3)  # the target, the home folder and the temporary folder
    for folder in ("home", "tmp"):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    assert main(["train", *FIRST_LAYER, "--epochs", "1", *tiny(tiny_data), "--save", str(target)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"python -m nndl train: error: the network could not be saved anywhere: could not write "
                            f"{target} ({target}: No space left on device), nor a new file in {tmp_path / 'home'} or "
                            f"{tmp_path / 'tmp'} ({tmp_path / 'tmp'}/nndl-rescued-")
    assert error.endswith("-net.npz: No space left on device)\n") and len(error.strip().splitlines()) == 1
    assert list((tmp_path / "home").iterdir()) == list((tmp_path / "tmp").iterdir()) == []  # no empty files left


def test_7_a_training_warning_is_one_line_with_its_advice_as_an_option(tiny_data):
    """With seed 0, half the output neurons of [784, 10] start saturated: the advice is the scaled initial weights."""
    result = run("train", *tiny(tiny_data, *FIRST_LAYER, "--epochs", "1", "--eta", "1e4", "--seed", "0"))
    assert result.returncode == 0, result.stderr
    [warning] = result.stderr.splitlines()
    assert warning.startswith("python -m nndl train: warning: after epoch 0 every output neuron is saturated")
    assert "start from N(0, 1/n_in) weights (--init scaled)" in warning and "net.default_weight" not in warning


def test_8_evaluate_names_the_file_whose_cost_does_not_fit_its_layers(tmp_path):
    path = crafted_npz(tmp_path / "ll1.npz", sizes=[784, 1], cost="log-likelihood", weights_0=np.zeros((1, 784)),
                       biases_0=np.zeros((1, 1)))
    assert_one_line_error(run("evaluate", str(path)), f"error: {path}: LogLikelihoodCost has a softmax output layer")


@pytest.mark.parametrize("command", ["train", "sweep"])
def test_10_an_empty_save_name_is_refused_before_training(tmp_path, command):
    nowhere = ["--data", str(tmp_path / "no-data-here")]  # refused before the data are read, so before any training
    assert_one_line_error(run(command, *nowhere, "--save", ""), "argument --save: the file name is empty")


def test_14_an_infinite_eta_is_called_not_finite_before_the_data_are_read(tmp_path):
    assert_one_line_error(run("sweep", "--data", str(tmp_path / "no-data-here"), "--etas", "3", "inf"),
                          "the learning rate eta must be a positive, finite number, got inf")
