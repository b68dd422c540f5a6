"""The book's average-darkness baseline (``mnist_average_darkness.py``), used in notebook 06.

Before any neural network, a simple idea: a "1" uses less ink than an "8".
Compute the average darkness (the sum of the pixel intensities) of each digit
over the training images, then guess, for each test image, the digit whose
average darkness is closest to the image's own.  The book gets 2,225 of the
10,000 test images right: better than the 1,000 of random guessing, far from
what a network reaches.
"""
import numpy as np


def average_darkness(training):
    """The mean darkness of each digit 0-9 in ``training`` (an ``mnist.Split``): an array of 10 numbers.

    A digit with no training images gets infinity, so that it is never guessed:
    the book's program only knows the digits it has seen.
    """
    darkness = training.images.sum(axis=1, dtype=np.float64)
    counts = np.bincount(training.labels, minlength=10)
    sums = np.bincount(training.labels, weights=darkness, minlength=10)
    return np.divide(sums, counts, out=np.full(len(counts), np.inf), where=counts > 0)


def guess_digits(averages, images):
    """For each image (a row of ``images``), the digit whose average darkness is nearest to its own."""
    darkness = images.sum(axis=1, dtype=np.float64)
    return np.argmin(np.abs(darkness[:, None] - averages[None, :]), axis=1)


def average_darkness_accuracy(training, test):
    """``(correct, total)``: how many of ``test``'s images the darkness baseline classifies right."""
    if training.images.shape[1:] != test.images.shape[1:]:
        raise ValueError(f"the training images have {training.images.shape[1]} pixels each but the test images "
                         f"{test.images.shape[1]}: darkness is only comparable between images of one size; "
                         "use training and test images of the same size (784 = 28 × 28 for MNIST)")
    guesses = guess_digits(average_darkness(training), test.images)
    return int(np.sum(guesses == test.labels)), len(test.labels)
