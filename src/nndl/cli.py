"""The command line: ``python -m nndl train | evaluate | baseline | sweep | progress``.

``python -m nndl train`` reproduces the book's chapter 1 session headlessly::

    $ python -m nndl train --sizes 784 30 10 --epochs 30 --mini-batch-size 10 --eta 3.0 --seed 0
    Epoch 0: 9129 / 10000
    ...

and, with a cost, chapter 3's (``--cost``, ``--lmbda``, ``--init``,
``--evaluate-on``, ``--dropout``, ``--expand``, ``--early-stopping``,
``--halve-eta``, ``--momentum``, ``--activation``)::

    $ python -m nndl train --sizes 784 100 10 --cost cross-entropy --init scaled --lmbda 5 --eta 0.5 \
          --evaluate-on validation --seed 0
    Epoch 0 training complete
    Accuracy on evaluation data: ... / 10000

and, with ``--network3``, chapter 6's convolutional networks, each trained
with the book's hyper-parameters unless ``--epochs``, ``--eta``, ``--lmbda``
or ``--mini-batch-size`` say otherwise (``BOOK_RUNS``)::

    $ python -m nndl train --network3 conv2 --seed 0
    Epoch 0: validation accuracy ...%
    This is the best validation accuracy to date.
    The corresponding test accuracy is ...%
    ...
    Corresponding test accuracy of ...%

Bad arguments and every expected failure (a missing, unreadable or unwritable
file, data that does not fit, too little memory) get a one-line message and
exit status 2, never a traceback.  ``--save`` (and ``--mistakes``) targets
are checked before training (a file that is not a saved network, sweep, or
list of mistakes, is replaced only with ``--force``; a pipe or a device
never), and a trained network is not
lost quietly: if saving fails at the end, it goes to a fallback file whose
name is printed (should that fail too, the message says that it was saved
nowhere, and why), and Ctrl-C or SIGTERM during the save takes effect once
it is done.  A warning is one line too, with its advice given as options
(``--init scaled``).  Output that the terminal's encoding cannot carry (η on
a Windows console) is written as an escape such as ``\\u03b7``.
"""
import argparse
import contextlib
import shlex
import signal
import sys
import warnings
from dataclasses import dataclass

from .messages import describe


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message):
        raise UsageError(message)


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class Interrupted(Exception):
    """Ctrl-C, with what was and was not saved: reported as one line, exit status 130."""


@dataclass(frozen=True)
class BookRun:
    """One of chapter 6's runs: the network, and the hyper-parameters the book trained it with (mini-batches of 10).

    ``filters`` lists the ConvPoolLayers' numbers of 5×5 filters (each layer
    with 2×2 max-pooling), ``hidden`` the sizes of the fully connected layers
    that follow, before a SoftmaxLayer of 10 neurons; ``activation`` is the
    name of the neurons' function in ``nndl.network3``.  ``p_dropout`` is the
    dropout of the inputs of every fully connected and softmax layer, and
    ``expanded`` trains on each image and its four one-pixel shifts (the
    book's ``expand_mnist.py``).  ``networks`` > 1 is an ensemble: that many
    networks, each of its own seed, vote on each test image.
    """

    filters: tuple
    hidden: tuple
    activation: str
    epochs: int
    eta: float
    book_accuracy: float  # the test accuracy the book reports, at the epoch of the best validation accuracy
    lmbda: float = 0.0
    expanded: bool = False
    p_dropout: float = 0.0
    networks: int = 1


BOOK_RUNS = {
    "shallow": BookRun((), (100,), "sigmoid", epochs=60, eta=0.1, book_accuracy=0.9780),
    "conv1": BookRun((20,), (100,), "sigmoid", epochs=60, eta=0.1, book_accuracy=0.9878),
    "conv2": BookRun((20, 40), (100,), "sigmoid", epochs=60, eta=0.1, book_accuracy=0.9906),
    "relu": BookRun((20, 40), (100,), "ReLU", epochs=60, eta=0.03, lmbda=0.1, book_accuracy=0.9923),
    "expanded": BookRun((20, 40), (100,), "ReLU", epochs=60, eta=0.03, lmbda=0.1, expanded=True,
                        book_accuracy=0.9937),
    "extra-fc": BookRun((20, 40), (100, 100), "ReLU", epochs=60, eta=0.03, lmbda=0.1, expanded=True,
                        book_accuracy=0.9943),
    "dropout": BookRun((20, 40), (1000, 1000), "ReLU", epochs=40, eta=0.03, expanded=True, p_dropout=0.5,
                       book_accuracy=0.9960),
    "ensemble": BookRun((20, 40), (1000, 1000), "ReLU", epochs=40, eta=0.03, expanded=True, p_dropout=0.5,
                        networks=5, book_accuracy=0.9967),
}
"""Chapter 6's runs, in the book's order, by the names ``--network3`` takes."""

CHAPTER_1_AND_3_DEFAULTS = dict(sizes=[784, 30, 10], epochs=30, eta=3.0, lmbda=0.0, evaluate_on="test", dropout=0.0,
                                momentum=0.0, activation="sigmoid", early_stopping=0, halve_eta=0)
"""The defaults of ``train``'s options for chapters 1 and 3.  On the command line they are None, "not given":
``--network3`` has its own ``--epochs``, ``--eta`` and ``--lmbda``, and refuses the others."""

CHAPTER_1_AND_3_ONLY = ("sizes", "cost", "init", "evaluate_on", "dropout", "momentum", "activation", "expand",
                        "early_stopping", "halve_eta")
"""``train``'s options that ``--network3`` refuses: the book's architecture sets the layers, activation, dropout and
data, and chooses the epoch on the validation data."""


def build_parser():
    parser = _Parser(prog="python -m nndl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a network on MNIST and print the book's transcript")
    train.add_argument("--sizes", type=int, nargs="+", help="layer sizes (default: 784 30 10)")
    train.add_argument("--network3", choices=BOOK_RUNS, default=None,
                       help="chapter 6: train the book's network of that name with the book's hyper-parameters, "
                            "and print its transcript (the book's test accuracies in %%: " +
                            ", ".join(f"{name} {100 * run.book_accuracy:.2f}" for name, run in BOOK_RUNS.items()) + ")")
    train.add_argument("--epochs", type=int, help="passes over the training data (default: 30, or the book's with "
                                                  "--network3)")
    train.add_argument("--mini-batch-size", type=int, default=10)
    train.add_argument("--eta", type=float, help="the learning rate η (default: 3.0, or the book's with --network3)")
    train.add_argument("--seed", type=int, default=None, help="an integer seed gives the same run twice")
    train.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                       help="float32 (default, about twice as fast; the book's in chapter 6) or the book's "
                            "float64 of chapters 1-3")
    train.add_argument("--data", metavar="DIR", default=None,
                       help="a folder with the four IDX files (default: the shipped MNIST)")
    _add_validation_size(train)
    train.add_argument("--cost", choices=["quadratic", "cross-entropy", "log-likelihood"], default=None,
                       help="chapter 3's cost (log-likelihood: with a softmax output layer); "
                            "without it, chapter 1's network and transcript")
    train.add_argument("--lmbda", type=float, metavar="L",
                       help="L2 regularisation λ (default: 0, or the book's with --network3)")
    train.add_argument("--init", choices=["large", "scaled"], default=None,
                       help="initial weights N(0, 1) (large) or N(0, 1/n_in) (scaled; 2/n_in after ReLU layers); "
                            "default: scaled with --cost, else large")
    train.add_argument("--evaluate-on", choices=["test", "validation"],
                       help="the data measured after each epoch (default: test)")
    train.add_argument("--dropout", type=float, metavar="P",
                       help="drop each hidden neuron with probability P while training (default: 0)")
    train.add_argument("--momentum", type=float, metavar="MU",
                       help="momentum coefficient μ from 0 to 1 (eqs. 107-108; default: 0, plain gradient descent)")
    train.add_argument("--activation", choices=["sigmoid", "tanh", "relu"],
                       help="the hidden neurons (the output layer stays sigmoid, or softmax; default: sigmoid)")
    train.add_argument("--expand", action="store_true",
                       help="train on each image and its four one-pixel shifts (5 times the data)")
    train.add_argument("--early-stopping", type=int, metavar="N",
                       help="stop once the evaluation accuracy has not improved for N epochs (default: 0, off)")
    train.add_argument("--halve-eta", type=int, metavar="N",
                       help="halve η after N epochs without improvement of the evaluation accuracy, and stop "
                            "once η is below 1/128 of its start (default: 0, off)")
    train.add_argument("--save", metavar="FILE", type=_file_name, help="save the trained network to FILE (.npz)")
    train.add_argument("--mistakes", metavar="FILE", type=_file_name,
                       help="with --network3: save the test images the network after its last epoch (an ensemble: "
                            "its vote) gets wrong to FILE (.json), for notebook 14 to show")
    train.add_argument("--force", action="store_true",
                       help="let --save or --mistakes replace a file of another kind")
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
    sweep.add_argument("--save", metavar="FILE", type=_file_name,
                       help="save the sweep as JSON for notebook 07 to load")
    sweep.add_argument("--force", action="store_true", help="let --save replace a file that is not a saved sweep")
    sweep.set_defaults(run=_sweep)

    progress = commands.add_parser("progress", help="run your workspace's notebooks and list which exercises are done")
    progress.add_argument("--workspace", metavar="DIR", default=None, help="default: workspace/ of the course")
    progress.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (default: 600)")
    progress.add_argument("--rerun", action="store_true",
                          help="run every notebook, also those whose saved checks are current")
    progress.set_defaults(run=_progress)
    return parser


def _file_name(text):
    """``--save``'s argument, if it is not empty: an empty name would train, then save nothing."""
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty: give the file to save to")
    return text


def _add_validation_size(parser):
    parser.add_argument("--validation-size", type=int, default=10_000, metavar="N",
                        help="training images held back for validation (default: 10000, as in the book)")


def _train(args):
    from . import mnist
    from .network import Network

    if args.network3:
        return _train_network3(args)
    if args.mistakes:
        raise UsageError("--mistakes works with --network3 only: it lists the test images a chapter 6 network "
                         "gets wrong")
    for name, value in CHAPTER_1_AND_3_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.save:
        _check_save_target(args.save, args)  # fail now, not after the training
    training_data, validation_data, test_data = mnist.load_data(args.data, args.validation_size)
    n_pixels, n_classes = training_data[0][0].shape[0], training_data[0][1].shape[0]
    if args.sizes[0] != n_pixels or args.sizes[-1] != n_classes:
        raise ValueError(f"--sizes must start with {n_pixels} (the pixels of an image) and end with "
                         f"{n_classes} (one output per digit), got {' '.join(map(str, args.sizes))}")
    evaluation_data = _evaluation_data(args, validation_data, test_data)
    net = Network(args.sizes, cost=args.cost, seed=args.seed, dtype=args.dtype, activation=args.activation)
    if args.init == "large":
        net.large_weight_initializer()
    elif args.init == "scaled":
        net.default_weight_initializer()
    if args.expand:
        training_data = mnist.expanded(training_data)
    try:
        history = net.SGD(training_data, args.epochs, args.mini_batch_size, args.eta, test_data=evaluation_data,
                          lmbda=args.lmbda, mu=args.momentum, dropout=args.dropout,
                          early_stopping_n=args.early_stopping,
                          halve_eta_n=args.halve_eta, progress=args.progress)
    except KeyboardInterrupt:
        raise Interrupted("interrupted: training stopped early" +
                          (f", and the network was not saved to {args.save}" if args.save else "")) from None
    if history.test_correct:
        best = max(history.test_correct)
        print(f"Final: {history.test_correct[-1] / history.n_test:.2%}, best: {best / history.n_test:.2%} "
              f"(epoch {history.test_correct.index(best)})" + (" on the validation data" if args.evaluate_on == "validation" else ""))
    if args.save:
        _save(net.save, args, "the network")


def _train_network3(args):
    """Train the network of chapter 6 that ``--network3`` names (or the five of the ensemble), printing the transcript.

    The transcript is ``network3.Network.SGD``'s, the book's: it ends with the
    test accuracy at the epoch of the best validation accuracy.  An
    ensemble's networks have the seeds --seed, --seed + 1, ..., and then
    vote on each test image (``majority_vote``).  ``--mistakes`` saves the
    test images that the vote, or the one network after its last epoch, gets
    wrong (``nndl.mistakes``).
    """
    import numpy as np

    from . import mnist
    from .checking import check_count, check_eta, check_lmbda, check_seed
    from .mistakes import find_mistakes, save_mistakes

    run = BOOK_RUNS[args.network3]
    refused = [f"--{name.replace('_', '-')}" for name in CHAPTER_1_AND_3_ONLY
               if getattr(args, name) not in (None, False)]
    if refused:
        raise UsageError(f"--network3 sets the layers, activation, dropout and data itself, so it does not take "
                         f"{', '.join(refused)} (options of chapters 1 and 3); it takes --epochs, --eta, "
                         f"--lmbda, --mini-batch-size, --seed, --dtype, --data, --validation-size, --mistakes, "
                         f"--force and --progress")
    if args.save:
        raise UsageError("--save does not work with --network3: chapter 6's networks cannot be saved yet")
    epochs = check_count("epochs", run.epochs if args.epochs is None else args.epochs, minimum=1)
    eta = check_eta(run.eta if args.eta is None else args.eta)
    lmbda = check_lmbda(run.lmbda if args.lmbda is None else args.lmbda)
    mini_batch_size = check_count("mini_batch_size", args.mini_batch_size, minimum=1)
    check_seed(args.seed)
    if args.mistakes:
        _check_save_target(args.mistakes, args)  # fail now, not after the training
    training_data, validation_data, test_data = mnist.load_data(args.data, args.validation_size)
    if not validation_data:
        raise ValueError("--network3 chooses the best epoch by the validation accuracy: give --validation-size above 0")
    if run.expanded:
        training_data = mnist.expanded(training_data)
    test_images, test_labels = test_data.as_rows()
    votes = []
    try:
        for k in range(run.networks):
            seed = None if args.seed is None else args.seed + k
            if run.networks > 1:
                print(f"Network {k + 1} of {run.networks}" + ("" if seed is None else f" (seed {seed})"))
            net = _book_network(run, mini_batch_size, seed, args.dtype)
            net.SGD(training_data, epochs, mini_batch_size, eta, validation_data, test_data, lmbda,
                    progress=args.progress)
            if run.networks > 1 or args.mistakes:
                votes.append(np.argmax(net.feedforward(test_images), axis=1))
    except KeyboardInterrupt:
        raise Interrupted("interrupted: training stopped early" +
                          (f", and the mistakes were not saved to {args.mistakes}" if args.mistakes else "")) from None
    if run.networks > 1:
        answers = majority_vote(votes)
        print(f"Majority vote of the {run.networks} networks: test accuracy "
              f"{np.mean(np.equal(answers, test_labels)):.2%}")
    elif args.mistakes:
        answers = votes[0]
        print(f"After the last epoch: test accuracy {np.mean(np.equal(answers, test_labels)):.2%}")
    if args.mistakes:
        wrong = find_mistakes(answers, test_labels)
        command = shlex.join(["python", "-m", "nndl", *args.argv])
        _save(lambda path: save_mistakes(path, wrong, len(test_labels), command), args,
              f"the {len(wrong)} misclassified test images", args.mistakes)


def majority_vote(votes):
    """The label most networks give each example; ``votes`` holds a row of labels per network.

    A tie goes to the label that the earliest of the tied networks gave, as
    with the book's ``Counter(votes).most_common(1)``: for the votes
    [[1, 2], [1, 3], [2, 3], [2, 4]] the labels are [1, 3].
    """
    from collections import Counter

    return [Counter(example_votes).most_common(1)[0][0] for example_votes in zip(*votes)]


def _book_network(run, mini_batch_size, seed, dtype):
    """The ``network3.Network`` of ``run`` for MNIST; an integer ``seed`` fixes its weights, shuffling and dropout."""
    import numpy as np

    from . import network3

    activation_fn = getattr(network3, run.activation)
    seeds = iter(np.random.SeedSequence(seed).generate_state(len(run.filters) + len(run.hidden) + 1).tolist())
    layers, shape = [], (1, 28, 28)  # (feature maps, height, width) of each layer's input
    for filters in run.filters:
        layers.append(network3.ConvPoolLayer(filter_shape=(filters, shape[0], 5, 5),
                                             image_shape=(mini_batch_size, *shape), poolsize=(2, 2),
                                             activation_fn=activation_fn, seed=next(seeds), dtype=dtype))
        shape = layers[-1].output_shape
    n_in = int(np.prod(shape))
    for n_out in run.hidden:
        layers.append(network3.FullyConnectedLayer(n_in, n_out, activation_fn, run.p_dropout, seed=next(seeds),
                                                   dtype=dtype))
        n_in = n_out
    layers.append(network3.SoftmaxLayer(n_in, 10, run.p_dropout, dtype=dtype))
    return network3.Network(layers, mini_batch_size, seed=next(seeds))


def _check_save_target(path, args):
    """Refuse ``path`` if saving there would fail, or lose a file that ``args.command`` did not write (unless --force).

    An empty file is replaced too: it holds nothing to lose, and the
    fallback file of ``write_with_fallback`` is one, created empty just
    before it is written.
    """
    from .mistakes import is_saved_mistakes
    from .persistence import is_saved_network, writable_path
    from .sweep import is_saved_sweep

    if args.command == "sweep":
        ours, kind, example = is_saved_sweep, "a saved sweep", "sweep.json"
    elif args.network3:  # chapter 6's runs save only their mistakes
        ours, kind, example = is_saved_mistakes, "a saved list of mistakes", "mistakes.json"
    else:
        ours, kind, example = is_saved_network, "a saved network", "net.npz"
    target = writable_path(path, example)
    if target.exists() and target.stat().st_size and not (args.force or ours(target)):
        raise FileExistsError(f"{path} exists and is not {kind}, and saving would replace it: give another file "
                              f"name, or add --force to replace it")


def _save(write, args, what, path=None):
    """Save with ``write(path)`` (``args.save`` by default), or to a fallback file if that fails; say where it went.

    The target is checked again first: a file may have appeared there during
    training.  Ctrl-C and SIGTERM wait until the file is written, then stop
    the program: the result of a long run is not lost in its last second.
    """
    from .persistence import write_with_fallback

    path = path or args.save

    def checked_write(destination):
        _check_save_target(destination, args)
        write(destination)

    with _signals_held() as received:
        try:
            written, error = write_with_fallback(checked_write, path)
        except OSError as e:
            raise OSError(f"{what} could not be saved anywhere: {describe(e)}") from None
    if error is not None:
        raise OSError(f"could not write {path} ({describe(error)}); saved {what} in {written} instead")
    print(f"Saved {what} to {written}")
    if received:
        raise Interrupted(f"interrupted: stopped once it had saved {what} to {written}")


@contextlib.contextmanager
def _signals_held():
    """Within the block, Ctrl-C (SIGINT) and SIGTERM are noted, not acted on; yields the list of those received."""
    received = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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
    from .sweep import DEFAULT_ETAS, SweepInterrupted, check_etas, run_sweep, save_sweep

    etas = check_etas(args.etas or DEFAULT_ETAS)
    if args.save:
        _check_save_target(args.save, args)  # fail now, not after the training
    training_data, validation_data, test_data = mnist.load_data(args.data, args.validation_size)
    evaluation_data = _evaluation_data(args, validation_data, test_data)
    print(f"{'eta':>8}  {args.evaluate_on} accuracy per epoch")
    show = lambda eta, run: print(f"{eta:>8g}  " + ("diverged" if run is None else
                                                    "  ".join(f"{a:6.2%}" for a in run["accuracy"])), flush=True)
    try:
        result = run_sweep(etas, training_data, evaluation_data, epochs=args.epochs, hidden=args.hidden,
                           mini_batch_size=args.mini_batch_size, seed=args.seed, on_result=show,
                           measured_on=args.evaluate_on)
    except SweepInterrupted as stop:
        finished = [run["eta"] for run in stop.sweep["runs"]]
        if not (args.save and finished):
            raise Interrupted("interrupted: no learning rate finished" if not finished else
                              "interrupted: the sweep was not saved (no --save)") from None
        _save(lambda path: save_sweep(stop.sweep, path), args,
              f"the {len(finished)} learning rates finished ({' '.join(f'{eta:g}' for eta in finished)})")
        raise Interrupted("interrupted: the learning rates not finished were not run or saved") from None
    if not result["runs"]:
        diverged = " ".join(f"{eta:g}" for eta in result["diverged"])
        raise FloatingPointError(f"every learning rate diverged ({diverged}): try smaller ones")
    if args.save:
        _save(lambda path: save_sweep(result, path), args, "the sweep")


def _progress(args):
    from . import progress

    progress.report(args.workspace or progress.WORKSPACE, timeout=args.timeout, rerun=args.rerun)


def main(argv=None):
    """Run the command line; returns the exit status.

    0 success; 1 training diverged; 2 bad arguments or an expected failure
    (a file missing, unreadable or unwritable, too little memory), said in
    one line; 130 Ctrl-C or SIGTERM, saying what was and was not saved.
    """
    for stream in (sys.stdout, sys.stderr):  # an encoding without η or ✓ (cp1252): escapes, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    command = parser.prog
    sigterm_handler = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops as Ctrl-C does
    try:
        args = parser.parse_args(argv)
        args.argv = sys.argv[1:] if argv is None else list(argv)  # the command, as run, for what it saves
        command = f"{parser.prog} {args.command}"
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, *where: _show_warning(command, message)
            args.run(args)
    except UsageError as e:
        print(f"python -m nndl: error: {e}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as e:
        print(f"{command}: error: {describe(e)}", file=sys.stderr)
        return 2
    except MemoryError as e:
        advice = "choose smaller sizes" if args.command in ("train", "sweep") else "close other programs and try again"
        print(f"{command}: error: not enough memory ({describe(e)}): {advice}", file=sys.stderr)
        return 2
    except FloatingPointError as e:
        print(f"{command}: {e}", file=sys.stderr)
        return 1
    except Interrupted as e:
        print(e, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, sigterm_handler)
    return 0


LIBRARY_ADVICE = {"net.default_weight_initializer()": "--init scaled"}
"""Advice in the library's messages, and the option that follows it on the command line."""


def _show_warning(command, message):
    """Print a warning as one line, "COMMAND: warning: ...", without a line of source code, its advice as options."""
    text = describe(message)
    for call, option in LIBRARY_ADVICE.items():
        text = text.replace(call, option)
    print(f"{command}: warning: {text}", file=sys.stderr)
