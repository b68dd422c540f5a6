"""Submissions from a learning platform's download, with nbgrader's ``zip_collect``.

The archive goes to ``course/downloaded/<chNN>/archive/``; ``zip_collect``
extracts it and files each notebook under ``course/submitted/<student>/<chNN>/``,
the student and file named by a regular expression over each extracted path.
"""
import shutil
from pathlib import Path

from nndl.teach.course import TeachError, course_assignments, nbgrader

PATTERNS = {
    # Canvas: <name>_<user id>_<submission id>_<file>, with LATE_ before the id when late
    "canvas": r".*/[^/_]+_(LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+\.ipynb)$",
    # Moodle: a folder <Full Name>_<participant id>_assignsubmission_file_ per student
    "moodle": r".*/[^/]*_(?P<student_id>\d+)_assignsubmission_file_/(?P<file_id>[^/]+\.ipynb)$",
}


def collect_archive(course, assignment, archive, pattern):
    """File the notebooks of ``archive`` into ``course/submitted/``; ``pattern`` is a regex or a PATTERNS key."""
    course, archive = Path(course).resolve(), Path(archive).resolve()
    if assignment not in course_assignments(course):
        raise TeachError(f"no assignment {assignment} in {course}: run `python -m nndl.teach release` first")
    if not archive.is_file():
        raise TeachError(f"no archive {archive}")
    folder = course / "downloaded" / assignment / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(archive, folder / archive.name)
    nbgrader(course, "zip_collect", assignment, "--force",
             f"--FileNameCollectorPlugin.named_regexp={PATTERNS.get(pattern, pattern)}")
    return course / "submitted"
