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
    assert titles == ["guess 7\ntrue 2", "guess 9\ntrue 4"]


def test_hidden_weights_one_panel_per_neuron():
    fig = digits.show_hidden_weights(np.random.default_rng(0).standard_normal((12, 784)), count=12, columns=5)
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == [f"neuron {k}" for k in range(12)]


def test_confusion_matrix_boxes_the_commonest_mistakes_and_writes_every_count_readably():
    labels = np.repeat(np.arange(10), 100)
    guesses = labels.copy()
    guesses[:30] = 6        # 30 zeros read as 6
    guesses[100:120] = 7    # 20 ones read as 7
    guesses[200:210] = 3    # 10 twos read as 3
    guesses[300:305] = 5    # 5 threes read as 5
    assert digits.most_common_mistakes(digits.confusion_matrix(labels, guesses)) == [(0, 6), (1, 7), (2, 3)]
    ax = digits.plot_confusion_matrix(labels, guesses).axes[0]
    boxed = sorted((int(p.get_y() + 0.5), int(p.get_x() + 0.5)) for p in ax.patches)
    assert boxed == [(0, 6), (1, 7), (2, 3)]
    counts = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert len(counts) == 100 and counts[0, 6].get_text() == "30" and counts[0, 0].get_text() == "70"
    assert counts[0, 6].get_color() == "white" and counts[3, 5].get_color() == "black"  # on dark red, on pale red
