"""Speed and memory of training [784, 30, 10] on MNIST at mini-batch size 10, printed as figures.

    python benchmarks/train_speed.py [--repeats 5]

Prints, all measured in this one process on the same data:

* the one-off cost before the first epoch of ``Network.SGD`` (checking and
  arranging the data: ``SGD`` with 0 epochs), on a line of its own;
* seconds per epoch of ``Network.SGD`` in float32 and float64, timed between
  the ends of its epochs within one run, and of two references: the
  book-style program of ``book_style.py`` (per-example backpropagation in
  plain NumPy, no input checks) and the package's own per-example path
  ``update_mini_batch_per_example`` (the book's algorithm with nndl's
  checks).  The references' epochs run inside SGD's epoch callback, so each
  SGD epoch is timed right beside a reference epoch; a shared machine's
  speed drifts from minute to minute, so the ratio is taken for each
  neighbouring pair and the median of the ratios reported, with every run.
  Each is given in wall-clock time and in this process's CPU time, which
  leaves out the time other processes hold the cores;
* seconds per epoch of [784, 100, 10] with chapter 3's cross-entropy and
  L2 (λ = 5), each epoch timed beside an epoch of the same network trained
  as in chapter 1 (quadratic cost, no λ), and the median ratio;
* the NumPy operations per mini-batch (counted, not guessed: at mini-batch
  size 10 they, not the arithmetic, are the cost);
* the time and peak memory of a full 30-epoch run in a fresh process.

Targets from the issues: >= 15x the book-style program per epoch in
float32, >= 10x in float64; a one-epoch run pays <= 0.05 s before its first
epoch; a 30-epoch run under 15 s and 600 MB.
"""
import argparse
import collections
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_style import BookStyleNetwork  # noqa: E402


def one_off_seconds(training_data, dtype, repeats):
    """The median time of ``SGD`` with 0 epochs: everything a run does before its first epoch."""
    from nndl import Network

    times = []
    for _ in range(repeats):
        net = Network([784, 30, 10], seed=0, dtype=dtype)
        start = time.perf_counter()
        net.SGD(training_data, 0, 10, 3.0, quiet=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def clocks():
    """Wall-clock time and this process's CPU time, in seconds."""
    return np.array([time.perf_counter(), time.process_time()])


def interleaved_epochs(training_data, dtype, epochs):
    """Epoch times of SGD in ``dtype`` and, run between its epochs, of the two references.

    Returns three lists of (wall-clock, CPU) seconds.  SGD's epoch j is timed
    from the end of its callback for epoch j - 1 to the start of its
    callback for epoch j (so without the one-off cost, and without the
    references, which run inside the callback).
    """
    from nndl import Network

    net = Network([784, 30, 10], seed=0, dtype=dtype)
    book = BookStyleNetwork(net.biases, net.weights)
    package = Network([784, 30, 10], seed=0)
    times = collections.defaultdict(list)
    resumed = []

    def between_epochs(epoch, history):
        if resumed:
            times["sgd"].append(clocks() - resumed[-1])
        if epoch < epochs - 1:
            start = clocks()
            book.train_epoch(training_data, 10, 3.0, seed=epoch)
            times["book"].append(clocks() - start)
            start = clocks()
            order = package.rng.permutation(len(training_data))
            for k in range(0, len(order), 10):
                package.update_mini_batch_per_example([training_data[i] for i in order[k:k + 10]], 3.0)
            times["package"].append(clocks() - start)
        resumed.append(clocks())

    net.SGD(training_data, epochs, 10, 3.0, quiet=True, callback=between_epochs)
    return times["sgd"], times["book"], times["package"]


def chapter3_epochs(training_data, dtype, epochs):
    """(wall-clock, CPU) epoch times of [784, 100, 10] with cross-entropy and λ = 5, and of chapter 1's, alternating."""
    from nndl import Network

    chapter1 = Network([784, 100, 10], seed=0, dtype=dtype)
    chapter3 = Network([784, 100, 10], cost="cross-entropy", seed=0, dtype=dtype)
    times = collections.defaultdict(list)
    for _ in range(epochs):
        for name, net, options in (("chapter 1", chapter1, {}), ("chapter 3", chapter3, {"lmbda": 5.0})):
            start = clocks()
            net.SGD(training_data, 1, 10, 0.5, quiet=True, **options)
            times[name].append(clocks() - start)
    return times["chapter 1"], times["chapter 3"]


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
    """Count the NumPy and BLAS calls of one mini-batch step of SGD (``FoldedNetwork.descend``), batch size 10."""
    from nndl import Network

    net = Network([784, 30, 10], seed=0, dtype=np.float32)
    folded = net._fold(10)
    folded.params = [p.view(Counting) for p in folded.params]
    folded.inputs = [a.view(Counting) for a in folded.inputs]
    folded.params_t, folded.weights_only = [p.T for p in folded.params], [p[:, :-1] for p in folded.params]
    gemm = folded.gemm

    def counted_gemm(*args):
        Counting.calls["gemm"] += 1
        return gemm(*(x.view(np.ndarray) if isinstance(x, Counting) else x for x in args)).view(Counting)

    folded.gemm = counted_gemm
    rng = np.random.default_rng(0)
    X = rng.random((100, 784), dtype=np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 100)]
    Counting.calls.clear()
    folded.descend(X, Y, rng.permutation(100)[:10], 3.0)  # one mini-batch of 10 rows
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
    parser.add_argument("--repeats", type=int, default=5, help="SGD epochs per dtype timed against the references")
    parser.add_argument("--full-run-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    if args.full_run_child:
        print(json.dumps(full_run()))
        return

    from nndl import mnist

    start = time.perf_counter()
    training_data, _, _ = mnist.load_data()
    print(f"MNIST load time (first load in this process): {time.perf_counter() - start:.2f} s")
    for dtype in (np.float32, np.float64):
        print(f"one-off cost before the first epoch of Network.SGD, {np.dtype(dtype).name}: "
              f"{one_off_seconds(training_data, dtype, 5):.4f} s")

    runs = lambda times, clock: ", ".join(f"{t[clock]:.3f}" for t in times)
    median = lambda times, clock: statistics.median(t[clock] for t in times)
    for dtype in (np.float32, np.float64):
        sgd, book, package = interleaved_epochs(training_data, dtype, args.repeats + 1)
        print(f"Network.SGD, {np.dtype(dtype).name}: {median(sgd, 0):.3f} s/epoch wall-clock (runs: {runs(sgd, 0)}), "
              f"{median(sgd, 1):.3f} s CPU (runs: {runs(sgd, 1)})")
        for label, reference in (("the book-style program (book_style.py)", book),
                                 ("the package's per-example path", package)):
            print(f"    {label}: {median(reference, 0):.3f} s/epoch wall-clock (runs: {runs(reference, 0)}), "
                  f"{median(reference, 1):.3f} s CPU")
            for clock, name in ((0, "wall-clock"), (1, "CPU")):
                ratios = [r[clock] / s[clock] for r, s in zip(reference, sgd)]
                print(f"        SGD is {statistics.median(ratios):.1f}x faster in {name} time "
                      f"(median of neighbouring pairs; {min(ratios):.1f}x-{max(ratios):.1f}x)")

    for dtype in (np.float32, np.float64):
        chapter1, chapter3 = chapter3_epochs(training_data, dtype, args.repeats)
        print(f"[784, 100, 10] cross-entropy + L2, {np.dtype(dtype).name}: {median(chapter3, 0):.3f} s/epoch "
              f"wall-clock (runs: {runs(chapter3, 0)}), {median(chapter3, 1):.3f} s CPU; chapter 1's quadratic "
              f"cost without L2: {median(chapter1, 0):.3f} s/epoch, {median(chapter1, 1):.3f} s CPU")
        for clock, name in ((0, "wall-clock"), (1, "CPU")):
            ratios = [c3[clock] / c1[clock] for c1, c3 in zip(chapter1, chapter3)]
            print(f"        chapter 3's epoch / chapter 1's: {statistics.median(ratios):.2f} in {name} time "
                  f"(median of neighbouring pairs; {min(ratios):.2f}-{max(ratios):.2f})")

    calls = numpy_operations_per_batch()
    print(f"NumPy and BLAS calls per mini-batch update ({sum(calls.values())} in all, plus 1 gather of the batch's input rows):")
    print("   " + ", ".join(f"{name} {n}" for name, n in sorted(calls.items(), key=lambda kv: -kv[1])))

    child = subprocess.run([sys.executable, __file__, "--full-run-child"], capture_output=True, text=True, check=True)
    full = json.loads(child.stdout)
    print(f"full run (load + 30 epochs, float32, with evaluation each epoch, fresh process): {full['seconds']:.1f} s, "
          f"peak memory {full['peak_mb']:.0f} MB, final accuracy {full['final_accuracy']:.2%}")


if __name__ == "__main__":
    main()
