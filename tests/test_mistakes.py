"""``nndl.mistakes``: the misclassified test images a run saves, and the list the course ships for notebook 14."""
import numpy as np
import pytest

from nndl import mnist
from nndl.mistakes import SHIPPED_MISTAKES, find_mistakes, is_saved_mistakes, load_mistakes, save_mistakes


def test_find_mistakes_lists_index_label_and_answer_where_they_differ():
    assert find_mistakes([3, 1, 4, 1, 5], np.array([3, 7, 4, 2, 5])) == [(1, 7, 1), (3, 2, 1)]
    assert find_mistakes([0, 1], [0, 1]) == []


def test_saved_mistakes_load_back(tmp_path):
    path = tmp_path / "m.json"
    save_mistakes(path, [(1, 7, 1), (3, 2, 1)], 5, "python -m nndl train --network3 conv1")
    assert load_mistakes(path) == {"run": "python -m nndl train --network3 conv1", "test_images": 5,
                                   "mistakes": [{"index": 1, "label": 7, "answer": 1},
                                                {"index": 3, "label": 2, "answer": 1}]}
    assert is_saved_mistakes(path)


@pytest.mark.parametrize("text", ['{"mine": 1}', "not json", '{"run": "x", "test_images": 5, "mistakes": [1]}'])
def test_other_files_are_not_mistakes(tmp_path, text):
    path = tmp_path / "other.json"
    path.write_text(text)
    assert not is_saved_mistakes(path)
    with pytest.raises(ValueError, match="is not a list of mistakes saved by `python -m nndl train --network3"):
        load_mistakes(path)


def test_the_shipped_mistakes_are_mistakes_on_the_shipped_test_images():
    shipped = load_mistakes(SHIPPED_MISTAKES)
    labels = mnist.load_arrays(mnist.SHIPPED_DIR).test.labels  # not NNDL_DATA_DIR: the run used the shipped data
    assert shipped["test_images"] == len(labels) == 10_000
    assert shipped["run"].startswith("python -m nndl train --network3 ensemble --seed 0")
    indices = [m["index"] for m in shipped["mistakes"]]
    assert indices == sorted(set(indices))
    for m in shipped["mistakes"]:
        assert m["label"] == labels[m["index"]] != m["answer"]
