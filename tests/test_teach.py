"""Student versions and autograding with nbgrader, end to end and offline."""
import csv
import re

import nbformat
import pytest
from nbclient import NotebookClient

from nndl import teach

pytest.importorskip("nbgrader", reason="nbgrader is in the teach extra: pip install -e .[teach]")
from nbgrader.api import Gradebook  # noqa: E402

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def region_lines(pattern, notebook):
    """The non-blank lines inside the pattern's regions, anywhere in the notebook."""
    return {line.strip() for cell in notebook.cells for region in pattern.findall(cell.source)
            for line in region.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    teach.release(course)
    return course


def student_version(released, name):
    return nbformat.read(next((released / "release" / name).glob("*.ipynb")), 4)


def test_points_come_from_the_notebooks():
    assert set(teach.chapters()) == {"ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch08", "ch09", "ch10", "ch45"}
    ch01 = teach.points(teach.chapters()["ch01"])
    assert ch01 == {"nb01_perceptron_test": 3, "nb01_gates_test": 3, "nb01_full_adder_test": 4}


def test_the_documented_points_match_the_notebooks():
    text = (teach.NOTEBOOKS.parent / "README.md").read_text()
    for name, path in teach.chapters().items():
        assert re.search(rf"\|\s*{path.name[:2]}\b.*\|\s*{sum(teach.points(path).values())}\s*\|", text), \
            f"README's teaching table disagrees with {path.name}"


@pytest.mark.parametrize("name", ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch08", "ch09", "ch10", "ch45"])
def test_no_solution_or_hidden_test_survives(released, name):
    source = nbformat.read(teach.chapters()[name], 4)
    student = student_version(released, name)
    elsewhere = {line.strip() for cell in source.cells for line in SOLUTION.sub("", HIDDEN.sub("", cell.source)).splitlines()}
    secret = (region_lines(SOLUTION, source) | region_lines(HIDDEN, source)) - elsewhere
    assert secret, "the source has no solutions to hide"
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    assert not secret & student_lines, f"solution or hidden-test lines leaked: {secret & student_lines}"
    assert all("BEGIN HIDDEN TESTS" not in c.source and "BEGIN SOLUTION" not in c.source for c in student.cells)
    for cell in student.cells:
        if nbgrader_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source


@pytest.mark.parametrize("name", ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch08", "ch09", "ch10", "ch45"])
def test_student_versions_run_and_only_exercises_fail(released, name):
    notebook = student_version(released, name)
    folder = next((released / "release" / name).glob("*.ipynb")).parent
    NotebookClient(notebook, timeout=900, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors = [o.ename for o in cell.outputs if o.output_type == "error"]
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            assert errors == ["NotImplementedError"] or not errors, cell.source
            if "def " not in cell.source:  # an answer given as values, not a function: the cell itself raises
                assert errors == ["NotImplementedError"], cell.source
        elif meta.get("grade"):
            assert errors, f"a graded test passes without any answer:\n{cell.source}"
        else:
            assert not errors, f"a lesson or check cell fails in the student version: {errors}\n{cell.source}"
            if re.match(r"(# NBVAL_CHECK_OUTPUT\n)?ex\d\.check\(", cell.source):
                assert "Not done yet" in "".join(o.get("text", "") for o in cell.outputs), cell.source


def test_autograde_end_to_end(released, tmp_path):
    source = nbformat.read(teach.chapters()["ch01"], 4)
    submitted = tmp_path / "submitted"
    wrong = nbformat.read(teach.chapters()["ch01"], 4)
    solution_cell = next(c for c in wrong.cells if nbgrader_meta(c).get("grade_id") == "nb01_perceptron")
    solution_cell.source = solution_cell.source.replace("> 0 else 0", ">= 0 else 0")
    cheat = nbformat.read(teach.chapters()["ch01"], 4)
    next(c for c in cheat.cells if nbgrader_meta(c).get("grade_id") == "nb01_perceptron").source = solution_cell.source
    next(c for c in cheat.cells if nbgrader_meta(c).get("grade_id") == "nb01_perceptron_test").source = "pass"
    for student, notebook in (("alice", source), ("bob", student_version(released, "ch01")),
                              ("carol", wrong), ("dave", cheat)):
        folder = submitted / student / "ch01"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / "01_perceptrons.ipynb")

    assert teach.autograde(released, submitted) == ["ch01"]

    with Gradebook(f"sqlite:///{released}/gradebook.db", "nndl") as gradebook:
        def score(student, grade_id=None):
            if grade_id is None:
                return gradebook.find_submission("ch01", student).score
            return gradebook.find_grade(grade_id, "01_perceptrons", "ch01", student).score
        assert score("alice") == 10
        assert score("bob") == 0
        assert score("carol") == 7 and score("carol", "nb01_perceptron_test") == 0
        assert score("dave") == 7 and score("dave", "nb01_perceptron_test") == 0  # the locked test was restored

    teach.export_grades(released, tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f) if row["assignment"] == "ch01"}
    assert float(rows["alice"]["score"]) == 10 and float(rows["carol"]["score"]) == 7


def test_clear_errors(tmp_path, capsys):
    assert teach.main(["--course", str(tmp_path / "c"), "grades", "--csv", str(tmp_path / "g.csv")]) == 2
    assert "no gradebook yet" in capsys.readouterr().err
    assert teach.main(["--course", str(tmp_path / "c"), "autograde", str(tmp_path / "nowhere")]) == 2
    assert "collect the submissions as" in capsys.readouterr().err
    assert teach.main(["--course", str(tmp_path / "c"), "release", "ch99"]) == 2
    assert "no assignment ch99" in capsys.readouterr().err
