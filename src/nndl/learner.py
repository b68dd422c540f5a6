"""The learner's workspace: their own copies of the notebooks, without the answers.

    python -m nndl.learner setup [--workspace DIR] [--refresh NAME]
    python -m nndl.learner tag NOTEBOOK ...      # for maintainers: tag exercise cells to raise

``python3 course.py setup`` and ``python3 course.py lab`` call ``setup``.  The
repository's ``notebooks/`` hold the reference solutions; the workspace
(``workspace/`` beside them, git-ignored) holds the *learner versions*, made
with the same transformation as ``nbgrader generate_assignment`` (the
teachers' release, ``nndl.teach``): every ``### BEGIN SOLUTION`` ...
``### END SOLUTION`` region becomes ``# YOUR CODE HERE`` /
``raise NotImplementedError()``, and every ``### BEGIN HIDDEN TESTS`` region
is removed.  ``tests/test_learner_release.py`` checks that both give the same
cells.

A learner's work is never overwritten: ``setup`` copies in only notebooks the
workspace does not have yet, and *reports* a copy whose course notebook has
changed since it was made.  ``--refresh NAME`` then renames the old copy to a
backup and writes the new version.  The file ``.course-versions.json`` in the
workspace records, per notebook, a fingerprint of the learner version the
copy was made from.
"""
import argparse
import copy
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

from .persistence import atomic_write

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
WORKSPACE = Path(os.environ.get("NNDL_WORKSPACE") or ROOT / "workspace")  # as in course.py
VERSIONS = ".course-versions.json"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # the stub nndl.teach configures for nbgrader
TEXT_STUB = "YOUR ANSWER HERE"  # nbgrader's stub for a written answer
RAISES = "raises-exception"  # JupyterLab's Run All and nbclient go on after such a cell fails


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_exercise(cell):
    """A cell the learner writes (nbgrader solution cell) or one that grades it (nbgrader grade cell)."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("solution") or meta.get("grade"))


def _replace_regions(source, begin, end, replacement):
    """``source`` with each line ``begin`` ... line ``end`` replaced by ``replacement`` lines, indented alike."""
    lines, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ValueError(f"nested {begin!r} in a cell:\n{source}")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            lines += [indent + stub for stub in replacement]
        elif end in line:
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"{begin!r} without {end!r} in a cell:\n{source}")
    return "\n".join(lines)


def learner_cell(cell):
    """A copy of ``cell`` as the learner gets it: no solution, no hidden test, no output."""
    cell = copy.deepcopy(cell)
    stub = (CODE_STUB if cell.cell_type == "code" else TEXT_STUB).split("\n")
    source = _replace_regions(cell.source, "BEGIN SOLUTION", "END SOLUTION", stub)
    if nbgrader_meta(cell).get("solution") and source == cell.source:
        source = "\n".join(stub)  # a solution cell without a region is all solution
    cell.source = _replace_regions(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", [])
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    return cell


def learner_version(notebook):
    """The learner version of a reference notebook (a ``NotebookNode``; the argument is left unchanged)."""
    version = copy.deepcopy(notebook)
    version.cells = [learner_cell(cell) for cell in notebook.cells]
    return version


def _text(notebook):
    return nbformat.writes(notebook) + "\n"


def fingerprint(notebook):
    return hashlib.sha256(_text(notebook).encode()).hexdigest()[:16]


def write_atomically(path, text):
    """Write ``text`` to ``path`` so that a crash never leaves half a file (``persistence.atomic_write``)."""
    with atomic_write(path) as f:
        f.write(text.encode("utf-8"))


def course_notebooks(notebooks=NOTEBOOKS):
    """``{file name: learner version}`` of every numbered course notebook."""
    return {path.name: learner_version(nbformat.read(path, as_version=4))
            for path in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))}


def _read_versions(workspace):
    path = Path(workspace) / VERSIONS
    return json.loads(path.read_text()) if path.exists() else {}


def _write_versions(workspace, versions):
    write_atomically(Path(workspace) / VERSIONS, json.dumps(versions, indent=1, sort_keys=True) + "\n")


def setup(workspace=WORKSPACE, notebooks=NOTEBOOKS):
    """Fill ``workspace`` with the learner versions it lacks; returns ``{"added", "kept", "changed"}`` name lists.

    "changed" lists the copies whose course notebook changed since they were made: they are left as they are.
    """
    workspace = Path(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    versions = _read_versions(workspace)
    report = {"added": [], "kept": [], "changed": []}
    for name, notebook in course_notebooks(notebooks).items():
        target, current = workspace / name, fingerprint(notebook)
        if not target.exists():
            write_atomically(target, _text(notebook))
            versions[name] = current
            report["added"].append(name)
        elif versions.get(name, current) != current:
            report["changed"].append(name)
        else:
            versions.setdefault(name, current)
            report["kept"].append(name)
    _write_versions(workspace, versions)
    return report


def refresh(name, workspace=WORKSPACE, notebooks=NOTEBOOKS):
    """Replace the workspace copy ``name`` by the course's current learner version.

    The old copy is renamed, never deleted: ``NAME.backup-YYYYmmdd-HHMMSS.ipynb``.
    Returns the new copy's path and the backup's (None when there was no copy).
    """
    workspace, name = Path(workspace), Path(name).name
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    available = course_notebooks(notebooks)
    if name not in available:
        raise ValueError(f"no course notebook {name}: choose one of {', '.join(available)}")
    workspace.mkdir(parents=True, exist_ok=True)
    target = workspace / name
    backup = None
    if target.exists():
        stem, n = f"{target.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}", 1
        backup = target.with_name(f"{stem}.ipynb")
        while backup.exists():  # two refreshes within a second: keep both backups
            n += 1
            backup = target.with_name(f"{stem}-{n}.ipynb")
        target.rename(backup)
    write_atomically(target, _text(available[name]))
    _write_versions(workspace, {**_read_versions(workspace), name: fingerprint(available[name])})
    return target, backup


def describe(report, workspace=WORKSPACE):
    """The set-up report in words, for the terminal."""
    lines = [f"Your workspace: {Path(workspace).resolve()}"]
    if report["added"]:
        lines.append(f"  copied in: {', '.join(report['added'])}")
    if report["kept"]:
        lines.append(f"  kept as you left them: {', '.join(report['kept'])}")
    for name in report["changed"]:
        lines.append(f"  {name} has changed in the course since your copy was made; your copy is kept.\n"
                     f"    To get the new version: python3 course.py setup --refresh {Path(name).stem}"
                     f" (your copy is kept as a backup beside it)")
    return "\n".join(lines)


def tag_exercise_cells(path):
    """Add the ``raises-exception`` tag to every exercise and graded-test cell of a notebook file.

    Unsolved, these cells raise; with the tag, Run All carries on to the end.  Returns how many cells
    gained the tag (0 when the file is already tagged, and then it is not rewritten).
    """
    notebook = nbformat.read(path, as_version=4)
    added = 0
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        if is_exercise(cell) and RAISES not in tags:
            tags.append(RAISES)
            added += 1
        if not tags:
            del cell.metadata["tags"]
    if added:
        write_atomically(path, _text(notebook))
    return added


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nndl.learner", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    setup_parser = commands.add_parser("setup", help="create or update the learner's workspace")
    setup_parser.add_argument("--workspace", default=str(WORKSPACE), help=f"default: {WORKSPACE}")
    setup_parser.add_argument("--refresh", metavar="NAME", action="append", default=[],
                              help="replace your copy of NAME by the course's new version (the old one is kept)")
    tag = commands.add_parser("tag", help="tag the exercise and graded-test cells raises-exception")
    tag.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "tag":
        for path in args.notebooks:
            print(f"{path}: {tag_exercise_cells(path)} cells tagged {RAISES}")
        return 0
    try:
        for name in args.refresh:
            target, backup = refresh(name, args.workspace)
            kept = f"; your old copy is now {backup.name}" if backup else ""
            print(f"{target}: the course's current version{kept}")
    except ValueError as e:
        print(f"python -m nndl.learner: error: {e}", file=sys.stderr)
        return 2
    print(describe(setup(args.workspace), args.workspace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
