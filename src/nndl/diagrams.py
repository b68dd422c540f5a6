"""The book's diagrams, drawn in code: a perceptron, a layered network, the NAND adder, the flow of δ.

Notebook 05 shows the digit network and the flow of δ; the perceptron and the
adder belong to notebook 01, layered networks to 02, 05 and 06, the flow of δ to 04, the question tree to 05.
Each function returns a new ``matplotlib.figure.Figure`` (no pyplot state, so
it is safe anywhere); a notebook shows it with ``display(fig)`` or by leaving
it as a cell's last value.  Coordinates are in "neuron units": neurons are
circles of radius ``R`` one unit apart, layers ``LAYER_GAP`` units apart, and
every figure is sized from its contents, so an inch always shows the same
length.  Every artist carries a ``gid`` naming what it is (``"neuron"``,
``"connection"``, ``"gate"``, ``"wire"``, ``"delta"``, ``"label"``), which is
how the tests count what a figure shows.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon

R = 0.3  # neuron radius
LAYER_GAP = 3.5  # horizontal distance between layers
INCH = 0.42  # inches per unit
SHOWN = 16  # a larger layer is drawn as its first neurons, "⋮", and its last one
HEAD = 8  # how many neurons such a layer shows before the "⋮"


def _canvas(xlim, ylim):
    """A blank figure whose single axes shows exactly ``xlim`` × ``ylim``, at ``INCH`` inches per unit."""
    width, height = xlim[1] - xlim[0], ylim[1] - ylim[0]
    fig = Figure(figsize=(INCH * width, INCH * height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.set_axis_off()
    return fig, ax


def _label(ax, x, y, text, **style):
    return ax.text(x, y, text, gid="label", ha=style.pop("ha", "center"), va=style.pop("va", "center"),
                   fontsize=style.pop("fontsize", 11), **style)


def _arrow(ax, start, end, gid, **style):
    """An arrow from ``start`` to ``end`` (points in data units)."""
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": "black", "linewidth": 1.2, **style}
    arrow = FancyArrowPatch(start, end, shrinkA=0, shrinkB=0, gid=gid, **style)
    ax.add_patch(arrow)
    return arrow


def _neuron(ax, x, y, **style):
    ax.add_patch(Circle((x, y), R, gid="neuron", **{"facecolor": "white", "edgecolor": "black",
                                                     "linewidth": 1.5, "zorder": 3, **style}))


def _toward(start, end, distance):
    """The point ``distance`` units from ``start`` along the line to ``end``."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    return start + distance * (end - start) / np.linalg.norm(end - start)


# ----- a perceptron (notebook 01) -------------------------------------------------------------------

def perceptron(n_inputs=3, weights=None, bias="b"):
    """A perceptron: inputs x_1 ... x_n, each arrow carrying its weight, into one neuron, and its output.

    ``weights`` are the labels of the arrows (default w_1 ... w_n; numbers are
    shown as given); ``bias`` is written inside the neuron (None: nothing).
    """
    weights = [f"$w_{{{j}}}$" for j in range(1, n_inputs + 1)] if weights is None else [f"{w}" for w in weights]
    if len(weights) != n_inputs:
        raise ValueError(f"perceptron has {n_inputs} inputs but {len(weights)} weights were given: "
                         "give one weight per input")
    spread = 1.3 * (n_inputs - 1)
    ys = np.linspace(spread / 2, -spread / 2, n_inputs)
    fig, ax = _canvas((-1.0, 7.6), (-spread / 2 - 1.0, spread / 2 + 1.0))
    neuron = (3.5, 0.0)
    _neuron(ax, *neuron)
    if bias is not None:
        _label(ax, *neuron, f"{bias}", zorder=4)
    for j, (y, weight) in enumerate(zip(ys, weights), start=1):
        _label(ax, -0.55, y, f"$x_{{{j}}}$", fontsize=13)
        end = _toward(neuron, (0, y), R)
        _arrow(ax, (0, y), end, "connection")
        middle = _toward((0, y), end, 1.2)
        _label(ax, middle[0], middle[1] + 0.3, weight, fontsize=10, color="tab:blue")
    _arrow(ax, (neuron[0] + R, 0), (neuron[0] + 2.2, 0), "connection")
    _label(ax, neuron[0] + 2.35, 0, "output", ha="left")
    return fig


# ----- layered networks (notebooks 02, 05, 06) ------------------------------------------------------

def _shown(size):
    """The neuron indices drawn for a layer of ``size`` (None stands for the "⋮")."""
    return list(range(size)) if size <= SHOWN else [*range(HEAD), None, size - 1]


def _layer_ys(size):
    """The height of each drawn slot of a layer, centred on 0, one unit apart."""
    slots = len(_shown(size))
    return np.arange(slots)[::-1] - (slots - 1) / 2


def _layers(ax, sizes, connection_style):
    """Draw the neurons and all connections of ``sizes``; returns the x of each layer and its neurons' (x, y)."""
    xs = [LAYER_GAP * i for i in range(len(sizes))]
    drawn = []
    for x, size in zip(xs, sizes):
        neurons = []
        for index, y in zip(_shown(size), _layer_ys(size)):
            if index is None:
                _label(ax, x, y, "⋮", fontsize=16)
            else:
                _neuron(ax, x, y)
                neurons.append((x, y))
        drawn.append(neurons)
    for left, right in zip(drawn, drawn[1:]):
        for a in left:
            for b in right:
                ax.plot([a[0] + R, b[0] - R], [a[1], b[1]], gid="connection", **connection_style)
    return xs, drawn


def _layer_names(n_layers):
    if n_layers == 2:
        return ["input layer", "output layer"]
    hidden = ["hidden layer"] if n_layers == 3 else [f"hidden layer {i}" for i in range(1, n_layers - 1)]
    return ["input layer", *hidden, "output layer"]


def network(sizes=(6, 4, 3, 1), output_names=None):
    """A feedforward network with its layers named, as in the book's figures of layered networks.

    ``sizes`` as for ``Network``.  A layer of more than 16 neurons shows its
    first 8, a "⋮" and its last one, and says how many it has: ``network([784,
    15, 10], output_names=range(10))`` is the book's digit classifier, each
    output neuron labelled with its digit.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes, such as [784, 15, 10]; got {sizes}")
    if output_names is not None and len(list(output_names)) != sizes[-1]:
        raise ValueError(f"output_names has {len(list(output_names))} names for {sizes[-1]} output neurons")
    top = max(len(_shown(s)) for s in sizes) / 2
    fig, ax = _canvas((-1.8, LAYER_GAP * (len(sizes) - 1) + 1.8), (-top - 1.0, top + 1.2))
    xs, drawn = _layers(ax, sizes, dict(color="gray", linewidth=0.5, alpha=0.6))
    for x, size, name in zip(xs, sizes, _layer_names(len(sizes))):
        _label(ax, x, top + 0.6, name, fontsize=10)
        _label(ax, x, -top - 0.5, f"{size} neuron{'s' if size > 1 else ''}", fontsize=9, color="dimgray")
    if output_names is not None:
        for (x, y), name in zip(drawn[-1], output_names):
            _label(ax, x + R + 0.2, y, f"{name}", ha="left", fontsize=9)
    return fig


# ----- the adder built from NAND gates (notebook 01) ------------------------------------------------

GATE = 0.9  # a gate's length; it is 0.8 high

# Each gate: its name, the centre of its body, and the two signals that feed it
# (an input's or another gate's name).  Gate "g1" computes NAND(x1, x2);
# "sum" is NAND(NAND(x1, g1), NAND(x2, g1)) = x1 XOR x2; "carry" is NAND(g1, g1) = x1 AND x2.
ADDER = {
    "g1": ((2.0, 1.0), ("x1", "x2")),
    "g2": ((4.2, 2.2), ("x1", "g1")),
    "g3": ((4.2, -0.2), ("g1", "x2")),
    "sum": ((6.4, 1.0), ("g2", "g3")),
    "carry": ((4.2, -1.9), ("g1", "g1")),
}
ADDER_INPUTS = {"x1": (0.0, 2.2), "x2": (0.0, -0.2)}


def _nand_gate(ax, centre):
    """The NAND symbol: a D-shaped body and the small circle of the negation; returns (input ports, output)."""
    x, y = centre
    half, h = GATE / 2, 0.4
    arc = np.linspace(np.pi / 2, -np.pi / 2, 25)
    outline = [(x - half, y + h), (x, y + h), *zip(x + h * np.cos(arc), y + h * np.sin(arc)), (x - half, y - h)]
    ax.add_patch(Polygon(outline, closed=True, gid="gate", facecolor="white", edgecolor="black", linewidth=1.5,
                         zorder=3))
    bubble = 0.08
    ax.add_patch(Circle((x + h + bubble, y), bubble, gid="bubble", facecolor="white", edgecolor="black",
                        linewidth=1.2, zorder=3))
    return [(x - half, y + 0.2), (x - half, y - 0.2)], (x + h + 2 * bubble, y)


def nand_adder():
    """The circuit that adds two bits from five NAND gates: the sum bit x1 ⊕ x2 and the carry bit x1 x2."""
    fig, ax = _canvas((-0.9, 10.2), (-2.6, 3.0))
    outputs = dict(ADDER_INPUTS)
    ports = {}
    for name, (centre, _) in ADDER.items():
        ports[name], outputs[name] = _nand_gate(ax, centre)
    for name, (_, sources) in ADDER.items():
        for port, source in zip(ports[name], sources):
            _arrow(ax, outputs[source], port, "wire", linewidth=1.0, mutation_scale=8)
    for name, (x, y) in ADDER_INPUTS.items():
        _label(ax, x - 0.15, y, f"$x_{name[1]}$", ha="right", fontsize=13)
    for name, text in (("sum", "sum: $x_1 \\oplus x_2$"), ("carry", "carry bit: $x_1 x_2$")):
        x, y = outputs[name]
        _arrow(ax, (x, y), (x + 0.8, y), "wire", linewidth=1.0, mutation_scale=8)
        _label(ax, x + 0.95, y, text, ha="left")
    return fig


# ----- the flow of δ backwards (notebook 04) --------------------------------------------------------

FLOW_WIDTH = 13.5  # the least width, in units, that holds the captions

def backprop_flow(sizes=(3, 4, 4, 2)):
    """The two passes of backpropagation on a small network: a and z forwards, the error δ backwards.

    Above the layers, the feedforward pass (eq. 25); below, one arrow per
    layer carries δ back from layer l + 1 to layer l (BP2), starting from the
    output error δ^L (BP1); each δ^l then gives the gradient (BP3, BP4).
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 3 or min(sizes) < 1 or max(sizes) > SHOWN:
        raise ValueError(f"backprop_flow draws at least three layers of 1 to {SHOWN} neurons; got {sizes}")
    L = len(sizes)
    top = max(sizes) / 2
    right = LAYER_GAP * (L - 1)
    margin = max(1.6, (FLOW_WIDTH - right) / 2)  # room for the long lines of text above and below
    fig, ax = _canvas((-margin, right + margin), (-top - 3.6, top + 2.0))
    xs, _ = _layers(ax, sizes, dict(color="silver", linewidth=0.6))
    for l, x in enumerate(xs, start=1):
        _label(ax, x, top + 0.3, f"layer {l}" if l < L else f"layer {l} = L", fontsize=10)
    _arrow(ax, (0, top + 1.0), (right, top + 1.0), "forward", color="tab:blue")
    _label(ax, right / 2, top + 1.5, "feedforward: $z^l = w^l a^{l-1} + b^l$,  $a^l = \\sigma(z^l)$  (eq. 25)",
           color="tab:blue", fontsize=10)
    below = -top - 0.9
    for l, x in enumerate(xs[1:], start=2):
        name = "L" if l == L else f"{l}"
        _label(ax, x, below, f"$\\delta^{{{name}}}$" + ("  (BP1)" if l == L else ""), color="tab:red")
    for l in range(L - 1, 1, -1):  # δ^l from δ^(l+1)
        start, end = (xs[l] - 0.6, below - 0.5), (xs[l - 1] + 0.6, below - 0.5)
        _arrow(ax, start, end, "delta", color="tab:red", connectionstyle="arc3,rad=-0.35")
        _label(ax, (start[0] + end[0]) / 2, below - 1.35, "BP2", color="tab:red", fontsize=10)
    _label(ax, right / 2, below - 2.3,
           "each $\\delta^l$ gives the gradient: "
           "$\\partial C/\\partial b^l_j = \\delta^l_j$ (BP3),  "
           "$\\partial C/\\partial w^l_{jk} = a^{l-1}_k \\delta^l_j$ (BP4)", fontsize=10)
    return fig


# ----- a question broken into sub-questions (notebook 06, "Toward deep learning") ----------------------

FACE_QUESTIONS = {
    "Is there an eye in the top left?": ["an eyebrow?", "eyelashes?", "an iris?"],
    "Is there an eye in the top right?": [],
    "Is there a nose in the middle?": [],
    "Is there a mouth at the bottom?": [],
    "Is there hair on top?": [],
}


def question_tree(question="Is it a face?", sub_questions=None):
    """The book's picture of a deep network as questions broken down: a question, its sub-questions, theirs, pixels.

    ``sub_questions`` maps each sub-question to its own sub-questions (default:
    ``FACE_QUESTIONS``, where only the first is broken down further, as in the
    book's sketch); a sub-question without any is fed by a "⋯", standing for
    sub-questions not drawn.  Every question is a box (gid ``"question"``),
    every arrow a ``"connection"``; the pixels on the left feed the smallest
    questions, and each layer of questions is a layer of a network.
    """
    sub_questions = FACE_QUESTIONS if sub_questions is None else sub_questions
    if not sub_questions:
        raise ValueError("question_tree needs at least one sub-question, e.g. {'Is there an eye?': ['an iris?']}")
    rows = []  # (sub-question, its y, [(sub-sub-question or "⋯", y)])
    y = 0.0
    for sub, subsub in sub_questions.items():
        leaves = [(s, y - 0.75 * k) for k, s in enumerate(subsub)] or [("⋯", y)]
        rows.append((sub, y - 0.75 * (len(leaves) - 1) / 2, leaves))
        y -= 0.75 * len(leaves) + 0.6
    bottom = y + 0.6
    xs = {"pixels": 0.0, "leaf": 3.2, "sub": 10.4, "top": 17.6}
    fig, ax = _canvas((-1.2, 21.4), (bottom - 1.0, 1.6))
    box = dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="black")
    middle = (bottom + 0.0) / 2
    pixels = _label(ax, xs["pixels"], middle, "pixels", fontsize=10, rotation=90,
                    bbox=dict(boxstyle="round,pad=0.4", facecolor="#eeeeee", edgecolor="gray"))
    top = ax.text(xs["top"], middle, question, gid="question", ha="center", va="center", fontsize=11, bbox=box)
    links = []  # (from, to, y at the start, y at the end): an arrow from one text's box to another's
    for sub, y_sub, leaves in rows:
        sub_text = ax.text(xs["sub"], y_sub, sub, gid="question", ha="center", va="center", fontsize=9, bbox=box)
        links.append((sub_text, top, y_sub, middle))
        for leaf, y_leaf in leaves:
            if leaf == "⋯":
                leaf_text = _label(ax, xs["leaf"], y_leaf, "⋯", fontsize=12)
            else:
                leaf_text = ax.text(xs["leaf"], y_leaf, leaf, gid="question", ha="center", va="center", fontsize=9,
                                    bbox=box)
            links += [(pixels, leaf_text, y_leaf, y_leaf), (leaf_text, sub_text, y_leaf, y_sub)]
    for x, name in ((xs["leaf"], "sub-sub-questions"), (xs["sub"], "sub-questions"), (xs["top"], "the question")):
        _label(ax, x, 1.1, name, fontsize=9, color="gray")
    top.set_zorder(4)
    fig.draw_without_rendering()  # lays the texts out, so that their boxes have their final size
    for source, target, y_start, y_end in links:
        _arrow(ax, (_extent(ax, source).x1 + 0.1, y_start), (_extent(ax, target).x0, y_end), "connection",
               mutation_scale=8, linewidth=0.8)
    return fig


def _extent(ax, text):
    """The box drawn around ``text`` (the text itself if it has none), in data units: arrows start and end on it."""
    drawn = text.get_bbox_patch() or text
    return drawn.get_window_extent().transformed(ax.transData.inverted())
