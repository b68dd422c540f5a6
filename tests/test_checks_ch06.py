"""Notebook 06: its checks, and what its cells show: a short History, a one-line TrainingWarning, arrows that reach
the question tree's boxes, and text that asks before it answers."""
import re
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

from checking import assert_rejects
from nndl import Network, diagrams, learner, mnist
from nndl.checks import ch06
from nndl.training import History


# ----- the checks ---------------------------------------------------------------------------------

def test_the_exercises_are_numbered_in_the_notebooks_order():
    assert (ch06.ex1.grade_id, ch06.ex2.grade_id) == ("nb06_choose_eta", "nb06_no_hidden")


def test_no_hidden_layer_refuses_what_the_graded_test_refuses(capsys):
    class MyNetwork(Network):
        pass
    assert_rejects(capsys, ch06.check_no_hidden_layer, [MyNetwork([784, 10], seed=0), []], "should be a Network")


# ----- a cell ending in net.SGD(...) --------------------------------------------------------------

def test_a_history_shows_itself_in_one_short_line():
    history = History(n_test=10_000, test_correct=list(range(9124, 9520, 13))[:29] + [9519])
    assert repr(history) == "History(30 epochs, test accuracy 91.24% after the first, 95.19% after the last)"
    assert repr(History(training_cost=[0.5, 0.25])) == \
        "History(2 epochs, training cost 0.5 after the first, 0.25 after the last)"
    assert repr(History()) == "History(0 epochs)"


# ----- the η = 100 warning ------------------------------------------------------------------------

RUN = """
import warnings
import numpy as np
from nndl import Network
rng = np.random.default_rng(0)
data = [(rng.random((2, 1)) * 50, int(rng.integers(2))) for _ in range(20)]
Network([2, 3, 2], seed=0).SGD(data, 3, 2, 100.0, quiet=True)
warnings.warn("any other warning")
"""


def test_a_training_warning_is_one_line_without_the_callers_file(tmp_path):
    script = tmp_path / "cell.py"
    script.write_text(textwrap.dedent(RUN))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    training, *other = run.stderr.splitlines()
    assert re.match(r"TrainingWarning: after epoch \d every output neuron is saturated", training), run.stderr
    assert training.endswith("the learning rate eta=100 is far too large; try eta=3 or smaller")
    assert str(script) in other[0] and "UserWarning: any other warning" in other[0], "others keep Python's format"
    assert not any("SGD(" in line for line in run.stderr.splitlines()), "the calling line is not repeated"


# ----- the question tree ----------------------------------------------------------------------------

def test_every_arrow_of_the_question_tree_runs_from_box_to_box():
    fig = diagrams.question_tree()
    FigureCanvasAgg(fig).draw()
    ax, = fig.axes
    boxes = [(t.get_bbox_patch() or t).get_window_extent() for t in ax.texts
             if t.get_gid() == "question" or t.get_text() == "⋯"]
    pixels = next(t for t in ax.texts if t.get_text() == "pixels").get_bbox_patch().get_window_extent()
    boxes.append(Bbox([[pixels.x0, 0], [pixels.x1, fig.bbox.height]]))  # the pixels feed arrows at every height
    arrows = [p for p in ax.patches if p.get_gid() == "connection"]
    assert len(arrows) == 19
    for arrow in arrows:
        extent = arrow.get_window_extent()

        def beside(box):
            return box.y0 <= extent.y1 + 1 and box.y1 >= extent.y0 - 1
        ends = [abs(box.x0 - extent.x1) for box in boxes if beside(box)]  # the head's tip on a box's left edge
        starts = [abs(extent.x0 - box.x1) for box in boxes if beside(box)]  # the tail on a box's right edge
        assert min(ends) <= 2, f"the arrow {extent} stops {min(ends):.0f} px away from its box"
        assert min(starts) <= 5, f"the arrow {extent} starts {min(starts):.0f} px away from its box"


# ----- the text around the predictions and exercises ------------------------------------------------

NOTEBOOK = learner.NOTEBOOKS / "06_training_on_mnist.ipynb"


def cells_and_index(grade_id):
    cells = nbformat.read(NOTEBOOK, 4).cells
    return cells, next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_exercise_1_asks_what_the_test_set_is_for_before_the_text_says_it():
    cells, solution = cells_and_index("nb06_choose_eta")
    before = " ".join(" ".join(c.source.split()) for c in cells[:solution])
    after = " ".join(" ".join(c.source.split()) for c in cells[solution:])
    assert "Which of them may decide between the settings?" in before
    assert "The test set is there to estimate" not in before
    assert "The test set is there to estimate, at the very end, how well the network does" in after


def test_back_to_prediction_1_starts_from_chance_with_the_first_epochs_accuracy():
    net = Network([784, 30, 10], seed=0, dtype=np.float32)
    first_epoch = net.SGD(mnist.load_data()[0], 1, 10, 3.0, test_data=mnist.load_data()[2], quiet=True)
    text = " ".join(c.source for c in nbformat.read(NOTEBOOK, 4).cells if "Back to Prediction 1" in c.source)
    assert f"(d): {first_epoch.test_accuracy[0]:.2%} after one epoch (the printed line above), from about 10% " \
           "at random" in " ".join(text.split())
    assert "darkness" not in text.split("###")[0], "the network starts from chance, not from the baseline"


def test_exercise_2_is_answered_after_it_by_a_cell_that_prints_its_numbers():
    cells, graded = cells_and_index("nb06_no_hidden_test")
    table, answer = cells[graded + 1], cells[graded + 2]
    assert table.source.startswith("# NBVAL_CHECK_OUTPUT") and "stuck_on_own_digit(net_no_hidden" in table.source
    printed_table = "".join(o.text for o in table.outputs if o.output_type == "stream")
    accuracy = re.search(r"validation accuracy (\d+\.\d+%)", printed_table).group(1)
    stuck = printed_table.splitlines()[-1].split()
    assert [d for d, share in enumerate(stuck) if share == "100%"] == [6, 8, 9]
    text = " ".join(answer.source.split())
    assert text.startswith("Back to Exercise 2.") and f"ends at {accuracy} of the validation images" in text
    assert "the output neurons of 6, 8 and 9 are stuck on all of their own images" in text
    assert "not of a network without a hidden layer" in text
