"""Digit pictures: the confusion matrix against a plain count, and the figures' contents."""
import matplotlib

matplotlib.use("Agg")
import numpy as np

from nndl import digits


def test_confusion_matrix_counts_each_pair():
    labels = np.array([0, 0, 1, 2, 2, 2])
    guesses = np.array([0, 1, 1, 2, 0, 2])
    counts = digits.confusion_matrix(labels, guesses, n_classes=3)
    expected = [[sum(1 for l, g in zip(labels, guesses) if (l, g) == (i, j)) for j in range(3)] for i in range(3)]
    assert counts.tolist() == expected
    assert counts.sum() == 6 and np.trace(counts) == 4


def test_mistakes_show_only_wrong_guesses_with_their_titles():
    images = np.random.default_rng(0).random((5, 784))
    labels, guesses = np.array([1, 2, 3, 4, 5]), np.array([1, 7, 3, 9, 5])
    fig = digits.show_mistakes(images, labels, guesses, columns=2)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["7 (true 2)", "9 (true 4)"]


def test_hidden_weights_one_panel_per_neuron():
    fig = digits.show_hidden_weights(np.random.default_rng(0).standard_normal((12, 784)), count=12, columns=5)
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == [f"neuron {k}" for k in range(12)]
