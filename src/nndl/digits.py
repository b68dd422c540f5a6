"""Pictures of digits, and of what a trained network makes of them (notebook 06).

Each function takes images as rows of 784 pixels (``mnist.Split.images``),
draws with matplotlib, and returns the figure.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle


def show_digits(images, titles=(), columns=10, size=1.1):
    """A grid of 28×28 images (rows of ``images``), each with its title if ``titles`` gives one."""
    images = np.asarray(images)
    rows = int(np.ceil(len(images) / columns))
    lines = max([str(title).count("\n") + 1 for title in titles] + [1])
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, (1 + 0.25 * lines) * size * rows), squeeze=False)
    titles = list(titles) + [""] * len(images)
    for ax, image, title in zip(axes.flat, images, titles):
        ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    for ax in axes.flat:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_mistakes(images, labels, predictions, count=20, columns=10):
    """The first ``count`` images the network got wrong, titled with its guess and the true digit."""
    wrong = np.flatnonzero(predictions != labels)[:count]
    titles = [f"guess {predictions[i]}\ntrue {labels[i]}" for i in wrong]
    return show_digits(images[wrong], titles, columns=columns, size=1.3)


def confusion_matrix(labels, predictions, n_classes=10):
    """counts[i, j]: how many images of digit i the network classified as j."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def most_common_mistakes(counts, top=3):
    """The ``top`` (true digit, guess) pairs with the most mistakes, most first."""
    off_diagonal = counts - np.diag(np.diag(counts))
    order = np.argsort(off_diagonal, axis=None, kind="stable")[::-1][:top]
    return [tuple(int(k) for k in np.unravel_index(index, counts.shape)) for index in order]


def plot_confusion_matrix(labels, predictions, top=3):
    """The confusion matrix as a picture, the count written in each cell; the ``top`` commonest mistakes boxed.

    The colour shows the mistakes only (the correct answers on the diagonal
    would dwarf them); each count is written in black or white, whichever
    stands out from its cell's colour.
    """
    counts = confusion_matrix(labels, predictions)
    off_diagonal = counts - np.diag(np.diag(counts))
    fig, ax = plt.subplots(figsize=(6.5, 6))
    ax.imshow(off_diagonal, cmap="Reds", vmin=0, vmax=max(1, off_diagonal.max()))
    for (i, j), n in np.ndenumerate(counts):
        dark = i != j and n > 0.55 * off_diagonal.max()
        ax.text(j, i, str(n), ha="center", va="center", fontsize=9, color="white" if dark else "black",
                fontweight="bold" if i == j else "normal")
    for i, j in most_common_mistakes(counts, top):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2.5))
    ax.set(xticks=range(10), yticks=range(10), xlabel="the network's guess", ylabel="true digit")
    ax.set_title(f"confusion matrix: colour shows the mistakes;\nboxed: the {top} most common", fontsize=11)
    fig.tight_layout()
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
