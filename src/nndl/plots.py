"""Pictures shared by the notebooks: a perceptron's line (01), descent paths (03, 07), training curves (06, 07).

Each function draws on a matplotlib ``ax`` it is given, or on a new figure,
and returns the axes, so a notebook can combine and restyle them.  Epochs
are numbered from 0, as in ``Network.SGD``'s transcript ("Epoch 0: ...").
"""
import itertools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm
from matplotlib.ticker import MaxNLocator

from .training import History

OFF_THE_PLOT = 1e12
"""Costs above this are not drawn: a diverging path's cost grows without bound (and overflows)."""


def plot_two_input_perceptron(w, b, name, ax=None):
    """The plane of a two-input perceptron's inputs, split by its line w·x + b = 0, with the four corners' outputs."""
    from .functions import step

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    x1, x2 = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
    z = w[0] * x1 + w[1] * x2 + b
    ax.contourf(x1, x2, step(z), levels=[-0.5, 0.5, 1.5], colors=["#f6d5d5", "#d7ecd5"])
    ax.contour(x1, x2, z, levels=[0], colors="black")
    ax.plot([], [], color="black", label=f"${w[0]:g}x_1 {w[1]:+g}x_2 {b:+g} = 0$")
    for corner in itertools.product([0, 1], repeat=2):
        fires = int(step(np.dot(w, corner) + b))
        ax.scatter(*corner, s=160, color="tab:green" if fires else "tab:red", edgecolor="black", zorder=3)
        ax.annotate(f"{name}{corner} = {fires}", corner, textcoords="offset points", xytext=(0, 12), ha="center")
    ax.scatter([], [], s=80, color="#d7ecd5", marker="s", label="fires (output 1)")
    ax.scatter([], [], s=80, color="#f6d5d5", marker="s", label="output 0")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", xticks=[0, 0.5, 1], yticks=[0, 0.5, 1],
           title=f"The {name} perceptron draws a line")
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    return ax


def plot_descent(surface, path, ax=None, extent=None):
    """The contour lines of ``surface`` with a gradient-descent ``path`` (array (steps + 1, 2)) on top."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
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
    with np.errstate(invalid="ignore"):
        outside = np.flatnonzero(~np.all((path >= extent[0]) & (path <= extent[1]), axis=1))
    if len(outside):  # in the axis label, under the plot, where it hides no part of the path
        ax.set_xlabel(f"$v_1$\n(leaves the plot at step {outside[0]})")
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    return ax


def plot_descent_3d(surface, path, ax):
    """The cost surface C(v) in 3-D (translucent) with the path on it, drawn last so that it shows on top."""
    grid = np.linspace(-1.5, 1.5, 61)
    v1, v2 = np.meshgrid(grid, grid)
    ax.computed_zorder = False  # draw in the order given: surface first, path above it
    ax.plot_surface(v1, v2, surface.cost(np.stack([v1, v2], axis=-1)), cmap="viridis", alpha=0.45, zorder=1)
    ax.plot(path[:, 0], path[:, 1], surface.cost(path), "o-", color="red", markersize=3, linewidth=2, zorder=3)
    ax.set(xlabel="$v_1$", ylabel="$v_2$", zlabel="C", title=f"{surface.name}: the ball rolling down")
    return ax


def plot_cost_per_step(surface, path, ax=None):
    """C(v) after each step of ``path``, on a log scale (a straight falling line is steady convergence).

    A diverging path's cost soon exceeds ``OFF_THE_PLOT`` (or overflows); the plot says from which step.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    with np.errstate(over="ignore", invalid="ignore"):
        costs = surface.cost(path)
    shown = np.isfinite(costs) & (costs < OFF_THE_PLOT)
    steps = np.arange(len(costs))
    ax.semilogy(steps[shown], np.maximum(costs[shown], 1e-300), "o-", markersize=3)
    if not shown.all():
        first = int(np.flatnonzero(~shown)[0])
        ax.text(0.98, 0.98, f"from step {first} the cost is off the plot\n(above {OFF_THE_PLOT:.0e}, or overflows)",
                transform=ax.transAxes, ha="right", va="top", color="tab:red", fontsize="small")
    ax.set(xlabel="step", ylabel="cost C(v)", title="cost per step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def plot_learning_rates(surface, etas, start=(1.2, 1.0), steps=25):
    """One descent path per η, side by side on a shared scale, each titled with its regime."""
    from . import descent

    fig, axes = plt.subplots(1, len(etas), figsize=(2.6 * len(etas), 3.3), sharey=True, layout="constrained")
    for ax, eta in zip(axes, etas):
        plot_descent(surface, descent.gradient_descent(surface, start, eta, steps), ax)
        ax.set(title=f"η = {eta}: {descent.regime(surface, eta)}", xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        if ax is not axes[0]:
            ax.set_ylabel("")
            ax.get_legend().remove()
    return fig


def plot_accuracy(runs, ax=None, faded=(), data="test"):
    """Accuracy after each epoch, in percent, for each run: ``runs`` maps a label to a History or a list of fractions.

    Labels listed in ``faded`` are drawn thin and pale, for earlier runs kept
    for comparison; each run keeps the colour of its place in ``runs``.  The
    accuracy axis zooms to the data (91% to 95% is no flat line) and says so
    when it does not start at 0.  ``data`` names the data set measured on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    values = []
    for k, (label, run) in enumerate(runs.items()):
        accuracy = 100 * np.asarray(run.test_accuracy if isinstance(run, History) else list(run), dtype=float)
        style = dict(alpha=0.35, linewidth=1) if label in faded else dict(linewidth=2)
        ax.plot(np.arange(len(accuracy)), accuracy, "o-", markersize=3, label=str(label), color=f"C{k % 10}", **style)
        values.extend(accuracy)
    low, high = (min(values), max(values)) if values else (0, 100)
    margin = max(1.0, 0.1 * (high - low))
    low, high = (low - margin if low - margin > 10 else 0.0), min(100.0, high + margin)  # 0 if near chance
    ax.set(xlabel="epoch", ylabel=f"{data} accuracy (%)", ylim=(low, high))
    if low > 0 or high < 100:
        ax.text(0.99, 0.02, f"axis zoomed: {low:.0f}% to {high:.0f}%", transform=ax.transAxes, ha="right",
                va="bottom", fontsize="x-small", color="dimgray")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    if runs:
        ax.legend(fontsize="small", loc="best")
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


def eta_colours(etas):
    """A colour for each η, from its place on a log scale: the same η has the same colour in every panel.

    A log scale has no place for η <= 0: such an η is refused with a clear error.
    """
    from .sweep import check_etas

    etas = check_etas(etas)
    norm = LogNorm(min(etas), max(etas)) if min(etas) < max(etas) else (lambda eta: 0.0)
    return {eta: colormaps["plasma"](0.85 * float(norm(eta))) for eta in etas}


def plot_sweep(sweep, ax=None, chance=0.1):
    """Final accuracy against η on a log axis, the regions too small / good / too large shaded.

    The accuracy axis names the data the sweep was measured on (its settings' ``measured_on``); the
    legend names the η's that diverged, which have no accuracy to plot.

    "Good" is where the accuracy is within 5 points of the best; left of it η is too small, right of it too
    large.  A region's edge lies halfway (on the log axis) between the η's tried on either side of it.
    """
    from .sweep import final_accuracies

    etas, accuracy = final_accuracies(sweep)
    order = np.argsort(etas)
    etas, accuracy = etas[order], accuracy[order]
    colours = eta_colours(etas.tolist())
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
            ax.text(np.sqrt(start * end), 107, text, ha="center", va="top", fontsize=10)  # above the 100% line
    ax.semilogx(etas, 100 * accuracy, "-", linewidth=2, color="black")
    ax.scatter(etas, 100 * accuracy, c=[colours[eta] for eta in etas], s=40, zorder=3, edgecolor="black")
    ax.axhline(100 * chance, color="gray", linestyle=":", label=f"chance ({chance:.0%})")
    if sweep.get("diverged"):  # no accuracy to plot, but a finding: η that large is too large
        ax.plot([], [], " ", label=f"diverged: η = {' '.join(f'{eta:g}' for eta in sweep['diverged'])}")
    s = sweep["settings"]
    ax.set(xlabel="learning rate η", ylabel=f"{s.get('measured_on', 'test')} accuracy (%)", ylim=(0, 108), yticks=range(0, 101, 20),
           xlim=(edges[0], edges[-1]),
           title=f"after {s['epochs']} epochs, {s['training_examples']:,} training images, sizes {s['sizes']}")
    ax.legend(loc="center left", fontsize="small")
    return ax


def plot_cost_curves(sweep, etas=None, ax=None):
    """Training cost per epoch for the chosen η's of a sweep (all by default), each η in its colour of ``eta_colours``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    colours = eta_colours([run["eta"] for run in sweep["runs"]])
    for run in sweep["runs"]:
        if etas is None or run["eta"] in etas:
            ax.plot(np.arange(len(run["cost"])), run["cost"], "o-", label=f"η = {run['eta']:g}",
                    color=colours[run["eta"]])
    ax.set(xlabel="epoch", ylabel="training cost C (eq. 6)", title="training cost per epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ax.get_lines():
        ax.legend(fontsize="small")
    return ax
