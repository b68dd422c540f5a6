"""The average-darkness baseline against the book's own loop and the book's number."""
from collections import defaultdict

import numpy as np

from nndl import baselines, mnist


def books_loop(training_images, training_labels, test_images):
    """Nielsen's mnist_average_darkness.py, written as he wrote it (one image at a time)."""
    digit_counts, darknesses = defaultdict(int), defaultdict(float)
    for image, digit in zip(training_images, training_labels):
        digit_counts[digit] += 1
        darknesses[digit] += sum(image)
    avgs = {digit: darknesses[digit] / n for digit, n in digit_counts.items()}
    guesses = []
    for image in test_images:
        darkness = sum(image)
        distances = {k: abs(v - darkness) for k, v in avgs.items()}
        guesses.append(min(distances, key=distances.get))
    return guesses


def test_vectorised_baseline_equals_the_books_loop():
    arrays = mnist.load_arrays()
    training = mnist.Split(arrays.training.images[:2000], arrays.training.labels[:2000])
    test_images = arrays.test.images[:300]
    averages = baselines.average_darkness(training)
    expected = books_loop(training.images.astype(np.float64), training.labels.tolist(), test_images.astype(np.float64))
    assert baselines.guess_digits(averages, test_images).tolist() == expected


def test_the_books_figure():
    arrays = mnist.load_arrays()
    assert baselines.average_darkness_accuracy(arrays.training, arrays.test) == (2225, 10000)
