"""The speed benchmark's book-style reference computes what the package computes, so timing it is fair."""
import importlib.util
from pathlib import Path

import numpy as np

from nndl.network import Network


def load_benchmark(name):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_book_style_steps_are_the_packages_per_example_steps():
    rng = np.random.default_rng(0)
    net = Network([12, 7, 5, 3], seed=1)
    book = load_benchmark("book_style").BookStyleNetwork(net.biases, net.weights)
    for _ in range(4):
        batch = [(rng.random((12, 1)), np.eye(3)[:, [rng.integers(3)]]) for _ in range(6)]
        net.update_mini_batch_per_example(batch, 3.0)
        book.step(batch, 3.0)
    assert not np.allclose(book.weights[0], Network([12, 7, 5, 3], seed=1).weights[0])
    for a, b in zip(net.weights + net.biases, book.weights + book.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_a_mini_batch_step_makes_the_14_calls_notebook_04_states():
    # The benchmark's count (every ufunc, matmul and BLAS call of one step of [784, 30, 10]) backs the number
    # given in notebook 04 and in folded.py; the gather of the mini-batch's inputs comes on top.
    calls = load_benchmark("train_speed").numpy_operations_per_batch()
    assert sum(calls.values()) == 14, calls
    assert calls["gemm"] == 4, "a forward product and a gradient update per layer, each one BLAS call"
