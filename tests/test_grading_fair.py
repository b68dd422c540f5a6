"""Honest answers written another way still get their points (issue 21, item 7): 1.0 for 1, a list for a pair."""
import re

import nbformat
import numpy as np
import pytest

from nndl import teach
from nndl.teach import grading
from test_graded_cells import judged_outside, learner_namespace


@pytest.mark.parametrize("value, expected", [(1, 1), (0, 0), (True, 1), (1.0, 1), (0.0, 0), (np.float64(1.0), 1),
                                             (np.float32(0.0), 0), (np.int64(1), 1), (np.bool_(False), 0)])
def test_bit_takes_0_and_1_in_any_number_type(value, expected):
    assert grading.bit(value, "the output") == expected


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


@pytest.mark.parametrize("value, message", [(0.5, "should be 0 or 1"), (2, "should be 0 or 1"),
                                            (float("nan"), "should be 0 or 1"), ("1", "should be the number"),
                                            (LyingFloat(0.3), "should be the number"),
                                            (np.array([1.0, 0.0]), "should be the number")])
def test_bit_refuses_anything_else(value, message):
    with pytest.raises(AssertionError, match=message):
        grading.bit(value, "the output")


def test_pair_takes_a_tuple_or_a_list_of_two():
    assert grading.pair([1, 2], "the result") == (1, 2) and grading.pair((1, 2), "the result") == (1, 2)
    for value in ([1, 2, 3], (1,), np.array([1, 2]), "ab", {1: 2, 3: 4}):
        with pytest.raises(AssertionError, match="should be a pair of two values"):
            grading.pair(value, "the result")


def graded_cell(chapter, grade_id):
    notebook = nbformat.read(teach.chapters()[chapter], 4)
    index = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return notebook, index


@pytest.mark.parametrize("chapter, grade_id, answer", [
    ("ch01", "nb01_perceptron_test", "def perceptron(x, w, b):\n    return 1.0 if np.dot(w, x) + b > 0 else 0.0"),
    ("ch05", "nb05_backprop_test", "tuple_backprop = MyNetwork.backprop\n"
                                   "MyNetwork.backprop = lambda self, x, y: list(tuple_backprop(self, x, y))"),
])
def test_an_honest_answer_in_another_form_passes_the_graded_test(chapter, grade_id, answer, tmp_path, monkeypatch):
    notebook, index = graded_cell(chapter, grade_id)
    namespace = learner_namespace(notebook, index)
    exec(answer, namespace)
    exec(notebook.cells[index].source, namespace)  # whole, as in the learner's copy
    assert judged_outside(notebook, index, namespace, tmp_path, monkeypatch) is None  # split, as a class is graded
    assert re.search(r"grading\.(bit|pair)\(", notebook.cells[index].source)


def test_an_answer_given_as_values_is_not_done_while_it_is_none():
    with pytest.raises(NotImplementedError, match="Exercise 3 is not done yet"):
        grading.answered(0.5, None, exercise="Exercise 3")
    grading.answered(0.0, 0, [], exercise="Exercise 3")  # falsy answers are answers
