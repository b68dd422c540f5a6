"""Progress at a glance: which exercises of your workspace pass their checks (``python -m nndl progress``).

Each notebook of the learner's workspace (``nndl.learner``) runs from top to
bottom in a separate kernel, as Run All would, in one temporary copy of the
workspace folder made for the run (``scratch_copy``): the notebook file is not
rewritten, and files the code writes or deletes beside it are the copy's.
(Code can still change files elsewhere: by their full path, or through a
symbolic link in the workspace, which the copy keeps as a link.)  A cell that
runs longer than the timeout stops that notebook; a notebook that cannot be
read or run is reported, and the others run.  An exercise counts as done when its check prints ✓ and its
own cell ran without an error.  Notebook 00 has a button that runs the same
thing.
"""
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .checking import check_count
from .messages import describe
from .learner import NOTEBOOKS, TEXT_STUB, WORKSPACE, nbgrader_meta, read_notebook

CHECK = re.compile(r"^(ex\d+)\.check\(", re.M)
DONE, NOT_YET, NOT_STARTED = "✓ done", "✗ not yet", "… not started"
WRITTEN = "✎ written (graded by your teacher; its solution() shows our model answer)"
WRITTEN_HINT = re.compile(r"# (ex\d+)\.hint\(\)")  # the cell under an answer in words
RUN_TIME = "Running all the notebooks takes about 3 minutes on two cores, longer if you train for more epochs."
ASCII_MARKS = str.maketrans({"✓": "+", "✗": "x", "…": "..."})  # for a console that cannot show them


def _text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def _error(cell):
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def exercises_and_checks(notebook):
    """``[(exercise cell, its check cell, the exercise's name)]``: each exercise cell (an nbgrader solution
    cell) paired with the next check cell."""
    pairs, pending = [], None
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if nbgrader_meta(cell).get("solution"):
            pending = cell
        match = CHECK.search(cell.source)
        if match and pending is not None:
            pairs.append((pending, cell, match.group(1)))
            pending = None
    return pairs


def checked_since_answered(notebook):
    """True if the saved ``notebook`` shows every check run after its exercise cell (by execution count):
    its outputs then say what a new run would, unless the learner edited a cell without running it again."""
    pairs = exercises_and_checks(notebook)
    return bool(pairs) and all(answer.execution_count and check.execution_count
                               and check.execution_count > answer.execution_count for answer, check, _ in pairs)


def written_status(notebook):
    """``[(exercise, what it is, status)]`` of the exercises answered in words: written, or not started."""
    results, cells = [], notebook.cells
    for i, cell in enumerate(cells[:-1]):
        hint = WRITTEN_HINT.match(cells[i + 1].source)
        if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution") and hint:
            what = nbgrader_meta(cell).get("grade_id", "").split("_", 1)[-1].removesuffix("_written")
            answered = cell.source.strip() not in ("", TEXT_STUB)
            results.append((hint.group(1), what, WRITTEN if answered else NOT_STARTED))
    return results


def exercise_status(notebook):
    """``[(exercise, what it is, status)]`` from an executed notebook, in order."""
    results = []
    for pending, cell, name in exercises_and_checks(notebook):
        what = nbgrader_meta(pending).get("grade_id", "").split("_", 1)[-1]  # nb01_gates -> gates
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
        results.append((name, what, status))
    return results


@contextlib.contextmanager
def scratch_copy(workspace):
    """A temporary copy of the folder ``workspace``: yields its path and the list of what was left out.

    Folders and regular files are copied, and a symbolic link as a link (code that writes through
    it changes what it points to).  Named pipes, devices and sockets are left out (reading a pipe
    would wait forever): the list names them, relative to ``workspace``.  If the copy cannot be
    made (a full disk), an OSError says how to make room for it.  The copy is deleted at the end.
    """
    left_out = []

    def special_files(folder, names):  # copytree's ``ignore``: the names in ``folder`` not to copy
        special = [path for path in (Path(folder, name) for name in names)
                   if not (path.is_symlink() or path.is_dir() or path.is_file())]
        left_out.extend(str(path.relative_to(workspace)) for path in special)
        return [path.name for path in special]

    with contextlib.ExitStack() as stack:
        try:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="nndl-progress-",
                                                                      ignore_cleanup_errors=True))
            copy = shutil.copytree(workspace, Path(scratch) / workspace.name, symlinks=True, ignore=special_files)
        except OSError as e:
            reason = e.args[0][0][2] if isinstance(e, shutil.Error) else describe(e)  # copytree: [(src, dst, why)]
            raise OSError(f"could not copy your workspace to a temporary folder to run it ({reason}): if the disk "
                          f"is full, free some space, or choose another temporary folder: "
                          f"TMPDIR=DIR python -m nndl progress") from None
        yield copy, left_out


def run(notebook, version, folder, timeout):
    """Execute ``notebook`` (read from a file in nbformat ``version``) in a fresh kernel working in ``folder``;
    returns it and a note ('' if it ran to the end as it was).

    It runs in ``python3``, the kernel of the course's Python, whichever kernel the notebook names
    (one chosen in another JupyterLab may not be installed here).  At the end, processes its code
    started are ended (``end_process_group``).
    """
    converted = "" if version == 4 else f"nbformat {version}, converted to 4 to run it"
    for cell in notebook.cells:  # a cell the run does not reach must not report its saved output
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = notebook_client(notebook, timeout=timeout, allow_errors=True, kernel_name="python3",
                             resources={"metadata": {"path": str(folder)}})
    kernel = client.create_kernel_manager()  # made here, to know the kernel's process group at the end
    stopped = ""
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up warnings are no news to a learner
    except CellTimeoutError:
        stopped = f"stopped: a cell ran longer than {timeout} s"
    except DeadKernelError:
        stopped = "stopped: the kernel died"
    finally:
        end_process_group(kernel)
    return notebook, "; ".join(filter(None, [converted, stopped]))


def notebook_client(notebook, **options):
    """An nbclient ``NotebookClient`` for ``notebook`` that does not act as the front end of Output widgets.

    nbclient stands in for a browser's Output widgets (the ones ``interact``
    draws into): it answers each output with a message on the kernel's shell
    socket, sent while it is waiting on that same socket for the cell's
    reply.  If the reply arrives during that send, the wait is not woken up
    and the run hangs until the cell's timeout (nbclient issue 312).  Here
    nothing is sent: a widget's outputs become the cell's own outputs.
    """
    client = NotebookClient(notebook, **options)
    client.comm_open_handlers.pop("jupyter.widget")
    return client


def end_process_group(kernel):
    """Kill what is left of the process group of ``kernel`` (a kernel manager): processes its code started.

    jupyter_client starts a kernel as the leader of a new process group; a process that notebook
    code starts joins it and stays in it when the kernel ends, unless it makes a group of its own
    (``setsid``).  Windows has no process groups: there nothing is done.
    """
    group = getattr(kernel.provisioner, "pgid", None)
    if group and group != os.getpgrp():  # never this program's own group (the terminal's, or JupyterLab's)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def _say(line):
    """Print ``line`` at once (also through a pipe: the button of notebook 00), in what the stream can carry.

    A console or pipe whose encoding lacks the marks ✓ ✗ … (cp1252 on Windows) gets ASCII marks
    instead, and ``?`` for any other character it cannot show (in a folder's name, say).
    """
    encoding = sys.stdout.encoding or "utf-8"
    try:
        "✓✗…".encode(encoding)
    except UnicodeEncodeError:
        line = line.translate(ASCII_MARKS)
    print(line.encode(encoding, errors="replace").decode(encoding), flush=True)


def report(workspace=WORKSPACE, timeout=600, notebooks=NOTEBOOKS, out=_say, rerun=False):
    """Print the status of the exercises of every course notebook of ``workspace``; returns (done, total).

    A notebook whose saved copy shows each check run after its exercise (``checked_since_answered``)
    is read as saved; the others run (all of them with ``rerun``).  ``timeout``: the seconds a cell
    may run, a whole number >= 1.  A missing workspace, or one that is not a folder, or a temporary
    copy that cannot be made, raises an OSError that says what to do.
    """
    timeout = check_count("the timeout (the seconds a cell may run)", timeout, 1)
    workspace = Path(workspace).expanduser()
    names = [p.name for p in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))]
    if not workspace.exists():
        raise FileNotFoundError(f"no workspace at {workspace}: create it with `python3 course.py setup`, or name "
                                f"yours with --workspace DIR")
    if not workspace.is_dir():
        raise NotADirectoryError(f"the workspace {workspace} is not a folder: name the folder of your notebooks "
                                 f"with --workspace DIR")
    out(f"Running each notebook of {workspace} in a separate kernel (at most {timeout} s a cell), in a temporary "
        "copy of that folder: what notebook code writes or deletes there happens in the copy. "
        + ("" if rerun else "A notebook whose checks you ran after your last answers is read as you saved it. ")
        + RUN_TIME)
    done = total = written = to_write = 0
    with scratch_copy(workspace) as (folder, left_out):
        if left_out:
            out(f"Not copied, as they are neither files nor folders: {', '.join(sorted(left_out))}")
        for name in names:
            path = workspace / name
            if not path.exists():
                out(f"{name}: not in your workspace (`python3 course.py setup` copies it in)")
                continue
            try:
                notebook, version = read_notebook(path)
                if not rerun and checked_since_answered(notebook):
                    note = "as you saved it: run with --rerun to run it afresh"
                else:
                    notebook, note = run(notebook, version, folder, timeout)
            except (OSError, ValueError, nbformat.ValidationError) as e:
                out(f"{name}: could not be run ({describe(e)}); open it in JupyterLab to see why, or get the "
                    f"course's version with `python3 course.py setup --refresh {path.stem}` (yours is kept as a "
                    f"backup)")
                continue
            found = exercise_status(notebook)
            words = written_status(notebook)
            if not found and not words and not note:
                continue
            out(f"{name}" + (f"  ({note})" if note else ""))
            for exercise, what, status in sorted(found + words, key=lambda row: int(row[0][2:])):
                out(f"  {exercise:<4} {what:<20} {status}")
            done += sum(status == DONE for _, _, status in found)
            total += len(found)
            written += sum(status == WRITTEN for _, _, status in words)
            to_write += len(words)
    out(f"{done} of {total} checked exercises done" + (f"; {written} of {to_write} answers in words written." if to_write else "."))
    return done, total


def progress_button():
    """A button for notebook 00 (returned, so that a cell ending with it shows it).

    A click runs ``python -m nndl progress`` in a separate process and shows its lines as they come.
    """
    import ipywidgets as widgets

    # width "auto" fits the label; ipywidgets draws icons from Font Awesome 4.7, which has "tasks" (not "list-check")
    button = widgets.Button(description="Check my progress", icon="tasks", layout=widgets.Layout(width="auto"))
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
