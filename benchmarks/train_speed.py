"""Speed and memory of training [784, 30, 10] on MNIST at mini-batch size 10, printed as figures.

    python benchmarks/train_speed.py [--epochs-book 1] [--epochs-sgd 4] [--repeats 3]

Prints: the MNIST load time; seconds per epoch of ``Network.SGD`` (the
matrix-based mini-batch form) in float32 and float64 and of the book's
per-example loop, measured in this same run, with the ratios (the three are
timed in turn ``--repeats`` times and the medians compared, since a shared
machine's speed drifts by several percent from minute to minute); the NumPy
operations per mini-batch (counted, not guessed: at mini-batch size 10
they, not the arithmetic, are the cost); and the time and peak memory of a
full 30-epoch run in a fresh process.  Targets from the issue: >= 15x the
book's loop in float32, >= 8x in float64, a 30-epoch run under 15 s and
600 MB.
"""
import argparse
import collections
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np


def seconds_per_epoch_sgd(training_data, dtype, epochs):
    """Network.SGD without test data: the time between the ends of its epochs (so without the one-off
    stacking of the list into an array before the first epoch)."""
    from nndl import Network

    ends = []
    Network([784, 30, 10], seed=0, dtype=dtype).SGD(training_data, epochs, 10, 3.0, quiet=True,
                                                     callback=lambda epoch, history: ends.append(time.perf_counter()))
    return (ends[-1] - ends[0]) / (epochs - 1)


def seconds_per_epoch_book(training_data, epochs):
    from nndl import Network

    net = Network([784, 30, 10], seed=0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = net.rng.permutation(len(training_data))
        for k in range(0, len(order), 10):
            net.update_mini_batch_per_example([training_data[i] for i in order[k:k + 10]], 3.0)
    return (time.perf_counter() - start) / epochs


class Counting(np.ndarray):
    """An ndarray that counts every NumPy operation (ufunc call, reduction, matmul) it takes part in."""

    calls = collections.Counter()

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        Counting.calls[ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"] += 1
        plain = [x.view(np.ndarray) if isinstance(x, Counting) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counting) else o for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if out is not None:
            return out[0]
        return result.view(Counting) if isinstance(result, np.ndarray) else result


def numpy_operations_per_batch():
    """Count the NumPy calls of one mini-batch step of SGD (``FoldedNetwork.descend``), batch size 10."""
    from nndl import Network

    net = Network([784, 30, 10], seed=0, dtype=np.float32)
    folded = net._fold(10)
    folded.params = [p.view(Counting) for p in folded.params]
    folded.inputs = [a.view(Counting) for a in folded.inputs]
    rng = np.random.default_rng(0)
    X = rng.random((100, 784), dtype=np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 100)]
    Counting.calls.clear()
    folded.descend(X, Y, rng.permutation(100)[:10], 3.0)
    return dict(Counting.calls)


def peak_memory_mb():
    """This process's peak resident memory.  Linux's VmHWM, since ru_maxrss survives exec and so
    would report the parent's peak for a child started by fork + exec."""
    try:
        status = open("/proc/self/status").read()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_run():
    """Load MNIST and train 30 epochs of [784, 30, 10] in float32, as `python -m nndl train` does."""
    from nndl import Network, mnist

    start = time.perf_counter()
    training_data, _, test_data = mnist.load_data()
    history = Network([784, 30, 10], seed=0, dtype=np.float32).SGD(training_data, 30, 10, 3.0, test_data=test_data,
                                                                     quiet=True)
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_memory_mb(),
            "final_accuracy": history.test_accuracy[-1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs-book", type=int, default=1)
    parser.add_argument("--epochs-sgd", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--full-run-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.epochs_sgd < 2 or args.epochs_book < 1 or args.repeats < 1:
        parser.error("--epochs-sgd needs at least 2 epochs (it times from the end of the first), "
                     "--epochs-book and --repeats at least 1")
    if args.full_run_child:
        print(json.dumps(full_run()))
        return

    from nndl import mnist

    start = time.perf_counter()
    training_data, _, _ = mnist.load_data()
    print(f"MNIST load time (first load in this process): {time.perf_counter() - start:.2f} s")

    times = collections.defaultdict(list)
    for _ in range(args.repeats):
        times["book"].append(seconds_per_epoch_book(training_data, args.epochs_book))
        for dtype in (np.float32, np.float64):
            times[dtype].append(seconds_per_epoch_sgd(training_data, dtype, args.epochs_sgd))
    spread = lambda runs: f"(runs: {', '.join(f'{t:.3f}' for t in runs)})"
    book = statistics.median(times["book"])
    print(f"book's per-example loop, float64:  {book:6.3f} s/epoch {spread(times['book'])}")
    for dtype in (np.float32, np.float64):
        matrix = statistics.median(times[dtype])
        print(f"Network.SGD matrix form, {np.dtype(dtype).name}: {matrix:6.3f} s/epoch, "
              f"{book / matrix:5.1f}x faster than the book's loop {spread(times[dtype])}")

    calls = numpy_operations_per_batch()
    print(f"NumPy operations per mini-batch update ({sum(calls.values())} in all, plus 2 gathers of the batch's rows):")
    print("   " + ", ".join(f"{name} {n}" for name, n in sorted(calls.items(), key=lambda kv: -kv[1])))

    child = subprocess.run([sys.executable, __file__, "--full-run-child"], capture_output=True, text=True, check=True)
    full = json.loads(child.stdout)
    print(f"full run (load + 30 epochs, float32, with evaluation each epoch, fresh process): {full['seconds']:.1f} s, "
          f"peak memory {full['peak_mb']:.0f} MB, final accuracy {full['final_accuracy']:.2%}")


if __name__ == "__main__":
    main()
