"""The learner's tools under ordinary trouble (issue 22, items 4-8, 18, 19): damaged records, full disks,
``~`` in paths, odd notebooks, consoles without ✓, and notebook code with side effects."""
import contextlib
import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import psutil
import pytest

from nndl import cli, learner, progress
from test_cli import assert_one_line_error
from test_learner import COURSE, ROOT, course_copy, load_course_script

A, B, C = (path.name for path in COURSE[:3])  # the notebooks of course_copy


def learner_version(notebooks, name):
    return learner.course_notebooks(notebooks)[name]


def edit(path, source="my_answer = 42"):
    """What a learner does in JupyterLab: add a cell and save (the notebook's metadata is kept)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)


def change_the_course(notebooks, name):
    course = nbformat.read(notebooks / name, as_version=4)
    course.cells.append(nbformat.v4.new_markdown_cell("A new section."))
    nbformat.write(course, notebooks / name)


def one_line(err):
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def run(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, cwd=cwd,
                          env=dict(os.environ, **(env or {})))


# ----- item 4: a damaged .course-versions.json --------------------------------------------------------
@pytest.mark.parametrize("damage", ["cut short", "a list", "a folder"])
def test_a_damaged_record_is_kept_aside_and_rebuilt_and_setup_goes_on(tmp_path, damage):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    learner.setup(workspace, notebooks)
    # B and C as an older nndl made them: no stamp in the file, the fingerprint in the record; C edited since
    for name in (B, C):
        (workspace / name).write_text(learner._text(learner_version(notebooks, name)))
    edit(workspace / C)
    record = workspace / learner.VERSIONS
    fingerprints = {name: learner.fingerprint(learner_version(notebooks, name)) for name in (B, C)}
    if damage == "a folder":
        record.mkdir()
    else:
        cut_short, a_list = json.dumps(fingerprints)[:20], json.dumps([*fingerprints.values()])
        record.write_text(cut_short if damage == "cut short" else a_list)
    damaged = None if damage == "a folder" else record.read_bytes()

    report = learner.setup(workspace, notebooks)
    kept_as = workspace / report["record"].split("it is kept as ")[1].split(";")[0]
    assert kept_as.name.startswith(".course-versions.backup-") and kept_as.suffix == ".json"
    assert kept_as.is_dir() if damaged is None else kept_as.read_bytes() == damaged, "the damaged record is kept"
    assert report["kept"] == [A, B] and report["unknown"] == [C] and report["changed"] == []
    assert json.loads(record.read_text()) == {B: fingerprints[B]}, "rebuilt: what the copies themselves tell"
    assert report["record"].endswith("; a new one was made from your copies")
    message = learner.describe(report, workspace)
    assert f"{learner.VERSIONS} could not be read" in message
    assert f"{C}: it is not known which course version your copy was made from" in message
    assert f"setup --refresh {Path(C).stem}" in message

    edit(workspace / B)  # now B no longer tells by itself; the rebuilt record does
    again = learner.setup(workspace, notebooks)
    assert again["record"] is None and again["kept"] == [A, B] and again["unknown"] == [C]


def test_course_py_setup_and_lab_go_on_past_a_damaged_record(tmp_path, monkeypatch):
    workspace = tmp_path / "workspace"
    assert learner.main(["setup", "--workspace", str(workspace)]) == 0
    (workspace / learner.VERSIONS).write_text('{"01_perceptrons.ipynb": "3f')
    result = run(str(ROOT / "course.py"), "setup", env={"NNDL_WORKSPACE": str(workspace)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{learner.VERSIONS} could not be read" in result.stdout

    (workspace / learner.VERSIONS).write_text("[]")
    course = load_course_script()
    monkeypatch.setattr(course, "WORKSPACE", workspace)
    call, opened = subprocess.call, []
    monkeypatch.setattr(course.subprocess, "call",  # the set-up runs for real; JupyterLab is only noted
                        lambda command, **kwargs: (opened.append(command) or 0) if "jupyter" in command[0]
                        else call(command, **kwargs))
    assert course.lab([]) == 0
    assert opened == [[str(course.BIN / "jupyter"), "lab", "--notebook-dir", str(workspace)]]


# ----- item 5: ordinary file problems -----------------------------------------------------------------
def test_a_file_where_the_workspace_should_be(tmp_path):
    where = tmp_path / "workspace"
    where.write_text("my notes")
    for command in (["-m", "nndl.learner", "setup", "--workspace", str(where)], [str(ROOT / "course.py"), "setup"]):
        result = run(*command, env={"NNDL_WORKSPACE": str(where)})
        assert_one_line_error(result, f"the workspace {where} is a file, not a folder: move that file away")
    assert where.read_text() == "my notes"
    inside = run("-m", "nndl.learner", "setup", "--workspace", str(where / "inside"))
    assert_one_line_error(inside, f"cannot create the workspace folder {where / 'inside'} (Not a directory)")


@pytest.fixture
def read_only(monkeypatch):
    """Make a folder refuse new files, as a read-only file system does (root ignores permissions)."""
    mkstemp, folders = tempfile.mkstemp, []

    def refusing(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) in folders:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refusing)
    return folders.append


def test_a_read_only_workspace(tmp_path, read_only, capsys):
    workspace = tmp_path / "workspace"
    assert learner.main(["setup", "--workspace", str(workspace)]) == 0
    mine = workspace / "01_perceptrons.ipynb"
    edit(mine)
    edited, before = mine.read_bytes(), sorted(p.name for p in workspace.iterdir())
    read_only(workspace)
    capsys.readouterr()
    assert learner.main(["setup", "--workspace", str(workspace)]) == 0, "nothing to write: setup only reports"
    assert "kept as you left them" in capsys.readouterr().out

    assert learner.main(["setup", "--workspace", str(workspace), "--refresh", "01_perceptrons"]) == 2
    refused = "the folder {} does not accept new files (Read-only file system); choose another folder"
    assert refused.format(workspace) in one_line(capsys.readouterr().err)
    assert mine.read_bytes() == edited and sorted(p.name for p in workspace.iterdir()) == before, "no backup made"
    (workspace / "02_sigmoid_neurons.ipynb").unlink()
    assert learner.main(["setup", "--workspace", str(workspace)]) == 2
    assert refused.format(workspace) + " (NNDL_WORKSPACE=DIR python3 course.py setup)" in \
        one_line(capsys.readouterr().err)


def no_space(data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@contextlib.contextmanager
def full_disk(path):
    yield SimpleNamespace(write=no_space)


MAKE_ROOM = "free some space on that disk, or choose another folder: NNDL_WORKSPACE=DIR python3 course.py setup"


def test_a_full_disk_during_refresh_puts_the_copy_back(tmp_path, monkeypatch, capsys):
    workspace = tmp_path / "workspace"
    learner.setup(workspace)
    mine = workspace / "01_perceptrons.ipynb"
    edit(mine)
    edited = mine.read_bytes()
    before = sorted(p.name for p in workspace.iterdir())
    monkeypatch.setattr(learner, "atomic_write", full_disk)
    assert learner.main(["setup", "--workspace", str(workspace), "--refresh", "01_perceptrons"]) == 2
    err = one_line(capsys.readouterr().err)
    assert f"could not write the new version of 01_perceptrons.ipynb ({mine}: No space left on device: {MAKE_ROOM}); " \
           f"your copy is as it was" in err
    assert mine.read_bytes() == edited and sorted(p.name for p in workspace.iterdir()) == before

    (workspace / "02_sigmoid_neurons.ipynb").unlink()
    assert learner.main(["setup", "--workspace", str(workspace)]) == 2
    assert f"{workspace / '02_sigmoid_neurons.ipynb'}: No space left on device: {MAKE_ROOM}" in \
        one_line(capsys.readouterr().err)


def test_course_py_reports_a_failed_installation_in_one_line(monkeypatch):
    course = load_course_script()
    monkeypatch.setattr(course, "installed", lambda extras: False)
    monkeypatch.setattr(course.subprocess, "run", lambda *args, **kwargs: None)  # pip "installed" everything ...
    monkeypatch.setattr(course, "stamp", lambda extras: SimpleNamespace(write_text=no_space))  # ... the disk is full
    with pytest.raises(SystemExit) as stop:
        course.main(["setup"])
    assert stop.value.code == "Installing failed: [Errno 28] No space left on device"


# ----- item 6: ~ is the home folder ---------------------------------------------------------------------
def test_tilde_in_the_workspace_is_the_home_folder(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    env = {"HOME": str(home)}
    result = run("-m", "nndl.learner", "setup", "--workspace", "~/course", env=env, cwd=elsewhere)
    assert result.returncode == 0 and f"Your workspace: {home / 'course'}" in result.stdout, result.stderr
    result = run(str(ROOT / "course.py"), "setup", env={**env, "NNDL_WORKSPACE": "~/by-env"}, cwd=elsewhere)
    assert result.returncode == 0 and f"Your workspace: {home / 'by-env'}" in result.stdout, result.stderr
    assert sorted(p.name for p in (home / "course").glob("*.ipynb")) == [p.name for p in COURSE]
    for command in (["--workspace", "~/none"], []):
        result = run("-m", "nndl", "progress", *command, env={**env, "NNDL_WORKSPACE": "~/none"}, cwd=elsewhere)
        assert_one_line_error(result, f"no workspace at {home / 'none'}:")
    assert list(elsewhere.iterdir()) == [], "no folder named ~"


# ----- item 19: JupyterLab saves the old copy back over a refreshed one ---------------------------------
def test_an_old_copy_saved_back_over_a_refreshed_one_is_still_reported(tmp_path):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    learner.setup(workspace, notebooks)
    mine = workspace / A
    edit(mine)
    change_the_course(notebooks, A)
    assert learner.setup(workspace, notebooks)["changed"] == [A]
    open_in_jupyterlab = mine.read_bytes()
    learner.refresh(A, workspace, notebooks)
    assert learner.setup(workspace, notebooks)["changed"] == []
    mine.write_bytes(open_in_jupyterlab)  # JupyterLab's next save
    assert learner.setup(workspace, notebooks)["changed"] == [A], "the file is the old copy again"

    learner.refresh(A, workspace, notebooks)
    edit(mine, "my new answer = 43")  # work in the new version is no change of course version
    assert learner.setup(workspace, notebooks)["changed"] == []


def test_the_same_for_a_copy_made_before_copies_were_stamped(tmp_path):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    workspace.mkdir()
    for name in (A, B, C):  # as an older nndl made them
        (workspace / name).write_text(learner._text(learner_version(notebooks, name)))
    (workspace / learner.VERSIONS).write_text(json.dumps(
        {name: learner.fingerprint(learner_version(notebooks, name)) for name in (A, B, C)}))
    edit(workspace / A)
    change_the_course(notebooks, A)
    open_in_jupyterlab = (workspace / A).read_bytes()
    learner.refresh(A, workspace, notebooks)
    report = learner.setup(workspace, notebooks)
    assert report["changed"] == [] and report["kept"] == [A, B, C]
    (workspace / A).write_bytes(open_in_jupyterlab)
    assert learner.setup(workspace, notebooks)["changed"] == [A]


# ----- items 7, 8, 18: python -m nndl progress -----------------------------------------------------------
def exercise_notebook(first="x = 1", **metadata):
    """A small notebook with two exercises in the course's form: a solution cell, then its check cell."""
    def solution(source, grade_id):
        nbgrader = {"solution": True, "grade": False, "grade_id": grade_id}
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": nbgrader})

    return nbformat.v4.new_notebook(metadata=metadata, cells=[
        nbformat.v4.new_code_cell("class Check:\n"
                                  "    def __init__(self, right):\n        self.right = right\n"
                                  "    def check(self, value):\n"
                                  "        print('✓' if value == self.right else '✗ no')\n"
                                  "ex1, ex2 = Check(1), Check(2)"),
        solution(first, "nb99_first"), nbformat.v4.new_code_cell("ex1.check(x)"),
        solution("raise NotImplementedError()", "nb99_second"), nbformat.v4.new_code_cell("ex2.check(y)")])


def a_course(tmp_path, names):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in names:
        nbformat.write(nbformat.v4.new_notebook(), notebooks / name)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return notebooks, workspace


def test_progress_reports_the_notebooks_it_cannot_run_and_runs_the_rest(tmp_path):
    names = ["01_empty.ipynb", "02_not_json.ipynb", "03_folder.ipynb", "04_other_kernel.ipynb",
             "05_grade_ids.ipynb", "06_nbformat3.ipynb"]
    notebooks, workspace = a_course(tmp_path, names)
    (workspace / names[0]).write_text("{}")
    (workspace / names[1]).write_text("{not json")
    (workspace / names[2]).mkdir()
    nbformat.write(exercise_notebook(kernelspec={"name": "conda-env-elsewhere-py", "display_name": "Elsewhere",
                                                 "language": "python"}), workspace / names[3])
    notebook = exercise_notebook()
    notebook.cells[1].metadata.nbgrader.pop("grade_id")
    notebook.cells[3].metadata.nbgrader.grade_id = "gates"
    nbformat.write(notebook, workspace / names[4])
    nbformat.write(nbformat.convert(exercise_notebook(), 3), workspace / names[5])

    lines = []
    assert progress.report(workspace, timeout=60, notebooks=notebooks, out=lines.append) == (3, 6)
    refresh = "open it in JupyterLab to see why, or get the course's version with `python3 course.py setup --refresh"
    assert lines[1] == (f"01_empty.ipynb: could not be run (it is not a notebook: it has no nbformat version); "
                        f"{refresh} 01_empty` (yours is kept as a backup)")
    assert lines[2].startswith("02_not_json.ipynb: could not be run (it is not JSON: Expecting property name")
    assert lines[3].startswith("03_folder.ipynb: could not be run (it is a folder, not a file)")
    first, second = row("ex1", "first", progress.DONE), row("ex2", "second", progress.NOT_STARTED)
    assert lines[4:] == [
        "04_other_kernel.ipynb", first, second,
        "05_grade_ids.ipynb", row("ex1", "", progress.DONE), row("ex2", "gates", progress.NOT_STARTED),
        "06_nbformat3.ipynb  (nbformat 3, converted to 4 to run it)", first, second,
        "3 of 6 checked exercises done."]


def row(exercise, what, status):
    return f"  {exercise}  {what:<20} {status}"


def ended(pid):
    """Whether the process ``pid`` has ended (a zombie has: only its exit status is left), waiting up to 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_progress_leaves_the_workspace_as_it_was_and_ends_what_the_notebooks_started(tmp_path):
    notebooks, workspace = a_course(tmp_path, ["01_side_effects.ipynb", "02_dies.ipynb"])
    pids = tmp_path / "pids"
    start = f"import subprocess\nsubprocess.run('sleep 300 & echo $! >> {pids}', shell=True)\n"
    nbformat.write(exercise_notebook(start + "import pathlib\npathlib.Path('notes.txt').unlink()\n"
                                             "pathlib.Path('01_side_effects.ipynb').write_text('gone')\n"
                                             "pathlib.Path('new.txt').write_text('x')\nx = 1"),
                   workspace / "01_side_effects.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(start + "import os\nos._exit(1)")]),
                   workspace / "02_dies.ipynb")
    (workspace / "notes.txt").write_text("my notes")
    before = {p.name: p.read_bytes() for p in workspace.iterdir()}
    lines = []
    try:
        assert progress.report(workspace, timeout=60, notebooks=notebooks, out=lines.append) == (1, 2)
        assert "02_dies.ipynb  (stopped: the kernel died)" in lines
        assert {p.name: p.read_bytes() for p in workspace.iterdir()} == before
        started = [int(pid) for pid in pids.read_text().split()]
        assert len(started) == 2 and all(ended(pid) for pid in started), "a process started by a notebook lives on"
    finally:
        for pid in map(int, pids.read_text().split() if pids.exists() else []):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_below_one_second_is_refused(tmp_path, timeout):
    result = run("-m", "nndl", "progress", "--workspace", str(tmp_path), "--timeout", timeout)
    assert_one_line_error(result, f"the timeout (the seconds a cell may run) must be an integer >= 1, got {timeout}")
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        progress.report(tmp_path, timeout=int(timeout), out=print)


def test_progress_on_a_console_without_check_marks(tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    nbformat.write(exercise_notebook(), workspace / COURSE[1].name)  # the command line runs the course's names
    result = subprocess.run([sys.executable, "-m", "nndl", "progress", "--workspace", str(workspace)],
                            capture_output=True, env=dict(os.environ, PYTHONIOENCODING="cp1252"), timeout=600)
    out = result.stdout.decode("cp1252")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert row("ex1", "first", "+ done") in out and row("ex2", "second", "... not started") in out
    assert "✓" not in out and "…" not in out


# ----- the review of issue 22 -----------------------------------------------------------------------------
def fifo(path):
    os.mkfifo(path)
    return path


def test_progress_reports_a_notebook_that_is_json_but_not_an_object_and_goes_on(tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / COURSE[4].name).write_text("[]\n")
    (workspace / COURSE[5].name).write_text('"a string"\n')
    result = run("-m", "nndl", "progress", "--workspace", str(workspace))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    for path in COURSE[4:6]:
        assert f"{path.name}: could not be run (it is not a notebook: it has no nbformat version)" in result.stdout
    assert f"{COURSE[6].name}: not in your workspace" in result.stdout, "the notebooks after them are looked at"


@pytest.mark.parametrize("content, problem", [
    ("[]", "it is not a notebook: it has no nbformat version"),
    ('"a string"', "it is not a notebook: it has no nbformat version"),
    ('{"nbformat": 4}', "it is not a valid notebook: 'metadata' is a required property"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": 5}',
     "it is not a valid notebook: 5 is not of type 'array'"),
    ('{"nbformat": 1}', "its nbformat version is 1.0; nndl reads nbformat 4 and 3"),
    ('{"nbformat": 4, "nbformat_minor": "5"}', "its nbformat version is 4.'5'; nndl reads nbformat 4 and 3")])
def test_tag_reports_a_file_that_is_not_a_notebook_and_tags_the_others(tmp_path, content, problem):
    odd, good = tmp_path / "odd.ipynb", tmp_path / "good.ipynb"
    odd.write_text(content)
    shutil.copy(COURSE[1], good)
    result = run("-m", "nndl.learner", "tag", str(odd), str(good))
    assert_one_line_error(result, f"python -m nndl.learner tag: error: {odd}: {problem}; give the path of a notebook")
    assert odd.read_text() == content and f"{good}: " in result.stdout


def test_reading_a_named_pipe_is_refused_at_once(tmp_path):
    """Each of these waited forever for a writer; the subprocess timeout turns that into a failure."""
    pipe = fifo(tmp_path / "pipe.ipynb")
    assert_one_line_error(run("-m", "nndl.learner", "tag", str(pipe)),
                          f"{pipe}: it is a named pipe (FIFO), not a file; give the path of a notebook")

    workspace = tmp_path / "workspace"
    learner.setup(workspace)
    (workspace / learner.VERSIONS).unlink(missing_ok=True)
    fifo(workspace / learner.VERSIONS)
    result = run("-m", "nndl.learner", "setup", "--workspace", str(workspace))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{learner.VERSIONS} could not be read (it is a named pipe (FIFO), not a file); it is kept as" \
        in result.stdout
    backup, = workspace.glob(".course-versions.backup-*.json")
    assert stat.S_ISFIFO(backup.stat().st_mode) and not (workspace / learner.VERSIONS).exists(), "set aside, not read"

    copy = workspace / COURSE[2].name
    copy.unlink()
    fifo(copy)
    assert_one_line_error(run("-m", "nndl.learner", "setup", "--workspace", str(workspace)),
                          f"{copy}: it is a named pipe (FIFO), not a file: move it away, and setup copies the "
                          f"notebook in")


def test_progress_copies_the_workspace_once_and_leaves_out_what_is_not_a_file(tmp_path, monkeypatch):
    notebooks, workspace = a_course(tmp_path, ["01_first.ipynb", "02_second.ipynb"])
    for name in ("01_first.ipynb", "02_second.ipynb"):
        nbformat.write(exercise_notebook(), workspace / name)
    (workspace / "data").mkdir()
    (workspace / "data" / "numbers.txt").write_text("1 2 3")
    fifo(workspace / "pipe")
    fifo(workspace / "data" / "pipe")
    copytree, copies = shutil.copytree, []
    monkeypatch.setattr(shutil, "copytree", lambda *args, **kwargs: copies.append(args) or copytree(*args, **kwargs))
    lines = []
    assert progress.report(workspace, timeout=60, notebooks=notebooks, out=lines.append) == (2, 4)
    assert lines[1] == "Not copied, as they are neither files nor folders: data/pipe, pipe"
    exercises = [row("ex1", "first", progress.DONE), row("ex2", "second", progress.NOT_STARTED)]
    assert lines[2:] == ["01_first.ipynb", *exercises, "02_second.ipynb", *exercises, "2 of 4 checked exercises done."]
    assert [source for source, *_ in copies].count(workspace) == 1, "one copy of the workspace for the whole run"


def test_progress_says_in_one_line_when_the_workspace_cannot_be_copied(tmp_path, monkeypatch, capsys):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    nbformat.write(exercise_notebook(), workspace / COURSE[1].name)
    monkeypatch.setattr(shutil, "copyfile", lambda *args, **kwargs: no_space(None))  # the temporary folder is full
    assert cli.main(["progress", "--workspace", str(workspace)]) == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith("python -m nndl progress: error: could not copy your workspace to a temporary folder to run "
                          "it ([Errno 28] No space left on device")
    assert err.endswith("if the disk is full, free some space, or choose another temporary folder: "
                        "TMPDIR=DIR python -m nndl progress\n")


def test_progress_on_a_workspace_that_is_missing_or_a_file(tmp_path):
    missing, a_file = tmp_path / "missing", tmp_path / "notes.txt"
    a_file.write_text("my notes")
    assert_one_line_error(run("-m", "nndl", "progress", "--workspace", str(missing)),
                          f"no workspace at {missing}: create it with `python3 course.py setup`, or name yours with "
                          f"--workspace DIR")
    assert_one_line_error(run("-m", "nndl", "progress", "--workspace", str(a_file)),
                          f"the workspace {a_file} is not a folder: name the folder of your notebooks with --workspace")
    assert a_file.read_text() == "my notes" and not missing.exists()


def test_after_a_damaged_record_the_note_says_what_was_written(tmp_path):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    learner.setup(workspace, notebooks)  # every copy stamped: no record is needed
    record = workspace / learner.VERSIONS
    record.write_text("[")
    note = learner.setup(workspace, notebooks)["record"]
    assert note.startswith(f"{learner.VERSIONS} could not be read (it is not JSON: ")
    assert "rebuilt" not in note and "new one" not in note and not record.exists(), note


@pytest.fixture
def no_renaming(monkeypatch):
    """Make renaming in a folder fail, as on a read-only file system (root ignores permissions)."""
    rename, folders = Path.rename, []

    def refusing(self, target):
        if self.parent in folders:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refusing)
    return folders.append


def test_a_damaged_record_in_a_read_only_workspace_is_left_and_setup_goes_on(tmp_path, read_only, no_renaming,
                                                                             capsys):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    learner.setup(workspace, notebooks)
    (workspace / B).write_text(learner._text(learner_version(notebooks, B)))  # unstamped: a record would be written
    record = workspace / learner.VERSIONS
    record.write_text("[")
    before = {p.name: p.read_bytes() for p in workspace.iterdir()}
    read_only(workspace)
    no_renaming(workspace)
    report = learner.setup(workspace, notebooks)
    assert report["kept"] == [A, B, C]
    assert report["record"] == (f"{learner.VERSIONS} could not be read (it is not JSON: Expecting value: line 1 "
                                f"column 2 (char 1)) and could not be set aside (Read-only file system), so it is left "
                                f"as it is; setup sets it aside once the workspace folder accepts changes")
    assert {p.name: p.read_bytes() for p in workspace.iterdir()} == before
