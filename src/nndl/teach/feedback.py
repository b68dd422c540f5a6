"""nbgrader preprocessors: graded tests judged outside the student's Python; feedback without the hidden tests;
graded cells not failed by what they print to stderr."""
import builtins
import json
import os
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor

from nndl.learner import is_graded_test
from nndl.teach import judge, sandbox
from nndl.teach.grading import OBSERVED
from nndl.teach.settings import REVIEW


HIDDEN_FAILED = "a hidden test failed (its message stays hidden, as the test does)"
REDACTED = "[a line of a hidden test]"
NOT_JUDGED = "NotJudged"  # the error name of a test the judge could not judge (the message says why)
JUDGED = "judged by the grader, outside the student's Python"
OUTPUT_MB = 32  # the most a notebook's cells may display, in all, when graded
CUT = f"[more output than the {OUTPUT_MB} MB a graded notebook may show: the rest is left out]\n"
PYTHONS_ERRORS = {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}


class HideHiddenTests(ClearHiddenTests):
    """Remove the ``### BEGIN HIDDEN TESTS`` regions of the graded test cells, and what their failures tell.

    A failed hidden ``assert`` would show its own line in the traceback, so the
    error outputs of graded cells keep only the error's name and message, and
    the message only if the visible part of the cell holds it, and the name only if it is one of Python's own.  The kernel saw
    the hidden tests' inputs, and any cell of the student's could have printed
    them (encoded, reversed, from a thread): feedback shows no output of the
    student's cells, and of a graded cell only its verdict.  Only the
    locked test cells are read: a student's own cell that happens to hold the
    words "BEGIN HIDDEN TESTS" is the student's text, left as it is (nbgrader
    would refuse the whole notebook for a region without its end).
    """

    def preprocess(self, nb, resources):
        resources["nndl_hidden_lines"] = sorted(
            {line.strip() for cell in nb.cells if is_graded_test(cell)
             for region in judge.HIDDEN.findall(cell.source) for line in region.splitlines()
             if len(line.strip()) > 8 and "HIDDEN TESTS" not in line}, key=len, reverse=True)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if not is_graded_test(cell):  # what a student's cell showed may hold a test's hidden lines, encoded anyhow
            if cell.cell_type == "code":
                cell.outputs = []
            return cell, resources
        cell.outputs = [output for output in cell.outputs if output.output_type == "error"]  # the verdict alone
        for output in cell.outputs:
            redact(output, resources["nndl_hidden_lines"])
        cell, resources = super().preprocess_cell(cell, resources, index)
        for output in cell.outputs:
            if output.output_type == "error":
                if output.evalue not in cell.source and output.ename != NOT_JUDGED:
                    output.evalue = HIDDEN_FAILED
                if output.ename not in PYTHONS_ERRORS and output.ename != NOT_JUDGED:  # a student's class, named anyhow
                    output.ename = "Exception"
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


def redact(output, hidden_lines):
    """Replace, in an output's text, every line of a hidden test it repeats."""
    def clean(text):
        joined = "".join(text) if isinstance(text, list) else text
        for line in hidden_lines:
            joined = joined.replace(line, REDACTED)
        return joined
    if "text" in output:
        output.text = clean(output.text)
    for kind, value in output.get("data", {}).items():
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            output.data[kind] = clean(value)


class BoundedExecute(Execute):
    """nbgrader's ``Execute``, keeping at most ``OUTPUT_MB`` of what the cells display; never an error's output.

    nbgrader keeps every output in memory and in the autograded notebook: a
    cell printing for two minutes would fill both.  Past the bound, what the
    cells display is left out (one line says so), but each error still
    arrives, or a failed test would pass.
    """

    def preprocess(self, nb, resources=None, km=None):
        self.shown, self.cut = 0, False
        return super().preprocess(nb, resources, km)

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
            self.shown += len(json.dumps(msg["content"]))
            if self.shown > OUTPUT_MB * 2**20:
                if not self.cut:
                    outs.append(nbformat.v4.new_output("stream", name="stdout", text=CUT))
                    self.cut = True
                return None
        return super().output(outs, msg, display_id, cell_index)


class StderrIsNoError(NbGraderPreprocessor):
    """Show what a graded cell printed to stderr as ordinary output, so that it does not cost the points.

    nbgrader gives a graded cell 0 points when it printed anything to stderr, which
    an honest answer may do: a tqdm progress bar, a ``logging`` or ``warnings``
    message.  Run after ``Execute``, this keeps the text (feedback shows it) but
    as a stdout stream; an exception still fails the cell.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class SplitJudge(NbGraderPreprocessor):
    """Before ``Execute``: give each graded test cell only its first half, which hands ``seen`` over to the judge.

    Only when ``python -m nndl.teach autograde`` grades (in its sandbox); under
    nbgrader's own ``autograde`` the cells stay whole and run in the student's
    Python, and the log says so.
    """

    def preprocess(self, nb, resources):
        resources["nndl_tests"] = {}
        if not os.environ.get(sandbox.RUN):
            self.log.warning("graded without nndl's sandbox and judge: the students' code runs with your rights and "
                             "the tests run in their Python.  Grade with `python -m nndl.teach autograde`.")
            return nb, resources
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if is_graded_test(cell):
            grade_id = cell.metadata.nbgrader["grade_id"]
            try:
                kernel, _ = judge.split(cell.source, grade_id)
            except judge.Misjudged as e:
                self.log.warning("%s; it runs whole in the student's Python", e)
                return cell, resources
            resources["nndl_tests"][grade_id] = cell.source
            cell.source = kernel
        return cell, resources


class Judge(NbGraderPreprocessor):
    """After ``Execute``: judge what each split test cell handed over, and fail the cell if the judge says no.

    This runs in nbgrader's process, which ran no student code: it reads the
    archives the kernel wrote (numbers only) and runs the teacher's judging
    lines on them.  A cell that failed in the kernel stays failed; a cell the
    judge fails gets an error output first (nbgrader scores a cell by its first
    telling output, an error or a result read as partial credit, so every
    result the kernel displayed is dropped and none can count before it).  The
    cell's whole source is put back, for the formgrader and the feedback.
    """

    def preprocess_cell(self, cell, resources, index):
        source = resources.get("nndl_tests", {}).get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if source is None:
            return cell, resources
        grade_id, cell.source = cell.metadata.nbgrader["grade_id"], source
        # nbgrader would read an execute_result before any error as partial credit: the kernel's half has none to give
        cell.outputs = [output for output in cell.outputs if output.output_type != "execute_result"]
        if any(output.output_type == "error" for output in cell.outputs):
            return cell, resources
        try:
            if os.environ.get(REVIEW):
                raise judge.Misjudged(f"not run ({os.environ[REVIEW]}): for the teacher to read and grade by hand")
            seen = judge.observations(Path(os.environ[OBSERVED]) / f"{grade_id}.npz")
            failure = judge.verdict(source, grade_id, seen)
        except judge.Misjudged as e:
            failure = NOT_JUDGED, str(e), None
        if failure:
            name, message, line = failure
            where = f" (line {line}{', a hidden test' if line and judge.in_hidden_tests(source, line) else ''})"
            cell.outputs.insert(0, nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[
                JUDGED + (where if line else ""), f"{name}: {message}"]))
        return cell, resources
