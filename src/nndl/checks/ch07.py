"""Checks for notebook 07, the learning-rate lab.

Besides the checks, the lab's search helpers: ``search_accuracy``, the
validation accuracy of one setting at the search's small scale;
``every_setting``, the course's grid search, so that the cells after
Exercise 2 run before it is solved; and ``show_search``, a search's table.
"""
import numpy as np

from .. import Network, descent, mnist
from ..teach import grading
from . import Exercise, Hint, check, without
from .questions import Choice, Number, Written

SEARCH_TRAINING, SEARCH_EPOCHS = 10_000, 3
"""The search's scale: the first 10,000 training images, 3 epochs; measured on all 10,000 validation images."""

GOOD_ENOUGH = 0.85
"""The validation accuracy Exercise 3 asks of the learner's setting, at the search's scale."""


def search_accuracy(eta, mini_batch_size, seed=0):
    """The validation accuracy of a fresh [784, 30, 10] network trained at the search's scale with η and m.

    The network starts from ``seed`` (float32, quadratic cost, N(0, 1) weights: chapter 1's network) and
    trains for ``SEARCH_EPOCHS`` epochs on the first ``SEARCH_TRAINING`` training images, then is measured
    on the 10,000 validation images: data the search chooses with, never the test set.
    """
    training_data, validation_data, _ = mnist.load_data()
    net = Network([784, 30, 10], seed=seed, dtype=np.float32)
    history = net.SGD(training_data[:SEARCH_TRAINING], SEARCH_EPOCHS, int(mini_batch_size), float(eta),
                      test_data=validation_data, quiet=True)
    return history.test_accuracy[-1]


def every_setting(train, etas, mini_batch_sizes):
    """``{(eta, m): train(eta, m)}`` for every η of ``etas`` with every m of ``mini_batch_sizes``."""
    return {(eta, m): train(eta, m) for eta in etas for m in mini_batch_sizes}


def _number(value, what):
    """``value`` as a float by the graded tests' rule (``grading.number``), or a hint that says what it is instead."""
    try:
        return grading.number(value, what)
    except AssertionError as refused:
        raise Hint(f"{refused}: return one number.") from None


def show_search(results):
    """Print a search's validation accuracies as a table, a row per mini-batch size, a column per η; the best marked *."""
    etas = sorted({eta for eta, _ in results})
    sizes = sorted({m for _, m in results})
    best = max(results, key=results.get)
    print("validation accuracy  " + "".join(f"{f'η = {eta:g}':>10}" for eta in etas))
    for m in sizes:
        cells = [f"{results[eta, m]:.1%}" + ("*" if (eta, m) == best else " ") if (eta, m) in results else "-"
                 for eta in etas]
        print(f"mini-batch size {m:<5}" + "".join(f"{cell:>10}" for cell in cells))
    print(f"best (*): η = {best[0]:g} with mini-batches of {best[1]}, {results[best]:.2%}")


# ----- Exercise 1: the edge of divergence ------------------------------------------------------------------

_TEST_VALLEYS = (descent.Valley(4.0, 0.5, "valley with curvatures 4 and 0.5"),
                 descent.Valley(0.5, 8.0, "valley with curvatures 0.5 and 8"),
                 descent.VALLEY, descent.ELONGATED_VALLEY)

_EDGE_SLIPS = {  # a typical wrong formula, in the curvatures a and b, and what it gets wrong
    "1/L, with L the largest curvature: there the steepest direction reaches the bottom in one step, but a "
    "larger η only overshoots; the edge of divergence is where the factor (1 - ηL) reaches -1.":
        lambda a, b: 1 / max(a, b),
    "2/(the *smallest* curvature): the steepest direction, the one with the largest curvature, diverges first.":
        lambda a, b: 2 / min(a, b),
    "1/(the smallest curvature): the steepest direction, with the largest curvature, diverges first, and its "
    "edge is where (1 - ηc) reaches -1.": lambda a, b: 1 / min(a, b),
    "2/(a + b): the edge comes from one direction alone, the one that diverges first, not from a sum.":
        lambda a, b: 2 / (a + b),
    "L/2, with L the largest curvature: η must be *smaller* on a steeper valley, so the curvature goes in the "
    "denominator.": lambda a, b: max(a, b) / 2,
}


@check("Right: η = 2/L is the edge; below it descent converges, above it the path diverges.")
def check_critical_eta(critical_eta):
    returned = {}
    for surface in _TEST_VALLEYS:
        with without(descent.regime_edges, descent.regime, descent.Valley.largest_curvature.fget):
            answer = critical_eta(surface)
        returned[surface] = _number(answer, "critical_eta's result")
    if all(abs(eta - 2 / max(s.a, s.b)) < 1e-9 for s, eta in returned.items()):
        return
    for hint, formula in _EDGE_SLIPS.items():
        if all(abs(eta - formula(s.a, s.b)) < 1e-9 for s, eta in returned.items()):
            raise Hint(f"your function returns {hint}")
    surface, eta = next((s, eta) for s, eta in returned.items() if abs(eta - 2 / max(s.a, s.b)) >= 1e-9)
    raise Hint(f"on the {surface.name} your function returns {eta:.4g}. Along an axis of curvature c, each step "
               "multiplies the distance to the bottom by (1 - ηc): for which η does that factor reach -1, and "
               "which axis gets there first?")


# ----- Exercise 2: a grid search -------------------------------------------------------------------------

class _Recorder:
    """A stand-in for the training function: it records each call and returns a made-up accuracy at once."""

    def __init__(self):
        self.calls = []

    def __call__(self, eta, mini_batch_size):
        self.calls.append((eta, mini_batch_size))
        return round(0.9 - 0.1 * abs(np.log10(eta / mini_batch_size) + 0.5), 6)  # best where η/m is about 0.3


@check("Right: one training run per setting, every η with every mini-batch size, each result under its (η, m).")
def check_grid_search(grid_search):
    etas, sizes = [0.3, 3.0, 30.0], [1, 10]
    train = _Recorder()
    with without(every_setting):
        results = grid_search(train, list(etas), list(sizes))
    expected = every_setting(_Recorder(), etas, sizes)
    if not isinstance(results, dict):
        raise Hint(f"return a dict that maps each (eta, m) to its accuracy; got {type(results).__name__}.")
    called = set(train.calls)
    if called == {(m, eta) for eta, m in expected}:
        raise Hint("you call train(m, eta): the training function takes η first, then the mini-batch size.")
    if len(called) < len(expected) and called <= set(expected):
        if len(called) == min(len(etas), len(sizes)):
            raise Hint("you tried only some pairs (zip pairs the lists element by element): a grid tries every η "
                       "with every mini-batch size, a loop inside a loop.")
        raise Hint(f"you trained {len(called)} of the {len(expected)} settings: try every η with every "
                   "mini-batch size.")
    if len(train.calls) > len(called):
        raise Hint("you train some settings more than once: one run per setting, keep its result.")
    if set(results) == {(m, eta) for eta, m in expected} and set(results) != set(expected):
        raise Hint("your keys are (m, eta); use (eta, m), η first, as the exercise asks.")
    if set(results) != set(expected):
        raise Hint(f"the keys of your dict should be the {len(expected)} pairs (eta, m); got {sorted(results)[:4]}...")
    if any(results[key] != value for key, value in expected.items()):
        raise Hint("each (eta, m) should map to what train(eta, m) returned for it.")


# ----- Exercise 3: the learner's own choice --------------------------------------------------------------

@check(f"Right: your setting reaches at least {GOOD_ENOUGH:.0%} on the validation images at the search's scale.")
def check_my_setting(eta, mini_batch_size):
    eta, mini_batch_size = _number(eta, "MY_ETA"), _number(mini_batch_size, "MY_MINI_BATCH_SIZE")
    if not 0 < eta < float("inf"):
        raise Hint(f"MY_ETA should be a positive learning rate; got {eta:g}.")
    if mini_batch_size != int(mini_batch_size) or not 1 <= mini_batch_size <= SEARCH_TRAINING:
        raise Hint(f"MY_MINI_BATCH_SIZE should be a whole number of examples, from 1 to the {SEARCH_TRAINING:,} "
                   f"training images of the search; got {mini_batch_size:g}.")
    mini_batch_size = int(mini_batch_size)
    accuracy = search_accuracy(eta, mini_batch_size)
    if accuracy < GOOD_ENOUGH:
        raise Hint(f"η = {eta:g} with mini-batches of {mini_batch_size} reaches {accuracy:.2%} on the validation "
                   f"images at the search's scale, below the {GOOD_ENOUGH:.0%} asked. Refine your search around "
                   "your best settings (η between the grid's values, other mini-batch sizes) and choose from what "
                   "it measured.")


ex1 = Exercise(
    "ex1", check=check_critical_eta, grade_id="nb07_critical_eta",
    hints=["Along an axis of curvature c the gradient is c times the coordinate, so one step multiplies the "
           "distance to the bottom by (1 - ηc). The path diverges when that factor's size is above 1.",
           "Find the η at which 1 - ηc = -1, for each axis; the axis with the larger curvature gets there first."],
    why="|1 - ηc| < 1 on every axis needs η < 2/c for each curvature c, so the edge is η = 2/L with L = max(a, b) "
        "the largest curvature; between 1/L and 2/L the path oscillates but still converges.")

ex2 = Exercise(
    "ex2", check=check_grid_search, grade_id="nb07_grid_search",
    hints=["A grid search tries every η with every mini-batch size: a loop over the η's with a loop over the "
           "sizes inside it, one call of train per pair.",
           "Start from an empty dict and store each result under the key (eta, m); a dict comprehension with "
           "two `for` clauses does it in one line."],
    why="every combination is trained once and its validation accuracy kept under its (η, m), so that the "
        "best setting, and how flat the accuracy is around it, can be read off afterwards.")

ex3 = Exercise(
    "ex3", check=check_my_setting, grade_id="nb07_my_setting",
    hints=["Look at your search's table: where is the accuracy highest, and is that at the edge of the grid? If it "
           "is, the best may lie beyond it.",
           "At a fixed number of epochs a smaller mini-batch makes more updates; the best η grows with the "
           "mini-batch size. Try sizes between 1 and 10 with η from 0.3 to 5, for example."],
    why="the setting is chosen on validation data, from a search that was refined where the accuracy was "
        "highest; the test set plays no part in the choice.")

ex4 = Written(
    "ex4", grade_id="nb07_defend_choice_written",
    hints=["Which settings did you try, coarse and then fine, and why a log scale for η? How far is your choice "
           "from its neighbours in accuracy?",
           "Two more things a reviewer would ask: how much would a different seed change these numbers, and why "
           "was the test set not used to choose?"],
    why="a choice of hyper-parameters is only as good as the search behind it and the data it was measured on.")


# ----- predictions: the learner commits to an outcome before the cell that shows it --------------------------

p1 = Choice(
    "p1", right="c",
    wrong={"a": "larger steps learn faster only up to an edge; on the valley η a little past the edge diverged.",
           "b": "near chance is η = 100, where every output neuron saturates at once (notebook 06); at η = 30 the "
                "steps are a third of that size.",
           "d": "the package's sigmoid does not overflow for large z: the outputs stay between 0 and 1."},
    hints=["Recall the valley: what happened just above the edge? And notebook 06: what did η = 100 do?",
           "Large steps throw some weighted inputs z far out, where σ'(z) ≈ 0: what happens to a network in which "
           "some of the output neurons saturate and the others still learn?"],
    why="at η = 30 the large steps throw the output neurons of most digits into saturation, where σ'(z) ≈ 0, while "
        "the others still learn: the network is stuck far below η = 3, but above chance, at 37.98% after 3 "
        "epochs. Not as good as η = 3 (a): past the edge larger steps overshoot; not chance (b): that is "
        "η = 100, where every neuron saturates; not NaN (d): σ stays between 0 and 1.")

p2 = Choice(
    "p2", right="a",
    wrong={"b": "the steps are tiny, but there are 15,000 of them, and the starting outputs are far off: the "
                "cost has a long way to fall.",
           "c": "a tiny step against the gradient lowers the cost (eq. 9): it cannot overshoot and make it grow.",
           "d": "a lower cost does not mean telling digits apart: the cost also falls when all outputs move "
                "towards 0."},
    hints=["The starting network's outputs are about ½ where most targets are 0: what does moving every output "
           "a little towards 0 do to the cost (eq. 6)?",
           "And does moving every output towards 0 help tell a 3 from a 5?"],
    why="the cost falls by about half, from 1.15 after the first epoch to 0.56 after the third: tiny steps bring "
        "every output towards 0, which lowers the cost towards 0.5, the cost of answering 0 everywhere, without "
        "telling the digits apart, so the accuracy stays near 10%. It does not stay put (b) or grow (c), and a "
        "lower cost is not yet a better classifier (d).")

p3 = Choice(
    "p3", right="d",
    wrong={"a": "with ten times fewer updates per epoch, each averaged over ten times more examples, the same η "
                "moves the weights much less in 3 epochs.",
           "b": "a mini-batch of 100 gives a better estimate of the gradient, but the same η then takes ten times "
                "fewer steps.",
           "c": "mini-batches of 100 learn too, at a larger η: the search shows some that do."},
    hints=["The update (20) moves the weights by η/m times the sum of m gradients. How many updates does an "
           "epoch of 10,000 images make with m = 10, and with m = 100?",
           "To move the weights as far in 3 epochs with ten times fewer updates, what must η do?"],
    why="with m = 100 an epoch makes 100 updates instead of 1,000, each the average of more gradients; to make "
        "up for fewer steps η must be larger, so the best η grows with the mini-batch size. Not the same η (a), "
        "not smaller (b), and m = 100 does learn, at larger η (c).")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Choice(
    "q1", right="a",
    wrong={"b": "in the flat direction small steps are safe; it is the steep one that overshoots first.",
           "c": "the edge between converging and diverging does not depend on where the path starts.",
           "d": "a large enough η diverges on every valley: push η past the edge in the explorer, on either "
                "valley."},
    hints=["Switch the explorer between the round and the elongated valley: where is the path zig-zagging?",
           "Which direction does the path overshoot in first?"],
    why="the steepest direction, the one with the largest curvature, overshoots first: it sets the largest η that "
        "converges (η < 2/L). The flat direction (b) is safe with large steps, the start (c) does not move the edge, "
        "and a large enough η diverges on any valley (d).")

q2 = Choice(
    "q2", right="b",
    wrong={"a": "that is what happens well below the edge, with η too small.",
           "c": "that is η just below the edge: there each zig-zag is narrower than the last, and above it wider.",
           "d": "gradient descent never changes direction at random: the path is fixed by the start and η."},
    hints=["Move η just past the edge in the explorer.", "Watch the cost per step on its log scale."],
    why="each step overshoots the bottom by more than the one before: the path zig-zags ever wider and the cost grows. "
        "Crawling (a) is η far too small, narrowing zig-zags (c) are η just below the edge, and the path is "
        "fixed by the start and η (d).")

q3 = Choice(
    "q3", right="c",
    wrong={"a": "with η = 0.001 the network hardly learns in a few epochs.",
           "b": "η = 100 is stuck near chance, about 10%.",
           "d": "the sweep's accuracy changes a lot with η: from near 10% to above 90%."},
    hints=["Look at the sweep's plot of accuracy against η.", "Where is the plateau?"],
    why="in the sweep, η from about 1 to 10 learns well for [784, 30, 10]; much smaller crawls (a), much larger is "
        "stuck near chance (b), and the accuracy changes from about 10% to above 90% across η (d).")

q4 = Number(
    "q4", 10.0,
    slips=[(1.0, "that is the curvature along v1."), (5.0, "C = ½ · 10 v2²: its second derivative in v2 is 10, "
                                                          "not 5.")],
    hints=["The curvature along v2 is the second derivative ∂²C/∂v2².", "Differentiate ½ · 10 v2² twice."],
    why="∂²C/∂v2² = 10, ten times the curvature 1 along v1: that ratio makes the valley elongated.")

q5 = Written(
    "q5",
    answer="A good answer says that good learning rates can lie anywhere over several orders of magnitude, from 0.001 "
           "to 100 here; equal steps on a log scale (0.001, 0.01, 0.1, ...) cover that range with a few runs, where a "
           "linear grid would either skip the small values or need hundreds of runs; then refine near the best.",
    hints=["How far apart are the smallest and the largest η of the sweep?", "How many runs would a linear grid need?"],
    why="it is why the sweep of this notebook uses η = 0.001 ... 100 on a log scale.")
