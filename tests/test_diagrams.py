"""The book's diagrams: each draws what it should (counted by the artists' gid) and its text is legible."""
import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nndl import diagrams

FIGURES = {
    "perceptron": diagrams.perceptron,
    "network": diagrams.network,
    "784-15-10": lambda: diagrams.network([784, 15, 10], output_names=range(10)),
    "784-30-10": lambda: diagrams.network([784, 30, 10], output_names=range(10)),
    "nand_adder": diagrams.nand_adder,
    "backprop_flow": diagrams.backprop_flow,
    "784-10": lambda: diagrams.network([784, 10]),
    "flow of three layers": lambda: diagrams.backprop_flow((2, 3, 2)),
    "question_tree": diagrams.question_tree,
}


def artists(fig, gid):
    ax, = fig.axes
    return [a for a in [*ax.patches, *ax.lines, *ax.texts] if a.get_gid() == gid]


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def text_boxes(fig):
    """The window extent of every text of the figure, after drawing it with Agg."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[0].texts if t.get_text().strip()]


def test_perceptron_has_its_inputs_weights_and_output():
    fig = diagrams.perceptron()
    assert isinstance(fig, Figure)
    assert len(artists(fig, "neuron")) == 1
    assert len(artists(fig, "connection")) == 4  # three inputs and the output
    assert texts(fig) == ["b", "$x_{1}$", "$w_{1}$", "$x_{2}$", "$w_{2}$", "$x_{3}$", "$w_{3}$", "output"]
    numbers = texts(diagrams.perceptron(2, weights=[-2, -2], bias=3))
    assert numbers == ["3", "$x_{1}$", "-2", "$x_{2}$", "-2", "output"]


def test_network_names_its_layers_and_draws_every_connection():
    fig = diagrams.network((6, 4, 3, 1))
    assert len(artists(fig, "neuron")) == 14
    assert len(artists(fig, "connection")) == 6 * 4 + 4 * 3 + 3 * 1
    assert texts(fig) == ["input layer", "6 neurons", "hidden layer 1", "4 neurons", "hidden layer 2", "3 neurons",
                          "output layer", "1 neuron"]
    assert texts(diagrams.network([2, 3, 1]))[2] == "hidden layer"


@pytest.mark.parametrize("hidden, hidden_drawn", [(15, 15), (30, 9)])
def test_mnist_network_drawn_as_the_book_does(hidden, hidden_drawn):
    """784 inputs: a few neurons, "⋮" and the last one; every output neuron labelled with its digit."""
    fig = diagrams.network([784, hidden, 10], output_names=range(10))
    input_drawn = 9
    assert len(artists(fig, "neuron")) == input_drawn + hidden_drawn + 10
    assert len(artists(fig, "connection")) == input_drawn * hidden_drawn + hidden_drawn * 10
    labels = texts(fig)
    assert labels.count("⋮") == (1 if hidden_drawn == hidden else 2)
    assert {"784 neurons", f"{hidden} neurons", "10 neurons", "hidden layer"} <= set(labels)
    assert labels[-10:] == [str(d) for d in range(10)]
    # the digits sit beside the output neurons, top to bottom
    ax, = fig.axes
    outputs = sorted((c.center for c in artists(fig, "neuron") if c.center[0] == max(n.center[0] for n in artists(fig, "neuron"))),
                     key=lambda c: -c[1])
    for digit, (x, y) in zip(ax.texts[-10:], outputs):
        assert digit.get_position()[1] == y and digit.get_position()[0] > x


def nand(a, b):
    return 1 - (a & b)


def test_the_adder_circuit_adds_two_bits():
    """The drawn netlist, evaluated with NAND, gives x1 XOR x2 and x1 AND x2: the drawing is the right circuit."""
    for x1, x2 in itertools.product([0, 1], repeat=2):
        value = {"x1": x1, "x2": x2}
        for name, (_, (a, b)) in diagrams.ADDER.items():  # listed so that every gate's inputs come first
            value[name] = nand(value[a], value[b])
        assert (value["carry"], value["sum"]) == divmod(x1 + x2, 2)


def test_the_adder_draws_five_nand_gates_and_their_wires():
    fig = diagrams.nand_adder()
    assert len(artists(fig, "gate")) == len(artists(fig, "bubble")) == 5
    assert len(artists(fig, "wire")) == 2 * 5 + 2  # two inputs per gate, and the two outputs
    assert texts(fig) == ["$x_1$", "$x_2$", "sum: $x_1 \\oplus x_2$", "carry bit: $x_1 x_2$"]


def test_backprop_flow_shows_delta_moving_back_layer_by_layer():
    fig = diagrams.backprop_flow((3, 4, 4, 2))
    assert len(artists(fig, "neuron")) == 13
    assert len(artists(fig, "forward")) == 1
    deltas = artists(fig, "delta")
    assert len(deltas) == 2  # δ^4 -> δ^3 -> δ^2; the input layer has no δ
    assert all(np.subtract(*[p.vertices[i][0] for i in (0, -1)]) > 0 for p in [d.get_path() for d in deltas]), \
        "the δ arrows point backwards, from right to left"
    labels = texts(fig)
    assert labels.count("BP2") == 2 and "$\\delta^{L}$  (BP1)" in labels
    assert {"$\\delta^{2}$", "$\\delta^{3}$", "layer 4 = L"} <= set(labels)
    assert any("(BP3)" in t and "(BP4)" in t for t in labels) and any("(eq. 25)" in t for t in labels)


@pytest.mark.parametrize("name", FIGURES)
def test_no_text_overlaps_another_or_leaves_the_figure(name):
    fig = FIGURES[name]()
    boxes = text_boxes(fig)
    figure_box = fig.bbox
    for text, box in boxes:
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1, \
            f"{name}: {text!r} is cut off by the figure's edge"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{name}: {a!r} overlaps {b!r}"


def test_the_overlap_check_sees_an_overlap():
    fig = diagrams.network()
    fig.axes[0].texts[1].set_position(fig.axes[0].texts[0].get_position())
    boxes = text_boxes(fig)
    assert boxes[0][1].overlaps(boxes[1][1])


def test_question_tree_breaks_a_face_into_questions_down_to_pixels():
    fig = diagrams.question_tree()
    questions = [a.get_text() for a in artists(fig, "question")]
    assert questions[0] == "Is it a face?" and len(questions) == 1 + 5 + 3
    assert "an iris?" in questions and "Is there hair on top?" in questions
    # each sub-question feeds the question; each of the 7 drawn leaves (3 questions, 4 "⋯") is fed by the pixels
    # and feeds its sub-question
    assert len(artists(fig, "connection")) == 5 + 2 * 7
    assert "pixels" in texts(fig) and texts(fig).count("⋯") == 4
    small = diagrams.question_tree("Is it a cat?", {"Ears?": ["a point?"], "Whiskers?": []})
    assert [a.get_text() for a in artists(small, "question")] == ["Is it a cat?", "Ears?", "a point?", "Whiskers?"]


def test_bad_arguments_say_what_to_give():
    with pytest.raises(ValueError, match="3 inputs but 2 weights"):
        diagrams.perceptron(3, weights=[1, 2])
    with pytest.raises(ValueError, match="at least two positive layer sizes"):
        diagrams.network([784])
    with pytest.raises(ValueError, match="3 names for 10 output neurons"):
        diagrams.network([784, 30, 10], output_names="abc")
    with pytest.raises(ValueError, match="at least three layers"):
        diagrams.backprop_flow((784, 30, 10))
    with pytest.raises(ValueError, match="at least one sub-question"):
        diagrams.question_tree("Is it a face?", {})
