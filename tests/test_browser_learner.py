"""A learner's copy in a real browser: Run All reaches the last cell, and solution() renders code.

Uses the JupyterLab + headless Chromium set-up of tests/test_browser_lab.py,
serving the learner version of notebook 01 with nothing solved, in which the
learner has uncommented ``ex1.solution()`` in the first check cell.
"""
import re

import nbformat

from nndl import learner
from test_browser_lab import CHROMIUM, FLAGS, get_json, jupyterlab, require_browser, wait_until_kernel_idle  # noqa: F401

NAME = "01_perceptrons.ipynb"


def test_run_all_in_a_learner_copy_reaches_the_end(jupyterlab, tmp_path):
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    copy = learner.learner_version(nbformat.read(learner.NOTEBOOKS / NAME, as_version=4))
    check = next(c for c in copy.cells if c.source.startswith("# NBVAL_CHECK_OUTPUT\nex1.check("))
    check.source = check.source.replace("# ex1.solution()", "ex1.solution()")
    nbformat.write(copy, tmp_path / "work" / NAME)  # the folder the server serves
    n_code = sum(c.cell_type == "code" for c in copy.cells)

    base, token = jupyterlab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{NAME}?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        while not get_json(f"{base}/api/sessions?token={token}"):
            page.wait_for_timeout(500)
        wait_until_kernel_idle(base, token)
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        last_prompt = page.locator(".jp-CodeCell .jp-InputArea-prompt").last
        expect(last_prompt).to_have_text(re.compile(r"\[\d+\]:"), timeout=120_000)  # stays [ ]: if Run All stops
        wait_until_kernel_idle(base, token)
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        solution = page.locator(".jp-RenderedMarkdown:has-text('Solution:') pre code").first
        solution_code = solution.inner_text(timeout=10_000)
        page.screenshot(path=str(tmp_path / "learner_copy.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'learner_copy.png'}")
        browser.close()

    assert len(prompts) == n_code
    assert re.fullmatch(r"\[\d+\]:", prompts[-1].strip()), f"the last code cell did not run: {prompts[-1]!r}"
    assert errors >= 4, "the unsolved exercises and their graded tests show their errors"
    assert "def perceptron(x, w, b):" in solution_code and "np.dot(w, x) + b > 0" in solution_code
