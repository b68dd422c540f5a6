"""The nbgrader course folder: created once from the chapter notebooks, the teacher's from then on.

``nndl-course/`` holds ``nbgrader_config.py``, ``source/<chNN>/`` (the
notebooks with solutions and hidden tests), ``release/`` (the student
versions), ``submitted/``, ``autograded/``, ``feedback/`` and the gradebook
``gradebook.db``.  The config and the sources are written only when missing,
so a teacher's changes to points, text or tests survive every later command;
``update_sources`` copies the course's newer notebooks over them, keeping a
backup.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

NOTEBOOKS = Path(os.environ.get("NNDL_NOTEBOOKS", Path(__file__).resolve().parents[3] / "notebooks"))
"""The chapter notebooks with their solutions: the repository's ``notebooks/`` (or $NNDL_NOTEBOOKS)."""

CONFIG = '''c = get_config()
c.CourseDirectory.course_id = "nndl"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}

# What nndl.teach needs: the sandboxed grading kernel, each cell's time limit, feedback
# without the hidden tests.  Change a time limit (seconds) here, e.g. settings.TIMEOUTS["training"] = 1200
from nndl.teach import settings
settings.configure(c)

# Late submissions: set due dates with `python -m nndl.teach due ch01 "2027-03-01 23:59:00 Europe/Paris"`;
# a submission's time is the `timestamp.txt` in its folder.  Each started day late costs this
# fraction of the score (0 to grade late work in full, 1 to give it zero).
c.AssignLatePenalties.plugin_class = "nndl.teach.late.LatePenalty"
c.LatePenalty.per_day = 0.1
'''


class TeachError(Exception):
    """A problem the teacher can fix; the message says how."""


def points(path):
    """``{grade_id: points}`` of the graded cells of a notebook, from their nbgrader metadata."""
    cells = json.loads(Path(path).read_text())["cells"]
    graded = (c["metadata"]["nbgrader"] for c in cells if c["metadata"].get("nbgrader", {}).get("grade"))
    return {meta["grade_id"]: meta["points"] for meta in graded}


def graded_by_hand(path):
    """The grade_ids of a notebook's answers in words: Markdown cells the teacher grades in formgrader."""
    cells = json.loads(Path(path).read_text())["cells"]
    return {c["metadata"]["nbgrader"]["grade_id"] for c in cells
            if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade")}


def chapters(notebooks=NOTEBOOKS):
    """``{assignment: notebook path}`` for the chapter notebooks that carry graded cells."""
    notebooks = Path(notebooks)
    if not notebooks.is_dir():
        raise TeachError(f"the course notebooks are not at {notebooks}: pass --notebooks DIR (the "
                         "repository's notebooks/ folder) or set NNDL_NOTEBOOKS")
    found = {}
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        if points(path):
            found[f"ch{path.name[:2]}"] = path
    return found


def course_assignments(course):
    """``{assignment: source notebook}`` of a course folder (its own, possibly edited, sources)."""
    return {folder.name: path for folder in sorted((Path(course) / "source").glob("ch[0-9][0-9]"))
            for path in folder.glob("*.ipynb")}


def setup_course(course, notebooks=NOTEBOOKS):
    """Create the course folder once: its config and the sources of every chapter.

    An existing config or source is left as it is (the teacher may have edited it).
    A new course folder is the teacher's alone (mode 700): it holds the
    solutions, the gradebook and every student's work.
    Returns the course's absolute path and its ``{assignment: source notebook}``.
    """
    course = Path(course).resolve()
    if not course.exists():
        course.mkdir(parents=True)
        course.chmod(0o700)
    config = course / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG.format(root=str(course)))
    if not course_assignments(course):
        for name, path in chapters(notebooks).items():
            (course / "source" / name).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, course / "source" / name / path.name)
    return course, course_assignments(course)


def update_sources(course, notebooks=NOTEBOOKS):
    """Copy the course's current notebooks over ``source/``, the old ones kept in ``source-backup-<time>/``."""
    course = Path(course).resolve()
    backup = None
    if (course / "source").exists():
        backup = course / f"source-backup-{time.strftime('%Y%m%d-%H%M%S')}"
        shutil.copytree(course / "source", backup)
    for name, path in chapters(notebooks).items():
        (course / "source" / name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, course / "source" / name / path.name)
    return backup


def nbgrader(course, *args, capture=False, env=None, timeout=None, watch=None):
    """Run an nbgrader command in the course folder; returns the finished process.

    With ``capture`` its output is returned rather than shown; without, a failure raises TeachError.
    ``watch``, if given, is asked every second while it runs: the reason to stop it (raised as ``Stopped``) or None.
    """
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        raise TeachError("nbgrader is not installed: pip install 'nndl[teach]'") from None
    # nbgrader runs the `alembic` command of its environment: put that environment's scripts on PATH
    env = dict(os.environ if env is None else env)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("PYTHONWARNINGS", "ignore")  # SQLAlchemy's deprecation warnings, ~30 a run
    command = [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"]
    if watch:
        result = watched(command, course, env, timeout, watch)
    else:
        result = subprocess.run(command, cwd=course, env=env, capture_output=capture, text=True, timeout=timeout)
    if result.returncode != 0 and not capture:
        raise TeachError(f"`nbgrader {' '.join(args)}` failed (exit status {result.returncode}); see its messages above")
    return result


class Stopped(Exception):
    """A command stopped by its watch; the message says why."""


def watched(command, cwd, env, timeout, watch):
    """``subprocess.run(command, capture_output=True, timeout=timeout)``, stopped as soon as ``watch()`` says why."""
    deadline = time.monotonic() + timeout
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        while True:
            try:
                out, err = run.communicate(timeout=1)
                return subprocess.CompletedProcess(command, run.returncode, out, err)
            except subprocess.TimeoutExpired:
                reason = watch()
                if reason or time.monotonic() > deadline:
                    run.kill()
                    out, err = run.communicate()
                    if reason:
                        raise Stopped(reason) from None
                    raise subprocess.TimeoutExpired(command, timeout, out, err) from None


def release(course, notebooks=NOTEBOOKS, only=None):
    """Generate the student versions into ``course/release/<chNN>/``; returns that folder."""
    course, assignments = setup_course(course, notebooks)
    for name in only or assignments:
        if name not in assignments:
            raise TeachError(f"no assignment {name}: the assignments are {', '.join(assignments)}")
        nbgrader(course, "generate_assignment", name, "--force")
    return course / "release"
