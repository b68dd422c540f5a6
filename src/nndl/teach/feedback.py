"""nbgrader preprocessors: feedback without the hidden tests; graded cells not failed by what they print to stderr."""
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

from nndl.learner import is_graded_test


HIDDEN_FAILED = "a hidden test failed (its message stays hidden, as the test does)"


class HideHiddenTests(ClearHiddenTests):
    """Remove the ``### BEGIN HIDDEN TESTS`` regions of the graded test cells, and what their failures tell.

    A failed hidden ``assert`` would show its own line in the traceback, so the
    error outputs of graded cells keep only the error's name and message, and
    the message only if the visible part of the cell holds it.  Only the
    locked test cells are read: a student's own cell that happens to hold the
    words "BEGIN HIDDEN TESTS" is the student's text, left as it is (nbgrader
    would refuse the whole notebook for a region without its end).
    """

    def preprocess_cell(self, cell, resources, index):
        if not is_graded_test(cell):
            return cell, resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        for output in cell.outputs:
            if output.output_type == "error":
                if output.evalue not in cell.source:
                    output.evalue = HIDDEN_FAILED
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


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
