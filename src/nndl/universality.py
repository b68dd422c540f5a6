"""Universality: networks of sigmoid neurons that compute a given function (notebook 12, the book's chapter 4).

The book's construction, piece by piece:

* a hidden neuron with one input computes ``hidden_neuron(x, w, b)`` = σ(wx + b);
  for a large weight it is a step at ``step_position(w, b)`` = -b/w, and
  ``step(x, s)`` is that step (exact, the book's limit of a very large w, or
  with a given ``w`` and the bias b = -ws);
* a pair of steps at s1 < s2 with output weights h and -h makes a ``bump``
  of height h between them;
* a hidden layer of such pairs, ``equal_bumps(heights)`` on [0, 1] split into
  equal parts, has the ``weighted_output`` Σ h (step at s1 - step at s2), and the
  network's ``network_output`` is σ of it (the output neuron's bias is 0): to
  make the network compute f, the weighted output must approximate σ⁻¹∘f, with
  ``sigmoid_inverse`` (the book's eq. 113 is ``f``);
* ``average_deviation`` is the book's score for that: the mean of
  |weighted output - σ⁻¹∘f| at x = 0, 0.01, ..., 0.99, its goal 0.40 or below;
* ``heights_for(goal, n)`` is the course's choice of n heights (notebook 12's
  Exercise 1 asks the learner to write one), and ``shifted_bumps`` is the book's
  fix for the windows where a step is not quite a step: M copies of the bumps
  for σ⁻¹∘f / M, each shifted by a fraction 1/M of a bump's width;
* with two inputs, ``tower(x, y, ...)``: a bump in x plus a bump in y, of
  height h each, thresholded at 3h/2 by a second-layer neuron.

``step_explorer()``, ``bump_explorer()`` and ``design_explorer()`` are the notebook's
sliders (in the manner of ``nndl.widgets``; ipywidgets is imported only when they are built).
"""
import html
import math

import numpy as np
from matplotlib.figure import Figure

from .functions import sigmoid
from .widgets import _row, _natural_size_layout, _without_front_end, figure_png

XS = np.arange(100) / 100  # the book's score is measured at x = 0, 0.01, ..., 0.99
GOAL = 0.40  # the book's challenge: an average deviation of 0.40 or below


def f(x):
    """The book's function to approximate on [0, 1], eq. (113): 0.2 + 0.4x² + 0.3x sin(15x) + 0.05 cos(50x)."""
    x = np.asarray(x, dtype=float)
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def sigmoid_inverse(a):
    """σ⁻¹(a) = ln(a / (1 - a)), the weighted input z at which σ(z) = a; defined for 0 < a < 1."""
    a = np.asarray(a, dtype=float)
    if not np.all((a > 0) & (a < 1)):
        bad = a[~((a > 0) & (a < 1))].flat[0]
        raise ValueError(f"σ⁻¹(a) needs 0 < a < 1 (σ never reaches 0 or 1), got a = {bad:g}")
    return np.log(a) - np.log1p(-a)


def hidden_neuron(x, w, b):
    """The output σ(wx + b) of a hidden sigmoid neuron with one input x, weight w and bias b."""
    return sigmoid(w * np.asarray(x, dtype=float) + b)


def step_position(w, b):
    """Where σ(wx + b) crosses ½, the step of a neuron with a large weight: s = -b/w."""
    if w == 0:
        raise ValueError(f"a neuron with w = 0 has no step: its output σ(b) = {float(sigmoid(b)):.3g} is the same "
                         "for every x; give it a non-zero weight")
    return -b / w


def step(x, s, w=None):
    """A hidden neuron used as a step at ``s``: σ(w(x - s)), that is weight w and bias b = -ws.

    With ``w=None`` the step is exact, the limit of a very large w that the
    book's argument treats as reached: 1 where x ≥ s, else 0.
    """
    x = np.asarray(x, dtype=float)
    if w is None:
        return np.where(x >= s, 1.0, 0.0)
    return sigmoid(w * (x - s))


def bump(x, s1, s2, h, w=None):
    """A pair of step neurons at s1 and s2 with output weights h and -h: height h between s1 and s2, 0 elsewhere."""
    return h * step(x, s1, w) - h * step(x, s2, w)


def equal_bumps(heights):
    """The bumps ``[(s1, s2, h), ...]`` of the given heights on [0, 1] cut into len(heights) equal parts."""
    heights = np.asarray(heights, dtype=float).ravel()
    n = len(heights)
    return [(k / n, (k + 1) / n, h) for k, h in enumerate(heights)]


def weighted_output(x, bumps, w=None):
    """The hidden layer's weighted output Σ_j w_j a_j at x, for a hidden layer of step pairs ``bumps``."""
    x = np.asarray(x, dtype=float)
    return sum((bump(x, s1, s2, h, w) for s1, s2, h in bumps), np.zeros_like(x))


def network_output(x, bumps, w=None):
    """The network's output σ(Σ_j w_j a_j + b) at x, with the output neuron's bias b = 0, as in the book."""
    return sigmoid(weighted_output(x, bumps, w))


def average_deviation(bumps, w=None, goal=f, xs=XS):
    """The book's score: the mean of |weighted output - σ⁻¹(goal(x))| over the points ``xs``.

    The book measures it at x = 0, 0.01, ..., 0.99 (``XS``), on the hidden
    layer's weighted output, not on the network's output: its challenge is
    to bring it to ``GOAL`` (0.40) or below with five bumps.
    """
    return float(np.mean(np.abs(weighted_output(xs, bumps, w) - sigmoid_inverse(goal(xs)))))


def output_error(bumps, w=None, goal=f, xs=XS):
    """The mean of |network output - goal(x)| over ``xs``: how far the network's own output is from the goal."""
    return float(np.mean(np.abs(network_output(xs, bumps, w) - goal(xs))))


def heights_for(goal, n, shift=0.0, points=100):
    """n heights for bumps on equal parts of [0, 1] (shifted right by ``shift`` of a part): each the mean of
    σ⁻¹∘goal over ``points`` points across its part, so that the bumps follow σ⁻¹∘goal."""
    return _mean_heights(goal, (np.arange(n) + shift) / n, 1 / n, points)


def _mean_heights(goal, starts, width, points=100):
    """The mean of σ⁻¹∘goal over each part [start, start + width), at points clipped to [0, 1]."""
    xs = np.clip(np.asarray(starts)[:, None] + np.arange(points) * width / points, 0, 1)
    return sigmoid_inverse(goal(xs)).mean(axis=1)


def shifted_bumps(goal, n, copies):
    """The book's fix for the step functions: ``copies`` sets of bumps of width 1/n, each set approximating
    σ⁻¹∘goal / copies, set k shifted right by k/copies of a bump's width.  Each set has a bump more on either
    side, past 0 and past 1 (as tall as the goal at 0 and at 1), so that no step falls at the ends of [0, 1]."""
    bumps = []
    for k in range(copies):
        edges = (np.arange(-1, n + 2) + k / copies) / n  # one bump's end is exactly the next one's start
        heights = _mean_heights(goal, edges[:-1], 1 / n) / copies
        bumps += list(zip(edges[:-1], edges[1:], heights))
    return bumps


# ----- two inputs ---------------------------------------------------------------------------------

def tower(x, y, x1, x2, y1, y2, h=10.0, w=None):
    """The book's tower: about 1 where x1 ≤ x < x2 and y1 ≤ y < y2, about 0 elsewhere.

    Four step neurons (two with a large weight on x and 0 on y, two the other
    way round) make a bump in x and a bump in y, of height h each, so their
    weighted output is 2h on the tower, h on the plateau around it, 0
    elsewhere; a second-layer neuron with bias -3h/2 keeps only the tower.
    """
    x_bump, y_bump = bump(x, x1, x2, h, w), bump(y, y1, y2, h, w)
    return sigmoid(x_bump + y_bump - 3 * h / 2)


# ----- the notebook's sliders -------------------------------------------------------------------------

def draw_step(w=8.0, b=-4.0):
    """σ(wx + b) on [0, 1], with its step position s = -b/w marked (the step explorer's picture)."""
    fig = Figure(figsize=(6, 3.4))
    ax = fig.subplots()
    x = np.linspace(0, 1, 1001)
    ax.plot(x, hidden_neuron(x, w, b), linewidth=2.5)
    if w == 0:
        title = f"w = 0: no step, the output is σ(b) = {float(sigmoid(b)):.2f} for every x"
    else:
        s = step_position(w, b)
        title = f"w = {w:g}, b = {b:g}: the step at s = -b/w = {s:.2f}"
        if 0 <= s <= 1:
            ax.axvline(s, color="gray", linestyle="--", linewidth=1)
    ax.set(xlabel="input x", ylabel="output σ(wx + b)", xlim=(0, 1), ylim=(-0.05, 1.05), title=title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def bias_range(w):
    """The bias slider's span for weight w: every b that puts the step s = -b/w in [-1/4, 5/4], and at least
    [-10, 10], in whole numbers. With a fixed span, at w = 1000 the biases that matter would be a few pixels."""
    lo, hi = sorted((-1.25 * w, 0.25 * w))
    return min(-10, math.floor(lo)), max(10, math.ceil(hi))


def step_explorer():
    """Sliders for a hidden neuron's weight w and bias b, redrawing ``draw_step``; b's span follows w
    (``bias_range``)."""
    if _without_front_end(draw_step):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    weight = widgets.FloatSlider(value=8, min=-100, max=1000, step=1, readout_format=".0f", description="weight w")
    bias = widgets.FloatSlider(value=-4, min=-10, max=10, step=1, readout_format=".0f", description="bias b")

    def follow_weight(change):
        bias.min, bias.max = bias_range(change["new"])  # every span holds [-10, 10]: min never passes max

    weight.observe(follow_weight, names="value")
    return widgets.interactive(lambda w, b: display(draw_step(w, b)), w=weight, b=bias)


def draw_bump(s1=0.4, s2=0.6, h=0.8):
    """The weighted output h·a₁ - h·a₂ on [0, 1] of two hidden neurons with the book's weight w = 1000 and steps
    at s1 and s2 (marked): a bump of height h between s1 and s2 (the bump explorer's picture).

    With s1 > s2 the second neuron steps first: the weighted output is then -h
    between s2 and s1; with s1 = s2 the two steps cancel everywhere.
    """
    fig = Figure(figsize=(6, 3.4))
    ax = fig.subplots()
    x = np.linspace(0, 1, 1001)
    ax.plot(x, bump(x, s1, s2, h, w=1000), linewidth=2.5)
    for s in (s1, s2):
        ax.axvline(s, color="gray", linestyle="--", linewidth=1)
    top = ax.secondary_xaxis("top")  # the dashed lines' names, each on its outer side: apart however close they are
    top.set_xticks([s1, s2], labels=["s₁", "s₂"])
    for label, side in zip(top.get_xticklabels(), ("right", "left") if s1 <= s2 else ("left", "right")):
        label.set_horizontalalignment(side)
    if math.isclose(s1, s2, abs_tol=1e-9):  # a slider's 0.6 can arrive as 0.6000000000000001
        title = f"s₁ = s₂ = {s1:.2f}: the two steps cancel, 0 everywhere"
    elif s1 < s2:
        title = f"height h = {h:.1f} between s₁ = {s1:.2f} and s₂ = {s2:.2f}"
    else:
        title = f"s₁ > s₂: height -h = {0 - h:.1f} between s₂ = {s2:.2f} and s₁ = {s1:.2f}"  # 0 - h: no "-0.0"
    ax.set(xlabel="input x", ylabel="weighted output h·a₁ - h·a₂", xlim=(0, 1), ylim=(-2.2, 2.2), title=title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def bump_explorer():
    """Sliders for the step points s1 and s2 of two hidden neurons (w = 1000) and the height h of their output
    weights h and -h, redrawing ``draw_bump``."""
    if _without_front_end(draw_bump):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    return widgets.interactive(
        lambda s1, s2, h: display(draw_bump(s1, s2, h)),
        s1=widgets.FloatSlider(value=0.4, min=0, max=1, step=0.01, description="step s₁"),
        s2=widgets.FloatSlider(value=0.6, min=0, max=1, step=0.01, description="step s₂"),
        h=widgets.FloatSlider(value=0.8, min=-2, max=2, step=0.1, readout_format=".1f", description="height h"))


def deviation_text(deviation):
    """The design explorer's readout: the average deviation beside the book's goal."""
    reached = round(deviation, 2) <= GOAL
    return (f"average deviation {deviation:.2f} (the book's goal: {GOAL:.2f} or below)"
            + (": goal reached ✓" if reached else ""))


def draw_design(heights):
    """The hidden layer's weighted output for bumps of these heights against σ⁻¹∘f, and the network's output
    against f; returns ``(figure, average deviation)``."""
    bumps = equal_bumps(heights)
    deviation = average_deviation(bumps)
    x = np.linspace(0, 1, 1001)[:-1]
    fig = Figure(figsize=(10, 3.6))
    left, right = fig.subplots(1, 2)
    left.plot(x, sigmoid_inverse(f(x)), color="tab:orange", label="σ⁻¹∘f, the goal")
    left.plot(x, weighted_output(x, bumps), color="tab:blue", linewidth=2, label="weighted output Σ h·bump")
    left.set(xlabel="x", ylabel="weighted output", xlim=(0, 1), ylim=(-3, 3),
             title=f"hidden layer: average deviation {deviation:.2f}")
    right.plot(x, f(x), color="tab:orange", label="f, eq. (113)")
    right.plot(x, network_output(x, bumps), color="tab:blue", linewidth=2, label="network output σ(Σ h·bump)")
    right.set(xlabel="x", ylabel="output", xlim=(0, 1), ylim=(0, 1), title="the network's output")
    for ax in (left, right):
        ax.legend(loc="upper left", fontsize="small")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig, deviation


def design_explorer(n=5):
    """A slider for each of the n bump heights h (output weights h and -h), the average deviation and the picture."""
    if _without_front_end(lambda: draw_design(np.zeros(n))[0]):
        return None
    import ipywidgets as widgets

    sliders = [widgets.FloatSlider(value=0.0, min=-3.0, max=3.0, step=0.1, description=f"h{k + 1}",
                                   readout_format=".1f", continuous_update=False) for k in range(n)]
    fig, deviation = draw_design(np.zeros(n))
    status = widgets.HTML(html.escape(deviation_text(deviation), quote=False))
    image = widgets.Image(format="png", value=figure_png(fig), layout=_natural_size_layout())
    status.add_class("nndl-design-status")  # names for the browser test to find them by
    image.add_class("nndl-design-plot")

    def redraw(_):
        fig, deviation = draw_design([slider.value for slider in sliders])
        status.value = html.escape(deviation_text(deviation), quote=False)
        image.value = figure_png(fig)

    for slider in sliders:
        slider.observe(redraw, names="value")
    return widgets.VBox([_row(sliders), status, image])
