"""Pictures of digits, and of what a trained network makes of them (notebook 05).

Each function takes images as rows of 784 pixels (``mnist.Split.images``),
draws with matplotlib, and returns the figure.
"""
import matplotlib.pyplot as plt
import numpy as np


def show_digits(images, titles=(), columns=10, size=1.1):
    """A grid of 28×28 images (rows of ``images``), each with its title if ``titles`` gives one."""
    images = np.asarray(images)
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, 1.25 * size * rows), squeeze=False)
    titles = list(titles) + [""] * len(images)
    for ax, image, title in zip(axes.flat, images, titles):
        ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    for ax in axes.flat:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_mistakes(images, labels, predictions, count=20, columns=10):
    """The first ``count`` images the network got wrong, titled "guess (true)"."""
    wrong = np.flatnonzero(predictions != labels)[:count]
    titles = [f"{predictions[i]} (true {labels[i]})" for i in wrong]
    return show_digits(images[wrong], titles, columns=columns, size=1.3)


def confusion_matrix(labels, predictions, n_classes=10):
    """counts[i, j]: how many images of digit i the network classified as j."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def plot_confusion_matrix(labels, predictions):
    """The confusion matrix as a picture, the count written in each cell; the diagonal is the correct answers."""
    counts = confusion_matrix(labels, predictions)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    off_diagonal = counts - np.diag(np.diag(counts))
    ax.imshow(off_diagonal, cmap="Reds")
    for (i, j), n in np.ndenumerate(counts):
        ax.text(j, i, str(n), ha="center", va="center", fontsize=8, color="black" if i != j else "tab:blue")
    ax.set(xticks=range(10), yticks=range(10), xlabel="the network's guess", ylabel="true digit",
           title="confusion matrix (colour: mistakes only)")
    return fig


def show_hidden_weights(weights, count=30, columns=10):
    """Each hidden neuron's 784 incoming weights as a 28×28 image: red positive, blue negative."""
    weights = np.asarray(weights)[:count]
    rows = int(np.ceil(len(weights) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.1 * columns, 1.15 * rows), squeeze=False)
    for ax, (k, w) in zip(axes.flat, enumerate(weights)):
        limit = np.abs(w).max()
        ax.imshow(w.reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"neuron {k}", fontsize=8)
    for ax in axes.flat:
        ax.set_axis_off()
    fig.tight_layout()
    return fig
