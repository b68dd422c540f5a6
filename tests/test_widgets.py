"""Widget logic without a browser: the callbacks are plain functions, the widgets plain Python objects.

Outside a kernel ipywidgets still builds every widget, runs ``observe`` and
``on_click`` handlers and keeps the values, so the tests drive the widgets as
a learner would (set a slider, click a button) and read back what they show.
"""
import time

import matplotlib

matplotlib.use("Agg")
import IPython.display
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nndl import descent, mnist, widgets
from nndl.network import History, Network

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def small_mnist():
    training_data, _, test_data = mnist.load_data()
    return training_data[:1000], test_data[:300]


# ----- every interact: a Figure displayed from the callback, nothing returned ----------------------

SMALL_SWEEP = {"settings": {"sizes": [784, 30, 10], "epochs": 1, "training_examples": 10},
               "runs": [{"eta": e, "accuracy": [a], "cost": [c]} for e, a, c in
                        ((0.01, 0.1, 0.5), (1.0, 0.6, 0.2), (3.0, 0.9, 0.1), (100.0, 0.1, 0.5))]}

SMALL_RUNS = {"λ = 0": ([0.9, 1.0], [0.78, 0.79]), "λ = 0.1": ([0.88, 0.99], [0.8, 0.81])}

INTERACTS = {"sigmoid": widgets.sigmoid_explorer, "descent": widgets.gradient_descent_explorer,
             "sweep": lambda: widgets.learning_rate_sweep(SMALL_SWEEP), "neuron": widgets.neuron_slowdown_explorer,
             "regularisation": lambda: widgets.regularisation_explorer(SMALL_RUNS)}


def another_value(control):
    """A value the control can take other than its current one."""
    if not hasattr(control, "options"):
        return control.max if control.value != control.max else control.min
    values = [value for _, value in control.options] if isinstance(control.options[0], tuple) else control.options
    if type(control).__name__ == "SelectMultiple":
        return (values[1],)
    return next(value for value in values if value != control.value)


@pytest.mark.parametrize("name", INTERACTS)
def test_each_interact_displays_a_new_figure_for_each_control_and_returns_nothing(name, monkeypatch):
    """What failed in notebook 02: a callback drawing with pyplot and returning its Axes drew outside the widget."""
    plt.close("all")
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    explorer = INTERACTS[name]()
    controls = [c for c in explorer.children if hasattr(c, "value") and c is not explorer.out]
    for control in controls:
        before = len(shown)
        control.value = another_value(control)
        assert explorer.result is None, f"{control.description}: the callback returned {explorer.result!r}"
        assert len(shown) == before + 1 and isinstance(shown[-1], Figure), control.description
        assert plt.get_fignums() == [], "a pyplot figure would be shown outside the widget"
    assert len(controls) == {"sigmoid": 2, "descent": 5, "sweep": 1, "neuron": 5, "regularisation": 1}[name]


@pytest.mark.parametrize("name", [*INTERACTS, "mnist"])
def test_without_a_front_end_an_explorer_shows_its_first_picture_and_builds_no_controls(name, monkeypatch, capsys):
    """The grading kernel sets NNDL_NO_FRONTEND: no widget is built, so no cell waits on a browser."""
    from nndl.teach import sandbox

    assert widgets.NO_FRONTEND == sandbox.NO_FRONTEND
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    monkeypatch.setenv(widgets.NO_FRONTEND, "1")
    explorers = {**INTERACTS, "mnist": lambda: widgets.learning_rate_explorer([], [])}
    assert explorers[name]() is None
    assert "interactive controls are left out" in capsys.readouterr().out
    assert [type(picture) for picture in shown] == ([] if name == "mnist" else [Figure])


def test_sigmoid_explorer_draws_the_neuron_of_its_sliders():
    w, b = widgets.sigmoid_explorer().children[:2]
    assert (w.description, b.description) == ("weight w", "bias b")
    fig = widgets.draw_sigmoid_neuron(2.0, -1.0)
    x, y = fig.axes[0].get_lines()[1].get_data()
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-(2.0 * x - 1.0))))


# ----- gradient descent explorer ------------------------------------------------------------------

def test_descent_callback_draws_each_regime():
    for eta, regime in ((0.001, "too small"), (0.1, "converges"), (0.15, "oscillates"), (0.25, "diverges")):
        fig, path, got = widgets.draw_descent("elongated valley", eta, 1.2, 1.0, 20)
        assert got == regime
        np.testing.assert_array_equal(path, descent.gradient_descent(descent.ELONGATED_VALLEY, (1.2, 1.0), eta, 20))
        assert fig.axes[0].get_title() == "elongated valley" and fig._suptitle.get_text().startswith(f"η = {eta:.4g}: {regime}")
        assert widgets.figure_png(fig).startswith(PNG)


def test_descent_callback_refuses_an_unknown_surface():
    with pytest.raises(ValueError, match="surface_name must be one of"):
        widgets.draw_descent("bowl")


def test_moving_eta_alone_reaches_every_regime_on_both_surfaces():
    explorer = widgets.gradient_descent_explorer()
    surface, eta, v1, v2, steps = explorer.children[:5]
    assert [c.description for c in (surface, eta, v1, v2, steps)] == ["surface", "η", "start v1", "start v2", "steps"]
    assert type(eta).__name__ == "FloatLogSlider"
    positions = np.arange(eta.min, eta.max + 1e-9, eta.step)  # every value the slider can take
    for name in surface.options:
        seen = {descent.regime(widgets.SURFACES[name], eta.base ** p) for p in positions}
        assert seen == {"too small", "converges", "oscillates", "diverges"}, name


# ----- learning-rate sweep ----------------------------------------------------------------------

def test_sweep_widget_starts_with_the_smallest_best_and_largest_eta():
    sweep = SMALL_SWEEP
    picker = widgets.learning_rate_sweep(sweep).children[0]
    assert picker.value == (0.01, 3.0, 100.0)
    fig = widgets.draw_sweep(sweep, picker.value)
    assert [line.get_label() for line in fig.axes[1].get_lines()] == ["η = 0.01", "η = 3", "η = 100"]
    assert fig.get_figwidth() <= 10, "JupyterLab shows a wider figure scaled down, its text too small to read"


# ----- live training ------------------------------------------------------------------------------

def test_live_curve_updates_per_epoch():
    live = widgets.LiveCurve(3, "run")
    live.update(0, History(n_test=10, test_correct=[4]))
    first = live.image.value
    live.update(1, History(n_test=10, test_correct=[4, 9]))
    assert live.progress.value == 2 and live.readout.value == "2 / 3 epochs, test accuracy 90.00%"
    assert bytes(first).startswith(PNG) and bytes(live.image.value).startswith(PNG) and live.image.value != first


def test_train_live_is_sgd_with_a_display(small_mnist):
    training_data, test_data = small_mnist
    live = widgets.train_live(Network([784, 10, 10], seed=2), training_data, 2, 10, 3.0, test_data=test_data)
    plain = Network([784, 10, 10], seed=2).SGD(training_data, 2, 10, 3.0, test_data=test_data, quiet=True)
    assert live.test_correct == plain.test_correct


# ----- MNIST learning-rate explorer: the logic ------------------------------------------------------

def test_explorer_trains_like_sgd_and_caches_runs(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=2, seed=3)
    first = explorer.train(3.0, 10, 10)
    direct = Network([784, 10, 10], seed=3, dtype=np.float32).SGD(
        small_mnist[0], 2, 10, 3.0, test_data=small_mnist[1], quiet=True)
    assert first == direct.test_accuracy
    calls = []
    again = explorer.train(3.0, 10, 10, on_epoch=lambda key, accuracy: calls.append(key))
    assert again is first and calls == []  # from the cache, no training
    assert widgets.LearningRateExplorer.key(0.0017782794100389228, 30, 10) == (0.00178, 30, 10)


def test_stop_ends_training_after_the_current_epoch(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=5)
    accuracy = explorer.train(3.0, 10, 10, on_epoch=lambda key, acc: explorer.stop() if len(acc) == 2 else None)
    assert len(accuracy) == 2
    assert explorer.runs == {}  # a stopped run is not the result of that setting
    assert len(explorer.train(3.0, 10, 10)) == 5  # training it again runs to the end


def test_explorer_figure_fades_earlier_runs_and_each_run_keeps_its_colour(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=1)
    explorer.train(3.0, 10, 10)
    explorer.train(0.1, 10, 10)
    for current in ((0.1, 10, 10), (3.0, 10, 10)):
        lines = explorer.figure(current=current).axes[0].get_lines()
        assert [(line.get_label(), line.get_color()) for line in lines] == [
            ("η = 3, 10 hidden, mini-batch 10", "C0"), ("η = 0.1, 10 hidden, mini-batch 10", "C1")]
        assert [line.get_alpha() for line in lines] == [None if (3.0, 10, 10) == current else 0.35,
                                                        None if (0.1, 10, 10) == current else 0.35]


def test_explorer_offers_exactly_the_etas_notebook_06_asks_for():
    explorer = widgets.LearningRateExplorer([(np.zeros((784, 1)), np.zeros((10, 1)))], [(np.zeros((784, 1)), 0)])
    explorer.widget()
    etas = [value for _, value in explorer.ui.eta.options]
    assert {0.001, 3.0, 100.0} <= set(etas) and explorer.ui.eta.value == 3.0
    for eta in (0.001, 3.0, 100.0):
        explorer.ui.eta.value = eta
        assert explorer.ui.status.value.startswith(f"η = {eta:g}, 30 hidden")


# ----- MNIST learning-rate explorer: the widget, with its training thread --------------------------

def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_train_button_trains_in_a_thread_and_a_tried_setting_shows_at_once(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=2)
    explorer.widget()
    ui = explorer.ui
    ui.hidden.value = 10
    empty_plot = ui.image.value
    ui.train.click()
    explorer.thread.join(timeout=60)
    assert (3.0, 10, 10) in explorer.runs
    assert ui.progress.value == 2 and ui.status.value.endswith("after epoch 1")  # the transcript's "Epoch 1"
    assert ui.status.value.startswith("η = 3, 10 hidden, mini-batch 10: validation accuracy ")
    assert ui.image.value != empty_plot and (ui.train.disabled, ui.stop.disabled) == (False, True)
    trained_plot = ui.image.value

    ui.eta.value = 0.1  # an untried setting: nothing trains until Train is pressed
    assert ui.status.value == "η = 0.1, 10 hidden, mini-batch 10: not tried yet, press Train"
    assert explorer.thread.is_alive() is False and ui.progress.value == 0
    ui.eta.value = 3.0  # back to the tried one: shown at once, from the cache
    assert ui.status.value.endswith("(tried before)") and ui.image.value == trained_plot
    ui.train.click()  # pressing Train on it does not train again
    assert ui.status.value.endswith("(tried before)") and not explorer.thread.is_alive()


def test_stop_button_ends_a_training_running_in_the_background(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=1000)  # about 10 s if nothing stopped it
    explorer.widget()
    ui = explorer.ui
    ui.hidden.value = 10
    ui.train.click()
    assert explorer.thread.is_alive() and ui.train.disabled and not ui.stop.disabled
    wait_for(lambda: ui.progress.value >= 1)  # the plot and the progress bar update while it trains
    ui.stop.click()
    explorer.thread.join(timeout=10)
    assert not explorer.thread.is_alive()
    assert 1 <= ui.progress.value < 1000 and ui.status.value.endswith("(stopped)")
    assert explorer.runs == {} and (ui.train.disabled, ui.stop.disabled) == (False, True)


def test_a_failing_training_is_reported_in_the_status_line(small_mnist):
    explorer = widgets.LearningRateExplorer(small_mnist[0][:50], [(np.zeros((5, 1)), 0)], epochs=1)  # wrong size
    explorer.widget()
    explorer.ui.train.click()
    explorer.thread.join(timeout=30)
    assert "training failed:" in explorer.ui.status.value and not explorer.ui.train.disabled


# ----- the learning slowdown of one neuron ------------------------------------------------------

def test_neuron_callback_draws_the_chosen_cost_beside_the_other():
    fig, run = widgets.draw_neuron_learning(2.0, 2.0, "quadratic", 0.15, 300)
    left, right = fig.axes
    assert [line.get_label() for line in left.get_lines()] == ["quadratic", "cross-entropy"]
    np.testing.assert_array_equal(left.get_lines()[0].get_ydata(), run.outputs)
    np.testing.assert_array_equal(right.get_lines()[0].get_ydata(), run.costs)
    assert right.get_title() == "quadratic cost" and "output 0.98" in fig._suptitle.get_text()
    assert widgets.figure_png(fig).startswith(PNG)


def test_neuron_explorer_offers_start_cost_and_eta():
    explorer = widgets.neuron_slowdown_explorer(w=0.6, b=0.9, cost="cross-entropy")
    w, b, cost, eta, epochs = explorer.children[:5]
    assert [c.description for c in (w, b, cost, eta, epochs)] == ["start w", "start b", "cost", "η", "epochs"]
    assert (w.value, b.value, cost.value) == (0.6, 0.9, "cross-entropy")
    assert set(cost.options) == {"quadratic", "cross-entropy"}


# ----- overfitting and regularisation -----------------------------------------------------------

RUNS = {"λ = 0": ([0.9, 1.0, 1.0], [0.7, 0.75, 0.74]), "λ = 0.1": ([0.85, 0.95, 0.97], [0.72, 0.8, 0.83])}


def test_accuracy_runs_show_the_chosen_run_over_the_others():
    fig = widgets.draw_accuracy_runs(RUNS, "λ = 0.1")
    ax = fig.axes[0]
    faded, training, test = ax.get_lines()
    np.testing.assert_array_equal(faded.get_ydata(), RUNS["λ = 0"][1])
    np.testing.assert_array_equal(training.get_ydata(), RUNS["λ = 0.1"][0])
    np.testing.assert_array_equal(test.get_ydata(), RUNS["λ = 0.1"][1])
    assert ax.get_title() == "λ = 0.1: test 83.00% after 3 epochs (best 83.00%)"
    with pytest.raises(ValueError, match="chosen must be one of"):
        widgets.draw_accuracy_runs(RUNS, "λ = 5")


def test_regularisation_explorer_slides_over_the_runs():
    slider = widgets.regularisation_explorer(RUNS).children[0]
    assert type(slider).__name__ == "SelectionSlider" and list(slider.options) == list(RUNS)
    assert slider.value == "λ = 0"
