"""Every figure the package draws, rendered: no two texts overlap, and no text inside a plot sticks out of it.

The texts are tick labels, axis labels, titles and the texts written on the
plots; matplotlib gives each one's box on the rendered figure
(``get_window_extent``).  Crowded tick labels, a title running into the
panel beside it, an equation label past the axes: each fails here.
"""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from nndl import descent, digits, plots, widgets
from nndl.network import History
from nndl.sweep import SHIPPED_SWEEP, load_sweep

RNG = np.random.default_rng(0)
IMAGES = RNG.random((20, 784))
LABELS = np.arange(20) % 10
GUESSES = (LABELS + RNG.integers(0, 3, 20)) % 10


def new_axes(**kw):
    return plt.figure(figsize=(6, 4)).add_subplot(**kw)


def explorer_figure():
    explorer = widgets.LearningRateExplorer([(np.zeros((784, 1)), np.zeros((10, 1)))] * 50_000, [None] * 10_000)
    explorer.runs = {(3.0, 30, 10): [0.91, 0.93, 0.94, 0.945, 0.95], (0.001, 30, 10): [0.1, 0.11, 0.12, 0.12, 0.13]}
    return explorer.figure((3.0, 30, 10))


def live_curve_figure():
    live = widgets.LiveCurve(30, "[784, 30, 10], η = 3")
    return live.figure({live.label: History(10_000, list(range(9100, 9500, 14))[:29] + [9491])})


descend = descent.gradient_descent
VALLEY = descent.ELONGATED_VALLEY
FIGURES = {
    "NAND perceptron": lambda: plots.plot_two_input_perceptron([-2, -2], 3, "NAND").figure,
    "sigmoid neuron": lambda: widgets.draw_sigmoid_neuron(-10, 10),
    "descent, converging": lambda: plots.plot_descent(VALLEY, descend(VALLEY, (1.2, 1.0), 0.08, 25)).figure,
    "descent, diverging": lambda: plots.plot_descent(VALLEY, descend(VALLEY, (1.2, 1.0), 0.25, 400)).figure,
    "descent in 3-D": lambda: plots.plot_descent_3d(VALLEY, descend(VALLEY, (1.2, 1.0), 0.08, 25),
                                                    new_axes(projection="3d")).figure,
    "cost per step, diverging": lambda: plots.plot_cost_per_step(VALLEY, descend(VALLEY, (1.2, 1.0), 0.25, 400)).figure,
    "four learning rates": lambda: plots.plot_learning_rates(VALLEY, (0.002, 0.08, 0.18, 0.21)),
    "descent explorer": lambda: widgets.draw_descent("elongated valley", 0.21, -1.5, 1.5, 100)[0],
    "descent explorer, round": lambda: widgets.draw_descent("round valley", 0.001, 1.5, -1.5, 1)[0],
    "accuracy, zoomed": lambda: plots.plot_accuracy({"a": History(10_000, [9100, 9400, 9500])}).figure,
    "accuracy, three runs": lambda: plots.plot_accuracy(
        {"η = 3.0": np.linspace(0.91, 0.95, 30), "η = 0.001": np.linspace(0.1, 0.2, 30),
         "η = 100": np.full(30, 0.1)}).figure,
    "live curve": live_curve_figure,
    "MNIST explorer": explorer_figure,
    "sweep": lambda: widgets.draw_sweep(load_sweep(SHIPPED_SWEEP), [0.001, 3.0, 100.0]),
    "first digits": lambda: digits.show_digits(IMAGES[:6], [str(d) for d in LABELS[:6]], columns=6, size=1.5),
    "mistakes": lambda: digits.show_mistakes(IMAGES, LABELS, GUESSES, count=20),
    "confusion matrix": lambda: digits.plot_confusion_matrix(np.repeat(np.arange(10), 1000),
                                                             np.repeat(np.arange(10), 1000)[::-1]),
    "hidden weights": lambda: digits.show_hidden_weights(RNG.standard_normal((30, 784))),
}


def texts(fig):
    """(name, box) of every visible, non-empty text of the rendered figure, and the axes it is drawn inside."""
    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    if fig._suptitle is not None:
        found.append(("suptitle", fig._suptitle, None))
    for k, ax in enumerate(fig.axes):
        labelled = [ax.title, ax._left_title, ax._right_title]
        if ax.axison:  # (digit images have no axes)
            for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
                if axis is not None:  # the ticks drawn: those inside the axis's view
                    labelled += [axis.label] + [tick.label1 for tick in axis._update_ticks()]
        found += [(f"axes {k}: {t.get_text()!r}", t, None) for t in labelled]
        found += [(f"axes {k} plot text: {t.get_text()!r}", t, ax) for t in ax.texts]
    return [(name, text.get_window_extent(renderer), inside) for name, text, inside in found
            if text.get_visible() and text.get_text().strip()]


@pytest.mark.parametrize("name", FIGURES)
def test_no_text_overlaps_another_or_leaves_its_plot(name):
    fig = FIGURES[name]()
    boxes = texts(fig)
    assert boxes, "no text found: the test would pass for anything"
    overlapping = [(a, b) for (a, box_a, _), (b, box_b, _) in itertools.combinations(boxes, 2)
                   if overlap(box_a, box_b)]
    assert overlapping == []
    sticking_out = [text for text, box, ax in boxes
                    if ax is not None and not inside(box, ax.get_window_extent())]
    assert sticking_out == []
    plt.close("all")


def overlap(a, b, tolerance=1):
    """Whether two boxes share more than ``tolerance`` pixels both across and up."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def inside(box, frame, tolerance=1):
    return (box.x0 >= frame.x0 - tolerance and box.x1 <= frame.x1 + tolerance and
            box.y0 >= frame.y0 - tolerance and box.y1 <= frame.y1 + tolerance)


def test_the_check_sees_overlapping_and_escaping_texts():
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.set(xticks=np.arange(30), title="a title")
    ax.text(0.9, 0.5, "a long label past the right edge", transform=ax.transAxes)
    found = texts(fig)
    assert any(overlap(a, b) for (_, a, _), (_, b, _) in itertools.combinations(found, 2))
    assert not inside(found[-1][1], ax.get_window_extent())
    plt.close("all")
