"""The checks of notebook 05 accept the learner's network class written in several right ways, explain typical
mistakes, and catch calls to the package's ready-made methods (even through a reference saved before the check).

``Right`` is a complete learner's class; each wrong answer is a subclass with one method changed.
"""
import random
import types

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network, learner
from nndl.checks import Hint, ch05
from nndl.functions import sigmoid, sigmoid_prime
from nndl.teach import judge


class Right:
    """A learner's class, written the book's way."""

    def __init__(self, sizes, seed=None):
        self.sizes, self.num_layers = list(sizes), len(sizes)
        self.rng = np.random.default_rng(seed)
        self.biases = [self.rng.standard_normal((n, 1)) for n in sizes[1:]]
        self.weights = [self.rng.standard_normal((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(w @ a + b)
        return a

    def evaluate(self, test_data):
        return sum(int(np.argmax(self.feedforward(x)) == y) for x, y in test_data)

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        for x, y in mini_batch:
            db, dw = self.backprop(x, y)
            nabla_b = [n + d for n, d in zip(nabla_b, db)]
            nabla_w = [n + d for n, d in zip(nabla_w, dw)]
        self.weights = [w - eta / len(mini_batch) * n for w, n in zip(self.weights, nabla_w)]
        self.biases = [b - eta / len(mini_batch) * n for b, n in zip(self.biases, nabla_b)]

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        n = len(training_data)
        for j in range(epochs):
            shuffled = [training_data[i] for i in self.rng.permutation(n)]
            for k in range(0, n, mini_batch_size):
                self.update_mini_batch(shuffled[k:k + mini_batch_size], eta)
            print(f"Epoch {j}: {self.evaluate(test_data)} / {len(test_data)}" if test_data else f"Epoch {j} complete")

    def backprop(self, x, y):
        activations, zs = [x], []
        for b, w in zip(self.biases, self.weights):
            zs.append(w @ activations[-1] + b)
            activations.append(sigmoid(zs[-1]))
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
        nabla_b, nabla_w = [None] * len(self.biases), [None] * len(self.weights)
        for l in range(1, self.num_layers):
            if l > 1:
                delta = (self.weights[-l + 1].T @ delta) * sigmoid_prime(zs[-l])
            nabla_b[-l], nabla_w[-l] = delta, delta @ activations[-l - 1].T
        return nabla_b, nabla_w

    def cost_derivative(self, output_activations, y):
        return output_activations - y


def variant(**methods):
    """``Right`` with some methods replaced."""
    return type("MyNetwork", (Right,), methods)


def package_twin(self):
    return ch05.twin(self)


# ----- right answers, written differently -------------------------------------------------------

def feedforward_einsum(self, a):
    for b, w in zip(self.biases, self.weights):
        a = 1.0 / (1.0 + np.exp(-(np.dot(w, a) + b)))
    return a


def evaluate_vectorised(self, test_data):
    guesses = np.array([np.argmax(self.feedforward(x)) for x, _ in test_data])
    return int(np.sum(guesses == np.array([y for _, y in test_data])))


def update_by_sum(self, mini_batch, eta):
    gradients = [self.backprop(x, y) for x, y in mini_batch]
    m = len(mini_batch)
    self.biases = [b - (eta / m) * sum(g[0][l] for g in gradients) for l, b in enumerate(self.biases)]
    self.weights = [w - (eta / m) * sum(g[1][l] for g in gradients) for l, w in enumerate(self.weights)]


def sgd_shuffling_a_copy(self, training_data, epochs, mini_batch_size, eta, test_data=None):
    data = list(training_data)
    for j in range(epochs):
        self.rng.shuffle(data)
        batches = [data[k:k + mini_batch_size] for k in range(0, len(data), mini_batch_size)]
        for batch in batches:
            self.update_mini_batch(batch, eta)
        if test_data is not None:
            print("Epoch {0}: {1} / {2}".format(j, self.evaluate(test_data), len(test_data)))
        else:
            print("Epoch {0} complete".format(j))


def backprop_by_entries(self, x, y):
    """BP1-BP4 with np.dot and np.outer, and the layers counted from the front."""
    activations, zs = [x], []
    for b, w in zip(self.biases, self.weights):
        zs.append(np.dot(w, activations[-1]) + b)
        activations.append(sigmoid(zs[-1]))
    deltas = [self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])]
    for w, z in zip(self.weights[:0:-1], zs[-2::-1]):
        deltas.insert(0, np.dot(w.T, deltas[0]) * sigmoid_prime(z))
    return tuple(deltas), [np.outer(d, a) for d, a in zip(deltas, activations[:-1])]


@pytest.mark.parametrize("check_function, cls", [
    (ch05.check_feedforward, Right), (ch05.check_feedforward, variant(feedforward=feedforward_einsum)),
    (ch05.check_evaluate, Right), (ch05.check_evaluate, variant(evaluate=evaluate_vectorised)),
    (ch05.check_update_mini_batch, Right), (ch05.check_update_mini_batch, variant(update_mini_batch=update_by_sum)),
    (ch05.check_sgd, Right), (ch05.check_sgd, variant(SGD=sgd_shuffling_a_copy)),
    (ch05.check_backprop, Right), (ch05.check_backprop, variant(backprop=backprop_by_entries)),
], ids=["feedforward", "feedforward-dot", "evaluate", "evaluate-array", "update", "update-sum", "sgd", "sgd-copy",
        "backprop", "backprop-entries"])
def test_right_answers_pass(capsys, check_function, cls):
    assert_accepts(capsys, check_function, cls)


def unsolved_sgd(self, training_data, epochs, mini_batch_size, eta, test_data=None):
    raise NotImplementedError()


@pytest.mark.parametrize("check_function", [ch05.check_feedforward, ch05.check_evaluate, ch05.check_backprop,
                                            ch05.check_update_mini_batch, ch05.check_sgd])
def test_unsolved_is_not_done_yet(capsys, check_function):
    unsolved = variant(feedforward=stub, evaluate=stub, backprop=stub, update_mini_batch=stub, SGD=unsolved_sgd)
    assert printed(capsys, check_function, unsolved).startswith("… Not done yet")


# ----- Exercise 1: feedforward --------------------------------------------------------------------

def feedforward_no_sigma_last(self, a):
    for b, w in zip(self.biases[:-1], self.weights[:-1]):
        a = sigmoid(w @ a + b)
    return self.weights[-1] @ a + self.biases[-1]


def feedforward_returns_in_loop(self, a):
    for b, w in zip(self.biases, self.weights):
        return sigmoid(w @ a + b)


def feedforward_package(self, a):
    return package_twin(self).feedforward(a)


@pytest.mark.parametrize("feedforward, phrases", [
    (feedforward_no_sigma_last, ["weighted input z", "apply σ"]),
    (feedforward_returns_in_loop, ["first layer's", "return after it"]),
    (lambda self, a: sigmoid(self.weights[1] @ sigmoid(self.weights[0].T @ a)), ["shapes do not fit", "matrix product"]),
    (lambda self, a: sigmoid(self.weights[1] @ sigmoid(self.weights[0] @ a)), ["bias is missing"]),
    (lambda self, a: self.weights[1] @ (self.weights[0] @ a + self.biases[0]) + self.biases[1], ["σ(w a + b)"]),
    (feedforward_package, ["calls the package's Network.feedforward", "write it yourself"]),
], ids=["no-sigma-last", "return-in-loop", "transposed", "no-bias", "no-sigma", "package"])
def test_feedforward_mistakes_get_a_hint(capsys, feedforward, phrases):
    assert_rejects(capsys, ch05.check_feedforward, [variant(feedforward=feedforward)], *phrases)


# ----- Exercise 2: evaluate -----------------------------------------------------------------------

@pytest.mark.parametrize("evaluate, phrases", [
    (lambda self, data: Right.evaluate(self, data) / len(data), ["fraction", "count"]),
    (lambda self, data: len(data) - Right.evaluate(self, data), ["counted the mistakes"]),
    (lambda self, data: sum(int(np.argmax(self.feedforward(x)) == np.argmax(y)) for x, y in data),
     ["the digit itself, an int"]),
    (lambda self, data: [int(np.argmax(self.feedforward(x)) == y) for x, y in data], ["list of 12 values", "one number"]),
    (lambda self, data: sum(int(np.max(self.feedforward(x)) == y) for x, y in data), ["highest activation"]),
    (lambda self, data: package_twin(self).evaluate(data), ["calls the package's Network.evaluate"]),
], ids=["fraction", "mistakes", "one-hot", "list", "max", "package"])
def test_evaluate_mistakes_get_a_hint(capsys, evaluate, phrases):
    assert_rejects(capsys, ch05.check_evaluate, [variant(evaluate=evaluate)], *phrases)


def test_evaluate_is_checked_with_the_package_feedforward(capsys):
    """Exercise 2 can be checked before exercise 1 is done."""
    assert_accepts(capsys, ch05.check_evaluate, variant(feedforward=stub))


# ----- Exercise 3: update_mini_batch --------------------------------------------------------------

def update_with(step_weights, step_biases=True, scale=lambda eta, m: -eta / m, gradients="all"):
    """An update_mini_batch that may leave out the biases or the weights, scale wrongly, or use one gradient."""
    def update(self, mini_batch, eta):
        grads = [self.backprop(x, y) for x, y in mini_batch]
        if gradients == "last":
            grads = grads[-1:]
        s = scale(eta, len(mini_batch))
        if step_weights:
            self.weights = [w + s * sum(g[1][l] for g in grads) for l, w in enumerate(self.weights)]
        if step_biases:
            self.biases = [b + s * sum(g[0][l] for g in grads) for l, b in enumerate(self.biases)]
    return update


def update_per_example(self, mini_batch, eta):
    for x, y in mini_batch:
        db, dw = self.backprop(x, y)
        self.weights = [w - eta / len(mini_batch) * d for w, d in zip(self.weights, dw)]
        self.biases = [b - eta / len(mini_batch) * d for b, d in zip(self.biases, db)]


def update_generator(self, mini_batch, eta):
    Right.update_mini_batch(self, mini_batch, eta)
    self.weights = (w for w in self.weights)


def update_package(self, mini_batch, eta):
    package = package_twin(self)
    package.update_mini_batch(mini_batch, eta)
    self.weights, self.biases = package.weights, package.biases


def update_batch_gradient(self, mini_batch, eta):
    X, Y = np.hstack([x for x, _ in mini_batch]), np.hstack([y for _, y in mini_batch])
    nabla_b, nabla_w = package_twin(self).backprop_batch(X, Y)
    self.weights = [w - eta / len(mini_batch) * n for w, n in zip(self.weights, nabla_w)]
    self.biases = [b - eta / len(mini_batch) * n for b, n in zip(self.biases, nabla_b)]


@pytest.mark.parametrize("update, phrases", [
    (update_with(True, scale=lambda eta, m: -eta), ["m times too large", "divide η by the mini-batch size m"]),
    (update_with(True, scale=lambda eta, m: eta / m), ["uphill"]),
    (update_with(True, gradients="last"), ["only the last example's gradient"]),
    (update_per_example, ["after every example", "then take one step"]),
    (update_with(True, step_biases=False), ["biases are not", "eq. 21"]),
    (update_with(False), ["weights are not", "eq. 20"]),
    (update_with(True, scale=lambda eta, m: -eta / 4), ["later ones", "len(mini_batch)"]),
    (lambda self, mini_batch, eta: None, ["did not change"]),
    (update_generator, ["self.weights must stay a list", "generator"]),
    (update_package, ["calls the package's Network.update_mini_batch"]),
    (update_batch_gradient, ["calls the package's Network.backprop_batch"]),
], ids=["no-m", "uphill", "last-only", "per-example", "no-biases", "no-weights", "fixed-m", "nothing", "generator",
        "package", "backprop_batch"])
def test_update_mistakes_get_a_hint(capsys, update, phrases):
    assert_rejects(capsys, ch05.check_update_mini_batch, [variant(update_mini_batch=update)], *phrases)


# ----- Exercise 3: backprop -----------------------------------------------------------------------

# a copy of the check's catalogue of mistakes that its guard does not refuse (the guard swaps the original's code)
MISTAKEN_BACKPROP = types.FunctionType(ch05.mistaken_backprop.__code__, ch05.mistaken_backprop.__globals__)


def backprop_with(mistake):
    """A backprop with one of the mistakes the check names, written as the learner would."""
    return lambda self, x, y: MISTAKEN_BACKPROP(self, x, y, mistake)


def backprop_changed(change):
    """``Right.backprop`` with its result changed by ``change(nabla_b, nabla_w)``."""
    def backprop(self, x, y):
        return change(*Right.backprop(self, x, y))
    return backprop


def backprop_stops_early(self, x, y):
    """The loop stops before the first layer after the input: range(1, self.num_layers - 1)."""
    nabla_b, nabla_w = Right.backprop(self, x, y)
    nabla_b[0] = nabla_w[0] = None
    return nabla_b, nabla_w


def backprop_first_index_wrong(self, x, y):
    """BP4 with the layer's own activations: δ^l (a^l)ᵀ."""
    nabla_b, nabla_w = Right.backprop(self, x, y)
    activations = [x]
    for b, w in zip(self.biases, self.weights):
        activations.append(sigmoid(w @ activations[-1] + b))
    return nabla_b, [d @ a.T for d, a in zip(nabla_b, activations[1:])]


def backprop_moving_weights(self, x, y):
    gradient = Right.backprop(self, x, y)
    self.weights = [w - 0.1 * g for w, g in zip(self.weights, gradient[1])]
    return gradient


def backprop_by_finite_differences(self, x, y):
    return ch05.finite_difference_gradient(self, x, y)


def backprop_slope_of_a(self, x, y):
    """The slip written as a learner writes it: sigmoid_prime of the activations, in BP1 and in BP2."""
    activations = [x]
    for b, w in zip(self.biases, self.weights):
        activations.append(sigmoid(w @ activations[-1] + b))
    delta = (activations[-1] - y) * sigmoid_prime(activations[-1])
    nabla_b, nabla_w = [None] * len(self.biases), [None] * len(self.weights)
    for l in range(1, self.num_layers):
        if l > 1:
            delta = (self.weights[-l + 1].T @ delta) * sigmoid_prime(activations[-l])
        nabla_b[-l], nabla_w[-l] = delta, delta @ activations[-l - 1].T
    return nabla_b, nabla_w


def backprop_wrong_on_unequal_layers(self, x, y):
    """Right on the check's [3, 3, 3, 3], twice the first layer's nabla_w on [4, 5, 3, 2]."""
    nabla_b, nabla_w = Right.backprop(self, x, y)
    return nabla_b, nabla_w if self.sizes == [3, 3, 3, 3] else [2 * nabla_w[0]] + nabla_w[1:]


@pytest.mark.parametrize("backprop, phrases", [
    (backprop_with("BP1 without σ'"), ["δ^L", "σ'(z^L)"]),
    (backprop_with("BP2 without transpose"), ["transposed weight matrix (w^{l+1})ᵀ"]),
    (backprop_with("BP2 without σ'"), ["hidden layers' errors", "σ'(z^l)"]),
    (backprop_with("slope of a"), ["σ' is taken of the activation a"]),
    (backprop_slope_of_a, ["σ' is taken of the activation a"]),
    (backprop_with("BP4 transposed"), ["nabla_w comes out transposed", "δ (a^{l-1})ᵀ"]),
    (backprop_changed(lambda b, w: (b, [g.T for g in w])), ["nabla_w comes out transposed"]),
    (backprop_changed(lambda b, w: (b[:-1] + [None], w[:-1] + [None])), ["nabla_b[2] is None", "the last layer"]),
    (backprop_changed(lambda b, w: (b[:-1] + [np.zeros_like(b[-1])], w)), ["all zeros", "the output layer"]),
    (backprop_stops_early, ["nabla_b[0] is None", "layer 2", "down to the first one"]),
    (backprop_changed(lambda b, w: ([-g for g in b], [-g for g in w])), ["wrong sign"]),
    (backprop_changed(lambda b, w: (b, w[:-1])), ["nabla_w should be a list of 3 arrays", "list of 2"]),
    (backprop_changed(lambda b, w: w), ["returned list", "the pair (nabla_b, nabla_w)"]),
    (backprop_first_index_wrong, ["finite-difference estimate", "disagrees"]),
    (backprop_moving_weights, ["changed the network's weights"]),
    (lambda self, x, y: ch05.twin(self).backprop(x, y), ["calls the package's Network.backprop"]),
    (lambda self, x, y: ch05.twin(self).backprop_batch(x, y), ["calls the package's Network.backprop_batch"]),
    (lambda self, x, y: ch05.mistaken_backprop(self, x, y), ["calls the package's mistaken_backprop"]),
    (backprop_by_finite_differences, ["calls the package's finite_difference_gradient"]),
], ids=["bp1-no-slope", "bp2-untransposed", "bp2-no-slope", "slope-of-a", "slope-of-a-learner", "bp4-a-delta", "nabla-w-transposed",
        "no-last-layer", "zero-last-layer", "stops-early", "sign", "short-list", "not-a-pair", "bp4-own-activations",
        "moves-weights", "package", "package-batch", "catalogue", "finite-differences"])
def test_backprop_mistakes_get_a_hint(capsys, backprop, phrases):
    assert_rejects(capsys, ch05.check_backprop, [variant(backprop=backprop)], *phrases)


@pytest.mark.parametrize("backprop, layers", [
    (backprop_first_index_wrong, "for layer 2, layer 3, the output layer, in the network [3, 3, 3, 3]"),
    (backprop_changed(lambda b, w: (b, [2 * w[0]] + w[1:])), "for layer 2 and agrees for layer 3, the output layer"),
], ids=["every-layer", "first-layer"])
def test_the_backprop_check_names_the_layers_the_finite_differences_reject(capsys, backprop, layers):
    assert_rejects(capsys, ch05.check_backprop, [variant(backprop=backprop)], "finite-difference estimate", layers)


def test_mistakes_that_cannot_run_in_the_unequal_network_are_skipped(capsys):
    """Naming the mistake in [4, 5, 3, 2] tries an untransposed BP2 there, which cannot run: no ValueError shows."""
    out = assert_rejects(capsys, ch05.check_backprop, [variant(backprop=backprop_wrong_on_unequal_layers)],
                         "finite-difference estimate", "for layer 2 and agrees for layer 3, the output layer, in the network [4, 5, 3, 2]")
    assert "ValueError" not in out and "matmul" not in out, out


def test_update_is_checked_with_the_package_backprop(capsys):
    """Exercise 4 can be checked before Exercise 3 is done."""
    assert_accepts(capsys, ch05.check_update_mini_batch, variant(backprop=stub))


# ----- Exercise 4: SGD ----------------------------------------------------------------------------

def sgd_with(shuffle="every epoch", ends=None, eta_scale=1.0, line="Epoch {j}: {count} / {n}", always_evaluate=False,
             sampler=None, shuffle_with=None):
    """An SGD with one thing changed from ``Right.SGD``."""
    def sgd(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        data = training_data if shuffle == "in place" else list(training_data)
        if shuffle == "once":
            self.rng.shuffle(data)
        for j in range(epochs):
            if shuffle in ("every epoch", "in place"):
                (shuffle_with or self.rng.shuffle)(data)
            if sampler:
                data = [training_data[i] for i in sampler(self, len(training_data))]
            for k in range(0, ends(len(data), mini_batch_size) if ends else len(data), mini_batch_size):
                self.update_mini_batch(data[k:k + mini_batch_size], eta * eta_scale)
            if test_data or always_evaluate:
                count = self.evaluate(test_data)
            print(line.format(j=j, count=count, n=len(test_data)) if test_data else f"Epoch {j} complete")
    return sgd


@pytest.mark.parametrize("sgd, phrases", [
    (sgd_with(ends=lambda n, m: n - n % m), ["last, smaller mini-batch of 3 is missing"]),
    (sgd_with(shuffle="never"), ["shuffle the training data at the start of every epoch"]),
    (sgd_with(shuffle="once"), ["shuffle anew"]),
    (sgd_with(shuffle="in place"), ["reordered the caller's training_data", "shuffle a copy"]),
    (sgd_with(shuffle_with=random.shuffle), ["same seed shuffled differently", "self.rng"]),
    (sgd_with(eta_scale=1 / 5), ["pass eta to update_mini_batch unchanged"]),
    (sgd_with(line="Epoch {j}: {count}/{n}"), ["'Epoch 0: 11 / 17'", "Epoch 0: 11/17"]),
    (sgd_with(line="Epoch {j}: {count} / {n}", always_evaluate=True), ["nothing to evaluate"]),
    (sgd_with(sampler=lambda self, n: self.rng.integers(0, n, n)), ["came twice"]),
    (lambda self, data, epochs, m, eta, test_data=None: package_twin(self).SGD(data, epochs, m, eta, test_data),
     ["calls the package's Network.SGD"]),
], ids=["no-last-batch", "no-shuffle", "shuffle-once", "in-place", "global-random", "eta-over-m", "transcript",
        "evaluate-without-test", "with-replacement", "package"])
def test_sgd_mistakes_get_a_hint(capsys, sgd, phrases):
    assert_rejects(capsys, ch05.check_sgd, [variant(SGD=sgd)], *phrases)


def test_sgd_without_the_complete_line(capsys):
    def sgd(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        Right.SGD(self, training_data, epochs, mini_batch_size, eta, test_data)
        if not test_data:
            print("done")
    assert_rejects(capsys, ch05.check_sgd, [variant(SGD=sgd)], "'Epoch j complete'")


# ----- the shortcut guard, the fallbacks, the listing -----------------------------------------------

def test_no_shortcuts_restores_the_package_even_after_an_error():
    net, sgd = Network([2, 2]), Network.SGD
    with pytest.raises(Hint, match="your code calls the package's Network.feedforward: the point is to write it"):
        with ch05.no_shortcuts("feedforward"):
            net.feedforward(np.zeros((2, 1)))
    assert net.feedforward(np.zeros((2, 1))).shape == (2, 1)
    assert Network.SGD is sgd and net.backprop(np.zeros((2, 1)), np.zeros((2, 1)))[0][0].shape == (2, 1)


SAVED_FEEDFORWARD = Network.feedforward  # what a learner could keep before the check, as ch05._ORIGINAL once was


def test_a_reference_saved_before_the_check_refuses_too(capsys):
    assert not hasattr(ch05, "_ORIGINAL")
    cheat = variant(feedforward=lambda self, a: SAVED_FEEDFORWARD(ch05.twin(self), a))
    assert_rejects(capsys, ch05.check_feedforward, [cheat], "calls the package's Network.feedforward")


class Skeleton:
    """The class cell run again after the exercises: the methods they added are gone."""
    __init__, cost_derivative = Right.__init__, Network.cost_derivative


@pytest.mark.parametrize("check_function, method", [
    (ch05.check_feedforward, "feedforward"), (ch05.check_evaluate, "evaluate"), (ch05.check_backprop, "backprop"),
    (ch05.check_update_mini_batch, "update_mini_batch"), (ch05.check_sgd, "SGD")])
def test_a_class_cell_run_again_is_named_as_the_cause(capsys, check_function, method):
    out = assert_rejects(capsys, check_function, [Skeleton], f"MyNetwork has no method {method}",
                         "`class MyNetwork` cell again", "run the exercise cells below it again")
    assert "AttributeError" not in out


def test_fallbacks_say_the_class_cell_was_run_again(capsys):
    completed = ch05.with_fallbacks(Skeleton)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("MyNetwork has no feedforward (was the `class MyNetwork` cell run again after ex1?): "
                        "this run uses the package's Network.feedforward.")
    assert len(lines) == 5 and completed.stand_ins == ("feedforward", "evaluate", "backprop", "update_mini_batch", "SGD")


def test_fallbacks_replace_only_what_does_not_pass(capsys):
    assert ch05.with_fallbacks(Right).stand_ins == () and capsys.readouterr().out == ""
    unsolved = variant(feedforward=stub, update_mini_batch=update_with(True, scale=lambda eta, m: -eta))
    completed = ch05.with_fallbacks(unsolved)
    assert completed.stand_ins == ("feedforward", "update_mini_batch")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Your feedforward does not pass ex1.check yet: this run uses the package's Network.feedforward.",
                     "Your update_mini_batch does not pass ex4.check yet: this run uses the package's "
                     "Network.update_mini_batch."]
    net, reference = completed([3, 4, 2], seed=5), Network([3, 4, 2])
    reference.weights, reference.biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    x, batch = np.ones((3, 1)), [(np.ones((3, 1)), np.array([[1.0], [0.0]]))] * 3
    assert np.allclose(net.feedforward(x), reference.feedforward(x))
    net.update_mini_batch(batch, 1.0)
    reference.update_mini_batch(batch, 1.0)
    assert all(np.allclose(a, b) for a, b in zip(net.weights + net.biases, reference.weights + reference.biases))
    assert unsolved.feedforward is stub, "the learner's own class is left as it is"


def test_class_listing_is_one_class_in_the_books_order():
    def evaluate(self, test_data):
        """Count."""
        ### BEGIN SOLUTION
        return 0
        ### END SOLUTION

    cls = type("Mine", (), {"__doc__": "My network.", "evaluate": evaluate, "feedforward": Right.feedforward,
                            "__init__": Right.__init__})
    listing = ch05.class_listing(cls)
    assert listing.startswith('class Mine:\n    """My network."""\n\n    def __init__(self, sizes, seed=None):')
    assert listing.index("def feedforward") < listing.index("def evaluate")
    assert "### BEGIN" not in listing and "### END" not in listing
    namespace = {"np": np, "sigmoid": sigmoid}
    exec(compile(listing, "listing", "exec"), namespace)
    assert namespace["Mine"]([2, 3], seed=0).evaluate([]) == 0


# ----- the notebook's graded tests ----------------------------------------------------------------

NOTEBOOK = learner.NOTEBOOKS / "05_writing_the_network.ipynb"
METHODS = {"nb05_feedforward": "feedforward", "nb05_evaluate": "evaluate", "nb05_backprop": "backprop",
           "nb05_update_mini_batch": "update_mini_batch", "nb05_sgd": "SGD"}


def notebook_cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def notebook_namespace():
    """The names the notebook defines before its exercises: the setup cell (without magics) and the skeleton."""
    cells = [c.source for c in notebook_cells() if c.cell_type == "code"]
    namespace = {"ch05": ch05}
    setup = "\n".join(line for line in cells[0].splitlines() if not line.startswith("%"))
    exec(setup, namespace)
    exec(next(c for c in cells if c.startswith("class MyNetwork")), namespace)
    return namespace


def graded_cells():
    cells = {learner.nbgrader_meta(c).get("grade_id"): c.source for c in notebook_cells()}
    return {grade_id: (cells[grade_id], cells[f"{grade_id}_test"]) for grade_id in METHODS}


@pytest.mark.parametrize("grade_id", METHODS)
def test_graded_tests_pass_the_reference(grade_id, capsys):
    solution, test = graded_cells()[grade_id]
    namespace = notebook_namespace()
    exec(solution, namespace)
    exec(test, namespace)


SHORTCUTS = [(grade_id, shortcut) for grade_id, method in METHODS.items() for shortcut in ch05.shortcuts(method)]


@pytest.mark.parametrize("grade_id, shortcut", SHORTCUTS,
                         ids=[f"{g.removeprefix('nb05_')}-{f.__qualname__}" for g, f in SHORTCUTS])
def test_check_and_graded_test_refuse_the_same_shortcuts(grade_id, shortcut, capsys):
    """One rule: each package function the check refuses, the graded test refuses, even when saved beforehand."""
    method = METHODS[grade_id]
    answer = variant(**{method: lambda self, *args, **kwargs: shortcut(self, *args)})
    assert_rejects(capsys, getattr(ch05, f"check_{method.lower()}"), [answer],
                   f"calls the package's {shortcut.__qualname__}")
    namespace = notebook_namespace()
    namespace["SHORTCUT"] = shortcut
    exec(f"def {method}(self, *args, **kwargs):\n    return SHORTCUT(self, *args)\n\nMyNetwork.{method} = {method}",
         namespace)
    with pytest.raises(AssertionError, match=f"package function {shortcut.__qualname__}: write it yourself"):
        exec(graded_cells()[grade_id][1], namespace)


def test_the_graded_backprop_fails_the_transposed_bp2_on_equal_layers():
    """The hidden test uses a network whose middle layers are equal, where the slip runs without a shape error."""
    namespace = notebook_namespace()
    namespace["MISTAKEN"] = MISTAKEN_BACKPROP
    exec("MyNetwork.backprop = lambda self, x, y: MISTAKEN(self, x, y, 'BP2 without transpose')", namespace)
    test = graded_cells()["nb05_backprop"][1]
    setup = test.split("\nnote_backprop([3, 4, 2]")[0]
    hidden_notes, hidden_judging = judge.HIDDEN.findall(test)
    with pytest.raises(ValueError, match="matmul"):  # the visible test's [3, 4, 2]: the shapes do not fit
        exec(test, namespace)
    with pytest.raises(AssertionError):  # the hidden test's [4, 3, 3, 3]: it runs, and the gradient is wrong
        exec(setup + "\n" + hidden_notes + "\n" + hidden_judging, namespace)


# ----- the notebook's training cells, with nothing solved and with MY_EPOCHS = 30 ------------------

class TinyMnist:
    """Stands in for nndl.mnist: 20 training and 10 test images of noise, so the training cells run in a second."""

    @staticmethod
    def load_data():
        rng = np.random.default_rng(0)
        training = [(rng.random((784, 1)), np.eye(10)[:, [i % 10]]) for i in range(20)]
        test = [(rng.random((784, 1)), i % 10) for i in range(10)]
        return training, test, test


def run_cell(starting, namespace, capsys, **replace):
    source = next(c.source for c in notebook_cells() if c.cell_type == "code" and c.source.startswith(starting))
    for old, new in replace.items():
        assert old in source
        source = source.replace(old, new)
    capsys.readouterr()
    exec(source, namespace)
    return capsys.readouterr().out


def training_namespace(solved):
    namespace = notebook_namespace()
    namespace["mnist"] = TinyMnist
    if solved:
        for grade_id in METHODS:
            exec(graded_cells()[grade_id][0], namespace)
    return namespace


def test_thirty_epochs_of_your_class_leave_nothing_for_the_package(capsys):
    out = run_cell("training_data, validation_data", training_namespace(solved=True), capsys,
                   **{"MY_EPOCHS = 2": "MY_EPOCHS = 30"})
    assert "Epoch 29: " in out and "your class: " in out
    assert "in the package" not in out, out
    assert "your class ran all 30 epochs itself: nothing is left for the package to finish" in out


def test_with_nothing_solved_no_time_is_called_yours(capsys):
    namespace = training_namespace(solved=False)
    out = run_cell("training_data, validation_data", namespace, capsys)
    assert "not your class's time yet: the package stood in for its feedforward, evaluate, backprop, " \
           "update_mini_batch, SGD" in out
    assert "your class: " not in out and "epochs 2 to 29 in the package" in out
    assert "after 30 epochs the package's network answers" in out and "your network" not in out, out
    out = run_cell("not_yours = ", namespace, capsys)
    assert out.startswith("Not timed: your class is not done. The package stands in for your backprop and "
                          "update_mini_batch"), out
    assert "faster" not in out


def test_exercise_headings_show_the_graded_points():
    """Each exercise's heading gives the points of its graded test cell, as notebook 01's do."""
    cells = notebook_cells()
    points = {learner.nbgrader_meta(c).get("grade_id"): learner.nbgrader_meta(c).get("points") for c in cells}
    headings = [line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("### Exercise")]
    expected = [f"### Exercise {k} ({points[f'{grade_id}_test']} points): `{method}`"
                for k, (grade_id, method) in enumerate(METHODS.items(), start=1)]
    assert len(headings) == len(expected) and all(h.startswith(e) for h, e in zip(headings, expected)), headings
