"""Chapter 6's two conv-pool network: ``nndl.network3`` against PyTorch on the CPU, and the time to 99%.

    python benchmarks/conv_speed.py [--epochs 3]     # seconds per epoch, NumPy beside PyTorch
    python benchmarks/conv_speed.py --channels-last   # the same, PyTorch's network in channels_last memory
    python benchmarks/conv_speed.py --to-99           # network3's best two-conv-layer run, until 99% on the test set
    python benchmarks/conv_speed.py --profile [--images 10000]   # where a network3 epoch's time goes

PyTorch is needed only by the side-by-side mode: ``pip install -e ".[bench]"`` (the course and its tests never
import it).

**Side by side.**  The book's network (chapter 6)::

    ConvPoolLayer(20 filters of 5 × 5 on 28 × 28) → ConvPoolLayer(40 filters of 5 × 5 × 20 on 12 × 12)
    → FullyConnectedLayer(640, 100) → SoftmaxLayer(100, 10)

once with sigmoid neurons (the book's η = 0.1, no λ) and once with ReLU
(η = 0.03, λ = 0.1), each built twice: in network3 and in PyTorch written
the plain way (``nn.Conv2d``, ``max_pool2d``, ``nn.Linear``, log-softmax
and NLL, ``torch.optim.SGD``), starting from network3's initial weights
copied over.  Both take the same steps: float32, mini-batches of 10 in the
same order (the permutation network3's generator is about to draw), the
book's L2 term ½λ Σw² / (mini-batches per epoch) added to the cost, and
one thread each (``SGD`` limits BLAS to one thread; ``torch.set_num_threads(1)``).
The epochs alternate in this one process (network3, PyTorch, network3,
PyTorch, ...), so that a shared machine's drifting speed hits both alike;
the NumPy/PyTorch ratio is the median of the ratios of neighbouring epochs.
A network3 epoch is one call of ``Network.SGD`` on the 50,000 training
images, with 100 validation images (SGD's end-of-epoch evaluation, kept
small to time the training); a PyTorch epoch is its training loop alone.
After the timed epochs both networks' validation accuracy is printed: equal
up to float32 rounding, since they took the same steps.

**To 99%.**  The book's best two-conv-layer network of plain data, with
ReLU, λ = 0.1 and η = 0.03 (its 99.23% after 60 epochs), is trained one
epoch at a time; after each epoch the wall-clock time since the start
(loading excluded, evaluation included) is printed with the validation and
test accuracy, and the run stops at the first epoch whose test accuracy,
taken at the best validation epoch so far (the book's way of reporting a
run), is 99% or more.  The target of issue 20: under 20 minutes on two cores.

**Where the time goes.**  ``--profile`` trains the ReLU network (η = 0.03,
λ = 0.1) on the first ``--images`` training images for one epoch timed as a
whole, then for one more with a clock on every line of network3's training
path (``sys.settrace``, set by this script: network3 itself is not touched).
A line's time includes the calls it makes: ``ConvPoolLayer.forward``'s line
``self._im2col(x, cols)`` is the im2col phase, its ``np.matmul`` line the
forward product; ``CONV_PHASES`` says which lines make each phase.  The
table gives each phase's seconds and share of the epoch, and the conv
products' GFLOP/s (their flops counted from their shapes) beside one core's
peak, measured here by large float32 products on one BLAS thread.  The
clock's own time is left out of the table, but watching every line slows
the lines a little too: the epoch timed as a whole is printed above the
table, so that what the clock adds can be seen.
"""
import argparse
import collections
import copy
import inspect
import os
import statistics
import sys
import time
from math import prod

import numpy as np

from nndl import mnist, training
from nndl.network3 import ConvPoolLayer, FullyConnectedLayer, History, Network, ReLU, SoftmaxLayer, sigmoid

MINI_BATCH_SIZE = 10
RUNS = {"sigmoid": (sigmoid, 0.1, 0.0), "ReLU": (ReLU, 0.03, 0.1)}  # activation, η, λ: the book's


def two_conv_pool_network(activation_fn, seed=1):
    """The book's network of chapter 6 with two conv-pool layers, in network3."""
    m = MINI_BATCH_SIZE
    return Network([ConvPoolLayer((20, 1, 5, 5), (m, 1, 28, 28), activation_fn=activation_fn, seed=seed),
                    ConvPoolLayer((40, 20, 5, 5), (m, 20, 12, 12), activation_fn=activation_fn, seed=seed + 1),
                    FullyConnectedLayer(40 * 4 * 4, 100, activation_fn, seed=seed + 2),
                    SoftmaxLayer(100, 10)], m, seed=seed)


def torch_twin(net, activation_name, channels_last=False):
    """The same network in PyTorch, written the plain way, starting from ``net``'s weights.

    ``channels_last`` stores the convolutions' weights, and so their outputs,
    as (m, height, width, channels), network3's order inside its layers.
    """
    import torch
    from torch import nn
    from torch.nn import functional as F

    activation = torch.sigmoid if activation_name == "sigmoid" else torch.relu

    class TwoConvPool(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 20, 5), nn.Conv2d(20, 40, 5)
            self.fc, self.softmax = nn.Linear(640, 100), nn.Linear(100, 10)

        def forward(self, x):  # returns log-probabilities
            x = activation(F.max_pool2d(self.conv1(x), 2))  # f(pool(w * x) + b), as network3 (the bias commutes)
            x = activation(F.max_pool2d(self.conv2(x), 2))
            x = activation(self.fc(x.flatten(1)))
            return F.log_softmax(self.softmax(x), dim=1)

        def weights(self):
            return [self.conv1.weight, self.conv2.weight, self.fc.weight, self.softmax.weight]

    twin = TwoConvPool()
    with torch.no_grad():
        for module, layer in zip([twin.conv1, twin.conv2, twin.fc, twin.softmax], net.layers):
            w, b = layer.params
            module.weight.copy_(torch.from_numpy(np.ascontiguousarray(w if w.ndim == 4 else w.T)))
            module.bias.copy_(torch.from_numpy(b))
    return twin.to(memory_format=torch.channels_last) if channels_last else twin


def torch_epoch(twin, optimizer, images, labels, order, lmbda):
    """One epoch of mini-batch SGD on the images in ``order``, the book's L2 term in the cost."""
    from torch.nn import functional as F

    m = MINI_BATCH_SIZE
    num_training_batches = len(order) // m
    for k in range(num_training_batches):
        rows = order[k * m:(k + 1) * m]
        cost = F.nll_loss(twin(images[rows]), labels[rows])
        if lmbda:
            cost = cost + 0.5 * lmbda * sum((w * w).sum() for w in twin.weights()) / num_training_batches
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()


def torch_accuracy(twin, images, labels):
    import torch

    with torch.no_grad():
        return float((twin(images).argmax(dim=1) == labels).float().mean())


def clocks():
    """Wall-clock time and this process's CPU time, in seconds."""
    return np.array([time.perf_counter(), time.process_time()])


def side_by_side(data, activation_name, epochs, channels_last=False):
    """Alternate network3 and PyTorch epochs; print each pair, the medians and the median ratio."""
    import torch

    activation_fn, eta, lmbda = RUNS[activation_name]
    (images, labels), validation = data.training, data.validation
    net = two_conv_pool_network(activation_fn)
    twin = torch_twin(net, activation_name, channels_last)
    optimizer = torch.optim.SGD(twin.parameters(), lr=eta)
    torch_images = torch.from_numpy(np.array(images, np.float32)).reshape(-1, 1, 28, 28)
    torch_labels = torch.from_numpy(np.array(labels, np.int64))
    few_validation = (validation.images[:100], validation.labels[:100])
    numpy_times, torch_times = [], []
    print(f"{activation_name}, η = {eta}, λ = {lmbda}, mini-batch {MINI_BATCH_SIZE}, float32, one thread each"
          + (", PyTorch in channels_last memory" if channels_last else ""))
    for epoch in range(epochs):
        order = torch.from_numpy(copy.deepcopy(net.rng).permutation(len(labels)))  # the order SGD will draw
        start = clocks()
        net.SGD((images, labels), 1, MINI_BATCH_SIZE, eta, few_validation, lmbda=lmbda, quiet=True)
        numpy_times.append(clocks() - start)
        start = clocks()
        torch_epoch(twin, optimizer, torch_images, torch_labels, order, lmbda)
        torch_times.append(clocks() - start)
        print(f"  epoch {epoch}: network3 {numpy_times[-1][0]:6.2f} s (CPU {numpy_times[-1][1]:6.2f} s), "
              f"PyTorch {torch_times[-1][0]:6.2f} s (CPU {torch_times[-1][1]:6.2f} s), "
              f"ratio {numpy_times[-1][0] / torch_times[-1][0]:.2f}")
    for clock, name in enumerate(("wall-clock", "CPU")):
        ratios = [n[clock] / t[clock] for n, t in zip(numpy_times, torch_times)]
        print(f"  median s/epoch, {name}: network3 {statistics.median(t[clock] for t in numpy_times):.2f}, "
              f"PyTorch {statistics.median(t[clock] for t in torch_times):.2f}; NumPy/PyTorch ratio (median of the "
              f"epochs' ratios) {statistics.median(ratios):.2f}")
    torch_validation = torch.from_numpy(np.array(validation.images, np.float32)).reshape(-1, 1, 28, 28)
    print(f"  validation accuracy after {epochs} epochs: network3 {net.accuracy(validation):.2%}, PyTorch "
          f"{torch_accuracy(twin, torch_validation, torch.from_numpy(np.array(validation.labels))):.2%}")


def to_99(data, max_epochs):
    """Train network3's best two-conv-layer run until its test accuracy at the best validation epoch is 99%."""
    activation_fn, eta, lmbda = RUNS["ReLU"]
    net = two_conv_pool_network(activation_fn)
    run = History(n_validation=len(data.validation.labels), n_test=len(data.test.labels))  # all epochs so far
    print(f"to 99%: two conv-pool layers, ReLU, η = {eta}, λ = {lmbda}, mini-batch {MINI_BATCH_SIZE}, "
          f"the 50,000 training images")
    start = time.perf_counter()
    for epoch in range(max_epochs):
        history = net.SGD(data.training, 1, MINI_BATCH_SIZE, eta, data.validation, data.test, lmbda, quiet=True)
        run.validation_correct += history.validation_correct
        run.test_correct += history.test_correct
        minutes = (time.perf_counter() - start) / 60
        print(f"  epoch {epoch}: {minutes:5.2f} min, validation {run.validation_accuracy[-1]:.2%}, test "
              f"{run.test_accuracy[-1]:.2%}; best validation epoch {run.best_epoch}, test there "
              f"{run.best_test_accuracy:.2%}")
        if run.best_test_accuracy >= 0.99:
            print(f"99% reached at epoch {epoch} (test {run.best_test_accuracy:.2%} at the best validation epoch "
                  f"{run.best_epoch}) after {minutes:.2f} minutes, {os.cpu_count()} cores")
            return
    print(f"99% not reached in {max_epochs} epochs ({(time.perf_counter() - start) / 60:.2f} minutes)")


# ----- where an epoch's time goes (--profile) ------------------------------------------------------------------------
CONV_PHASES = {  # the phases of a ConvPoolLayer step → pieces of text of the lines of forward and backward doing them
    "im2col (the patches copied into rows)": ["self._im2col("],
    "forward product": ["np.matmul(cols,"],
    "max-pooling + bias + activation": ["slabs = z.reshape", "np.copyto(pooled", "for slab in slabs",
                                        "np.maximum(pooled", "fn_in_place("],
    "backward: f'(z) and ∂C/∂b": ["np.multiply(delta", "prime_from_output(self._a)", "self.nabla_b ="],
    "backward: pooling's routing": ["for slab, dz_slab", "np.equal(slab", "np.multiply(won", "dpooled -= dz_slab"],
    "backward: ∂C/∂w product": ["self.nabla_filters ="],
    "backward: reordering for the input-gradient products": ["self._by_image(dz)", 'np.copyto(buffers["dz_by_image"]',
                                                             'np.copyto(buffers["filters_by_position"]'],
    "backward: input-gradient products": ["dcols = np.matmul("],
    "backward: col2im (the patches' gradients added back)": ["dx[...] = 0", "for (i, j), dpatches",
                                                             "dx[:, i:i + rows"],
}
UPDATE_PHASE = "parameter update (with the L2 term λw/batches)"
NETWORK_PHASES = {UPDATE_PHASE: ["param, gradient in", "gradient *= eta", "param -= gradient", "if l2:",
                                 "nabla_w = layer.parameters_and_gradients", "nabla_w += l2"]}
CONV_OTHER, FULLY_CONNECTED = "other lines (buffers, shapes, the copies handed on)", "forward and backward"
REST = "the rest: SGD's loop, shuffling, picking rows, calling layers"
EVALUATION = "the rest: evaluating 100 validation images after the epoch"
TRAINING_PATH = [  # network3's functions timed line by line; the phases of their lines, and of the lines not named
    ([ConvPoolLayer.forward, ConvPoolLayer.backward], CONV_PHASES, CONV_OTHER),
    ([FullyConnectedLayer.forward, FullyConnectedLayer.weighted_input, FullyConnectedLayer.backward,
      FullyConnectedLayer._backward_from_z, SoftmaxLayer.forward, SoftmaxLayer.backward], {}, FULLY_CONNECTED),
    ([Network.SGD, Network._update, Network._backprop, Network._forward], NETWORK_PHASES, REST),
]
LAYER_PHASES = [*CONV_PHASES, CONV_OTHER, FULLY_CONNECTED]  # the order of the table
PRODUCTS = ["forward product", "backward: ∂C/∂w product", "backward: input-gradient products"]


def line_phases():
    """{(code, line number): phase} for every line of ``TRAINING_PATH``'s functions; exits if a named line is gone."""
    phases, missing = {}, set()
    for functions, named, default in TRAINING_PATH:
        missing |= {piece for pieces in named.values() for piece in pieces}
        for function in functions:
            lines, first = inspect.getsourcelines(function)
            for number, text in enumerate(lines, first):
                found = [(phase, piece) for phase, pieces in named.items() for piece in pieces if piece in text]
                phases[function.__code__, number] = found[0][0] if found else default
                missing -= {piece for _, piece in found}
    if missing:
        sys.exit(f"conv_speed.py: no line of network3 holds {sorted(missing)}: network3 has changed, so update "
                 f"CONV_PHASES or NETWORK_PHASES in benchmarks/conv_speed.py to its new lines")
    return phases


class LineClock:
    """Wall-clock seconds per line of the ``watched`` functions while the clock runs (a ``sys.settrace`` hook).

    A line's time runs from its "line" event to the next event and is
    charged to (id of the method's ``self``, code, line number): the calls
    it makes are included, except calls of watched functions, which get
    their own lines.  A function in ``whole`` is charged as one piece, at
    line None, everything it calls included.  The clock's own bookkeeping is
    left out: each event stops the running line's time first and restarts it last.
    """

    def __init__(self, watched, whole=()):
        self.watched, self.whole = {f.__code__ for f in watched}, {f.__code__ for f in whole}
        self.seconds = collections.defaultdict(float)
        self.running = [None]  # the key of the running line of each watched frame, innermost last

    def __enter__(self):
        self.start = time.perf_counter()
        sys.settrace(self._call)
        return self

    def __exit__(self, *exception):
        sys.settrace(None)

    def _call(self, frame, event, arg):
        """A function starts: watch it, time it whole, or let its time go to the line that called it."""
        self.seconds[self.running[-1]] += time.perf_counter() - self.start
        code, tracer = frame.f_code, None
        inside_whole = self.running[-1] is not None and self.running[-1][2] is None
        if not inside_whole and (code in self.watched or code in self.whole):
            line = frame.f_lineno if code in self.watched else None
            self.running.append((id(frame.f_locals.get("self")), code, line))
            tracer = self._event
        self.start = time.perf_counter()
        return tracer

    def _event(self, frame, event, arg):
        """In a watched frame: a new line starts, or the frame returns to the line that called it."""
        self.seconds[self.running[-1]] += time.perf_counter() - self.start
        owner, code, line = self.running[-1]
        if event == "return":
            self.running.pop()
        elif event == "line" and line is not None:
            self.running[-1] = (owner, code, frame.f_lineno)
        self.start = time.perf_counter()
        return self._event


def seconds_by_phase(net, clock, phases):
    """{(layer index or None for the network, phase): seconds}, from the clock's seconds per line."""
    layer_index = {id(layer): j for j, layer in enumerate(net.layers)}
    seconds = collections.Counter()
    for key, spent in clock.seconds.items():
        if key is not None:  # None: outside SGD, the clock starting and stopping
            owner, code, line = key
            seconds[layer_index.get(owner), EVALUATION if line is None else phases[code, line]] += spent
    return seconds


def product_flops(layer, m):
    """Flops of one of a ConvPoolLayer's products for a mini-batch: (patches × fh·fw·maps) times (… × filters).

    The forward product, the ∂C/∂w product and the fh·fw input-gradient
    products ((patches × filters) times (filters × maps), one per filter
    position) all multiply and add the same numbers of times.
    """
    filters, maps, fh, fw = layer.filter_shape
    patches = m * prod(layer.pooled_shape) * prod(layer.poolsize)  # the positions that pooling uses
    return 2 * patches * fh * fw * maps * filters


def single_core_peak(n=2048, repeats=5):
    """GFLOP/s of an n × n float32 matrix product on one BLAS thread, after one untimed: [wall-clock, CPU] clocks.

    Per second of wall-clock time, the median of ``repeats`` (the machine's
    load counts, as it does in the profile's table); per second of CPU
    time, the best of them (what one core can do).
    """
    a, b = np.random.default_rng(0).random((2, n, n), dtype=np.float32)
    seconds = []
    with training.one_blas_thread():
        for _ in range(repeats + 1):
            start = clocks()
            a @ b
            seconds.append(clocks() - start)
    wall, cpu = np.array(seconds[1:]).T
    return 2 * n ** 3 / np.median(wall) / 1e9, 2 * n ** 3 / cpu.min() / 1e9


def profile(data, n_images):
    """Train the ReLU network one epoch timed whole, one timed line by line; print where the second one's time went."""
    activation_fn, eta, lmbda = RUNS["ReLU"]
    phases = line_phases()  # read now, before the clock runs: the line numbers of the network3 imported
    net = two_conv_pool_network(activation_fn)
    training_data = (data.training.images[:n_images], data.training.labels[:n_images])
    few_validation = (data.validation.images[:100], data.validation.labels[:100])

    def one_epoch():
        net.SGD(training_data, 1, MINI_BATCH_SIZE, eta, few_validation, lmbda=lmbda, quiet=True)

    start = clocks()
    one_epoch()
    whole = clocks() - start
    clock = LineClock([f for functions, _, _ in TRAINING_PATH for f in functions], whole=[Network.feedforward])
    start = clocks()
    with clock:
        one_epoch()
    line_by_line = clocks() - start
    seconds = seconds_by_phase(net, clock, phases)
    print(f"where an epoch goes: ReLU, η = {eta}, λ = {lmbda}, mini-batch {MINI_BATCH_SIZE}, float32, one BLAS "
          f"thread, the first {n_images:,} training images ({n_images // MINI_BATCH_SIZE:,} steps)")
    print(f"  an epoch timed whole: {whole[0]:.2f} s (CPU {whole[1]:.2f} s); the next, timed line by line: "
          f"{line_by_line[0]:.2f} s (CPU {line_by_line[1]:.2f} s), of which {sum(seconds.values()):.2f} s in "
          f"network3's lines, the table's 100%")
    print_phases(net, seconds, n_images // MINI_BATCH_SIZE)


def print_phases(net, seconds, steps):
    """The table: each phase's seconds and % of the epoch, the conv products' GFLOP/s, and one core's peak."""
    total = sum(seconds.values())
    product_seconds = product_flop_count = 0
    print(f"  {'phase':<62}{'seconds':>8}{'%':>7}{'GFLOP/s':>9}")
    for j, layer in enumerate(net.layers):
        print(f"  layer {j}: {layer!r}")
        for phase in [phase for phase in LAYER_PHASES if (j, phase) in seconds]:
            spent, gflops = seconds[j, phase], ""
            if phase in PRODUCTS:
                flop_count = product_flops(layer, MINI_BATCH_SIZE) * steps
                product_seconds, product_flop_count = product_seconds + spent, product_flop_count + flop_count
                gflops = f"{flop_count / spent / 1e9:9.1f}"
            print(f"    {phase:<60}{spent:8.2f}{spent / total:7.1%}{gflops}")
    for phase in [UPDATE_PHASE, REST, EVALUATION]:
        print(f"  {phase:<62}{seconds[None, phase]:8.2f}{seconds[None, phase] / total:7.1%}")
    print(f"  the conv layers' products together: {product_seconds:.2f} s, {product_seconds / total:.1%} of the "
          f"epoch, {product_flop_count / product_seconds / 1e9:.1f} GFLOP/s")
    per_wall_second, per_cpu_second = single_core_peak()
    print(f"  one core's peak, measured now (2048 × 2048 float32 products, one BLAS thread): {per_wall_second:.1f} "
          f"GFLOP/s of wall-clock time (median of 5, as in the table: the load included), {per_cpu_second:.1f} "
          f"GFLOP/s of CPU time (best of 5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of each network, side by side (default 3)")
    parser.add_argument("--to-99", action="store_true", help="time network3's best two-conv-layer run to 99%%")
    parser.add_argument("--max-epochs", type=int, default=60, help="give up --to-99 after this many epochs")
    parser.add_argument("--channels-last", action="store_true", help="PyTorch's network in channels_last memory")
    parser.add_argument("--profile", action="store_true", help="where a network3 epoch's time goes, phase by phase")
    parser.add_argument("--images", type=int, default=10_000,
                        help="training images of the --profile epoch (default 10,000)")
    args = parser.parse_args()
    modes = [name for name, given in (("--to-99", args.to_99), ("--profile", args.profile),
                                      ("--channels-last", args.channels_last)) if given]
    if len(modes) > 1:  # --channels-last is the side-by-side mode's
        parser.error(f"{' and '.join(modes)} are separate modes: give one of them")
    if args.images != parser.get_default("images") and not args.profile:
        parser.error("--images is the size of the --profile epoch: give it with --profile")
    if args.epochs < 1 or args.max_epochs < 1:
        parser.error("--epochs and --max-epochs must be at least 1")
    if not MINI_BATCH_SIZE <= args.images <= 50_000:
        parser.error(f"--images must be from {MINI_BATCH_SIZE} (one mini-batch) to 50000 (the training set)")
    data = mnist.load_arrays()
    print(f"{os.cpu_count()} cores, load average {' '.join(f'{load:.2f}' for load in os.getloadavg())} at the start")
    if args.to_99:
        to_99(data, args.max_epochs)
        return
    if args.profile:
        profile(data, args.images)
        return
    try:
        import torch
    except ImportError:
        parser.exit(2, "conv_speed.py: the side-by-side mode needs PyTorch, not installed: pip install torch\n")
    torch.set_num_threads(1)  # as network3's SGD, which limits BLAS to one thread
    print(f"PyTorch {torch.__version__}, NumPy {np.__version__}")
    for activation_name in RUNS:
        side_by_side(data, activation_name, args.epochs, args.channels_last)


if __name__ == "__main__":
    main()
