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
is removed.  ``tests/test_teach.py`` checks that both give the same
cells.

A learner's work is never overwritten: ``setup`` copies in only notebooks the
workspace does not have yet, and *reports* a copy whose course notebook has
changed since it was made.  ``--refresh NAME`` then renames the old copy to a
backup and writes the new version.  Each copy carries in its notebook metadata
(``nndl.course_version``) a fingerprint of the learner version it was made
from.  JupyterLab keeps that stamp when the learner saves, so the file itself
says where its content came from, even after JupyterLab has saved an old copy
back over a refreshed one.  Copies made before the stamp existed have their
fingerprint in the workspace file ``.course-versions.json`` instead.  ``~`` in
a workspace path means the home folder, as in a shell.
"""
import argparse
import copy
import errno
import hashlib
import json
import os
import re
import stat
import sys
import time
from pathlib import Path

import nbformat

from . import messages
from .persistence import atomic_write, writable_path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
WORKSPACE = Path(os.environ.get("NNDL_WORKSPACE") or ROOT / "workspace").expanduser()  # as in course.py
VERSIONS = ".course-versions.json"  # the fingerprints of copies made before copies were stamped
STAMP = "nndl"  # the notebook metadata key of a copy's stamp: {"course_version": fingerprint}
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # the stub nndl.teach configures for nbgrader
# The stub nndl.teach sets for a written answer.  (JupyterLab's double-click shows the editor without focusing it.)
TEXT_STUB = "*Your answer:* (to write here: double-click this cell, then click into the text; or select it, press Enter)"
RAISES = "raises-exception"  # JupyterLab's Run All and nbclient go on after such a cell fails
ELSEWHERE = "NNDL_WORKSPACE=DIR python3 course.py setup"  # how to choose another workspace folder


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
    """A copy of ``cell`` as the learner gets it: no solution, no hidden test, no output, the graded tests folded."""
    cell = copy.deepcopy(cell)
    stub = (CODE_STUB if cell.cell_type == "code" else TEXT_STUB).split("\n")
    source = _replace_regions(cell.source, "BEGIN SOLUTION", "END SOLUTION", stub)
    if nbgrader_meta(cell).get("solution") and source == cell.source:
        source = "\n".join(stub)  # a solution cell without a region is all solution
    cell.source = _replace_regions(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", [])
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    if is_graded_test(cell):  # the teacher's test: the check cell above it already tells the learner what is wrong
        cell.metadata["jupyter"] = {"source_hidden": True}  # folded; a click opens it
    return cell


def is_graded_test(cell):
    """A locked cell whose assertions nbgrader grades (not one the learner writes)."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def learner_version(notebook):
    """The learner version of a reference notebook (a ``NotebookNode``; the argument is left unchanged)."""
    version = copy.deepcopy(notebook)
    version.cells = [learner_cell(cell) for cell in notebook.cells]
    return version


def _text(notebook):
    return nbformat.writes(notebook) + "\n"


def fingerprint(notebook):
    return hashlib.sha256(_text(notebook).encode()).hexdigest()[:16]


def _copy_text(notebook):
    """The text of the learner's copy of the learner version ``notebook``: the version, stamped with its fingerprint."""
    stamped = copy.deepcopy(notebook)
    stamped.metadata[STAMP] = {"course_version": fingerprint(notebook)}
    return _text(stamped)


def _stamp(text):
    """The fingerprint stamped in the text of a workspace copy, or None (made before stamps, or not a notebook)."""
    try:
        return json.loads(text)["metadata"][STAMP]["course_version"]
    except (ValueError, KeyError, TypeError):
        return None


def read_text(path, errors="strict"):
    """The text of the file ``path`` (UTF-8); a ValueError saying what it is if it is not a regular file.

    A folder, a named pipe, a device or a socket is refused before it is opened:
    reading a named pipe would wait forever for a writer, and a device may never end.
    """
    mode = os.stat(path).st_mode  # a missing file: FileNotFoundError, naming it
    if not stat.S_ISREG(mode):
        raise ValueError(f"it is {messages.kind_of_file(mode)}, not a file")
    return Path(path).read_text(encoding="utf-8", errors=errors)


def read_notebook(path):
    """The notebook in the file ``path`` in nbformat 4, and the nbformat version the file has.

    A notebook in nbformat 3 is converted in memory.  Anything else raises a
    ValueError saying what is wrong with it: not a file (``read_text``), not
    JSON, JSON that is not a notebook (``[]``, ``{}``), or a notebook that does
    not follow its format's schema (a JupyterLab notebook always does).
    """
    text = read_text(path)
    try:
        content = json.loads(text)
    except ValueError as e:
        raise ValueError(f"it is not JSON: {e}") from None
    version = content.get("nbformat") if isinstance(content, dict) else None
    if not isinstance(version, int):
        raise ValueError("it is not a notebook: it has no nbformat version")
    minor = content.get("nbformat_minor", 0)
    if version not in (3, 4) or not isinstance(minor, int):
        raise ValueError(f"its nbformat version is {version}.{minor!r}; nndl reads nbformat 4 and 3")
    problem = next(nbformat.validator.iter_validate(content), None)  # the schema's first complaint, if any
    if problem:
        raise ValueError(f"it is not a valid notebook: {problem.message}")
    return nbformat.convert(nbformat.reads(text, as_version=nbformat.NO_CONVERT), 4), version


def write_atomically(path, text):
    """Write ``text`` to ``path`` so that a crash never leaves half a file (``persistence.atomic_write``).

    If writing fails (a full disk), the old file is untouched and the ``OSError`` names ``path``.
    """
    try:
        with atomic_write(path) as f:
            f.write(text.encode("utf-8"))
    except OSError as e:
        if e.strerror and e.filename is None:  # the system's "No space left on device" names no file
            e.filename = str(path)
        raise


def _backup_path(path):
    """A free name beside ``path`` to keep it under: ``STEM.backup-YYYYmmdd-HHMMSS[-N]SUFFIX``."""
    stem, n = f"{path.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}", 1
    backup = path.with_name(f"{stem}{path.suffix}")
    while backup.exists():  # two within a second: keep both
        n += 1
        backup = path.with_name(f"{stem}-{n}{path.suffix}")
    return backup


def workspace_folder(workspace):
    """``workspace`` as a ``Path`` (``~`` expanded), created if need be; an OSError saying what to do if it can't be."""
    workspace = Path(workspace).expanduser()
    if workspace.exists() and not workspace.is_dir():
        raise NotADirectoryError(f"the workspace {workspace} is a file, not a folder: move that file away, "
                                 f"or choose another folder: {ELSEWHERE}")
    try:
        workspace.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(f"cannot create the workspace folder {workspace} ({e.strerror}): choose another folder: "
                      f"{ELSEWHERE}") from None
    return workspace


def write_in_workspace(path, text):
    """``write_atomically`` for a file of the workspace: an OSError that says how to fix it if it fails."""
    try:
        write_atomically(path, text)
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            how = f": free some space on that disk, or choose another folder: {ELSEWHERE}"
        elif e.errno:
            how = f": choose another folder: {ELSEWHERE}"
        else:  # the message of ``writable_path``, which already says to choose another folder
            how = f" ({ELSEWHERE})"
        raise OSError(messages.describe(e) + how) from None


def course_notebooks(notebooks=NOTEBOOKS):
    """``{file name: learner version}`` of every numbered course notebook."""
    return {path.name: learner_version(nbformat.read(path, as_version=4))
            for path in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))}


def _load_versions(path):
    """The record at ``path``, ``{notebook name: fingerprint}``; a ValueError saying why if it is anything else."""
    text = read_text(path)  # a folder or a named pipe: a ValueError
    try:
        versions = json.loads(text)
    except ValueError as e:
        raise ValueError(f"it is not JSON: {e}") from None
    if not (isinstance(versions, dict) and all(isinstance(v, str) for v in versions.values())):
        raise ValueError("it does not map notebook names to fingerprints")
    return versions


def _read_versions(path):
    """``(record, note)``: the record at ``path`` and None, or, if it is damaged, {} and what became of it.

    A damaged record (cut short, not a mapping, a folder, a named pipe) is kept under a backup
    name, never deleted; if it cannot be renamed (a read-only workspace), it is left where it is.
    """
    if not path.exists():
        return {}, None
    try:
        return _load_versions(path), None
    except ValueError as e:
        damaged = f"{VERSIONS} could not be read ({e})"
    backup = _backup_path(path)
    try:
        path.rename(backup)
    except OSError as e:
        return {}, (f"{damaged} and could not be set aside ({e.strerror}), so it is left as it is; "
                    f"setup sets it aside once the workspace folder accepts changes")
    return {}, f"{damaged}; it is kept as {backup.name}"


def setup(workspace=WORKSPACE, notebooks=NOTEBOOKS):
    """Fill ``workspace`` with the learner versions it lacks; returns the report ``describe`` puts in words.

    The name lists "added", "kept" and "changed" (copies whose course notebook changed since they were made),
    and "unknown": copies that do not say which course version they came from (no stamp, no record);
    "changed" and "unknown" copies are left as they are.  "record" notes a damaged record (or is None).
    A copy without a stamp that is still exactly the learner version, as copies were once written, is current.
    """
    workspace = workspace_folder(workspace)
    record = workspace / VERSIONS
    versions, note = _read_versions(record)
    recorded = dict(versions)
    report = {"added": [], "kept": [], "changed": [], "unknown": [], "record": note}
    for name, notebook in course_notebooks(notebooks).items():
        target, current = workspace / name, fingerprint(notebook)
        if not target.exists():
            write_in_workspace(target, _copy_text(notebook))
            report["added"].append(name)
            continue
        try:
            text = read_text(target, errors="replace")
        except ValueError as e:
            raise ValueError(f"{target}: {e}: move it away, and setup copies the notebook in") from None
        made_from = _stamp(text) or versions.get(name)
        if made_from is None and text == _text(notebook):
            made_from = versions[name] = current
        report["unknown" if made_from is None else "kept" if made_from == current else "changed"].append(name)
    if versions != recorded and not (note and record.exists()):  # never write over a damaged record left in place
        write_in_workspace(record, json.dumps(versions, indent=1, sort_keys=True) + "\n")
        report["record"] = note and f"{note}; a new one was made from your copies"
    return report


def refresh(name, workspace=WORKSPACE, notebooks=NOTEBOOKS):
    """Replace the workspace copy ``name`` by the course's current learner version.

    The old copy is renamed, never deleted: ``NAME.backup-YYYYmmdd-HHMMSS.ipynb``; if the new
    version cannot be written (a full disk), it gets its own name back.  The record is left as it
    is: the new copy's stamp says its version.  Returns the new copy's path and the backup's (None
    when there was no copy).
    """
    name = Path(name).name
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    available = course_notebooks(notebooks)
    if name not in available:
        raise ValueError(f"no course notebook {name}: choose one of {', '.join(available)}")
    target = workspace_folder(workspace) / name
    writable_path(target)  # a read-only workspace: fail before renaming anything
    backup = _backup_path(target) if target.exists() else None
    if backup:
        target.rename(backup)
    try:
        write_in_workspace(target, _copy_text(available[name]))
    except OSError as e:
        if backup:
            backup.rename(target)  # never leave the learner without the notebook under its own name
        kept = "; your copy is as it was" if backup else ""
        raise OSError(f"could not write the new version of {name} ({messages.describe(e)}){kept}") from None
    return target, backup


def describe(report, workspace=WORKSPACE):
    """The set-up report in words, for the terminal."""
    lines = [f"Your workspace: {Path(workspace).expanduser().resolve()}"]
    if report["record"]:
        lines.append(f"  {report['record']}")
    if report["added"]:
        lines.append(f"  copied in: {', '.join(report['added'])}")
    if report["kept"]:
        lines.append(f"  kept as you left them: {', '.join(report['kept'])}")
    for name in report["changed"]:
        lines.append(f"  {name} has changed in the course since your copy was made; your copy is kept.\n"
                     f"    To get the new version: python3 course.py setup --refresh {Path(name).stem}"
                     f" (your copy is kept as a backup beside it)")
    for name in report["unknown"]:
        lines.append(f"  {name}: it is not known which course version your copy was made from; your copy is kept.\n"
                     f"    To be sure to have the current version: python3 course.py setup --refresh {Path(name).stem}"
                     f" (your copy is kept as a backup beside it)")
    return "\n".join(lines)


def tag_exercise_cells(path):
    """Add the ``raises-exception`` tag to every exercise and graded-test cell of a notebook file.

    Unsolved, these cells raise; with the tag, Run All carries on to the end.  Returns how many cells
    gained the tag (0 when the file is already tagged, and then it is not rewritten).
    """
    notebook, _ = read_notebook(path)
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


def tag_notebooks(paths):
    """``tag_exercise_cells`` for each file of ``paths``, saying what it did; returns the exit status.

    A file that cannot be tagged is reported in one line (and the status is 2); the others are tagged.
    """
    status = 0
    for path in paths:
        try:
            print(f"{path}: {tag_exercise_cells(path)} cells tagged {RAISES}")
            continue
        except ValueError as e:
            problem = f"{path}: {e}; give the path of a notebook"
        except OSError as e:
            problem = messages.describe(e)
        print(f"python -m nndl.learner tag: error: {problem}", file=sys.stderr)
        status = 2
    return status


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
        return tag_notebooks(args.notebooks)
    try:
        for name in args.refresh:
            target, backup = refresh(name, args.workspace)
            kept = f"; your old copy is now {backup.name}" if backup else ""
            print(f"{target}: the course's current version{kept}")
        print(describe(setup(args.workspace), args.workspace))
    except (ValueError, OSError) as e:
        print(f"python -m nndl.learner: error: {messages.describe(e)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
