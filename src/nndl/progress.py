"""Progress at a glance: which exercises of your workspace pass their checks (``python -m nndl progress``).

Each notebook of the learner's workspace (``nndl.learner``) runs from top to
bottom in a separate kernel, as Run All would, but in memory: no file is
changed, and a cell that runs longer than the timeout stops that notebook.
An exercise counts as done when its check prints ✓ and its own cell ran
without an error.  Notebook 00 has a button that runs the same thing.
"""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .learner import NOTEBOOKS, WORKSPACE, nbgrader_meta

CHECK = re.compile(r"^(ex\d+)\.check\(", re.M)
DONE, NOT_YET, NOT_STARTED = "✓ done", "✗ not yet", "… not started"


def _text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def _error(cell):
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def exercise_status(notebook):
    """``[(exercise, what it is, status)]`` from an executed notebook, in order.

    Each exercise cell (an nbgrader solution cell) is paired with the next check cell.
    """
    results, pending = [], None
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if nbgrader_meta(cell).get("solution"):
            pending = cell
        match = CHECK.search(cell.source)
        if match and pending is not None:
            what = nbgrader_meta(pending)["grade_id"].split("_", 1)[1]
            error, printed = _error(pending), _text(cell)
            if printed.startswith("✓") and error is None:
                status = DONE
            elif error is not None and error.get("ename") != "NotImplementedError":
                status = f"{NOT_YET} (your cell raised {error.get('ename')})"
            elif printed.startswith("✗"):
                status = NOT_YET
            elif printed.startswith("…") or error is not None:
                status = NOT_STARTED
            else:
                status = "? the check did not run"
            results.append((match.group(1), what, status))
            pending = None
    return results


def run(path, timeout):
    """Execute the notebook at ``path`` in a fresh kernel, in memory; returns it and a note ('' if it ran to the end)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up warnings are no news to a learner
    except CellTimeoutError:
        return notebook, f"stopped: a cell ran longer than {timeout} s"
    except DeadKernelError:
        return notebook, "stopped: the kernel died"
    return notebook, ""


def _say(line):
    print(line, flush=True)  # each line as it comes, also through a pipe (the button of notebook 00)


def report(workspace=WORKSPACE, timeout=600, notebooks=NOTEBOOKS, out=_say):
    """Run every course notebook of ``workspace`` and print its exercises' status; returns (done, total)."""
    workspace = Path(workspace)
    names = [p.name for p in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))]
    if not workspace.is_dir():
        out(f"No workspace at {workspace}: create it with `python3 course.py setup`.")
        return 0, 0
    out(f"Running each notebook of {workspace} in a separate kernel (at most {timeout} s a cell); "
        "no file is changed. This takes a few minutes.")
    done = total = 0
    for name in names:
        path = workspace / name
        if not path.exists():
            out(f"{name}: not in your workspace (`python3 course.py setup` copies it in)")
            continue
        notebook, note = run(path, timeout)
        found = exercise_status(notebook)
        if not found and not note:
            continue
        out(f"{name}" + (f"  ({note})" if note else ""))
        for exercise, what, status in found:
            out(f"  {exercise}  {what:<20} {status}")
        done += sum(status == DONE for _, _, status in found)
        total += len(found)
    out(f"{done} of {total} checked exercises done.")
    return done, total


def progress_button():
    """A button for notebook 00 (returned, so that a cell ending with it shows it).

    A click runs ``python -m nndl progress`` in a separate process and shows its lines as they come.
    """
    import ipywidgets as widgets

    button = widgets.Button(description="Check my progress", icon="list-check")
    output = widgets.Output()

    def on_click(_):
        button.disabled = True
        output.clear_output()
        with output:
            with subprocess.Popen([sys.executable, "-m", "nndl", "progress"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) as process:
                for line in process.stdout:
                    print(line, end="", flush=True)
        button.disabled = False

    button.on_click(on_click)
    return widgets.VBox([button, output])
