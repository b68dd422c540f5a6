"""Late submissions: nbgrader's penalty plugin (each started day late costs a fixed fraction of the score), and
extensions granted to one student for one assignment.

A submission's time is the ``timestamp.txt`` in its folder; its due date is
the assignment's (``python -m nndl.teach due``) plus the student's extension,
which ``python -m nndl.teach extend`` records in the course's
``extensions.json`` and ``autograde`` hands to nbgrader's gradebook before
grading that student (nbgrader's ``SubmittedAssignment.extension``).
"""
import json
import math
import warnings
from pathlib import Path

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from nndl.persistence import atomic_write
from nndl.teach.course import TeachError, course_assignments

EXTENSIONS = "extensions.json"  # {"<student>/<chNN>": days}


class LatePenalty(LateSubmissionPlugin):
    """Penalty = score × ``per_day`` × (started days late), at most the score itself."""

    per_day = Float(0.1, help="fraction of the score lost per started day late").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = math.ceil(total_seconds_late / 86400)
        return min(score, score * self.per_day * days)


def extensions(course):
    """``{(student, assignment): days}`` granted in ``course``."""
    path = Path(course) / EXTENSIONS
    if not path.exists():
        return {}
    return {tuple(key.split("/", 1)): days for key, days in json.loads(path.read_text()).items()}


def extend(course, student, assignment, days):
    """Give ``student`` ``days`` more days for ``assignment`` (0 takes the extension back)."""
    if assignment not in course_assignments(course):
        raise TeachError(f"no assignment {assignment}: the assignments are {', '.join(course_assignments(course))}")
    if not days >= 0:
        raise TeachError(f"an extension of {days} days: give a number of days, 0 or more (0 takes it back)")
    granted = {f"{s}/{a}": d for (s, a), d in extensions(course).items()}
    granted.pop(f"{student}/{assignment}", None)
    if days:
        granted[f"{student}/{assignment}"] = days
    with atomic_write(Path(course) / EXTENSIONS) as f:
        f.write(json.dumps(granted, indent=1, sort_keys=True).encode())


def before_grading(course, student, assignment):
    """Put ``student``'s extension for ``assignment`` (or none) into the gradebook; returns the assignment's due
    date (None if it has none)."""
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SAWarning

    from nndl.teach.reports import gradebook
    days = extensions(course).get((student, assignment), 0)
    with gradebook(course) as gb:
        due = gb.find_assignment(assignment).duedate
        if days:
            gb.update_or_create_student(student)
            with warnings.catch_warnings():  # nbgrader's add_submission, as its own autograde calls it: SQLAlchemy
                warnings.simplefilter("ignore", SAWarning)  # warns of an autoflush, and the row is written all the same
                gb.update_or_create_submission(assignment, student)
        try:
            gb.grant_extension(assignment, student, days=days)  # 0 days: no extension
        except MissingEntry:  # never graded, and no extension to take back
            pass
    return due
