"""A learner's copy in a real browser: Run All reaches the last cell, and solution() renders code.

Serves the learner version of notebook 01 with nothing solved, in which the
learner has uncommented ``ex1.solution()`` in the first check cell, through
the shared JupyterLab + Chromium set-up of ``browser.py``.
"""
import nbformat

from browser import VIEWPORT, run_all
from nndl import learner

NAME = "01_perceptrons.ipynb"


def test_run_all_in_a_learner_copy_reaches_the_end(lab, browser, tmp_path):
    copy = learner.learner_version(nbformat.read(learner.NOTEBOOKS / NAME, as_version=4))
    check = next(c for c in copy.cells if c.source.startswith("# NBVAL_CHECK_OUTPUT\nex1.check("))
    check.source = check.source.replace("# ex1.solution()", "ex1.solution()")
    nbformat.write(copy, tmp_path / NAME)

    page = browser.new_page(viewport=VIEWPORT)
    try:
        run = run_all(page, lab, tmp_path / NAME)
        solution = run.panel.locator(".jp-RenderedMarkdown:has-text('Solution:') pre code").first
        solution_code = solution.inner_text(timeout=10_000)
        run.screenshot("learner-copy")
    finally:
        page.close()

    assert run.unrun_cells() == [], "Run All stopped before the end of the learner copy"
    tagged = {i for i, cell in enumerate(run.notebook.cells) if learner.RAISES in cell.metadata.get("tags", [])}
    failed = {index for index, _, _ in run.errors}
    assert len(failed) >= 4, "the unsolved exercises and their graded tests show their errors"
    assert failed <= tagged, f"errors outside the exercise cells: {run.errors}"
    assert "def perceptron(x, w, b):" in solution_code and "np.dot(w, x) + b > 0" in solution_code
