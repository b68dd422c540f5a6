"""Widget logic and pictures, without a browser: the callbacks are plain functions."""
import json

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from nndl import mnist, plots, widgets
from nndl.network import Network
from nndl.sweep import SHIPPED_SWEEP, final_accuracies, load_sweep, run_sweep, save_sweep


@pytest.fixture(scope="module")
def small_mnist():
    training_data, _, test_data = mnist.load_data()
    return training_data[:1000], test_data[:300]


def test_descent_explorer_callback_draws_each_regime():
    for eta, regime in ((0.001, "too small"), (0.1, "converges"), (0.15, "oscillates"), (0.25, "diverges")):
        fig, path, got = widgets.draw_descent("elongated valley", eta, 1.2, 1.0, 20)
        assert got == regime and path.shape == (21, 2)
        assert fig.axes[0].get_title() == "elongated valley" and regime in fig._suptitle.get_text()


def test_descent_explorer_widget_builds():
    explorer = widgets.gradient_descent_explorer()
    assert [c.description for c in explorer.children[:5]] == ["surface", "η", "start v1", "start v2", "steps"]


def test_sweep_numbers_match_direct_training_runs(small_mnist):
    training_data, test_data = small_mnist
    sweep = run_sweep([0.1, 3.0], training_data, test_data, epochs=2, seed=5)
    for run in sweep["runs"]:
        direct = Network([784, 30, 10], seed=5, dtype=np.float32).SGD(
            training_data, 2, 10, run["eta"], test_data=test_data, quiet=True, monitor_cost=True)
        assert run["accuracy"] == direct.test_accuracy and run["cost"] == direct.training_cost


def test_sweep_save_load_and_bad_files(tmp_path, small_mnist):
    sweep = run_sweep([3.0], *small_mnist, epochs=1)
    save_sweep(sweep, tmp_path / "s.json")
    assert load_sweep(tmp_path / "s.json") == sweep
    (tmp_path / "bad.json").write_text(json.dumps({"runs": []}))
    with pytest.raises(ValueError, match="not a learning-rate sweep"):
        load_sweep(tmp_path / "bad.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="not a learning-rate sweep"):
        load_sweep(tmp_path / "bad.json")


def test_shipped_sweep_shows_the_three_regions():
    etas, accuracy = final_accuracies(load_sweep(SHIPPED_SWEEP))
    assert accuracy[etas == 0.001][0] < 0.2 and accuracy[etas == 100][0] < 0.2
    assert accuracy[etas == 3.0][0] > 0.9
    ax = plots.plot_sweep(load_sweep(SHIPPED_SWEEP))
    assert {t.get_text() for t in ax.texts} == {"too small", "good", "too large"}


def test_explorer_caches_runs(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=2)
    first = explorer.train(3.0, 10, 10)
    assert len(first) == 2
    calls = []
    again = explorer.train(3.0, 10, 10, on_epoch=lambda key, epoch: calls.append(epoch))
    assert again is first and calls == []  # from the cache, no training


def test_stop_ends_training_after_the_current_epoch(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=5)
    accuracy = explorer.train(3.0, 10, 10, on_epoch=lambda key, epoch: explorer.stop() if epoch == 1 else None)
    assert len(accuracy) == 2
    assert (3.0, 10, 10) not in explorer.runs  # a stopped run is not the result of that setting
    assert len(explorer.train(3.0, 10, 10)) == 5  # training it again runs to the end


def test_explorer_figure_fades_earlier_runs(small_mnist):
    explorer = widgets.LearningRateExplorer(*small_mnist, epochs=1)
    explorer.train(3.0, 10, 10)
    explorer.train(0.1, 10, 10)
    lines = explorer.figure(current=(0.1, 10, 10)).axes[0].get_lines()
    assert [line.get_alpha() for line in lines] == [0.35, None]
    assert widgets.figure_png(explorer.figure()).startswith(b"\x89PNG")


def test_train_live_is_sgd_with_a_display(small_mnist):
    training_data, test_data = small_mnist
    live = widgets.train_live(Network([784, 10, 10], seed=2), training_data, 2, 10, 3.0, test_data=test_data)
    plain = Network([784, 10, 10], seed=2).SGD(training_data, 2, 10, 3.0, test_data=test_data, quiet=True)
    assert live.test_correct == plain.test_correct
