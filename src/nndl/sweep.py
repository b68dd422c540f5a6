"""Learning-rate sweeps: accuracy after a few epochs for each η (notebook 06, ``python -m nndl sweep``).

A sweep trains one network per learning rate, from the same seed, and
records the test accuracy and the training cost after each epoch.  The
notebook runs a small sweep live; the command line runs the full one on all
50,000 training images and saves it as JSON for the notebook to load.
"""
import json
import math
from numbers import Real

import numpy as np

from .mnist import DATA_DIR
from .network import Network
from .persistence import atomic_write

SHIPPED_SWEEP = DATA_DIR.parent / "sweeps" / "mnist_784_30_10.json"
"""The full sweep the course ships: `python -m nndl sweep --save data/sweeps/mnist_784_30_10.json`."""

DEFAULT_ETAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]


def run_sweep(etas, training_data, test_data, epochs=3, hidden=30, mini_batch_size=10, seed=0,
              dtype=np.float32, on_result=None):
    """Train ``[784, hidden, 10]`` for ``epochs`` epochs at each η; returns the sweep as a dict.

    The dict holds the settings, and per η (in the order given) the test
    accuracy and training cost after every epoch.  ``on_result(eta, run)`` is
    called after each η, for progress displays.
    """
    if not etas:
        raise ValueError("give at least one learning rate to sweep")
    bad = [eta for eta in etas if isinstance(eta, bool) or not isinstance(eta, Real) or not 0 < eta < math.inf]
    if bad:
        raise ValueError(f"the learning rate eta must be a positive number, got {', '.join(map(repr, bad))}")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"a sweep needs epochs >= 1, got {epochs!r}")
    n_in, n_out = training_data[0][0].shape[0], training_data[0][1].shape[0]
    sweep = {"settings": {"sizes": [n_in, hidden, n_out], "epochs": epochs, "mini_batch_size": mini_batch_size,
                          "seed": seed, "training_examples": len(training_data), "test_examples": len(test_data),
                          "dtype": np.dtype(dtype).name},
             "runs": []}
    for eta in etas:
        net = Network([n_in, hidden, n_out], seed=seed, dtype=dtype)
        history = net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data, quiet=True,
                          monitor_cost=True)
        run = {"eta": float(eta), "accuracy": history.test_accuracy, "cost": history.training_cost}
        sweep["runs"].append(run)
        if on_result is not None:
            on_result(eta, run)
    return sweep


def final_accuracies(sweep):
    """``(etas, accuracies)`` after the last epoch, as arrays, for plotting."""
    return (np.array([run["eta"] for run in sweep["runs"]]),
            np.array([run["accuracy"][-1] for run in sweep["runs"]]))


def save_sweep(sweep, path):
    """Write a sweep as JSON, atomically."""
    with atomic_write(path) as f:
        f.write(json.dumps(sweep, indent=1).encode())


def load_sweep(path):
    """Read a sweep written by ``save_sweep``; a file that is not one raises ValueError."""
    problem = f"{path} is not a learning-rate sweep saved by `python -m nndl sweep --save`"
    try:
        with open(path, encoding="utf-8") as f:
            sweep = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{problem}: {e}") from None
    runs = sweep.get("runs") if isinstance(sweep, dict) else None
    if not runs or "settings" not in sweep or not all(
            isinstance(r, dict) and {"eta", "accuracy", "cost"} <= set(r) and r["accuracy"] for r in runs):
        raise ValueError(f"{problem}: it lacks the settings or the runs with eta, accuracy and cost")
    return sweep
