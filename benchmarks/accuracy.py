"""The book's chapter 1 experiments on the shipped MNIST, with final and best test accuracy per run.

    python benchmarks/accuracy.py [--dtype float32|float64] [--epochs 30]

[784, 30, 10], η = 3.0, mini-batch 10, for seeds 0, 1, 2 (the book: 95.42%,
best of three); then the hyper-parameter failure modes of chapter 1:
η = 0.001 (learns very little) and η = 100 (stuck near 10%).
"""
import argparse
import time

import numpy as np

from nndl import Network, mnist


def run(label, sizes, eta, seed, epochs, dtype, training_data, test_data):
    start = time.perf_counter()
    history = Network(sizes, seed=seed, dtype=dtype).SGD(training_data, epochs, 10, eta, test_data=test_data,
                                                          quiet=True)
    accuracy = history.test_accuracy
    print(f"{label:<34} final {accuracy[-1]:7.2%}   best {max(accuracy):7.2%} (epoch {int(np.argmax(accuracy))})"
          f"   {time.perf_counter() - start:5.1f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    training_data, _, test_data = mnist.load_data()
    dtype = np.dtype(args.dtype)
    print(f"{args.epochs} epochs, mini-batch 10, {args.dtype}")
    for seed in (0, 1, 2):
        run(f"[784, 30, 10] eta=3.0 seed={seed}", [784, 30, 10], 3.0, seed, args.epochs, dtype, training_data, test_data)
    for eta in (0.001, 100.0):
        run(f"[784, 30, 10] eta={eta} seed=0", [784, 30, 10], eta, 0, args.epochs, dtype, training_data, test_data)


if __name__ == "__main__":
    main()
