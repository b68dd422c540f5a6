"""Learning-rate sweeps: accuracy after a few epochs for each η (notebook 07, ``python -m nndl sweep``).

A sweep trains one network per learning rate, from the same seed, and
records the accuracy on held-out data and the training cost after each epoch.
A learning rate so large that training diverges (the weights or the cost
overflow to infinity or NaN) is listed as diverged, and the sweep goes on.
Since a sweep chooses η, it is measured on the validation set, keeping the
test set for the end.  The notebook runs a small sweep live; the command line
runs the full one on all 50,000 training images and saves it as JSON for the
notebook to load.
"""
import json
import warnings
from numbers import Integral

import numpy as np

from .checking import is_learning_rate
from .mnist import SHIPPED_DIR
from .network import Network, TrainingWarning
from .persistence import atomic_write, holds_saved_json, read_json

SHIPPED_SWEEP = SHIPPED_DIR.parent / "sweeps" / "mnist_784_30_10.json"
"""The full sweep the course ships: `python -m nndl sweep --save data/sweeps/mnist_784_30_10.json`."""

DEFAULT_ETAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep; ``sweep`` holds the settings and the runs of the learning rates finished."""

    def __init__(self, sweep):
        super().__init__(f"sweep interrupted after {len(sweep['runs'])} learning rate(s)")
        self.sweep = sweep


def run_sweep(etas, training_data, evaluation_data, epochs=3, hidden=30, mini_batch_size=10, seed=0,
              dtype=np.float32, on_result=None, measured_on="validation"):
    """Train ``[784, hidden, 10]`` for ``epochs`` epochs at each η; returns the sweep as a dict.

    The dict holds the settings (``measured_on`` names what
    ``evaluation_data`` is), in ``runs`` per η (in the order given) the accuracy on
    ``evaluation_data`` and the training cost after every epoch, and in
    ``diverged`` the η's whose training diverged.  ``on_result(eta, run)`` is
    called after each η, for progress displays (``run`` is None if η
    diverged).  Ctrl-C raises ``SweepInterrupted``, which keeps the runs
    already finished.
    """
    etas = check_etas(etas)
    if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 1:
        raise ValueError(f"a sweep needs epochs >= 1, got {epochs!r}")
    for name, data in (("training_data", training_data), ("evaluation_data", evaluation_data)):
        if data is None or not len(data):
            raise ValueError(f"a sweep measures accuracy on held-out data, so it needs {name} with at least one (x, y) "
                             f"pair, got {'None' if data is None else 'an empty list'}")
    n_in, n_out = np.size(training_data[0][0]), np.size(training_data[0][1])
    sweep = {"settings": {"sizes": [n_in, hidden, n_out], "epochs": int(epochs), "mini_batch_size": mini_batch_size,
                          "seed": seed, "training_examples": len(training_data), "measured_on": measured_on,
                          "evaluation_examples": len(evaluation_data),
                          "dtype": np.dtype(dtype).name},
             "runs": [], "diverged": []}
    try:
        for eta in etas:
            run = _run(eta, sweep["settings"]["sizes"], training_data, evaluation_data, epochs, mini_batch_size,
                       seed, dtype)
            if run is None:
                sweep["diverged"].append(eta)
            else:
                sweep["runs"].append(run)
            if on_result is not None:
                on_result(eta, run)
    except KeyboardInterrupt:
        raise SweepInterrupted(sweep) from None
    return sweep


def _run(eta, sizes, training_data, evaluation_data, epochs, mini_batch_size, seed, dtype):
    """One η of the sweep: its accuracy and training cost per epoch, or None if training diverged."""
    net = Network(sizes, seed=seed, dtype=dtype)
    # A sweep shows a learning rate that is too large by its accuracy, and overflow by "diverged": no warnings.
    with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", TrainingWarning)
        try:
            history = net.SGD(training_data, epochs, mini_batch_size, eta, test_data=evaluation_data, quiet=True,
                              monitor_cost=True)
        except FloatingPointError:  # the weights became infinite or NaN
            return None
    if not np.isfinite(history.training_cost).all():  # the cost overflowed: JSON could not even store it
        return None
    return {"eta": eta, "accuracy": history.test_accuracy, "cost": history.training_cost}


def check_etas(etas):
    """The learning rates as a list of floats: any sequence or 1-D array of positive, finite numbers."""
    values = np.ravel(etas).tolist() if isinstance(etas, np.ndarray) else etas
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"etas must be a list of learning rates such as [0.1, 1.0, 3.0], got {etas!r}")
    if not len(values):
        raise ValueError("give at least one learning rate to sweep")
    bad = [eta for eta in values if not is_learning_rate(eta)]
    if bad:
        raise ValueError(f"the learning rate eta must be a positive, finite number, got "
                         f"{', '.join(map(repr, bad))}")
    return [float(eta) for eta in values]


def check_not_all_diverged(sweep):
    """``sweep`` unchanged if at least one learning rate finished: if every one diverged, there is nothing to show."""
    if not sweep["runs"]:
        diverged = " ".join(f"{eta:g}" for eta in sweep.get("diverged", []))
        raise ValueError(f"every learning rate of this sweep diverged ({diverged}), so it has no accuracy to save "
                         f"or show: sweep smaller learning rates")
    return sweep


def final_accuracies(sweep):
    """``(etas, accuracies)`` after the last epoch, as arrays, for plotting."""
    check_not_all_diverged(sweep)
    return (np.array([run["eta"] for run in sweep["runs"]]),
            np.array([run["accuracy"][-1] for run in sweep["runs"]]))


SAVED_SWEEP_MAX_BYTES = 2 ** 22
"""Far more than any sweep takes (the one the course ships takes 2 KB)."""


def is_saved_sweep(path):
    """True if ``path`` holds a sweep that ``load_sweep`` reads (``--save`` replaces only such a file)."""
    return holds_saved_json(path, load_sweep, SAVED_SWEEP_MAX_BYTES)


def save_sweep(sweep, path):
    """Write a sweep as JSON, atomically; a NaN or infinity (which JSON cannot hold), or no run, is an error."""
    check_not_all_diverged(sweep)
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
    sweep = read_json(path, problem)
    runs = sweep.get("runs") if isinstance(sweep, dict) else None
    if not runs or not isinstance(runs, list) or "settings" not in sweep or not all(
            isinstance(r, dict) and {"eta", "accuracy", "cost"} <= set(r) and r["accuracy"] for r in runs):
        raise ValueError(f"{problem}: it lacks the settings or the runs with eta, accuracy and cost")
    return sweep
