"""Every notebook in a real browser (JupyterLab + headless Chromium, one server for all; see ``browser.py``).

For each notebook, the learner's copy as ``python3 course.py setup`` makes it
(nothing solved): Run All; no cell left unrun, and errors only where an
unsolved exercise or its graded test must fail (``test_learner``); every
figure loaded, no widget left "Loading widget..." or "Error displaying
widget"; every figure opaque, so that it keeps its white background in a
dark theme.  Then every control that redraws something is moved or pressed,
and its picture must change and its readout agree.  Notebook 07 is also
checked in a narrow window (the controls wrap) and in the dark theme.
Screenshots of every figure and widget go to ``test-artifacts/browser/``
(git-ignored); NNDL_UPDATE_DOCS=1 also writes the README's ``docs/lab.png``.
"""
import base64
import io
import os
import re

import nbformat
import pytest
from PIL import Image

from browser import (ARTIFACTS, ROOT, VIEWPORT, dropdown, overflowing_controls, page_problems, press_slider, run_all,
                     settled_image, slider)
from nndl import learner
from test_learner import assert_only_the_exercises_fail

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def is_opaque(png):
    image = Image.open(io.BytesIO(png))
    return "A" not in image.getbands() or image.getchannel("A").getextrema()[0] == 255


# ----- the controls of each kind of widget ----------------------------------------------------------

def check_interact_output(explorer):
    """An interact shows its picture and nothing else (no printed Axes, no text)."""
    output = explorer.locator(".widget-output")
    assert output.locator("img").count() == 1
    assert output.locator(".jp-RenderedText").count() == 0, output.inner_text()


def check_sliders(page, explorer, moves):
    """Each (slider, key, expected readout) of ``moves`` redraws the interact's picture and shows its new value."""
    check_interact_output(explorer)
    plot = explorer.locator(".widget-output img")
    before = settled_image(plot, page)
    for description, key, expected in moves:
        readout = press_slider(page, slider(explorer, description), key)
        before = settled_image(plot, page, previous=before)
        assert readout == expected, description
        check_interact_output(explorer)
    return before


def check_sigmoid_explorer(run):
    explorer = run.page.locator(".widget-interact").first
    check_sliders(run.page, explorer, [("weight w", "ArrowRight", "1.25"), ("bias b", "ArrowLeft", "−0.25")])


def check_descent_explorer(run):
    page = run.page
    explorer = page.locator(".widget-interact").first
    explorer.scroll_into_view_if_needed()
    picture = check_sliders(page, explorer, [("η", "ArrowRight", "0.1122"), ("start v1", "ArrowLeft", "1.10"),
                                             ("start v2", "ArrowLeft", "0.90"), ("steps", "ArrowRight", "21")])
    dropdown(explorer, "surface").select_option(label="round valley")
    settled_image(explorer.locator(".widget-output img"), page, previous=picture)
    check_interact_output(explorer)
    return explorer


def check_live_curve(run):
    """Notebook 06's live training: the bar is full, and the readout agrees with the book's transcript below it."""
    page = run.page
    bar = page.locator(".widget-hprogress").first
    readout = page.locator(".widget-label", has_text=re.compile(r"^\d+ / \d+ epochs")).first.inner_text()
    assert page.locator("img.widget-image").count() >= 1
    cell = next(c for c in run.notebook.cells if "train_live(" in c.source)
    transcript = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").split("\n")
    last = [line for line in transcript if line.startswith("Epoch")][-1]
    epoch, correct, total = map(int, re.match(r"Epoch (\d+): (\d+) / (\d+)", last).groups())
    assert readout == f"{epoch + 1} / {epoch + 1} epochs, test accuracy {correct / total:.2%}", (readout, last)
    assert bar.locator(".progress-bar").get_attribute("style").split("width: ")[1].startswith("100%")


def check_sweep_picker(run):
    page = run.page
    sweep = page.locator(".widget-interact").nth(1)
    check_interact_output(sweep)
    plot = sweep.locator(".widget-output img")
    before = settled_image(plot, page)
    sweep.locator("select").select_option(label=["η = 0.1", "η = 10"])
    settled_image(plot, page, previous=before)
    check_interact_output(sweep)


def check_mnist_explorer(run):
    page = run.page
    from playwright.sync_api import expect

    explorer = page.locator(".widget-vbox:has(> .nndl-explorer-status)")
    plot, status = explorer.locator("img.nndl-explorer-plot"), explorer.locator(".nndl-explorer-status")
    explorer.scroll_into_view_if_needed()
    empty = settled_image(plot, page)
    dropdown(explorer, "hidden").select_option(label="10")
    expect(status).to_have_text("η = 3, 10 hidden, mini-batch 10: not tried yet, press Train")

    explorer.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("after epoch 4", timeout=120_000)  # epochs 0 to 4
    trained = settled_image(plot, page, previous=empty)
    assert explorer.locator(".progress-bar").get_attribute("style").split("width: ")[1].startswith("100%")
    accuracy = float(re.search(r"validation accuracy ([\d.]+)%", status.inner_text()).group(1))
    assert 80 < accuracy < 100, status.inner_text()

    assert press_slider(page, slider(explorer, "η"), "ArrowLeft") == "1"
    expect(status).to_have_text("η = 1, 10 hidden, mini-batch 10: not tried yet, press Train")
    dropdown(explorer, "mini-batch").select_option(label="20")
    expect(status).to_have_text("η = 1, 10 hidden, mini-batch 20: not tried yet, press Train")
    assert settled_image(plot, page, previous=trained) != trained  # the earlier run, now faded

    explorer.get_by_role("button", name="Train").click()
    explorer.get_by_role("button", name="Stop").click(timeout=30_000)  # waits until it is enabled
    expect(status).to_contain_text("(stopped)", timeout=60_000)
    stopped = status.inner_text()
    assert int(re.search(r"after epoch (\d+)", stopped).group(1)) < 4, stopped
    run.screenshot("mnist-explorer-stopped")

    dropdown(explorer, "mini-batch").select_option(label="10")
    press_slider(page, slider(explorer, "η"), "ArrowRight")
    expect(status).to_contain_text("(tried before)")
    assert settled_image(plot, page) == trained
    return explorer


def check_lab(run):
    descent = check_descent_explorer(run)
    if os.environ.get("NNDL_UPDATE_DOCS") == "1":  # the README's picture: oscillating on the elongated valley
        plot = descent.locator(".widget-output img")
        before = settled_image(plot, run.page)
        dropdown(descent, "surface").select_option(label="elongated valley")
        before = settled_image(plot, run.page, previous=before)
        assert press_slider(run.page, slider(descent, "η"), "ArrowRight", times=2) == "0.1413"
        settled_image(plot, run.page, previous=before)
        descent.screenshot(path=str(ROOT / "docs" / "lab.png"))
    check_sweep_picker(run)
    mnist = check_mnist_explorer(run)
    check_narrow_and_dark(run, [descent, mnist])


def check_narrow_and_dark(run, widgets):
    """Below 1000 px the explorers' controls wrap; in the dark theme the figures keep their white background."""
    page = run.page
    page.set_viewport_size({"width": 900, "height": 1000})
    page.wait_for_timeout(1000)
    for widget in widgets:
        widget.scroll_into_view_if_needed()
        assert overflowing_controls(page, widget) == []
    run.screenshot("narrow")
    page.set_viewport_size(VIEWPORT)
    choose_theme(page, "JupyterLab Dark")
    try:
        pictures = run.panel.locator(".jp-OutputArea-output img")  # the figures and the widgets' pictures
        for k in range(pictures.count()):
            pictures.nth(k).scroll_into_view_if_needed()
            image = Image.open(io.BytesIO(pictures.nth(k).screenshot())).convert("RGB")
            assert image.getpixel((2, 2)) == image.getpixel((image.width - 3, image.height - 3)) == (255, 255, 255), k
        widgets[0].scroll_into_view_if_needed()
        run.screenshot("dark")
    finally:
        choose_theme(page, "JupyterLab Light")


def choose_theme(page, theme):
    page.click(".lm-MenuBar-itemLabel:text-is('Settings')")
    page.click(".lm-Menu-itemLabel:text-is('Theme')")
    page.click(f".lm-Menu-itemLabel:text-is('{theme}')")
    page.wait_for_selector(f"body[data-jp-theme-name='{theme}']", state="attached")
    page.wait_for_timeout(500)


def check_neuron_explorer(run):
    """Notebook 08's learning slowdown: every slider and the cost menu redraw the neuron's curves."""
    page = run.page
    explorer = page.locator(".widget-interact").first
    explorer.scroll_into_view_if_needed()
    eta_before = slider(explorer, "η").locator(".widget-readout").inner_text()
    picture = check_sliders(page, explorer, [("start w", "ArrowRight", "2.10"), ("start b", "ArrowLeft", "1.90"),
                                             ("epochs", "ArrowRight", "310")])
    eta_after = press_slider(page, slider(explorer, "η"), "ArrowRight")
    picture = settled_image(explorer.locator(".widget-output img"), page, previous=picture)
    assert float(eta_after) > float(eta_before), (eta_before, eta_after)
    dropdown(explorer, "cost").select_option(label="cross-entropy")
    settled_image(explorer.locator(".widget-output img"), page, previous=picture)
    check_interact_output(explorer)


def check_regularisation_explorer(run):
    """Notebook 09's slider over the runs: each step shows the next run, named in the readout."""
    explorer = run.page.locator(".widget-interact").first
    explorer.scroll_into_view_if_needed()
    check_sliders(run.page, explorer, [("run", "ArrowRight", "λ = 0.1"), ("run", "ArrowRight", "λ = 1")])


def check_universality_explorers(run):
    """Notebook 12: w and b move the step; s1, s2 and h move the bump, s1 past s2 too; each bump height redraws the
    design and its score, up to the book's goal."""
    from playwright.sync_api import expect

    from nndl import universality

    page = run.page
    steps = page.locator(".widget-interact:has(label:text-is('weight w'))")
    steps.scroll_into_view_if_needed()
    check_sliders(page, steps, [("weight w", "ArrowRight", "9"), ("bias b", "ArrowLeft", "−5"),
                                ("weight w", "End", "1000")])
    bias = slider(steps, "bias b")
    track = bias.locator(".noUi-target").bounding_box()
    page.mouse.click(track["x"] + 1, track["y"] + track["height"] / 2)  # b's span follows w: its left end is -1250
    expect(bias.locator(".widget-readout")).to_have_text(re.compile(r"−12\d\d"))
    steps.screenshot(path=str(ARTIFACTS / "12_universality-steps.png"))
    bump = page.locator(".widget-interact:has(label:text-is('height h'))")
    bump.scroll_into_view_if_needed()
    check_sliders(page, bump, [("step s₁", "ArrowRight", "0.41"), ("step s₂", "ArrowLeft", "0.59"),
                               ("height h", "ArrowLeft", "0.7"), ("step s₁", "End", "1.00")])
    bump.screenshot(path=str(ARTIFACTS / "12_universality-bump.png"))
    design = page.locator(".widget-vbox:has(> .nndl-design-status)")
    plot, status = design.locator("img.nndl-design-plot"), design.locator(".nndl-design-status")
    design.scroll_into_view_if_needed()
    picture = settled_image(plot, page)
    heights = [0.0] * 5
    for k, target in enumerate(round(h, 1) for h in universality.heights_for(universality.f, 5)):  # the course's
        presses = int(round(abs(target) * 10))
        readout = press_slider(page, slider(design, f"h{k + 1}"), "ArrowRight" if target > 0 else "ArrowLeft", presses)
        assert readout == f"{target:.1f}".replace("-", "−"), (k, readout)
        heights[k] = target
        picture = settled_image(plot, page, previous=picture)
        deviation = universality.average_deviation(universality.equal_bumps(heights))
        expect(status).to_have_text(universality.deviation_text(deviation))
    assert "goal reached" in status.inner_text()
    design.screenshot(path=str(ARTIFACTS / "12_universality-goal-reached.png"))


CHECKS = {"02": check_sigmoid_explorer, "03": check_descent_explorer, "06": check_live_curve, "07": check_lab, "08": check_neuron_explorer,
          "09": check_regularisation_explorer, "12": check_universality_explorers}


# ----- the test -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_and_every_figure_and_widget_works(notebook, lab, browser, tmp_path):
    copy = tmp_path / notebook.name
    nbformat.write(learner.learner_version(nbformat.read(notebook, as_version=4)), copy)
    page = browser.new_page(viewport=VIEWPORT)
    try:
        run = run_all(page, lab, copy)
        assert run.unrun_cells() == []
        assert_only_the_exercises_fail(run.notebook)
        assert page_problems(page) == []
        figures = run.png_outputs()
        assert all(is_opaque(base64.b64decode(png)) for png in figures)
        outputs = run.panel.locator(".jp-OutputArea-output:has(img)")
        assert outputs.count() >= len(figures)
        for k in range(outputs.count()):  # a screenshot of every figure and widget, as JupyterLab shows it
            outputs.nth(k).scroll_into_view_if_needed()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            outputs.nth(k).screenshot(path=str(ARTIFACTS / f"{notebook.stem}-output{k + 1}.png"))
        CHECKS.get(notebook.name[:2], lambda run: None)(run)
        assert page_problems(page) == []
    finally:
        page.close()
        lab.shut_down(notebook.name)
