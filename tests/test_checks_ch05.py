"""The checks of notebook 05 accept the learner's network class written in several right ways, explain typical
mistakes, and catch calls to the package's ready-made methods.

``Right`` is a complete learner's class; each wrong answer is a subclass with one method changed.
"""
import random

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network, learner
from nndl.checks import ch05
from nndl.functions import sigmoid, sigmoid_prime


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


@pytest.mark.parametrize("check_function, cls", [
    (ch05.check_feedforward, Right), (ch05.check_feedforward, variant(feedforward=feedforward_einsum)),
    (ch05.check_evaluate, Right), (ch05.check_evaluate, variant(evaluate=evaluate_vectorised)),
    (ch05.check_update_mini_batch, Right), (ch05.check_update_mini_batch, variant(update_mini_batch=update_by_sum)),
    (ch05.check_sgd, Right), (ch05.check_sgd, variant(SGD=sgd_shuffling_a_copy)),
], ids=["feedforward", "feedforward-dot", "evaluate", "evaluate-array", "update", "update-sum", "sgd", "sgd-copy"])
def test_right_answers_pass(capsys, check_function, cls):
    assert_accepts(capsys, check_function, cls)


def unsolved_sgd(self, training_data, epochs, mini_batch_size, eta, test_data=None):
    raise NotImplementedError()


@pytest.mark.parametrize("check_function", [ch05.check_feedforward, ch05.check_evaluate, ch05.check_update_mini_batch,
                                            ch05.check_sgd])
def test_unsolved_is_not_done_yet(capsys, check_function):
    unsolved = variant(feedforward=stub, evaluate=stub, update_mini_batch=stub, SGD=unsolved_sgd)
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
    net = Network([2, 2])
    with pytest.raises(ch05.Shortcut):
        with no_package():
            net.feedforward(np.zeros((2, 1)))
    assert net.feedforward(np.zeros((2, 1))).shape == (2, 1)
    assert Network.SGD is ch05._ORIGINAL["SGD"]


def no_package():
    return ch05.no_shortcuts()


def test_fallbacks_replace_only_what_does_not_pass(capsys):
    assert ch05.with_fallbacks(Right) is Right and capsys.readouterr().out == ""
    unsolved = variant(feedforward=stub, update_mini_batch=update_with(True, scale=lambda eta, m: -eta))
    completed = ch05.with_fallbacks(unsolved)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Your feedforward does not pass ex1.check yet: this run uses the package's Network.feedforward.",
                     "Your update_mini_batch does not pass ex3.check yet: this run uses the package's "
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
SHORTCUT_ANSWERS = {  # each exercise answered by handing the work to the package
    "nb05_feedforward": "def feedforward(self, a):\n    return ch05.twin(self).feedforward(a)",
    "nb05_evaluate": "def evaluate(self, test_data):\n    return ch05.twin(self).evaluate(test_data)",
    "nb05_update_mini_batch": "def update_mini_batch(self, mini_batch, eta):\n"
                              "    package = ch05.twin(self)\n"
                              "    package.update_mini_batch(mini_batch, eta)\n"
                              "    self.weights, self.biases = package.weights, package.biases",
    "nb05_sgd": "def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None):\n"
                "    ch05.twin(self).SGD(training_data, epochs, mini_batch_size, eta, test_data)",
}


def notebook_namespace():
    """The names the notebook defines before its exercises: the setup cell (without magics) and the skeleton."""
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    namespace = {"ch05": ch05}
    setup = "\n".join(line for line in cells[0].splitlines() if not line.startswith("%"))
    exec(setup, namespace)
    exec(next(c for c in cells if c.startswith("class MyNetwork")), namespace)
    return namespace


def graded_cells():
    cells = {learner.nbgrader_meta(c).get("grade_id"): c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells}
    return {grade_id: (cells[grade_id], cells[f"{grade_id}_test"]) for grade_id in SHORTCUT_ANSWERS}


@pytest.mark.parametrize("grade_id", SHORTCUT_ANSWERS)
def test_graded_tests_pass_the_reference_and_fail_a_shortcut(grade_id, capsys):
    solution, test = graded_cells()[grade_id]
    namespace = notebook_namespace()
    exec(solution, namespace)
    exec(test, namespace)  # the reference answer passes
    method = grade_id.removeprefix("nb05_").replace("sgd", "SGD")
    shortcut = notebook_namespace()
    exec(SHORTCUT_ANSWERS[grade_id] + f"\nMyNetwork.{method} = {method}", shortcut)
    with pytest.raises(ch05.Shortcut, match=f"Network.{method}"):
        exec(test, shortcut)
