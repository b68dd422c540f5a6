"""Classroom tools: student versions and autograding with nbgrader (``pip install -e .[teach]``).

    python -m nndl.teach points                       # points per notebook
    python -m nndl.teach release [--course DIR]       # student versions in DIR/release/<chNN>/
    python -m nndl.teach autograde SUBMITTED [--course DIR]
    python -m nndl.teach grades --csv grades.csv [--course DIR]

Each chapter notebook is one nbgrader assignment, ``ch01`` ... ``ch06``.
``release`` sets up an nbgrader course folder (default ``nndl-course`` in the
current folder, never inside the repository's notebooks): the sources in
``source/<chNN>/``, an ``nbgrader_config.py``, the gradebook database; then
runs ``nbgrader generate_assignment``, which replaces every ``### BEGIN
SOLUTION`` ... ``### END SOLUTION`` region with ``raise
NotImplementedError()`` and removes hidden tests.  ``autograde`` takes a
folder in nbgrader's layout, ``SUBMITTED/<student>/<chNN>/<notebook>.ipynb``,
runs ``nbgrader autograde`` (which restores the locked test cells from the
gradebook before running them), and ``grades`` exports every score as CSV.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CONFIG = '''c = get_config()
c.CourseDirectory.course_id = "nndl"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.ExecutePreprocessor.timeout = 900  # notebook 05 trains networks on all of MNIST
'''


class TeachError(Exception):
    """A problem the teacher can fix; the message says how."""


def chapters(notebooks=NOTEBOOKS):
    """``{assignment: notebook path}`` for the chapter notebooks that carry graded cells."""
    found = {}
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        if points(path):
            found[f"ch{path.name[:2]}"] = path
    return found


def points(path):
    """``{grade_id: points}`` of the graded cells of a notebook, from their nbgrader metadata."""
    cells = json.loads(Path(path).read_text())["cells"]
    graded = (c["metadata"]["nbgrader"] for c in cells if c["metadata"].get("nbgrader", {}).get("grade"))
    return {meta["grade_id"]: meta["points"] for meta in graded}


def nbgrader(course, *args):
    """Run an nbgrader command in the course folder; its output goes to the terminal."""
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        raise TeachError("nbgrader is not installed: pip install -e .[teach]") from None
    # nbgrader runs the `alembic` command of its environment: put that environment's scripts on PATH
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=course, env=env)
    if result.returncode != 0:
        raise TeachError(f"`nbgrader {' '.join(args)}` failed (exit status {result.returncode}); see its messages above")


def setup_course(course, notebooks=NOTEBOOKS):
    """Create or refresh the course folder: the config and the sources of every chapter."""
    course = Path(course).resolve()
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course)))
    assignments = chapters(notebooks)
    for name, path in assignments.items():
        source = course / "source" / name
        source.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, source / path.name)
    return course, assignments


def release(course, notebooks=NOTEBOOKS, only=None):
    """Generate the student versions into ``course/release/<chNN>/``; returns that folder."""
    course, assignments = setup_course(course, notebooks)
    for name in only or assignments:
        if name not in assignments:
            raise TeachError(f"no assignment {name}: the assignments are {', '.join(assignments)}")
        nbgrader(course, "generate_assignment", name, "--force")
    return course / "release"


def autograde(course, submitted, notebooks=NOTEBOOKS):
    """Autograde every submission in ``submitted`` (nbgrader's layout); returns the assignments graded."""
    course, assignments = setup_course(course, notebooks)
    submitted = Path(submitted).resolve()
    if not submitted.is_dir():
        raise TeachError(f"no folder {submitted}: collect the submissions as SUBMITTED/<student>/<chNN>/<notebook>.ipynb")
    target = course / "submitted"
    if submitted != target:
        shutil.copytree(submitted, target, dirs_exist_ok=True)
    graded = sorted({p.parent.name for p in target.glob("*/*/*.ipynb")})
    unknown = set(graded) - set(assignments)
    if unknown:
        raise TeachError(f"submissions for unknown assignments {sorted(unknown)}: use {', '.join(assignments)}")
    if not graded:
        raise TeachError(f"{submitted} holds no notebooks in the layout <student>/<chNN>/<notebook>.ipynb")
    for name in graded:
        if not (course / "release" / name).is_dir():
            nbgrader(course, "generate_assignment", name, "--force")  # registers its tests in the gradebook
        nbgrader(course, "autograde", name, "--force")
    return graded


def export_grades(course, csv_path):
    """Write every student's score per assignment to ``csv_path`` (nbgrader's CSV export)."""
    course = Path(course).resolve()
    if not (course / "gradebook.db").exists():
        raise TeachError(f"{course} has no gradebook yet: run `python -m nndl.teach autograde` first")
    nbgrader(course, "export", f"--to={Path(csv_path).resolve()}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nndl.teach", description=__doc__.splitlines()[0])
    parser.add_argument("--course", default="nndl-course", help="the nbgrader course folder (default: nndl-course)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("points", help="points per notebook")
    rel = commands.add_parser("release", help="generate the student versions")
    rel.add_argument("assignments", nargs="*", help="e.g. ch01 ch02 (default: all)")
    grade = commands.add_parser("autograde", help="autograde a folder of submissions")
    grade.add_argument("submitted", help="SUBMITTED/<student>/<chNN>/<notebook>.ipynb")
    export = commands.add_parser("grades", help="export the grades as CSV")
    export.add_argument("--csv", required=True, help="the CSV file to write")
    args = parser.parse_args(argv)
    try:
        if args.command == "points":
            for name, path in chapters().items():
                print(f"{name}  {path.name:<32} {sum(points(path).values()):3d} points")
        elif args.command == "release":
            folder = release(args.course, only=args.assignments)
            print(f"Student versions written to {folder}")
        elif args.command == "autograde":
            graded = autograde(args.course, args.submitted)
            print(f"Autograded {', '.join(graded)}; export with: python -m nndl.teach grades --csv grades.csv")
        else:
            export_grades(args.course, args.csv)
            print(f"Grades written to {args.csv}")
    except TeachError as e:
        print(f"python -m nndl.teach: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
