"""Every graded test cell but notebook 06's fails a wrong answer, in the learner's copy and when judged outside.

Each graded cell runs here, in this Python, after the notebook's imports, the cells that define functions
or classes, and its reference solutions (06's graded cells need a network trained on MNIST: left out), while
``np.allclose``, ``np.isclose`` and ``np.testing.assert_allclose`` always say yes (what a learner's cell could do).
With the reference solution the cell must pass; with a wrong answer it must fail: whole, as in the learner's
copy, and split as a class's grading splits it (its first half here, the judging lines in ``judge.verdict``
on the archive alone).
"""
import ast
import re

import nbformat
import numpy as np
import pytest

from nndl import teach
from nndl.teach import grading, judge

TRAINED = {"ch06"}  # whose graded cells need a network trained on MNIST first
CHAPTERS = sorted(set(teach.chapters()) - TRAINED)

# One wrong answer per graded exercise: zeros of the right shape, or a number that claims to equal anything.
LIAR = "class Liar(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n"
WRONG = {
    "nb01_perceptron_test": LIAR + "perceptron = lambda x, w, b: Liar(0)",
    "nb01_gates_test": "AND = OR = ([1, 1], -1.5)\nNOT = ([1], -0.5)",
    "nb01_full_adder_test": "full_adder = lambda x1, x2, carry_in: half_adder(x1, x2)",
    "nb02_scaled_neuron_test": "scaled_neuron = lambda x, w, b, c: sigmoid(np.dot(w, x) + b)",
    "nb02_bitwise_test": "BIT_WEIGHTS, BIT_BIASES = np.zeros((4, 10)), np.zeros((4, 1))",
    "nb03_gradient_step_test": "gradient_step = lambda v, grad, eta: v + eta * grad",
    "nb03_descend_test": "descend = lambda surface, start, eta, steps: np.zeros((steps + 1, 2))",
    "nb04_output_error_test": "output_error = lambda a, y, z: a - y",
    "nb04_hidden_error_test": "hidden_error = lambda w_next, delta_next, z: w_next.T @ delta_next",
    "nb04_backprop_mini_batch_test": "backprop_mini_batch = lambda net, X, Y: "
                                     "([np.zeros_like(b) for b in net.biases], [np.zeros_like(w) for w in net.weights])",
    "nb04_numerical_gradient_test": "numerical_gradient = lambda f, x, eps=1e-6: np.zeros(x.shape)",
    "nb07_grid_search_test": "grid_search = lambda train, etas, sizes: {(e, m): train(e, m) for e, m in zip(etas, sizes)}",
    "nb07_my_setting_test": "MY_ETA, MY_MINI_BATCH_SIZE = 100.0, 10",
    "nb07_critical_eta_test": "critical_eta = lambda surface: 1 / max(surface.a, surface.b)",
    "nb05_feedforward_test": "MyNetwork.feedforward = lambda self, a: np.zeros((self.sizes[-1], 1))",
    "nb05_evaluate_test": LIAR + "MyNetwork.evaluate = lambda self, test_data: Liar(0)",
    "nb05_backprop_test": "MyNetwork.backprop = lambda self, x, y: "
                          "([np.zeros_like(b) for b in self.biases], [np.zeros_like(w) for w in self.weights])",
    "nb05_update_mini_batch_test": "MyNetwork.update_mini_batch = lambda self, mini_batch, eta: None",
    "nb05_sgd_test": "MyNetwork.SGD = lambda self, *args, **kwargs: None",
    "nb08_cross_entropy_gradient_test": "cross_entropy_gradient = lambda w, b, x, y: (np.zeros_like(x), 0.0)",
    "nb08_softmax_test": "softmax = lambda z: np.zeros_like(z)",
    "nb08_log_likelihood_test": LIAR + "log_likelihood = lambda a, y: Liar(0)",
    "nb08_sigmoid_sum_test": "z_counterexample = np.array([[2.0], [-2.0]])",
    "nb08_softmax_inverse_test": "softmax_inverse = lambda a: a",
    "nb09_train_test": "train = lambda net, training_data, epochs, mini_batch_size, eta, lmbda, validation_data, "
                       "patience: net.SGD(training_data, epochs, mini_batch_size, eta, validation_data, lmbda=lmbda, "
                       "early_stopping_n=patience, quiet=True).test_correct",
    "nb09_l1_step_test": "l1_step = lambda w, nabla_w, eta, lmbda, n, m: np.zeros_like(w)",
    "nb10_scaled_weights_test": "scaled_weights = lambda sizes, rng: [rng.standard_normal((m, n)) for n, m in zip(sizes, sizes[1:])]",
    "nb10_std_of_z_test": LIAR + "std_of_z = lambda n_in, n_active, scaled: Liar(0)",
    "nb10_no_improvement_in_test": "no_improvement_in = lambda n: (lambda epoch, history: True)",
    "nb10_next_eta_test": "next_eta = lambda accuracies, eta, eta0, n: eta",
    "nb11_momentum_descent_test": "momentum_descent = lambda surface, start, eta, mu, steps: "
                                  "descent.gradient_descent(surface, start, eta, steps)",
    "nb11_tanh_from_sigmoid_test": "tanh_from_sigmoid = lambda z: 2 * sigmoid(z) - 1",
    "nb11_tanh_prime_test": "tanh_prime = lambda z: 1 - np.tanh(z)",
    "nb11_relu_prime_test": "relu_prime = lambda z: np.where(z >= 0, z, 0.0)",
    "nb12_choose_heights_test": "choose_heights = lambda goal, n: sigmoid_inverse(goal((np.arange(n) + 0.5) / n))",
    "nb12_tower_test": "tower = lambda x, y, x1, x2, y1, y2, h: sigmoid(bump(x, x1, x2, h) + bump(y, y1, y2, h) - h)",
    "nb13_speeds_of_learning_test": "speeds_of_learning = lambda net, data: [0.0] * (len(net.sizes) - 2)",
    "nb13_chain_gradient_test": "chain_gradient = lambda w, b, a0, y: np.zeros(len(w))",
    "nb13_exploding_biases_test": "exploding_biases = lambda w, a0, layers: np.full(layers, -w * a0)",
    "nb14_convolve_test": "convolve = lambda a, w: np.zeros((a.shape[0] - w.shape[0] + 1, a.shape[1] - w.shape[1] + 1))",
    "nb14_max_pool_test": "max_pool = lambda z, size: z[:z.shape[0] // size[0] * size[0]:size[0], "
                          ":z.shape[1] // size[1] * size[1]:size[1]]",
    "nb14_max_pool_backward_test": "max_pool_backward = lambda z, delta, size: np.zeros(z.shape)",
}


def graded_cells(chapters=CHAPTERS):
    """One pytest parameter (notebook, cell index) per graded test cell, named by its grade_id."""
    params = []
    for name in chapters:
        notebook = nbformat.read(teach.chapters()[name], 4)
        params += [pytest.param(notebook, index, id=cell.metadata["nbgrader"]["grade_id"])
                   for index, cell in enumerate(notebook.cells)
                   if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"]  # answers in words: by hand
    return params


def learner_namespace(notebook, upto):
    """The names the learner has when the graded cell ``upto`` runs: imports, class cell, reference solutions."""
    namespace = {}
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    lines = [line for line in setup.source.splitlines() if not line.startswith("%") and "load_data" not in line]
    exec("\n".join(lines), namespace)
    for cell in notebook.cells[:upto]:
        if cell.cell_type == "code" and (re.match(r"(#.*\n)*(def|class) ", cell.source)
                                         or cell.metadata.get("nbgrader", {}).get("solution")):
            exec(cell.source, namespace)
    return namespace


@pytest.fixture
def cheating_numpy(monkeypatch):
    """What an unlocked cell can do: make NumPy's comparisons always agree."""
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda *a, **k: True)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *a, **k: None)


def test_every_graded_cell_has_a_wrong_answer():
    assert {param.id for param in graded_cells()} == set(WRONG)


@pytest.mark.parametrize("notebook, index", graded_cells())
def test_the_reference_solution_passes_despite_the_cheat(notebook, index, cheating_numpy, capsys):
    namespace = learner_namespace(notebook, index)
    exec(notebook.cells[index].source, namespace)


@pytest.mark.parametrize("notebook, index", graded_cells())
def test_a_wrong_answer_fails_despite_the_cheat(notebook, index, cheating_numpy, capsys):
    grade_id = notebook.cells[index].metadata["nbgrader"]["grade_id"]
    namespace = learner_namespace(notebook, index)
    exec(WRONG[grade_id], namespace)
    with pytest.raises(AssertionError):
        exec(notebook.cells[index].source, namespace)


def judged_outside(notebook, index, namespace, folder, monkeypatch):
    """Run graded cell ``index`` as a class's grading does: the kernel's half in ``namespace``, handing over through
    an archive in ``folder``, then the judging half on that archive alone.  Returns the verdict (None: passed)."""
    source, grade_id = notebook.cells[index].source, notebook.cells[index].metadata["nbgrader"]["grade_id"]
    monkeypatch.setenv(grading.OBSERVED, str(folder))
    kernel, _ = judge.split(source, grade_id)
    exec(kernel, namespace)
    return judge.verdict(source, grade_id, judge.observations(folder / f"{grade_id}.npz"))


@pytest.mark.parametrize("notebook, index", graded_cells(sorted(teach.chapters())))
def test_the_kernels_half_only_notes_and_the_judge_compares(notebook, index):
    """No expected value enters the student's Python: its half has no assert; every assert is the judge's."""
    source, grade_id = notebook.cells[index].source, notebook.cells[index].metadata["nbgrader"]["grade_id"]
    kernel, judging = judge.split(source, grade_id)
    assert not [node for node in ast.walk(ast.parse(kernel)) if isinstance(node, ast.Assert)]
    assert [node for node in ast.walk(ast.parse(judging)) if isinstance(node, ast.Assert)]


@pytest.mark.parametrize("notebook, index", graded_cells())
def test_the_reference_solution_passes_the_judge(notebook, index, tmp_path, monkeypatch, cheating_numpy, capsys):
    assert judged_outside(notebook, index, learner_namespace(notebook, index), tmp_path, monkeypatch) is None


@pytest.mark.parametrize("notebook, index", graded_cells())
def test_a_wrong_answer_fails_the_judge(notebook, index, tmp_path, monkeypatch, cheating_numpy, capsys):
    grade_id = notebook.cells[index].metadata["nbgrader"]["grade_id"]
    namespace = learner_namespace(notebook, index)
    exec(WRONG[grade_id], namespace)
    try:
        failure = judged_outside(notebook, index, namespace, tmp_path, monkeypatch)
    except AssertionError:  # the kernel's half refused the answer already (not numbers, or a forbidden function)
        return
    assert failure is not None and failure[0] == "AssertionError", failure
