"""python -m nndl progress: each exercise's status, from the learner's own copies, without changing them."""
import shutil
from pathlib import Path

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
    assert "  ex2  sigmoid_limit        … not started" in text, "an answer in words, listed in its place"
    assert "  ex4  bitwise              … not started" in text
    assert "03_not_copied_yet.ipynb: not in your workspace" in text
    assert lines[-1] == "1 of 5 checked exercises done; 0 of 3 answers in words written."
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
    assert button.description == "Check my progress" and button.layout.width == "auto", "the label is never cut off"
    import jupyterlab
    styles = "".join(path.read_text(errors="ignore") for path in (Path(jupyterlab.__file__).parent / "static").glob("*.js"))
    assert f".fa-{button.icon}:before" in styles, "JupyterLab's Font Awesome has the button's icon"
    button.click()  # outside a kernel the output widget lets the lines through to stdout
    out = capsys.readouterr().out
    assert f"no workspace at {tmp_path / 'none yet'}: create it with `python3 course.py setup`" in out
    assert not button.disabled


def test_a_notebook_whose_checks_ran_after_its_answers_is_read_as_saved(tmp_path):
    """Saved outputs are used only when each check ran after its exercise; otherwise, or with rerun, it runs."""
    course, workspace = tmp_path / "notebooks", tmp_path / "workspace"
    course.mkdir()
    cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(30)"),  # it would be stopped if it ran
             nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
                                       metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "nb01_f"}}),
             nbformat.v4.new_code_cell("ex1.check(f)")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), course / "01_saved.ipynb")
    learner.setup(workspace, course)
    mine = nbformat.read(workspace / "01_saved.ipynb", 4)
    mine.cells[1].execution_count, mine.cells[2].execution_count = 3, 4
    mine.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✓ Right.\n")]
    nbformat.write(mine, workspace / "01_saved.ipynb")
    lines = []
    assert progress.report(workspace, timeout=2, notebooks=course, out=lines.append) == (1, 1)
    assert "01_saved.ipynb  (as you saved it: run with --rerun to run it afresh)" in lines
    lines.clear()
    assert progress.report(workspace, timeout=2, notebooks=course, out=lines.append, rerun=True) == (0, 1)
    assert "01_saved.ipynb  (stopped: a cell ran longer than 2 s)" in lines
    mine.cells[1].execution_count = 5  # the answer ran again after its check: the saved ✓ may be stale
    nbformat.write(mine, workspace / "01_saved.ipynb")
    lines.clear()
    assert progress.report(workspace, timeout=2, notebooks=course, out=lines.append) == (0, 1)
    assert "01_saved.ipynb  (stopped: a cell ran longer than 2 s)" in lines


def test_answers_in_words_are_listed_as_written_or_not_started():
    written = {"nbgrader": {"solution": True, "grade": True, "points": 2, "grade_id": "nb08_sigmoid_prime_written"}}
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("**Model answer.** ...", metadata=written),
        nbformat.v4.new_code_cell("# ex1.hint()        # a hint"),
    ])
    mine = learner.learner_version(notebook)
    assert progress.written_status(mine) == [("ex1", "sigmoid_prime", "… not started")]
    mine.cells[0].source = "By the chain rule, ..."
    assert progress.written_status(mine) == [("ex1", "sigmoid_prime", progress.WRITTEN)]
