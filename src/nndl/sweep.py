"""Learning-rate sweeps: accuracy after a few epochs for each η (notebook 06, ``python -m nndl sweep``).

A sweep trains one network per learning rate, from the same seed, and
records the test accuracy and the training cost after each epoch.  The
notebook runs a small sweep live; the command line runs the full one on all
50,000 training images and saves it as JSON for the notebook to load.
"""
import json
import math
import warnings
from numbers import Integral, Real

import numpy as np

from .mnist import SHIPPED_DIR
from .network import Network, TrainingWarning
from .persistence import atomic_write

SHIPPED_SWEEP = SHIPPED_DIR.parent / "sweeps" / "mnist_784_30_10.json"
"""The full sweep the course ships: `python -m nndl sweep --save data/sweeps/mnist_784_30_10.json`."""

DEFAULT_ETAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep; ``sweep`` holds the settings and the runs of the learning rates finished."""

    def __init__(self, sweep):
        super().__init__(f"sweep interrupted after {len(sweep['runs'])} learning rate(s)")
        self.sweep = sweep


def run_sweep(etas, training_data, test_data, epochs=3, hidden=30, mini_batch_size=10, seed=0,
              dtype=np.float32, on_result=None):
    """Train ``[784, hidden, 10]`` for ``epochs`` epochs at each η; returns the sweep as a dict.

    The dict holds the settings, and per η (in the order given) the test
    accuracy and training cost after every epoch.  ``on_result(eta, run)`` is
    called after each η, for progress displays.  Ctrl-C raises
    ``SweepInterrupted``, which keeps the runs already finished.
    """
    etas = _check_etas(etas)
    if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 1:
        raise ValueError(f"a sweep needs epochs >= 1, got {epochs!r}")
    for name, data in (("training_data", training_data), ("test_data", test_data)):
        if data is None or not len(data):
            raise ValueError(f"a sweep measures test accuracy, so it needs {name} with at least one (x, y) "
                             f"pair, got {'None' if data is None else 'an empty list'}")
    n_in, n_out = np.size(training_data[0][0]), np.size(training_data[0][1])
    sweep = {"settings": {"sizes": [n_in, hidden, n_out], "epochs": int(epochs), "mini_batch_size": mini_batch_size,
                          "seed": seed, "training_examples": len(training_data), "test_examples": len(test_data),
                          "dtype": np.dtype(dtype).name},
             "runs": []}
    try:
        for eta in etas:
            net = Network([n_in, hidden, n_out], seed=seed, dtype=dtype)
            with warnings.catch_warnings():  # a sweep shows a learning rate that is too large by its accuracy
                warnings.simplefilter("ignore", TrainingWarning)
                history = net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data, quiet=True,
                                  monitor_cost=True)
            run = {"eta": eta, "accuracy": history.test_accuracy, "cost": history.training_cost}
            sweep["runs"].append(run)
            if on_result is not None:
                on_result(eta, run)
    except KeyboardInterrupt:
        raise SweepInterrupted(sweep) from None
    return sweep


def _check_etas(etas):
    """The learning rates as a list of floats: any sequence or 1-D array of positive, finite numbers."""
    values = np.ravel(etas).tolist() if isinstance(etas, np.ndarray) else etas
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"etas must be a list of learning rates such as [0.1, 1.0, 3.0], got {etas!r}")
    if not len(values):
        raise ValueError("give at least one learning rate to sweep")
    bad = [eta for eta in values if isinstance(eta, bool) or not isinstance(eta, Real) or not 0 < eta < math.inf]
    if bad:
        raise ValueError(f"the learning rate eta must be a positive number, got {', '.join(map(repr, bad))}")
    return [float(eta) for eta in values]


def final_accuracies(sweep):
    """``(etas, accuracies)`` after the last epoch, as arrays, for plotting."""
    return (np.array([run["eta"] for run in sweep["runs"]]),
            np.array([run["accuracy"][-1] for run in sweep["runs"]]))


def save_sweep(sweep, path):
    """Write a sweep as JSON, atomically; a NaN or infinity (which JSON cannot hold) is an error."""
    try:
        text = json.dumps(sweep, indent=1, allow_nan=False)
    except ValueError:
        raise ValueError("the sweep holds a NaN or infinite number, which JSON cannot store: "
                         "a run diverged; leave that learning rate out of the sweep") from None
    with atomic_write(path) as f:
        f.write(text.encode())


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
