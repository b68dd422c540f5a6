"""Learning-rate sweeps: the numbers are those of direct training runs, files round-trip, the shipped one is real."""
import json

import numpy as np
import pytest

from nndl import mnist
from nndl.network import Network
from nndl.sweep import (DEFAULT_ETAS, SHIPPED_SWEEP, final_accuracies, is_saved_sweep, load_sweep, run_sweep,
                        save_sweep)


@pytest.fixture(scope="module")
def small_mnist():
    training_data, _, test_data = mnist.load_data()
    return training_data[:1000], test_data[:300]


def test_sweep_numbers_match_direct_training_runs(small_mnist):
    training_data, test_data = small_mnist
    seen = []
    sweep = run_sweep([3.0, 0.1], training_data, test_data, epochs=2, seed=5,
                      on_result=lambda eta, run: seen.append(eta))
    assert seen == [3.0, 0.1] and [run["eta"] for run in sweep["runs"]] == [3.0, 0.1]
    for run in sweep["runs"]:
        direct = Network([784, 30, 10], seed=5, dtype=np.float32).SGD(
            training_data, 2, 10, run["eta"], test_data=test_data, quiet=True, monitor_cost=True)
        assert run["accuracy"] == direct.test_accuracy and run["cost"] == direct.training_cost
    assert sweep["settings"] == {"sizes": [784, 30, 10], "epochs": 2, "mini_batch_size": 10, "seed": 5,
                                 "training_examples": 1000, "measured_on": "validation",
                                 "evaluation_examples": 300, "dtype": "float32"}
    assert final_accuracies(sweep)[0].tolist() == [3.0, 0.1]


def test_a_diverging_eta_is_listed_and_the_sweep_goes_on(tmp_path, small_mnist):
    """η = 1e300 makes the weights infinite (issue 22): the other η's run, and the sweep saves as JSON."""
    seen = []
    sweep = run_sweep([3.0, 1e300, 0.1], *small_mnist, epochs=1, hidden=10, on_result=lambda eta, run: seen.append(run))
    assert [run["eta"] for run in sweep["runs"]] == [3.0, 0.1] and sweep["diverged"] == [1e300]
    assert seen == [sweep["runs"][0], None, sweep["runs"][1]]
    save_sweep(sweep, tmp_path / "s.json")
    assert load_sweep(tmp_path / "s.json") == sweep


def test_save_load_round_trip_and_atomic_overwrite(tmp_path, small_mnist):
    sweep = run_sweep([3.0], *small_mnist, epochs=1, hidden=10)
    path = tmp_path / "s.json"
    save_sweep(sweep, path)
    assert load_sweep(path) == sweep
    with pytest.raises(TypeError):  # not JSON: the write fails halfway ...
        save_sweep({"settings": {}, "runs": [{"eta": object()}]}, path)
    assert load_sweep(path) == sweep  # ... and the old file is intact, with no temporary file left
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


@pytest.mark.parametrize("content", [json.dumps({"runs": []}), "{", json.dumps([1, 2]),
                                     json.dumps({"settings": {}, "runs": [{"eta": 1.0, "accuracy": []}]}),
                                     json.dumps({"settings": {}, "runs": 5})])
def test_files_that_are_not_sweeps_are_refused(tmp_path, content):
    (tmp_path / "bad.json").write_text(content)
    with pytest.raises(ValueError, match="not a learning-rate sweep saved by `python -m nndl sweep --save`"):
        load_sweep(tmp_path / "bad.json")


@pytest.mark.parametrize("kwargs,message", [(dict(etas=[]), "at least one learning rate"),
                                            (dict(epochs=0), "epochs >= 1"),
                                            (dict(etas=[-1.0]), "eta must be a positive, finite number")])
def test_bad_sweeps_say_what_is_wrong(small_mnist, kwargs, message):
    arguments = dict(etas=[3.0], training_data=small_mnist[0][:20], evaluation_data=small_mnist[1][:20]) | kwargs
    with pytest.raises(ValueError, match=message):
        run_sweep(**arguments)


def test_shipped_sweep_is_the_full_one_and_shows_the_three_regions():
    sweep = load_sweep(SHIPPED_SWEEP)
    settings = sweep["settings"]
    assert settings["training_examples"] == 50_000 and settings["evaluation_examples"] == 10_000
    assert settings["measured_on"] == "validation", "a sweep chooses eta: it must not be measured on the test set"
    etas, accuracy = final_accuracies(sweep)
    assert etas.tolist() == DEFAULT_ETAS
    assert accuracy[etas == 0.001][0] < 0.2 and accuracy[etas == 100][0] < 0.2  # too small, too large
    assert accuracy[etas == 3.0][0] > 0.9  # the book's η


def test_shipped_sweep_is_what_the_code_computes():
    """One η of the shipped file trained again at full scale (float32 sums may differ slightly between CPUs)."""
    shipped = load_sweep(SHIPPED_SWEEP)
    settings = shipped["settings"]
    training_data, validation_data, _ = mnist.load_data()
    again = run_sweep([3.0], training_data, validation_data, epochs=settings["epochs"], hidden=settings["sizes"][1],
                      mini_batch_size=settings["mini_batch_size"], seed=settings["seed"])["runs"][0]
    run = next(run for run in shipped["runs"] if run["eta"] == 3.0)
    np.testing.assert_allclose(again["accuracy"], run["accuracy"], atol=0.01)
    np.testing.assert_allclose(again["cost"], run["cost"], rtol=0.02)


def test_numpy_numbers_and_arrays_are_accepted(small_mnist):
    training_data, test_data = small_mnist[0][:50], small_mnist[1][:20]
    sweep = run_sweep(np.array([3.0, 0.1]), training_data, test_data, epochs=np.int64(1), hidden=5)
    assert [run["eta"] for run in sweep["runs"]] == [3.0, 0.1] and sweep["settings"]["epochs"] == 1
    json.dumps(sweep, allow_nan=False)  # plain Python numbers only


@pytest.mark.parametrize("data,message", [
    (dict(training_data=[]), "needs training_data with at least one \\(x, y\\) pair, got an empty list"),
    (dict(evaluation_data=None), "needs evaluation_data with at least one \\(x, y\\) pair, got None"),
    (dict(evaluation_data=[]), "needs evaluation_data .* got an empty list"),
    (dict(etas=np.array([])), "at least one learning rate"),
    (dict(etas=3.0), "etas must be a list of learning rates"),
])
def test_missing_data_or_rates_say_what_is_missing(small_mnist, data, message):
    arguments = dict(etas=[3.0], training_data=small_mnist[0][:20], evaluation_data=small_mnist[1][:20]) | data
    with pytest.raises(ValueError, match=message):
        run_sweep(**arguments)


def test_a_sweep_with_nan_is_not_written_as_invalid_json(tmp_path):
    sweep = {"settings": {}, "runs": [{"eta": 1.0, "accuracy": [0.1], "cost": [float("nan")]}]}
    with pytest.raises(ValueError, match="holds a NaN or infinite number, which JSON cannot store"):
        save_sweep(sweep, tmp_path / "s.json")
    assert list(tmp_path.iterdir()) == []


DIVERGED_EVERYWHERE = {"settings": {"sizes": [784, 30, 10], "epochs": 1, "training_examples": 10,
                                    "measured_on": "validation"}, "runs": [], "diverged": [1e30, 1e300]}


def test_a_sweep_where_every_eta_diverged_is_neither_saved_nor_shown(tmp_path):
    """save_sweep used to write a file that load_sweep refuses; the widget failed with "max() arg is an empty ..."."""
    from nndl import plots, widgets

    path = tmp_path / "s.json"
    path.write_text("an older sweep")
    message = r"every learning rate of this sweep diverged \(1e\+30 1e\+300\), so it has no accuracy to save or show"
    for use in (lambda: save_sweep(DIVERGED_EVERYWHERE, path), lambda: widgets.learning_rate_sweep(DIVERGED_EVERYWHERE),
                lambda: plots.plot_sweep(DIVERGED_EVERYWHERE)):
        with pytest.raises(ValueError, match=message):
            use()
    assert path.read_text() == "an older sweep"


def test_the_sweep_plot_names_the_etas_that_diverged():
    from nndl import plots

    sweep = DIVERGED_EVERYWHERE | {"runs": [{"eta": 3.0, "accuracy": [0.9], "cost": [0.5]}]}
    legend = [text.get_text() for text in plots.plot_sweep(sweep).get_legend().get_texts()]
    assert "diverged: η = 1e+30 1e+300" in legend


def test_is_saved_sweep_turns_down_a_large_file_or_one_not_json_unread(tmp_path, monkeypatch):
    """``--save`` asks it of any file it would replace: a 1 GiB file (sparse: it takes no disk) is not parsed."""
    import nndl.sweep

    large = tmp_path / "large.json"
    with open(large, "wb") as f:
        f.write(b'{"settings": ')
        f.truncate(2 ** 30)
    (tmp_path / "net.npz").write_bytes(b"PK\x03\x04")
    save_sweep(DIVERGED_EVERYWHERE | {"runs": [{"eta": 3.0, "accuracy": [0.9], "cost": [0.5]}]}, tmp_path / "s.json")
    load = json.load
    monkeypatch.setattr(nndl.sweep.json, "load", lambda f: load(f) if f.name.endswith("s.json") else pytest.fail(
        f"{f.name} was read whole"))
    assert not is_saved_sweep(large) and not is_saved_sweep(tmp_path / "net.npz")
    assert is_saved_sweep(tmp_path / "s.json")
