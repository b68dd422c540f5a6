"""Feedback for students without the hidden tests: an nbgrader preprocessor for ``generate_feedback``."""
from nbgrader.preprocessors import ClearHiddenTests


class HideHiddenTests(ClearHiddenTests):
    """Remove the ``### BEGIN HIDDEN TESTS`` regions of graded cells, and their tracebacks.

    A failed hidden ``assert`` would show its own line in the traceback, so the
    error outputs of graded cells keep only the error's name and message.
    """

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
