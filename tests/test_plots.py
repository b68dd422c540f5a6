"""The shared pictures: what each function draws is read back from the matplotlib axes."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nndl import descent, plots
from nndl.network import History


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sweep_of(accuracies, epochs=3):
    """A hand-made sweep (the format of ``nndl.sweep``) with the given final accuracy per η."""
    return {"settings": {"sizes": [784, 30, 10], "epochs": epochs, "training_examples": 50_000},
            "runs": [{"eta": eta, "accuracy": [a / 2, a], "cost": [0.5, 0.5 - a / 4]} for eta, a in accuracies.items()]}


def test_descent_draws_the_finite_part_of_the_path_from_its_start():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 5.0, 400)  # diverges: ends in inf
    ax = plots.plot_descent(descent.ELONGATED_VALLEY, path)
    drawn, start = ax.get_lines()[:2]
    finite = path[np.isfinite(path).all(axis=1)]
    assert 0 < len(finite) < len(path)
    np.testing.assert_array_equal(drawn.get_xydata(), finite)
    np.testing.assert_array_equal(start.get_xydata(), [[1.0, 1.0]])
    assert ax.get_title() == "elongated valley"


def test_cost_per_step_leaves_out_what_overflowed_and_says_from_which_step():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 5.0, 400)
    ax = plots.plot_cost_per_step(descent.ELONGATED_VALLEY, path)
    costs = ax.get_lines()[0].get_ydata()
    assert 0 < len(costs) < len(path) and np.all(np.isfinite(costs)) and costs.max() < 1e12
    assert [t.get_text().split("\n")[0] for t in ax.texts] == [f"from step {len(costs)} the cost is off the plot"]
    converging = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 0.1, 30)
    assert len(plots.plot_cost_per_step(descent.ELONGATED_VALLEY, converging).texts) == 0


def test_a_path_leaving_the_contour_plot_is_said_to():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 0.25, 20)  # |v2| grows 1.5x a step
    first_out = next(k for k, v in enumerate(path) if np.abs(v).max() > 1.5)
    ax = plots.plot_descent(descent.ELONGATED_VALLEY, path)
    assert ax.get_xlabel() == f"$v_1$\n(leaves the plot at step {first_out})"
    assert plots.plot_descent(descent.ELONGATED_VALLEY, path[:first_out]).get_xlabel() == "$v_1$"


@pytest.mark.parametrize("eta", [0.21, 0.25])
def test_the_note_on_a_path_leaving_the_plot_covers_none_of_it(eta):
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.2, 1.0), eta, 25)
    ax = plots.plot_descent(descent.ELONGATED_VALLEY, path)
    ax.figure.canvas.draw()
    note = ax.xaxis.label.get_window_extent()
    assert "leaves the plot at step" in ax.xaxis.label.get_text() and not ax.texts
    assert not note.overlaps(ax.get_window_extent()), f"the note covers the plot, where the path is, at η = {eta}"
    assert ax.figure.bbox.contains(note.x0, note.y0), "and it is inside the figure"


def test_the_3d_path_is_drawn_above_a_translucent_surface():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.2, 1.0), 0.08, 25)
    ax = plots.plot_descent_3d(descent.ELONGATED_VALLEY, path, plt.figure().add_subplot(projection="3d"))
    surface, line = ax.collections[0], ax.get_lines()[0]
    assert ax.computed_zorder is False and line.get_zorder() > surface.get_zorder() and surface.get_alpha() < 0.5
    np.testing.assert_allclose(line.get_data_3d()[2], descent.ELONGATED_VALLEY.cost(path))


def test_the_four_learning_rates_share_one_scale_and_name_their_regime():
    fig = plots.plot_learning_rates(descent.ELONGATED_VALLEY, (0.002, 0.08, 0.18, 0.21))
    assert [ax.get_title() for ax in fig.axes] == ["η = 0.002: too small", "η = 0.08: converges",
                                                   "η = 0.18: oscillates", "η = 0.21: diverges"]
    assert [ax.get_ylabel() for ax in fig.axes] == ["$v_2$", "", "", ""]


def test_two_input_perceptron_marks_each_corner_with_its_output():
    ax = plots.plot_two_input_perceptron([-2, -2], 3, "NAND")
    assert sorted(t.get_text() for t in ax.texts) == ["NAND(0, 0) = 1", "NAND(0, 1) = 1", "NAND(1, 0) = 1",
                                                      "NAND(1, 1) = 0"]
    assert ax.get_legend().get_texts()[0].get_text() == "$-2x_1 -2x_2 +3 = 0$"


def test_accuracy_is_in_percent_per_epoch_numbered_from_zero_as_in_the_transcript():
    history = History(n_test=200, test_correct=[100, 150, 180])
    ax = plots.plot_accuracy({"a history": history, "a list": [0.25, 0.5]}, faded=["a list"])
    bold, pale = ax.get_lines()
    np.testing.assert_array_equal(bold.get_xdata(), [0, 1, 2])  # "Epoch 0: ..." is the first line SGD prints
    np.testing.assert_allclose(bold.get_ydata(), [50, 75, 90])
    np.testing.assert_allclose(pale.get_ydata(), [25, 50])
    assert (bold.get_alpha(), pale.get_alpha()) == (None, 0.35)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a history", "a list"]
    assert (bold.get_color(), pale.get_color()) == ("C0", "C1")


def test_accuracy_axis_zooms_to_the_data_and_says_so():
    ax = plots.plot_accuracy({"run": [0.912, 0.94, 0.951]}, data="validation")
    low, high = ax.get_ylim()
    assert 89 <= low < 91.2 and 95.1 < high <= 97  # at least a point of margin, not 0 to 100
    assert [t.get_text() for t in ax.texts] == [f"axis zoomed: {low:.0f}% to {high:.0f}%"]
    assert ax.get_ylabel() == "validation accuracy (%)"
    full = plots.plot_accuracy({"chance": [0.1, 0.1], "learns": [0.5, 0.99]})
    assert full.get_ylim() == (0, 100) and len(full.texts) == 0


def test_no_runs_is_an_empty_plot_without_a_legend():
    ax = plots.plot_accuracy({})
    assert ax.get_lines() == [] and ax.get_legend() is None


def spans(ax):
    """The shaded regions' (left, right) edges on the η axis, with their labels."""
    edges = [(round(p.get_x(), 6), round(p.get_x() + p.get_width(), 6)) for p in ax.patches]  # axvspan: Rectangles
    return dict(zip([t.get_text() for t in ax.texts], edges))


def test_sweep_regions_lie_halfway_between_the_etas_tried():
    ax = plots.plot_sweep(sweep_of({0.01: 0.1, 0.1: 0.5, 1.0: 0.9, 10.0: 0.88, 100.0: 0.1}))
    # good: within 5 points of the best (η = 1 and 10); edges at the geometric midpoints
    assert spans(ax) == {"too small": (0.005, round(np.sqrt(0.1), 6)), "good": (round(np.sqrt(0.1), 6), round(np.sqrt(1000), 6)),
                         "too large": (round(np.sqrt(1000), 6), 200.0)}
    curve = ax.get_lines()[0]
    np.testing.assert_allclose(curve.get_ydata(), [10, 50, 90, 88, 10])
    assert ax.get_xscale() == "log"
    assert ax.get_title() == "after 3 epochs, 50,000 training images, sizes [784, 30, 10]"


def test_sweep_with_the_best_eta_at_the_end_has_no_too_large_region():
    ax = plots.plot_sweep(sweep_of({10.0: 0.9, 0.1: 0.2, 1.0: 0.5}))  # any order
    assert set(spans(ax)) == {"too small", "good"}
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0.1, 1.0, 10.0])


def test_cost_curves_only_for_the_chosen_etas_each_in_the_colour_of_its_eta():
    sweep = sweep_of({0.1: 0.2, 1.0: 0.5, 10.0: 0.9})
    ax = plots.plot_cost_curves(sweep, [0.1, 10.0])
    assert [line.get_label() for line in ax.get_lines()] == ["η = 0.1", "η = 10"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [0, 1])
    colours = plots.eta_colours([0.1, 1.0, 10.0])
    assert [line.get_color() for line in ax.get_lines()] == [colours[0.1], colours[10.0]]
    assert plots.plot_cost_curves(sweep, [10.0]).get_lines()[0].get_color() == colours[10.0]  # whatever else is shown
    assert len(set(colours.values())) == 3
    assert len(plots.plot_cost_curves(sweep).get_lines()) == 3
    assert plots.plot_cost_curves(sweep, []).get_legend() is None
