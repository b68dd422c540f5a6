"""The learner's copies and nbgrader's released student versions have the same cells (needs the teach extra)."""
import nbformat
import pytest

from nndl import learner, teach

pytest.importorskip("nbgrader", reason="nbgrader is in the teach extra: pip install -e .[teach]")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return teach.release(tmp_path_factory.mktemp("course"))


def comparable(cell):
    return cell.cell_type, cell.get("id"), cell.source, cell.metadata.get("tags", [])


@pytest.mark.parametrize("name", ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10"])
def test_learner_version_equals_nbgraders_release(released, name):
    reference = teach.chapters()[name]
    student = nbformat.read(released / name / reference.name, as_version=4)
    mine = learner.learner_version(nbformat.read(reference, as_version=4))
    assert [comparable(c) for c in mine.cells] == [comparable(c) for c in student.cells]
    assert all(not c.get("outputs") for c in mine.cells + student.cells)
