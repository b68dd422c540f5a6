"""Learning-rate sweeps: the numbers are those of direct training runs, files round-trip, the shipped one is real."""
import json

import numpy as np
import pytest

from nndl import mnist
from nndl.network import Network
from nndl.sweep import DEFAULT_ETAS, SHIPPED_SWEEP, final_accuracies, load_sweep, run_sweep, save_sweep


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
                                 "training_examples": 1000, "test_examples": 300, "dtype": "float32"}
    assert final_accuracies(sweep)[0].tolist() == [3.0, 0.1]


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
                                     json.dumps({"settings": {}, "runs": [{"eta": 1.0, "accuracy": []}]})])
def test_files_that_are_not_sweeps_are_refused(tmp_path, content):
    (tmp_path / "bad.json").write_text(content)
    with pytest.raises(ValueError, match="not a learning-rate sweep saved by `python -m nndl sweep --save`"):
        load_sweep(tmp_path / "bad.json")


@pytest.mark.parametrize("kwargs,message", [(dict(etas=[]), "at least one learning rate"),
                                            (dict(epochs=0), "epochs >= 1"),
                                            (dict(etas=[-1.0]), "eta must be a positive number")])
def test_bad_sweeps_say_what_is_wrong(small_mnist, kwargs, message):
    arguments = dict(etas=[3.0], training_data=small_mnist[0][:20], test_data=small_mnist[1][:20]) | kwargs
    with pytest.raises(ValueError, match=message):
        run_sweep(**arguments)


def test_shipped_sweep_is_the_full_one_and_shows_the_three_regions():
    sweep = load_sweep(SHIPPED_SWEEP)
    assert sweep["settings"]["training_examples"] == 50_000 and sweep["settings"]["test_examples"] == 10_000
    etas, accuracy = final_accuracies(sweep)
    assert etas.tolist() == DEFAULT_ETAS
    assert accuracy[etas == 0.001][0] < 0.2 and accuracy[etas == 100][0] < 0.2  # too small, too large
    assert accuracy[etas == 3.0][0] > 0.9  # the book's η


def test_shipped_sweep_is_what_the_code_computes():
    """One η of the shipped file trained again at full scale (float32 sums may differ slightly between CPUs)."""
    shipped = load_sweep(SHIPPED_SWEEP)
    settings = shipped["settings"]
    training_data, _, test_data = mnist.load_data()
    again = run_sweep([3.0], training_data, test_data, epochs=settings["epochs"], hidden=settings["sizes"][1],
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
    (dict(test_data=None), "needs test_data with at least one \\(x, y\\) pair, got None"),
    (dict(test_data=[]), "needs test_data .* got an empty list"),
    (dict(etas=np.array([])), "at least one learning rate"),
    (dict(etas=3.0), "etas must be a list of learning rates"),
])
def test_missing_data_or_rates_say_what_is_missing(small_mnist, data, message):
    arguments = dict(etas=[3.0], training_data=small_mnist[0][:20], test_data=small_mnist[1][:20]) | data
    with pytest.raises(ValueError, match=message):
        run_sweep(**arguments)


def test_a_sweep_with_nan_is_not_written_as_invalid_json(tmp_path):
    sweep = {"settings": {}, "runs": [{"eta": 1.0, "accuracy": [0.1], "cost": [float("nan")]}]}
    with pytest.raises(ValueError, match="holds a NaN or infinite number, which JSON cannot store"):
        save_sweep(sweep, tmp_path / "s.json")
    assert list(tmp_path.iterdir()) == []
