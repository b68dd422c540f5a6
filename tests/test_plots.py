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


def test_cost_per_step_leaves_out_what_overflowed():
    path = descent.gradient_descent(descent.ELONGATED_VALLEY, (1.0, 1.0), 5.0, 400)
    costs = plots.plot_cost_per_step(descent.ELONGATED_VALLEY, path).get_lines()[0].get_ydata()
    assert 0 < len(costs) < len(path) and np.all(np.isfinite(costs)) and costs.max() < 1e12


def test_accuracy_is_in_percent_per_epoch_from_one_for_histories_and_lists():
    history = History(n_test=200, test_correct=[100, 150, 180])
    ax = plots.plot_accuracy({"a history": history, "a list": [0.25, 0.5]}, faded=["a list"])
    bold, pale = ax.get_lines()
    np.testing.assert_array_equal(bold.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(bold.get_ydata(), [50, 75, 90])
    np.testing.assert_allclose(pale.get_ydata(), [25, 50])
    assert (bold.get_alpha(), pale.get_alpha()) == (None, 0.35)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a history", "a list"]
    assert ax.get_ylim() == (0, 100)


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


def test_cost_curves_only_for_the_chosen_etas():
    sweep = sweep_of({0.1: 0.2, 1.0: 0.5, 10.0: 0.9})
    ax = plots.plot_cost_curves(sweep, [0.1, 10.0])
    assert [line.get_label() for line in ax.get_lines()] == ["η = 0.1", "η = 10"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2])
    assert len(plots.plot_cost_curves(sweep).get_lines()) == 3
    assert plots.plot_cost_curves(sweep, []).get_legend() is None
