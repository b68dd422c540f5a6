"""python -m nndl progress: each exercise's status, from the learner's own copies, without changing them."""
import shutil

import nbformat

from nndl import cli, learner, progress
from nndl.checks import reference_solution


def solve(notebook, grade_id, source):
    next(c for c in notebook.cells if learner.nbgrader_meta(c).get("grade_id") == grade_id).source = source


def test_progress_lists_each_exercise_and_changes_no_file(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    for name in ("01_perceptrons.ipynb", "02_sigmoid_neurons.ipynb"):
        shutil.copy(learner.NOTEBOOKS / name, course)
    (course / "03_not_copied_yet.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    workspace = tmp_path / "workspace"
    learner.setup(workspace, course)
    (workspace / "03_not_copied_yet.ipynb").unlink()

    ch01 = nbformat.read(workspace / "01_perceptrons.ipynb", as_version=4)
    solve(ch01, "nb01_perceptron", reference_solution("nb01_perceptron").replace("> 0", ">= 0"))  # wrong at 0
    solve(ch01, "nb01_gates", reference_solution("nb01_gates") + "\n1 / 0")  # right values, but the cell raises
    nbformat.write(ch01, workspace / "01_perceptrons.ipynb")
    ch02 = nbformat.read(workspace / "02_sigmoid_neurons.ipynb", as_version=4)
    solve(ch02, "nb02_scaled_neuron", reference_solution("nb02_scaled_neuron"))
    nbformat.write(ch02, workspace / "02_sigmoid_neurons.ipynb")
    before = {p.name: p.read_bytes() for p in workspace.iterdir()}

    lines = []
    assert progress.report(workspace, timeout=120, notebooks=course, out=lines.append) == (1, 5)
    text = "\n".join(lines)
    assert "in a separate kernel (at most 120 s a cell), in a temporary copy of that folder" in lines[0]
    assert "  ex1  perceptron           ✗ not yet" in text
    assert "  ex2  gates                ✗ not yet (your cell raised ZeroDivisionError)" in text
    assert "  ex3  full_adder           … not started" in text
    assert "  ex1  scaled_neuron        ✓ done" in text
    assert "  ex2  bitwise              … not started" in text
    assert "03_not_copied_yet.ipynb: not in your workspace" in text
    assert lines[-1] == "1 of 5 checked exercises done."
    assert {p.name: p.read_bytes() for p in workspace.iterdir()} == before


def test_a_slow_cell_stops_only_its_notebook(tmp_path):
    course, workspace = tmp_path / "notebooks", tmp_path / "workspace"
    course.mkdir()
    slow = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(30)")])
    nbformat.write(slow, course / "01_slow.ipynb")
    learner.setup(workspace, course)
    lines = []
    assert progress.report(workspace, timeout=2, notebooks=course, out=lines.append) == (0, 0)
    assert "01_slow.ipynb  (stopped: a cell ran longer than 2 s)" in lines


def test_command_line_without_a_workspace(tmp_path, capsys):
    assert cli.main(["progress", "--workspace", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert f"no workspace at {tmp_path / 'nowhere'}: create it with `python3 course.py setup`" in err


def test_the_button_of_notebook_00_runs_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NNDL_WORKSPACE", str(tmp_path / "none yet"))  # the command the button starts reads it
    box = progress.progress_button()
    button = box.children[0]
    assert button.description == "Check my progress"
    button.click()  # outside a kernel the output widget lets the lines through to stdout
    out = capsys.readouterr().out
    assert f"no workspace at {tmp_path / 'none yet'}: create it with `python3 course.py setup`" in out
    assert not button.disabled
