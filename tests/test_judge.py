"""The judge: a graded cell split in two, what the kernel hands over read back as numbers only, judged outside."""
import numpy as np
import pytest

from nndl.teach import grading, judge

CELL = """import math
from nndl.teach import grading

seen = grading.Seen()
x = 0.5
seen["half"] = x / 2
### BEGIN HIDDEN TESTS
seen["third"] = x / 3
### END HIDDEN TESTS
grading.hand_over(seen)  # the lines below judge
assert abs(float(seen["half"]) - 0.25) < 1e-12, "half of 0.5"
### BEGIN HIDDEN TESTS
assert math.isclose(float(seen["third"]), 1 / 6), "a third of 0.5"
### END HIDDEN TESTS
"""


class Liar(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def handed_over(cell, folder, monkeypatch, namespace=None):
    """Run the kernel's half of ``cell`` with the archive going to ``folder``; return what the judge reads back."""
    monkeypatch.setenv(grading.OBSERVED, str(folder))
    kernel, _ = judge.split(cell, "t")
    exec(kernel, {} if namespace is None else namespace)
    return judge.observations(folder / "t.npz")


def test_the_kernels_half_ends_with_the_hand_over_and_keeps_the_cells_line_numbers():
    kernel, judging = judge.split(CELL, "t")
    assert kernel.endswith("grading.hand_over(seen, 't')\n") and "assert" not in kernel
    line = 'assert abs(float(seen["half"]) - 0.25) < 1e-12, "half of 0.5"'
    assert judging.split("\n")[10] == CELL.split("\n")[10] == line


def test_a_cell_without_a_hand_over_cannot_be_judged():
    with pytest.raises(judge.Misjudged, match="no line grading.hand_over"):
        judge.split("assert True", "t")


def test_the_reference_passes_and_a_wrong_number_fails_with_its_line(tmp_path, monkeypatch):
    seen = handed_over(CELL, tmp_path, monkeypatch)
    assert judge.verdict(CELL, "t", seen) is None
    seen["third"] = np.array(0.2)
    name, message, line = judge.verdict(CELL, "t", seen)
    assert (name, message, line) == ("AssertionError", "a third of 0.5", 13)
    assert judge.in_hidden_tests(CELL, line) and not judge.in_hidden_tests(CELL, 11)


def test_the_judging_lines_see_only_seen_and_the_cells_imports(tmp_path, monkeypatch):
    uses_a_kernel_name = CELL.replace('float(seen["half"])', 'x / 2')
    seen = handed_over(uses_a_kernel_name, tmp_path, monkeypatch)
    assert judge.verdict(uses_a_kernel_name, "t", seen)[:2] == ("NameError", "name 'x' is not defined")


def test_a_missing_observation_is_named(tmp_path, monkeypatch):
    seen = handed_over(CELL, tmp_path, monkeypatch)
    del seen["third"]
    assert judge.verdict(CELL, "t", seen)[:2] == ("KeyError", "nothing noted as 'third'")


def test_seen_keeps_plain_numbers_only():
    seen = grading.Seen()
    seen["liar"] = Liar(0)
    seen["list"] = [1.0, 2.0]
    seen["flag"] = True
    assert type(seen["liar"]) is np.ndarray and seen["liar"].dtype.kind == "i" and not seen["liar"] == 1
    assert seen["list"].tolist() == [1.0, 2.0] and seen["flag"].dtype == bool
    for value in ("1", None, {"a": 1}, [np.zeros(2), np.zeros(3)]):
        with pytest.raises(AssertionError, match="should be numbers"):
            seen["bad"] = value


def test_in_the_learners_copy_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(grading.OBSERVED, raising=False)
    grading.hand_over(grading.Seen(x=1), "t")
    monkeypatch.setenv(grading.OBSERVED, str(tmp_path))
    grading.hand_over(grading.Seen(x=1))  # no grade id: the cell runs whole, in the learner's Python
    assert list(tmp_path.iterdir()) == []


def test_nothing_handed_over_is_a_failure_not_a_pass(tmp_path):
    with pytest.raises(judge.Misjudged, match="nothing reached the grader"):
        judge.observations(tmp_path / "t.npz")


@pytest.mark.parametrize("arrays, message", [
    ([np.array(["x"]), np.array([{"code": "run me"}], dtype=object)], "cannot be read"),  # a pickle inside
    ([np.array(["x"]), np.array(["text"])], "other than numbers"),
    ([np.array(["x", "y"]), np.zeros(2)], "not one that grading.hand_over writes"),
    ([np.zeros(2), np.zeros(2)], "not one that grading.hand_over writes"),
])
def test_a_forged_archive_is_refused(tmp_path, arrays, message):
    np.savez(tmp_path / "t.npz", *arrays)
    with pytest.raises(judge.Misjudged, match=message):
        judge.observations(tmp_path / "t.npz")


def test_a_damaged_or_huge_archive_is_refused(tmp_path, monkeypatch):
    (tmp_path / "t.npz").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(judge.Misjudged, match="cannot be read"):
        judge.observations(tmp_path / "t.npz")
    np.savez_compressed(tmp_path / "t.npz", np.array(["x"]), np.zeros(10**6))  # 8 MB in a few kB
    monkeypatch.setattr(judge, "MAX_BYTES", 2**20)
    with pytest.raises(judge.Misjudged, match="more than any test notes"):
        judge.observations(tmp_path / "t.npz")


def test_a_link_left_by_the_kernel_or_too_many_numbers_is_refused(tmp_path, monkeypatch):
    np.savez(tmp_path / "real.npz", np.array(["x"]), np.zeros(3))
    (tmp_path / "t.npz").symlink_to(tmp_path / "real.npz")  # the grader would read whatever file it points at
    with pytest.raises(judge.Misjudged, match="nothing reached the grader"):
        judge.observations(tmp_path / "t.npz")
    np.savez(tmp_path / "u.npz", np.array(["x"]), np.zeros(2000, dtype=np.float16))  # few bytes, many Python floats
    monkeypatch.setattr(judge, "MAX_NUMBERS", 1000)
    with pytest.raises(judge.Misjudged, match="more than 1,000 numbers"):
        judge.observations(tmp_path / "u.npz")
