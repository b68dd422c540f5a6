"""The learner's workspace: unsolved copies, never overwritten; what Run All of one must show (see ``test_browser``)."""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nndl import learner

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
COURSE = sorted(learner.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def region_lines(pattern, notebooks):
    return {line.strip() for nb in notebooks for cell in nb.cells for region in pattern.findall(cell.source)
            for line in region.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A workspace made the way a learner makes it, by ``python3 course.py setup`` (in a temporary folder)."""
    folder = tmp_path_factory.mktemp("learner") / "workspace"
    result = subprocess.run([sys.executable, str(ROOT / "course.py"), "setup"], capture_output=True, text=True,
                            env=dict(os.environ, NNDL_WORKSPACE=str(folder)), timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"Your workspace: {folder}" in result.stdout, result.stdout
    return folder


def test_setup_copies_every_notebook_without_answers(workspace):
    assert sorted(p.name for p in workspace.glob("*.ipynb")) == [p.name for p in COURSE]
    sources = [nbformat.read(p, as_version=4) for p in COURSE]
    visible = {line.strip() for nb in sources for cell in nb.cells
               for line in SOLUTION.sub("", HIDDEN.sub("", cell.source)).splitlines()}
    secret = (region_lines(SOLUTION, sources) | region_lines(HIDDEN, sources)) - visible
    assert len(secret) > 30, "the course should have solutions and hidden tests to hide"
    for path in workspace.iterdir():
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path.name
        if path.suffix == ".ipynb":
            lines = {line.strip() for cell in nbformat.read(path, as_version=4).cells for line in cell.source.splitlines()}
            assert not secret & lines, f"{path.name} leaks {secret & lines}"
    model_answers = {cell.source for nb in sources for cell in nb.cells
                     if cell.cell_type == "markdown" and learner.nbgrader_meta(cell).get("solution")}
    assert len(model_answers) > 10, "the course should have answers in words to hide"
    for path in workspace.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if learner.nbgrader_meta(cell).get("solution") and cell.cell_type == "code":
                assert "raise NotImplementedError()" in cell.source, cell.source
            elif learner.nbgrader_meta(cell).get("solution"):
                assert cell.source == learner.TEXT_STUB, f"{path.name}: a model answer in the learner's copy"


def assert_only_the_exercises_fail(notebook):
    """After Run All of a learner copy (``notebook`` with its outputs): only the unsolved exercises failed.

    Run All (JupyterLab's, or nbclient's) stops at an error unless the cell
    is tagged raises-exception; so every code cell ran, an error appears only
    in an exercise cell, each graded test fails without an answer, and each
    check says "Not done yet".  ``test_browser`` runs every notebook's learner
    copy in JupyterLab and calls this; the learner copy has the cells of
    nbgrader's student version (``test_teach.test_learner_version_equals_nbgraders_release``),
    so that run stands for the students' too.
    """
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and code[-1].execution_count is not None, "the last code cell did not run"
    for cell in code:
        errors = [o.ename for o in cell.outputs if o.output_type == "error"]
        if errors:
            assert learner.is_exercise(cell), f"a lesson or check cell failed: {errors}\n{cell.source}"
        meta = learner.nbgrader_meta(cell)
        if meta.get("solution"):
            assert errors in ([], ["NotImplementedError"]), cell.source
            if "def " not in cell.source:  # an answer given as values, not a function: the cell itself raises
                assert errors == ["NotImplementedError"], cell.source
        elif meta.get("grade"):
            assert errors, f"a graded test passes without any answer:\n{cell.source}"
        if re.match(r"(# NBVAL_CHECK_OUTPUT\n)?ex\d\.check\(", cell.source):
            assert "Not done yet" in "".join(o.get("text", "") for o in cell.outputs), cell.source


def test_every_exercise_and_graded_test_cell_may_raise():
    for path in COURSE:
        for cell in nbformat.read(path, as_version=4).cells:
            if learner.is_exercise(cell):
                assert learner.RAISES in cell.metadata.get("tags", []), f"{path.name}: untagged\n{cell.source}"


def test_tagging_adds_the_tag_once(tmp_path):
    path = tmp_path / "nb.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\ny = 2\n### END SOLUTION",
                                  metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "a"}}),
        nbformat.v4.new_code_cell("assert y == 2", metadata={"nbgrader": {"grade": True, "grade_id": "b"}})])
    nbformat.write(notebook, path)
    assert learner.tag_exercise_cells(path) == 2
    assert learner.tag_exercise_cells(path) == 0
    tags = [c.metadata.get("tags") for c in nbformat.read(path, as_version=4).cells]
    assert tags == [None, [learner.RAISES], [learner.RAISES]]


def test_learner_cell_follows_nbgrader():
    solution = {"nbgrader": {"solution": True, "grade": False, "grade_id": "s"}}
    cases = [
        ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION", solution,
         "def f(x):\n    \"\"\"Doc.\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
        ("A = None\n### BEGIN SOLUTION\nA = 1\n### END SOLUTION", solution,
         "A = None\n# YOUR CODE HERE\nraise NotImplementedError()"),
        ("a = 2", solution, "# YOUR CODE HERE\nraise NotImplementedError()"),  # all of it is the solution
        ("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 2\n### END HIDDEN TESTS",
         {"nbgrader": {"grade": True, "grade_id": "t"}}, "assert f(1) == 1"),
        ("print(1)", {}, "print(1)"),
    ]
    for source, metadata, expected in cases:
        cell = nbformat.v4.new_code_cell(source, metadata=metadata, execution_count=3)
        copy = learner.learner_cell(cell)
        assert copy.source == expected and copy.execution_count is None and copy.outputs == []
        assert cell.source == source, "the reference cell must stay unchanged"
    graded = learner.learner_cell(nbformat.v4.new_code_cell("assert f(1) == 1", metadata=cases[3][1]))
    assert graded.metadata["jupyter"] == {"source_hidden": True}, "folded in the workspace"
    assert "jupyter" not in learner.learner_cell(nbformat.v4.new_code_cell("f(1)")).metadata
    text = nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", metadata=solution)
    assert learner.learner_cell(text).source == "Why?\n" + learner.TEXT_STUB
    with pytest.raises(ValueError, match="without"):
        learner.learner_cell(nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1", metadata=solution))


def course_copy(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in COURSE[:3]:
        shutil.copy(path, notebooks)
    return notebooks


def test_setup_never_overwrites_the_learners_work(tmp_path):
    notebooks, workspace = course_copy(tmp_path), tmp_path / "workspace"
    assert learner.setup(workspace, notebooks)["added"] == [p.name for p in COURSE[:3]]
    mine = workspace / COURSE[1].name
    notebook = nbformat.read(mine, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("my_answer = 42"))
    nbformat.write(notebook, mine)
    edited = mine.read_bytes()

    shutil.copy(COURSE[3], notebooks)  # a notebook added to the course later
    report = learner.setup(workspace, notebooks)
    assert report["added"] == [COURSE[3].name] and report["changed"] == []
    assert mine.read_bytes() == edited

    # the course changes the notebook the learner has edited: reported, not replaced
    course = nbformat.read(notebooks / mine.name, as_version=4)
    course.cells.append(nbformat.v4.new_markdown_cell("A new section."))
    nbformat.write(course, notebooks / mine.name)
    report = learner.setup(workspace, notebooks)
    assert report["changed"] == [mine.name] and mine.read_bytes() == edited
    message = learner.describe(report, workspace)
    assert f"setup --refresh {mine.stem}" in message and "your copy is kept" in message
    assert learner.setup(workspace, notebooks)["changed"] == [mine.name], "reported until refreshed"

    target, backup = learner.refresh(mine.stem, workspace, notebooks)
    assert target == mine and backup.read_bytes() == edited and backup.name.startswith(f"{mine.stem}.backup-")
    assert nbformat.read(mine, as_version=4).cells[-1].source == "A new section."
    _, second = learner.refresh(mine.name, workspace, notebooks)
    assert second != backup and backup.exists(), "a second refresh keeps the first backup"
    assert learner.setup(workspace, notebooks)["changed"] == []
    with pytest.raises(ValueError, match="no course notebook 99_nothing.ipynb: choose one of"):
        learner.refresh("99_nothing", workspace, notebooks)
    assert not list(workspace.glob(".*.tmp")), "no temporary file left behind"
    for name, version in learner.course_notebooks(notebooks).items():
        stamp = json.loads((workspace / name).read_text())["metadata"][learner.STAMP]
        assert stamp == {"course_version": learner.fingerprint(version)}, "each copy says which version it came from"


def test_refresh_from_the_command_line(tmp_path, capsys):
    workspace = tmp_path / "workspace"
    assert learner.main(["setup", "--workspace", str(workspace)]) == 0
    assert learner.main(["setup", "--workspace", str(workspace), "--refresh", "01_perceptrons"]) == 0
    out = capsys.readouterr().out
    assert "your old copy is now 01_perceptrons.backup-" in out and "kept as you left them" in out
    assert learner.main(["setup", "--workspace", str(workspace), "--refresh", "1"]) == 2
    assert "no course notebook 1.ipynb" in capsys.readouterr().err


def load_course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    return course


def test_lab_opens_the_workspace_and_with_solutions_the_reference_notebooks(monkeypatch, tmp_path, capsys):
    course = load_course_script()
    calls = []
    monkeypatch.setattr(course.subprocess, "call", lambda command, **kwargs: calls.append(command) or 0)
    monkeypatch.setattr(course, "WORKSPACE", tmp_path / "mine")
    jupyter = str(course.BIN / "jupyter")

    assert course.lab(["--no-browser"]) == 0
    assert calls[0][1:] == ["-m", "nndl.learner", "setup", "--workspace", str(tmp_path / "mine")]
    assert calls[1] == [jupyter, "lab", "--notebook-dir", str(tmp_path / "mine"), "--no-browser"]
    calls.clear()
    assert course.lab(["--solutions", "--no-browser"]) == 0
    assert calls == [[jupyter, "lab", "--notebook-dir", str(ROOT / "notebooks"), "--no-browser"]]
    assert "solutions included" in capsys.readouterr().out


def test_course_test_runs_everything_or_only_the_tests_named(monkeypatch):
    course = load_course_script()
    calls = []
    monkeypatch.setattr(course.subprocess, "call", lambda command, **kwargs: calls.append(command) or 0)
    course.test(["-k", "mnist"])
    course.test(["tests/test_network.py::test_feedforward", "-x"])
    everything, named = calls
    assert everything[3:5] == ["tests", "notebooks"] and everything[-2:] == ["-k", "mnist"]
    assert "tests" not in named and named[-2:] == ["tests/test_network.py::test_feedforward", "-x"]
