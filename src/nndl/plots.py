"""Pictures shared by the notebooks: descent paths (03, 06) and training curves (05, 06).

Each function draws on a matplotlib ``ax`` it is given, or on a new figure,
and returns the axes, so a notebook can combine and restyle them.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .network import History


def plot_descent(surface, path, ax=None, extent=None):
    """The contour lines of ``surface`` with a gradient-descent ``path`` (array (steps + 1, 2)) on top."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    finite = path[np.all(np.isfinite(path), axis=1)]
    if extent is None:
        reach = max(1.5, 1.1 * float(np.max(np.abs(path[0]))))
        extent = (-reach, reach)
    grid = np.linspace(*extent, 201)
    v1, v2 = np.meshgrid(grid, grid)
    costs = surface.cost(np.stack([v1, v2], axis=-1))
    ax.contour(v1, v2, costs, levels=15, cmap="viridis", linewidths=0.8)
    ax.plot(finite[:, 0], finite[:, 1], "o-", color="tab:red", markersize=3, linewidth=1.2, label="path")
    ax.plot(*finite[0], "s", color="black", markersize=6, label="start")
    ax.plot(0, 0, "*", color="gold", markeredgecolor="black", markersize=12, label="minimum")
    ax.set(xlim=extent, ylim=extent, xlabel="$v_1$", ylabel="$v_2$", aspect="equal", title=surface.name)
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    return ax


def plot_cost_per_step(surface, path, ax=None):
    """C(v) after each step of ``path``, on a log scale (a straight falling line is steady convergence)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    costs = surface.cost(path)
    shown = np.isfinite(costs) & (costs < 1e12)
    ax.semilogy(np.arange(len(costs))[shown], np.maximum(costs[shown], 1e-300), "o-", markersize=3)
    ax.set(xlabel="step", ylabel="cost C(v)", title="cost per step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def plot_accuracy(runs, ax=None, faded=()):
    """Test accuracy per epoch, in percent, for each run: ``runs`` maps a label to a History or a list of fractions.

    Labels listed in ``faded`` are drawn thin and pale, for earlier runs kept for comparison.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for label, run in runs.items():
        accuracy = run.test_accuracy if isinstance(run, History) else list(run)
        epochs = np.arange(1, len(accuracy) + 1)
        style = dict(alpha=0.35, linewidth=1) if label in faded else dict(linewidth=2)
        ax.plot(epochs, 100 * np.asarray(accuracy), "o-", markersize=3, label=str(label), **style)
    ax.set(xlabel="epoch", ylabel="test accuracy (%)", ylim=(0, 100))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    if runs:
        ax.legend(fontsize="small")
    return ax


def plot_sigmoid_neuron(w=1.0, b=0.0, ax=None):
    """The output σ(w x + b) of a one-input sigmoid neuron against its input x, with the perceptron's step for comparison.

    Notebook 02 attaches sliders for ``w`` and ``b`` to this function: w sets
    how steep the curve is, b (with w) where it crosses ½, at x = -b/w.
    """
    from .functions import sigmoid, step

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    x = np.linspace(-6, 6, 601)
    ax.plot(x, step(w * x + b), color="gray", linestyle="--", linewidth=1, label="perceptron (step)")
    ax.plot(x, sigmoid(w * x + b), linewidth=2.5, label=f"sigmoid neuron, w = {w:.2f}, b = {b:.2f}")
    ax.set(xlabel="input x", ylabel="output", ylim=(-0.05, 1.05), title=r"$\sigma(wx + b)$")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def plot_sweep(sweep, ax=None, chance=0.1):
    """Final test accuracy against η on a log axis, the regions too small / good / too large shaded.

    "Good" is where the accuracy is within 5 points of the best; left of it η is too small, right of it too
    large.  A region's edge lies halfway (on the log axis) between the η's tried on either side of it.
    """
    from .sweep import final_accuracies

    etas, accuracy = final_accuracies(sweep)
    order = np.argsort(etas)
    etas, accuracy = etas[order], accuracy[order]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    good = np.flatnonzero(accuracy >= accuracy.max() - 0.05)
    edges = np.concatenate([[etas[0] / 2], np.sqrt(etas[1:] * etas[:-1]), [etas[-1] * 2]])
    lo, hi = edges[good[0]], edges[good[-1] + 1]
    for start, end, colour, alpha, text in ((edges[0], lo, "tab:blue", 0.08, "too small"),
                                            (lo, hi, "tab:green", 0.15, "good"),
                                            (hi, edges[-1], "tab:red", 0.08, "too large")):
        if end > start:
            ax.axvspan(start, end, color=colour, alpha=alpha, linewidth=0)
            ax.text(np.sqrt(start * end), 97, text, ha="center", va="top", fontsize=10)
    ax.semilogx(etas, 100 * accuracy, "o-", linewidth=2, color="black")
    ax.axhline(100 * chance, color="gray", linestyle=":", label=f"chance ({chance:.0%})")
    s = sweep["settings"]
    ax.set(xlabel="learning rate η", ylabel="test accuracy (%)", ylim=(0, 100), xlim=(edges[0], edges[-1]),
           title=f"after {s['epochs']} epochs, {s['training_examples']:,} training images, sizes {s['sizes']}")
    ax.legend(loc="center left", fontsize="small")
    return ax


def plot_cost_curves(sweep, etas=None, ax=None):
    """Training cost per epoch for the chosen η's of a sweep (all by default)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for run in sweep["runs"]:
        if etas is None or run["eta"] in etas:
            ax.plot(np.arange(1, len(run["cost"]) + 1), run["cost"], "o-", label=f"η = {run['eta']:g}")
    ax.set(xlabel="epoch", ylabel="training cost C (eq. 6)", title="training cost per epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ax.get_lines():
        ax.legend(fontsize="small")
    return ax
