"""A one-notebook course graded end to end: answers in words graded by hand and exported per question;
a graded test that prints to stderr (a progress bar, a warning) keeps its points."""
import csv
import shutil

import nbformat
import pytest

from nndl import learner, teach
from nndl.checks import reference_solution
from nndl.teach import cli, reports, sandbox
from sandboxing import needs_sandbox

pytest.importorskip("nbgrader", reason="nbgrader is in the teach extra: pip install -e .[teach]")

MODEL = "**Model answer.** Doubling twice multiplies by four.\n\n**Rubric (2 points).** 1 point: ...; 1 point: ..."


def nbgrader(grade_id, points=None, solution=False):
    meta = {"grade": points is not None, "solution": solution, "locked": not solution, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def tiny_course(folder):
    """A one-notebook course: a code exercise with its graded test, and a question answered in words."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    notebook.cells = [
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                                  metadata=nbgrader("tiny_double", solution=True)),
        nbformat.v4.new_code_cell("import sys\nsys.stderr.write('100%|##########| 4/4\\n')  # as tqdm does\n"
                                  "assert double(2) == 4", metadata=nbgrader("tiny_double_test", points=1)),
        nbformat.v4.new_markdown_cell("**Exercise 2.** What does doubling twice do? Explain."),
        nbformat.v4.new_markdown_cell(MODEL, metadata=nbgrader("tiny_twice_written", points=2, solution=True)),
    ]
    folder.mkdir()
    nbformat.write(notebook, folder / "01_tiny.ipynb")
    return folder


def test_the_learner_writes_in_place_of_the_model_answer(tmp_path):
    """Learner copy and nbgrader's release both show the same invitation where the model answer was."""
    notebooks = tiny_course(tmp_path / "notebooks")
    reference = nbformat.read(notebooks / "01_tiny.ipynb", 4)
    assert learner.learner_version(reference).cells[3].source == learner.TEXT_STUB
    course = tmp_path / "course"
    teach.release(course, notebooks)
    released = nbformat.read(course / "release" / "ch01" / "01_tiny.ipynb", 4)
    assert released.cells[3].source == learner.TEXT_STUB
    assert "Model answer" not in nbformat.writes(released)
    assert reference_solution("tiny_twice_written", notebooks) == MODEL, "solution() shows the model answer and rubric"


@needs_sandbox
def test_a_written_answer_is_graded_by_hand_and_exported(tmp_path, capsys):
    notebooks = tiny_course(tmp_path / "notebooks")
    course = tmp_path / "course"
    teach.release(course, notebooks)
    work = nbformat.read(course / "release" / "ch01" / "01_tiny.ipynb", 4)
    work.cells[0].source = "def double(x):\n    return x + x"
    work.cells[3].source = "It multiplies by four, since 2 × 2 = 4."
    (tmp_path / "submitted" / "ann" / "ch01").mkdir(parents=True)
    (tmp_path / "submitted" / "ben" / "ch01").mkdir(parents=True)
    nbformat.write(work, tmp_path / "submitted" / "ann" / "ch01" / "01_tiny.ipynb")
    shutil.copy(course / "release" / "ch01" / "01_tiny.ipynb", tmp_path / "submitted" / "ben" / "ch01")  # nothing done
    (tmp_path / "submitted" / "cal" / "ch01").mkdir(parents=True)  # a broken file: no score, and a row saying so
    (tmp_path / "submitted" / "cal" / "ch01" / "01_tiny.ipynb").write_text('{"cells": [')
    common = ["--course", str(course), "--notebooks", str(notebooks)]
    assert cli.main(common + ["autograde", str(tmp_path / "submitted")]) == 1, "one submission failed"

    rows = {r["question"]: r for r in reports.question_rows(course) if r["student_id"] == "ann"}
    untouched = next(r for r in reports.question_rows(course) if r["student_id"] == "ben" and "written" in r["question"])
    assert (untouched["points"], untouched["status"]) == (0, "not answered")
    assert rows["tiny_double_test"]["points"] == 1 and rows["tiny_double_test"]["status"] == "passed"
    assert rows["tiny_twice_written"]["points"] == 0 and rows["tiny_twice_written"]["max_points"] == 2
    assert rows["tiny_twice_written"]["status"] == "to grade by hand"
    autograded = nbformat.read(course / "autograded" / "ann" / "ch01" / "01_tiny.ipynb", 4)
    assert autograded.cells[3].source == work.cells[3].source, "formgrader shows the student's own answer"

    with reports.gradebook(course) as gb:  # what formgrader's grade handler does when the teacher types a score
        grade = gb.find_grade("tiny_twice_written", "01_tiny", "ch01", "ann")
        assert grade.needs_manual_grade
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        gb.db.commit()

    (tmp_path / "class.csv").write_text('id,name,email\nann,"Grace Hopper, Jr.",grace@example.org\nben,Ben,\n')
    assert cli.main(common + ["students", str(tmp_path / "class.csv")]) == 0
    capsys.readouterr()  # forget what came before
    assert cli.main(common + ["autograde", str(tmp_path / "submitted"), "--student", "ben"]) == 0  # ben again only
    graded_again = capsys.readouterr().out
    assert "ben" in graded_again and "ann" not in graded_again and "cal" not in graded_again
    assert cli.main(common + ["autograde", str(tmp_path / "submitted"), "--student", "dora"]) == 2
    assert "no folder for dora" in capsys.readouterr().err
    assert cli.main(common + ["grades", "--csv", str(tmp_path / "grades.csv")]) == 0
    with open(tmp_path / "grades-questions.csv") as f:
        written = next(r for r in csv.DictReader(f) if r["question"] == "tiny_twice_written" and r["student_id"] == "ann")
    assert (written["student_id"], written["points"], written["max_points"], written["status"]) == \
        ("ann", "1.5", "2.0", "graded by hand")
    with open(tmp_path / "grades.csv") as f:
        totals = {r["student_id"]: r for r in csv.DictReader(f)}
    ann = totals["ann"]
    assert (ann["last_name"], ann["email"], float(ann["score"]), float(ann["max_score"]), ann["status"]) == \
        ("Grace Hopper, Jr.", "grace@example.org", 2.5, 3.0, "graded"), "a comma in a name shifts no column"
    assert (float(totals["ben"]["score"]), totals["ben"]["status"]) == (0.0, "graded"), "nothing done, nothing earned"
    assert (totals["cal"]["score"], totals["cal"]["status"]) == ("", "needs review") and totals["cal"]["note"]
