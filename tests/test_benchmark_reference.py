"""The speed benchmark's book-style reference computes what the package computes, so timing it is fair."""
import importlib.util
from pathlib import Path

import numpy as np

from nndl.network import Network


def load_book_style():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "book_style.py"
    spec = importlib.util.spec_from_file_location("book_style", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_book_style_steps_are_the_packages_per_example_steps():
    rng = np.random.default_rng(0)
    net = Network([12, 7, 5, 3], seed=1)
    book = load_book_style().BookStyleNetwork(net.biases, net.weights)
    for _ in range(4):
        batch = [(rng.random((12, 1)), np.eye(3)[:, [rng.integers(3)]]) for _ in range(6)]
        net.update_mini_batch_per_example(batch, 3.0)
        book.step(batch, 3.0)
    assert not np.allclose(book.weights[0], Network([12, 7, 5, 3], seed=1).weights[0])
    for a, b in zip(net.weights + net.biases, book.weights + book.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
