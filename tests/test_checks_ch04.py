"""Notebook 04: the gradient check the learner writes, its check and graded test (one rule), the predictions, and
exercises that come before the cells that answer them."""
import re

import nbformat
import numpy as np
import pytest

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import Network, checks, learner
from nndl.checks import ch04
from nndl.costs import QuadraticCost
from nndl.functions import quadratic_cost, sigmoid, sigmoid_prime

NOTEBOOK = learner.NOTEBOOKS / "04_backpropagation.ipynb"


def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def grade_id(cell):
    return learner.nbgrader_meta(cell).get("grade_id")


def index_of(grade):
    return next(i for i, cell in enumerate(cells()) if grade_id(cell) == grade)


# ----- Exercises 2 and 3: BP1a and BP2, and their commonest slips -----------------------------------------------

@pytest.mark.parametrize("wrong, phrases", [
    (lambda a, y, z: (a - y) * sigmoid_prime(a), ["σ' of a", "σ' of z"]),
    (lambda a, y, z: (a - y) * sigmoid(z), ["σ(z^L)", "derivative σ'(z^L)"]),
    (lambda a, y, z: (a - y) @ sigmoid_prime(z), ["the Hadamard product ⊙ is `*` in NumPy", "`@` is the matrix product"]),
], ids=["slope-of-a", "sigma-not-slope", "matmul"])
def test_exercise_2_names_the_commonest_slips(capsys, wrong, phrases):
    out = assert_rejects(capsys, ch04.check_output_error, [wrong], *phrases)
    assert "term by term" not in out and "raised ValueError" not in out


def output_error_test_passes(output_error):
    """Whether Exercise 2's graded test cell, hidden tests included, passes ``output_error``."""
    try:
        exec(cells()[index_of("nb04_output_error_test")].source, {"output_error": output_error})
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("answer, accepted", [
    (lambda a, y, z: (a - y) * sigmoid_prime(z), True),
    (lambda a, y, z: QuadraticCost.delta(z, a, y), False),
    (lambda a, y, z: QuadraticCost.output_delta(a, y), False),
    (lambda a, y, z: np.array([[-0.125], [0.14373484045721513]]), False),  # the visible test's answer, hard-coded
], ids=["BP1a", "the package's delta", "the package's output_delta", "hard-coded"])
def test_exercise_2s_check_and_graded_test_refuse_the_package_and_a_hard_coded_answer(capsys, answer, accepted):
    assert output_error_test_passes(answer) == accepted
    assert printed(capsys, ch04.check_output_error, answer).startswith("✓") == accepted


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, d, z: (w.T @ d) * sigmoid(z), ["σ(z^l)", "derivative σ'(z^l)"]),
    (lambda w, d, z: (w.T @ d) * sigmoid_prime(sigmoid(z)), ["σ' of σ(z^l)", "weighted input"]),
    (lambda w, d, z: (w.T @ d) @ sigmoid_prime(z), ["the Hadamard product ⊙ is `*` in NumPy", "`@` is the matrix product"]),
], ids=["sigma-not-slope", "slope-of-a", "matmul"])
def test_exercise_3_names_the_commonest_slips(capsys, wrong, phrases):
    out = assert_rejects(capsys, ch04.check_hidden_error, [wrong], *phrases)
    assert "compare with BP2" not in out and "raised ValueError" not in out


# ----- Exercise 6: backprop_mini_batch, the array and the equation that are wrong --------------------------------

def matrix_form(net, X, Y, slope_of_hidden=lambda z, a: sigmoid_prime(z)):
    """Backpropagation over the columns of X for a two-layer network; ``slope_of_hidden(z, a)`` is BP2's σ' factor."""
    X, Y = np.asarray(X), np.asarray(Y)
    hidden_z = net.weights[0] @ X + net.biases[0]
    hidden = sigmoid(hidden_z)
    output_z = net.weights[1] @ hidden + net.biases[1]
    output_delta = (sigmoid(output_z) - Y) * sigmoid_prime(output_z)
    hidden_delta = (net.weights[1].T @ output_delta) * slope_of_hidden(hidden_z, hidden)
    return ([d.sum(axis=1, keepdims=True) for d in (hidden_delta, output_delta)],
            [hidden_delta @ X.T, output_delta @ hidden.T])


def transposed_bp4(net, X, Y):
    nabla_b, nabla_w = matrix_form(net, X, Y)
    return nabla_b, [w.T for w in nabla_w]


def flat_biases(net, X, Y):
    nabla_b, nabla_w = matrix_form(net, X, Y)
    return [b.ravel() for b in nabla_b], nabla_w


def bp2_with_slope_of_activation(net, X, Y):
    return matrix_form(net, X, Y, slope_of_hidden=lambda z, a: sigmoid_prime(a))


def bp4_doubled_at_the_output(net, X, Y):
    nabla_b, nabla_w = matrix_form(net, X, Y)
    return nabla_b, [nabla_w[0], 2 * nabla_w[1]]


def biases_averaged(net, X, Y):
    nabla_b, nabla_w = matrix_form(net, X, Y)
    return [b / X.shape[1] for b in nabla_b], nabla_w


def test_exercise_6_accepts_the_matrix_form(capsys):
    assert_accepts(capsys, ch04.check_backprop_mini_batch, lambda net, X, Y: matrix_form(net, X, Y))


@pytest.mark.parametrize("wrong, phrases, blames", [
    (transposed_bp4, ["nabla_w[0] has shape (4, 5)", "(5, 4)", "transpose"], "column per example"),
    (flat_biases, ["nabla_b[0] has shape (5,)", "(5, 1)", "1-D"], "column per example"),
    (bp2_with_slope_of_activation, ["nabla_b[0]", "hidden layer", "BP2", "σ' of the activations"], "BP4"),
    (bp4_doubled_at_the_output, ["nabla_w[1]", "nabla_b[1], and so the error δ of the output layer, is right", "BP4"],
     "BP2"),
    (biases_averaged, ["averaged", "nabla_b"], "BP1a"),
], ids=["transposed-bp4", "flat-biases", "bp2-slope-of-a", "bp4-wrong", "biases-averaged"])
def test_exercise_6_names_the_wrong_array_and_blames_the_right_equation(capsys, wrong, phrases, blames):
    out = assert_rejects(capsys, ch04.check_backprop_mini_batch, [wrong], *phrases)
    assert blames not in out


@pytest.mark.parametrize("shortcut", ["backprop_batch", "update_mini_batch"])
def test_exercise_6_refuses_the_packages_own_backpropagation(capsys, shortcut):
    def borrowed(net, X, Y):
        if shortcut == "backprop_batch":
            return net.backprop_batch(np.asarray(X), np.asarray(Y))
        net.update_mini_batch(list(zip(np.asarray(X).T, np.asarray(Y).T)), 1.0)
    assert_rejects(capsys, ch04.check_backprop_mini_batch, [borrowed], f"calls the package's Network.{shortcut}",
                   "write the matrix form yourself")


# ----- Exercise 7: numerical_gradient ------------------------------------------------------------------------

def in_place(f, x, eps=1e-6):
    slopes = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f(x)
        x[i] = saved - eps
        f_minus = f(x)
        x[i] = saved
        slopes[i] = (f_plus - f_minus) / (2 * eps)
    return slopes


def on_copies(f, x, eps=1e-6):
    slopes = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = eps
        step = step.reshape(x.shape)
        slopes.flat[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return slopes


SLOPES = {  # a typical slip's slope from f(x + ε), f(x) and f(x - ε)
    "one-sided": lambda plus, at, minus, eps: (plus - at) / eps,
    "backward": lambda plus, at, minus, eps: (at - minus) / eps,
    "over eps": lambda plus, at, minus, eps: (plus - minus) / eps,
    "precedence": lambda plus, at, minus, eps: (plus - minus) / 2 * eps,
    "flipped": lambda plus, at, minus, eps: (minus - plus) / (2 * eps),
    "not restored": lambda plus, at, minus, eps: (plus - minus) / (2 * eps),
}


def differences(kind):
    """A numerical_gradient with a typical slip: ``kind`` names it."""
    if kind == "fixed eps":
        return lambda f, x, eps=1e-6: in_place(f, x, 1e-7)

    def wrong(f, x, eps=1e-6):
        slopes = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            saved = x[i]
            at = f(x)
            x[i] = saved + eps
            plus = f(x)
            x[i] = saved - eps
            minus = f(x)
            if kind != "not restored":
                x[i] = saved
            slopes[i] = SLOPES[kind](plus, at, minus, eps)
        return slopes
    return wrong


@pytest.mark.parametrize("right", [in_place, on_copies])
def test_the_check_accepts_central_differences_in_place_or_on_copies(capsys, right):
    assert_accepts(capsys, ch04.check_numerical_gradient, right)


@pytest.mark.parametrize("kind, phrases", [
    ("one-sided", ["one-sided", "(46)"]),
    ("backward", ["one-sided"]),
    ("not restored", ["put each entry back"]),
    ("over eps", ["twice too large", "2ε"]),
    ("precedence", ["parentheses"]),
    ("flipped", ["sign"]),
    ("fixed eps", ["use the eps"]),
])
def test_the_check_names_each_typical_slip(capsys, kind, phrases):
    out = assert_rejects(capsys, ch04.check_numerical_gradient, [differences(kind)], *phrases)
    assert "(2 * eps)" not in out and "/ (2" not in out


def test_the_check_refuses_the_package_function_and_a_flat_result_and_waits_for_an_unfinished_one(capsys):
    assert_rejects(capsys, ch04.check_numerical_gradient, [checks.numerical_gradient], "package function")
    assert_rejects(capsys, ch04.check_numerical_gradient, [lambda f, x, eps: in_place(f, x, eps).ravel()], "shape")
    assert printed(capsys, ch04.check_numerical_gradient, stub).startswith("… Not done yet")
    assert_accepts(capsys, ch04.check_numerical_gradient, in_place)  # the package function was given back


def graded_test_passes(numerical_gradient):
    """Whether the graded test cell of Exercise 5, hidden tests included, passes ``numerical_gradient``."""
    namespace = {"numerical_gradient": numerical_gradient}
    try:
        exec(cells()[index_of("nb04_numerical_gradient_test")].source, namespace)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("answer", [in_place, on_copies, checks.numerical_gradient]
                         + [differences(kind) for kind in ("one-sided", "backward", "not restored", "over eps",
                                                           "precedence", "flipped", "fixed eps")])
def test_the_check_and_the_graded_test_apply_one_rule(capsys, answer):
    accepted = printed(capsys, ch04.check_numerical_gradient, answer).startswith("✓")
    assert graded_test_passes(answer) == accepted


# ----- the cells after the exercises run before they are solved -----------------------------------------------

def test_the_gradient_check_experiment_falls_back_on_the_package_until_the_learners_functions_are_written(capsys):
    source = next(c.source for c in cells() if c.source.startswith("def written("))
    namespace = {"np": np, "Network": Network, "checks": checks, "quadratic_cost": quadratic_cost, "SEED": 0,
                 "numerical_gradient": stub, "backprop_mini_batch": stub}
    exec(source, namespace)
    out = capsys.readouterr().out
    assert out.count("the package's (yours is not written yet)") == 2
    errors = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("ε =")]
    assert len(errors) == 10
    namespace.update(numerical_gradient=in_place, backprop_mini_batch=lambda net, X, Y: net.backprop_batch(X, Y))
    exec(source, namespace)
    assert "yours" in capsys.readouterr().out


# ----- the predictions: what the experiments show ------------------------------------------------------------

def one_neuron_gradient(a_in, z, y=1.0):
    net = Network([1, 1])
    net.weights[0][:], net.biases[0][:] = 1.0, z - a_in
    return net.backprop(np.array([[a_in]]), np.array([[y]]))[1][0].item()


def test_prediction_1_the_saturated_neurons_weight_learns_slowest_as_the_text_says():
    g1, g2, g3 = (abs(one_neuron_gradient(a, z)) for a, z in [(1.0, 0.0), (0.01, 0.0), (1.0, -8.0)])
    assert g3 < g2 < g1 and ch04.p1.right == "a"
    assert round(g1 / g2) == 100 and 100 < g1 / g3 < 1000  # "100 times", "a few hundred times"
    assert f"{sigmoid(-8.0):.4f}" == "0.0003"  # "output about 0.0003"


def test_prediction_2_the_relative_error_falls_like_eps_squared_then_rises_as_the_text_says():
    rng = np.random.default_rng(0)
    net = Network([3, 4, 2], seed=0)
    X, Y = rng.random((3, 5)), np.eye(2)[:, rng.integers(0, 2, 5)]

    def summed_cost(w):
        saved, net.weights[0] = net.weights[0], w
        try:
            return 5 * quadratic_cost(net.feedforward(X), Y)
        finally:
            net.weights[0] = saved
    exact = net.backprop_batch(X, Y)[1][0]
    errors = []
    for eps in 10.0 ** -np.arange(1, 11):
        g = checks.numerical_gradient(summed_cost, net.weights[0].copy(), eps)
        errors.append(np.linalg.norm(g - exact) / (np.linalg.norm(g) + np.linalg.norm(exact)))
    best = int(np.argmin(errors))
    assert best in (3, 4), "the smallest error is near ε = 1e-4 or 1e-5"
    assert all(50 < errors[k] / errors[k + 1] < 200 for k in range(3)), "a factor of about 100 per factor of 10 in ε"
    assert errors[-1] > 100 * errors[best], "and it rises again"
    assert ch04.p2.right == "d"


# ----- exercises before their answers (the review's findings for 04) ---------------------------------------------

def learner_sources():
    return [learner.learner_cell(cell).source for cell in cells()]


def first(sources, text):
    return next(i for i, source in enumerate(sources) if text in source)


@pytest.mark.parametrize("answer", [
    r"\nabla_a C \odot \sigma'(z^L)",                     # BP1
    r"((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",      # BP2
    r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",    # BP3
    r"a^{l-1}_k \delta^l_j",                               # BP4
    r"\delta^l (a^{l-1})^T",                               # BP4 for a layer: ∇_w C = δ aᵀ
])
def test_the_four_equations_are_stated_only_after_the_exercise_that_derives_them(answer):
    sources = learner_sources()
    assert first(sources, answer) > index_of("nb04_four_equations_written")
    assert first(sources, answer) > index_of("nb04_hidden_error_test"), "and after the exercises that code them"


def test_no_cell_codes_bp1_before_exercise_2_and_none_prints_backprop_which_notebook_05_asks_for():
    sources = learner_sources()
    assert not any("sigmoid(z) - y" in source for source in sources)
    assert not any("* sigmoid_prime(" in source for source in sources[:index_of("nb04_output_error")])
    assert not any("getsource" in source for source in sources)


def test_the_matrix_form_and_the_central_difference_come_after_the_exercises_that_ask_for_them():
    sources = learner_sources()
    assert first(sources, r"\Delta^l (A^{l-1})^T") > index_of("nb04_backprop_mini_batch_test")
    assert not any("2\\epsilon" in source or "2 * eps" in source
                   for source in sources[:index_of("nb04_numerical_gradient")])


def test_the_books_labels_exercises_and_problems():
    sources = [cell.source for cell in cells()]
    assert "the book's problem: a fully matrix-based approach" in sources[index_of("nb04_backprop_mini_batch") - 1]
    prompt = sources[index_of("nb04_book_exercises_written") - 1]
    assert "single modified neuron* (the book's exercise)" in prompt and "linear neurons* (the book's exercise)" in prompt
    prompt = sources[index_of("nb04_alternate_presentation_written") - 1]
    assert "the book's problem *Alternate presentation of the equations of backpropagation*" in prompt
    assert "(the book leaves this part to its reader as an exercise)" in sources[index_of("nb04_four_equations_written") - 1]


def test_bp1_is_the_component_form_and_bp1a_the_vector_form_as_in_the_book(capsys):
    text = "\n".join(cell.source for cell in cells())
    tagged = re.findall(r"\$\$([^$]*?)\\tag\{(BP1a?)\}\$\$", text)
    assert {label for _, label in tagged} == {"BP1", "BP1a"}
    for formula, label in tagged:
        assert ("\\nabla_a C \\odot" in formula) == (label == "BP1a"), (label, formula)
        assert ("\\partial a^L_j" in formula) == (label == "BP1"), (label, formula)
    assert not re.search(r"\\odot \\sigma'\(z\^L\)\$ \(BP1\)", text)
    assert printed(capsys, ch04.check_output_error, lambda a, y, z: (a - y) * sigmoid_prime(z)).endswith("(BP1a).\n")


@pytest.mark.parametrize("exercise, grade, points", [(ch04.ex1, "nb04_four_equations_written", 4),
                                                     (ch04.ex4, "nb04_alternate_presentation_written", 2),
                                                     (ch04.ex5, "nb04_book_exercises_written", 2)])
def test_the_derivations_are_graded_by_hand_and_solution_shows_the_whole_model_answer(exercise, grade, points):
    cell = cells()[index_of(grade)]
    assert cell.cell_type == "markdown" and learner.nbgrader_meta(cell)["points"] == points
    assert learner.learner_cell(cell).source.startswith("*Your answer:*")
    shown = exercise.reference()
    assert shown.answer.startswith("**Model answer.**") and f"**Rubric ({points} points).**" in shown.answer


def test_the_books_problem_and_exercises_sit_where_their_ideas_are_not_after_the_summary():
    sources = [cell.source for cell in cells()]
    equations = first(sources, "## 2. The four equations")
    algorithm = first(sources, "**Output**: the gradient")
    assert index_of("nb04_alternate_presentation_written") == equations + 1 < algorithm
    assert index_of("nb04_book_exercises_written") == algorithm + 1 < first(sources, "## 3. When does a weight")
    assert not any("Exercises from the book" in source for source in sources)


def points_of(grade):
    """The points of an exercise: its written answer cell's, or its graded test cell's."""
    graded = {grade_id(cell): learner.nbgrader_meta(cell).get("points") for cell in cells()}
    return graded.get(f"{grade}_test") or graded[grade]


def test_each_exercise_heading_shows_its_points_from_the_graded_cells():
    text = "\n".join(cell.source for cell in cells())
    found = {int(k): (others, p) for others, k, p in
             re.findall(r"\*\*Exercises? ((?:\d+ and )?)(\d+) \((\d+) points", text)}
    points = {int(e.name[2:]): points_of(e.grade_id) for e in (ch04.ex1, ch04.ex2, ch04.ex3, ch04.ex4, ch04.ex5,
                                                               ch04.ex6, ch04.ex7)}
    assert sorted(found) == [1, 3, 4, 5, 6, 7] and found[3][0] == "2 and "  # "Exercises 2 and 3 (3 points each"
    assert points[2] == points[3] and "**Exercises 2 and 3 (3 points each;" in text
    assert {k: int(p) for k, (_, p) in found.items()} == {k: v for k, v in points.items() if k != 2}


def test_notebook_04_leaves_the_loop_against_the_matrix_form_to_notebook_05s_prediction_3():
    sources = [cell.source for cell in cells()]
    assert not any("update_mini_batch_per_example" in source or "faster" in source for source in sources)
    assert not any("fixed cost" in source or "NumPy calls" in source for source in sources)
    experiment = next(source for source in sources if "net.backprop_batch(X, Y)" in source and "perf_counter" in source)
    assert "times the forward pass" in experiment  # 04's own Prediction 3: forward against forward + backward
