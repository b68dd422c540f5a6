"""The command line: ``python -m nndl train | evaluate | baseline | sweep | progress``.

``python -m nndl train`` reproduces the book's chapter 1 session headlessly::

    $ python -m nndl train --sizes 784 30 10 --epochs 30 --mini-batch-size 10 --eta 3.0 --seed 0
    Epoch 0: 9129 / 10000
    ...

and, with a cost, chapter 3's (``--cost``, ``--lmbda``, ``--init``,
``--evaluate-on``, ``--dropout``, ``--expand``, ``--early-stopping``,
``--halve-eta``)::

    $ python -m nndl train --sizes 784 100 10 --cost cross-entropy --init scaled --lmbda 5 --eta 0.5 \
          --evaluate-on validation --seed 0
    Epoch 0 training complete
    Accuracy on evaluation data: ... / 10000

Bad arguments and every expected failure (a missing, unreadable or unwritable
file, data that does not fit, too little memory) get a one-line message and
exit status 2, never a traceback.  ``--save`` targets are checked before
training, and a trained network is never lost: if saving fails at the end,
it goes to a fallback file whose name is printed.
"""
import argparse
import sys

import numpy as np


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message):
        raise UsageError(message)


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class Interrupted(Exception):
    """Ctrl-C, with what was and was not saved: reported as one line, exit status 130."""


def build_parser():
    parser = _Parser(prog="python -m nndl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a network on MNIST and print the book's transcript")
    train.add_argument("--sizes", type=int, nargs="+", default=[784, 30, 10], help="layer sizes (default: 784 30 10)")
    train.add_argument("--epochs", type=int, default=30)
    train.add_argument("--mini-batch-size", type=int, default=10)
    train.add_argument("--eta", type=float, default=3.0, help="the learning rate η")
    train.add_argument("--seed", type=int, default=None, help="an integer seed gives the same run twice")
    train.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                       help="float32 (default, about twice as fast) or the book's float64")
    train.add_argument("--data", metavar="DIR", default=None,
                       help="a folder with the four IDX files (default: the shipped MNIST)")
    _add_validation_size(train)
    train.add_argument("--cost", choices=["quadratic", "cross-entropy", "log-likelihood"], default=None,
                       help="chapter 3's cost (log-likelihood: with a softmax output layer); "
                            "without it, chapter 1's network and transcript")
    train.add_argument("--lmbda", type=float, default=0.0, metavar="L", help="L2 regularisation λ (default: 0)")
    train.add_argument("--init", choices=["large", "scaled"], default=None,
                       help="initial weights N(0, 1) (large) or N(0, 1/n_in) (scaled); default: scaled with "
                            "--cost, else large")
    train.add_argument("--evaluate-on", choices=["test", "validation"], default="test",
                       help="the data measured after each epoch (default: test)")
    train.add_argument("--dropout", type=float, default=0.0, metavar="P",
                       help="drop each hidden neuron with probability P while training (default: 0)")
    train.add_argument("--expand", action="store_true",
                       help="train on each image and its four one-pixel shifts (5 times the data)")
    train.add_argument("--early-stopping", type=int, default=0, metavar="N",
                       help="stop once the evaluation accuracy has not improved for N epochs (default: 0, off)")
    train.add_argument("--halve-eta", type=int, default=0, metavar="N",
                       help="halve η after N epochs without improvement of the evaluation accuracy, and stop "
                            "once η is below 1/128 of its start (default: 0, off)")
    train.add_argument("--save", metavar="FILE", help="save the trained network to FILE (.npz)")
    train.add_argument("--progress", action="store_true", help="show a progress bar in each epoch")
    train.set_defaults(run=_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a saved network on the test set")
    evaluate.add_argument("file", help="a network saved with train --save")
    evaluate.add_argument("--data", metavar="DIR", default=None)
    evaluate.set_defaults(run=_evaluate)

    baseline = commands.add_parser("baseline", help="the book's average-darkness baseline")
    baseline.add_argument("--data", metavar="DIR", default=None)
    _add_validation_size(baseline)
    baseline.set_defaults(run=_baseline)

    sweep = commands.add_parser("sweep", help="validation accuracy after a few epochs for a range of learning rates")
    sweep.add_argument("--etas", type=float, nargs="+", default=None,
                       help="learning rates to try (default: 0.001 0.003 ... 30 100)")
    sweep.add_argument("--epochs", type=int, default=3)
    sweep.add_argument("--hidden", type=int, default=30, help="hidden neurons (default: 30)")
    sweep.add_argument("--mini-batch-size", type=int, default=10)
    sweep.add_argument("--seed", type=int, default=0)
    sweep.add_argument("--data", metavar="DIR", default=None)
    _add_validation_size(sweep)
    sweep.add_argument("--evaluate-on", choices=["validation", "test"], default="validation",
                       help="the data the accuracy is measured on (default: validation, since a sweep chooses eta)")
    sweep.add_argument("--save", metavar="FILE", help="save the sweep as JSON for notebook 07 to load")
    sweep.set_defaults(run=_sweep)

    progress = commands.add_parser("progress", help="run your workspace's notebooks and list which exercises are done")
    progress.add_argument("--workspace", metavar="DIR", default=None, help="default: workspace/ of the course")
    progress.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (default: 600)")
    progress.set_defaults(run=_progress)
    return parser


def _add_validation_size(parser):
    parser.add_argument("--validation-size", type=int, default=10_000, metavar="N",
                        help="training images held back for validation (default: 10000, as in the book)")


def _train(args):
    from . import mnist
    from .network import Network
    from .persistence import writable_path

    if args.save:
        writable_path(args.save)  # fail now, not after the training
    training_data, validation_data, test_data = mnist.load_data(args.data, args.validation_size)
    n_pixels, n_classes = training_data[0][0].shape[0], training_data[0][1].shape[0]
    if args.sizes[0] != n_pixels or args.sizes[-1] != n_classes:
        raise ValueError(f"--sizes must start with {n_pixels} (the pixels of an image) and end with "
                         f"{n_classes} (one output per digit), got {' '.join(map(str, args.sizes))}")
    evaluation_data = _evaluation_data(args, validation_data, test_data)
    net = Network(args.sizes, cost=args.cost, seed=args.seed, dtype=np.dtype(args.dtype))
    if args.init == "large":
        net.large_weight_initializer()
    elif args.init == "scaled":
        net.default_weight_initializer()
    if args.expand:
        training_data = mnist.expanded(training_data)
    try:
        history = net.SGD(training_data, args.epochs, args.mini_batch_size, args.eta, test_data=evaluation_data,
                          lmbda=args.lmbda, dropout=args.dropout, early_stopping_n=args.early_stopping,
                          halve_eta_n=args.halve_eta, progress=args.progress)
    except KeyboardInterrupt:
        raise Interrupted("interrupted: training stopped early" +
                          (f", and the network was not saved to {args.save}" if args.save else "")) from None
    if history.test_correct:
        best = max(history.test_correct)
        print(f"Final: {history.test_correct[-1] / history.n_test:.2%}, best: {best / history.n_test:.2%} "
              f"(epoch {history.test_correct.index(best)})" + (" on the validation data" if args.evaluate_on == "validation" else ""))
    if args.save:
        _save(net.save, args.save, "the network")


def _save(write, path, what):
    """Save with ``write(path)``, or to a fallback file if that fails; print where ``what`` went."""
    from .persistence import write_with_fallback

    written, error = write_with_fallback(write, path)
    if error is not None:
        raise OSError(f"could not write {path} ({_describe(error)}); {what} is saved in {written} instead")
    print(f"Saved {what} to {written}")


def _evaluate(args):
    from . import mnist
    from .network import Network

    net = Network.load(args.file)
    _, _, test_data = mnist.load_data(args.data, validation_size=0)
    correct = net.evaluate(test_data)
    print(f"{args.file}: {correct} / {len(test_data)} test images correct ({correct / len(test_data):.2%})")


def _baseline(args):
    from . import baselines, mnist

    arrays = mnist.load_arrays(args.data, args.validation_size)
    correct, total = baselines.average_darkness_accuracy(arrays.training, arrays.test)
    print(f"Average darkness baseline: {correct} of {total} values correct.")


def _evaluation_data(args, validation_data, test_data):
    """The data ``--evaluate-on`` names; the validation set must not be empty."""
    if args.evaluate_on == "validation" and not validation_data:
        raise ValueError("--evaluate-on validation needs validation images: give --validation-size above 0")
    return validation_data if args.evaluate_on == "validation" else test_data


def _sweep(args):
    from . import mnist
    from .sweep import DEFAULT_ETAS, SweepInterrupted, run_sweep, save_sweep

    from .persistence import writable_path

    if args.save:
        writable_path(args.save)  # fail now, not after the training
    training_data, validation_data, test_data = mnist.load_data(args.data, args.validation_size)
    evaluation_data = _evaluation_data(args, validation_data, test_data)
    print(f"{'eta':>8}  {args.evaluate_on} accuracy per epoch")
    show = lambda eta, run: print(f"{eta:>8g}  " + "  ".join(f"{a:6.2%}" for a in run["accuracy"]), flush=True)
    try:
        result = run_sweep(args.etas or DEFAULT_ETAS, training_data, evaluation_data, epochs=args.epochs,
                           hidden=args.hidden, mini_batch_size=args.mini_batch_size, seed=args.seed, on_result=show,
                           measured_on=args.evaluate_on)
    except SweepInterrupted as stop:
        finished = [run["eta"] for run in stop.sweep["runs"]]
        if not (args.save and finished):
            raise Interrupted("interrupted: no learning rate finished" if not finished else
                              "interrupted: the sweep was not saved (no --save)") from None
        _save(lambda path: save_sweep(stop.sweep, path), args.save,
              f"the {len(finished)} learning rates finished ({' '.join(f'{eta:g}' for eta in finished)})")
        raise Interrupted("interrupted: the learning rates not finished were not run or saved") from None
    if args.save:
        _save(lambda path: save_sweep(result, path), args.save, "the sweep")


def _progress(args):
    from . import progress

    progress.report(args.workspace or progress.WORKSPACE, timeout=args.timeout)


def main(argv=None):
    """Run the command line; returns the exit status.

    0 success; 1 training diverged; 2 bad arguments or an expected failure
    (a file missing, unreadable or unwritable, too little memory), said in
    one line; 130 Ctrl-C, saying what was and was not saved.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.run(args)
    except UsageError as e:
        print(f"python -m nndl: error: {e}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as e:
        print(f"python -m nndl {args.command}: error: {_describe(e)}", file=sys.stderr)
        return 2
    except MemoryError as e:
        print(f"python -m nndl {args.command}: error: not enough memory ({_describe(e)}): "
              "choose smaller sizes", file=sys.stderr)
        return 2
    except FloatingPointError as e:
        print(f"python -m nndl {args.command}: {e}", file=sys.stderr)
        return 1
    except Interrupted as e:
        print(e, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


def _describe(error):
    """An exception as one line: an OSError from the system as "FILE: reason", any other as its message."""
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split()) or type(error).__name__
