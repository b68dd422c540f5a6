"""Grades per question, feedback files, the class list and due dates, from and into the gradebook."""
import csv
import json
import os
import tempfile
from pathlib import Path

import nbformat

from nndl.teach.course import TeachError, course_assignments, nbgrader

QUESTION_COLUMNS = ["student_id", "name", "email", "assignment", "question", "points", "max_points", "status", "note"]
TOTAL_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
                 "late_submission_penalty", "score", "max_score", "status", "note"]  # nbgrader's, status and note added
FAILURES = "autograde-failures.json"  # {"student/assignment": reason} of the submissions not graded


def gradebook(course):
    from nbgrader.api import Gradebook
    course = Path(course).resolve()
    if not (course / "gradebook.db").exists():
        raise TeachError(f"{course} has no gradebook yet: run `python -m nndl.teach autograde` first")
    return Gradebook(f"sqlite:///{course}/gradebook.db", "nndl")


def record_failures(course, outcomes):
    """Remember which submissions the last runs could not grade (and forget those graded since)."""
    path = Path(course) / FAILURES
    failures = json.loads(path.read_text()) if path.exists() else {}
    for outcome in outcomes:
        key = f"{outcome.student}/{outcome.assignment}"
        if outcome.status == "failed":
            failures[key] = outcome.note
        elif outcome.status == "graded":
            failures.pop(key, None)
    write_atomically(path, json.dumps(failures, indent=1, sort_keys=True))


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    path = Path(path)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", newline="") as f:
        f.write(text)
    os.replace(f.name, path)


def cell_errors(course, student, assignment, notebook):
    """``{grade_id: error name}`` of the graded cells that raised, read from the autograded notebook."""
    path = Path(course) / "autograded" / student / assignment / f"{notebook}.ipynb"
    if not path.exists():
        return {}
    cells = nbformat.read(path, as_version=4).cells
    return {c.metadata["nbgrader"]["grade_id"]: next(o.ename for o in c.outputs if o.output_type == "error")
            for c in cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
            and any(o.output_type == "error" for o in c.get("outputs", []))}


def status_of(grade, error):
    """passed / failed (an assertion) / error (any other exception) / needs review; for an answer in
    words, to grade by hand / graded by hand (in nbgrader's formgrader) / not answered."""
    if grade.cell.cell_type == "markdown":  # nbgrader scores an answer cell left as released 0, needing no grading
        if grade.needs_manual_grade:
            return "to grade by hand"
        return "graded by hand" if grade.manual_score is not None else "not answered"
    if grade.needs_manual_grade:
        return "needs review"
    if error is None and grade.score == grade.max_score:
        return "passed"
    return "failed" if error in (None, "AssertionError") else "error"


def _submissions(course, gb):
    """``(assignment, student_id, who, failed, submission)`` for every assignment and every student known to the
    gradebook or to the failures: ``failed`` is the reason a submission could not be graded, ``submission``
    nbgrader's graded submission or None."""
    path = course / FAILURES
    failures = json.loads(path.read_text()) if path.exists() else {}
    known = {student.id: student for student in gb.students}
    ids = sorted(set(known) | {key.split("/")[0] for key in failures})  # some never graded at all
    for assignment in sorted(gb.assignments, key=lambda a: a.name):
        for student_id in ids:
            student = known.get(student_id)
            who = {"student_id": student_id, "email": student and student.email or "",
                   "first_name": student and student.first_name or "", "last_name": student and student.last_name or ""}
            try:
                submission = gb.find_submission(assignment.name, student_id)
            except Exception:  # nbgrader's MissingEntry: nothing graded for this student
                submission = None
            yield assignment, student_id, who, failures.get(f"{student_id}/{assignment.name}"), submission


def question_rows(course):
    """One row per student, assignment and graded question of the gradebook."""
    course = Path(course).resolve()
    rows = []
    with gradebook(course) as gb:
        for assignment, student_id, who, failed, submission in _submissions(course, gb):
            name = " ".join(filter(None, [who["first_name"], who["last_name"]]))
            who = {"student_id": student_id, "name": name, "email": who["email"]}
            for notebook in assignment.notebooks:
                errors = cell_errors(course, student_id, assignment.name, notebook.name) if submission else {}
                for cell in sorted(notebook.grade_cells, key=lambda c: c.name):
                    row = dict(who, assignment=assignment.name, question=cell.name, max_points=cell.max_score)
                    if failed is not None:
                        row.update(points="", status="needs review", note=failed)
                    elif submission is None:
                        row.update(points="", status="not submitted", note="")
                    else:
                        grade = gb.find_grade(cell.name, notebook.name, assignment.name, student_id)
                        row.update(points=grade.score, status=status_of(grade, errors.get(cell.name)), note="")
                    rows.append(row)
    return rows


def total_rows(course):
    """One row per student and assignment: the score after the late penalty, and a status saying how far it holds.

    A submission that could not be graded in the last run has no score (status "needs review", the reason in
    "note"), never an older one; "to grade by hand" means answers in words still wait for their points.
    """
    course = Path(course).resolve()
    rows = []
    with gradebook(course) as gb:
        for assignment, student_id, who, failed, submission in _submissions(course, gb):
            row = dict(who, assignment=assignment.name, duedate=assignment.duedate or "", timestamp="", raw_score="",
                       late_submission_penalty="", score="", max_score=assignment.max_score, note="")
            if failed is not None:
                row.update(status="needs review", note=failed)
            elif submission is None:
                row.update(status="not submitted")
            else:
                penalty = submission.late_submission_penalty or 0.0
                row.update(timestamp=submission.timestamp or "", raw_score=submission.score,
                           late_submission_penalty=penalty, score=max(0.0, submission.score - penalty),
                           status="to grade by hand" if submission.needs_manual_grade else "graded")
            rows.append(row)
    return rows


def export_grades(course, csv_path):
    """Write the totals per student and assignment to ``csv_path`` (``total_rows``) and one row per question
    to ``<csv_path stem>-questions.csv`` (``question_rows``); returns that second path.

    Both come from the same gradebook reads, so they agree; every field is quoted as CSV needs
    ("Hopper, Jr."), which nbgrader's own export does not do.
    """
    course, csv_path = Path(course).resolve(), Path(csv_path).resolve()
    gradebook(course).close()  # a clear error if there is none
    questions = csv_path.with_name(f"{csv_path.stem}-questions.csv")
    for path, columns, rows in ((csv_path, TOTAL_COLUMNS, total_rows(course)),
                                (questions, QUESTION_COLUMNS, question_rows(course))):
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, newline="") as f:
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(rows)
        os.replace(f.name, path)
    return questions


def feedback(course, only=None):
    """nbgrader's HTML feedback, hidden tests removed, into ``course/feedback/<student>/<chNN>/``.

    An assignment whose feedback fails does not stop the others: they are all written, then a
    TeachError names the ones that failed.
    """
    course = Path(course).resolve()
    gradebook(course).close()
    failed = []
    for name in only or sorted({p.name for p in (course / "autograded").glob("*/ch[0-9][0-9]")}):
        if nbgrader(course, "generate_feedback", name, "--force", capture=True).returncode != 0:
            failed.append(name)
    if failed:
        raise TeachError(f"the feedback of {', '.join(failed)} failed, for some students at least (the others' is "
                         f"written): see `nbgrader generate_feedback {failed[0]}` in {course}")
    return course / "feedback"


def import_students(course, csv_path):
    """Add or update the students of a class list in the gradebook: columns id, first_name, last_name, email,
    or id, name, email.  A ``name`` is kept whole (as the last name): no rule splits every name right
    ("Grace Hopper, Jr.", "Mary Ann Smith")."""
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "id" not in rows[0]:
        raise TeachError(f"{csv_path} needs a header line with the columns id, first_name, last_name, email "
                         "(or id, name, email)")
    from nbgrader.api import Gradebook
    course = Path(course).resolve()
    with Gradebook(f"sqlite:///{course}/gradebook.db", "nndl") as gb:
        for row in rows:
            field = lambda name: (row.get(name) or "").strip()  # noqa: E731
            first, last = (field("first_name"), field("last_name")) if "last_name" in row else ("", field("name"))
            gb.update_or_create_student(field("id"), first_name=first, last_name=last, email=field("email") or None)
    return len(rows)


def set_due_date(course, assignment, due):
    """Set an assignment's due date (e.g. "2027-03-01 23:59:00 Europe/Paris") in the gradebook."""
    if assignment not in course_assignments(course):
        raise TeachError(f"no assignment {assignment}: the assignments are {', '.join(course_assignments(course))}")
    nbgrader(Path(course).resolve(), "db", "assignment", "add", assignment, f"--duedate={due}")
