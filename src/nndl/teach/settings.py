"""nbgrader settings for the course, applied by its ``nbgrader_config.py``: ``configure(c)``.

The config file is written once and is the teacher's; it calls ``configure``
so that what the tools need (the grading kernel, per-cell time limits,
feedback without hidden tests) comes from the installed package.
"""
import os
from pathlib import Path

from nndl.learner import TEXT_STUB
from nndl.teach import sandbox

# Seconds a cell may run before it is interrupted.  Exercises and tests answer in
# a second or two; only training runs (notebooks 05 and 06) take minutes.
TIMEOUTS = {"exercise": 20, "lesson": 120, "training": 900}
SANITIZE = "nbconvert.preprocessors.sanitize.SanitizeHTML"  # a student's Markdown and outputs, scripts taken out
REVIEW = "NNDL_REVIEW"  # set, to the reason, when a submission that could not be graded is put in for review
TRAINING_CELLS = "NNDL_TRAINING_CELLS"  # set by autograde for nbgrader: the ids of training_cells(source), spaced
TRAINING_EXERCISES = {"nb06_no_hidden"}  # exercises that train a network, however the student wrote them


def training_cells(source):
    """The ids of the cells of the teacher's notebook ``source`` that train a network."""
    return [c.id for c in source.cells if c.cell_type == "code" and (".SGD(" in c.source or "train_live(" in c.source)]


def cell_timeout(cell):
    """The time limit of one cell: minutes for a cell that trains a network, seconds for an exercise or a test.

    Which cells train is read from the teacher's notebook (``TRAINING_CELLS``,
    their ids), never from the student's text: writing ``.SGD(`` in a comment
    buys no time.
    """
    meta = cell.metadata.get("nbgrader", {})
    if cell.get("id") in os.environ.get(TRAINING_CELLS, "").split() or meta.get("grade_id") in TRAINING_EXERCISES:
        return TIMEOUTS["training"]
    return TIMEOUTS["exercise"] if meta.get("solution") or meta.get("grade") else TIMEOUTS["lesson"]


def autograde_steps():
    """nbgrader's autograde preprocessors: the graded tests split before the cells are run (by ``BoundedExecute``),
    then ``StderrIsNoError`` and the judge right after."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    from nndl.teach.feedback import BoundedExecute, Judge, SplitJudge, StderrIsNoError
    steps = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
    at = steps.index(Execute)
    steps[at:at + 1] = [SplitJudge, BoundedExecute, StderrIsNoError, Judge]
    steps.append(SANITIZE)  # last, after the grades are saved: what the formgrader shows runs no student script
    if os.environ.get(REVIEW):  # a submission that could not be run: into the gradebook as it is, run by no one
        steps.remove(BoundedExecute)
    return steps


def configure(c):
    """Apply the settings to an nbgrader config ``c``."""
    c.ClearSolutions.text_stub = TEXT_STUB  # a written answer's cell, as the learner's own copy shows it
    c.Autograde.autograde_preprocessors = autograde_steps()
    c.Execute.timeout_func = cell_timeout
    c.HTMLExporter.sanitize_html = True  # a student's HTML or script output shows as text, never runs, in feedback
    c.SanitizeHTML.enabled = True  # nbconvert's preprocessors run only when enabled
    c.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.GetGrades", "nndl.teach.feedback.HideHiddenTests",
                                        SANITIZE, "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
    run = os.environ.get(sandbox.RUN)
    if run:  # set by nndl.teach for each submission it grades
        c.Execute.kernel_name = sandbox.KERNEL
        c.KernelManager.transport = "ipc"
        c.KernelManager.ip = str(Path(run) / sandbox.SOCKETS / "kernel")
