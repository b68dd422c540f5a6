"""Notebooks in a real browser: JupyterLab on a loopback port, Debian's Chromium driven by Playwright.

The API, for any test that wants to see a notebook as a learner does::

    with JupyterLab(tmp_path) as lab, open_browser() as browser:   # or the ``lab`` / ``browser`` fixtures
        page = browser.new_page(viewport=VIEWPORT)
        run = run_all(page, lab, "notebooks/06_training_on_mnist.ipynb")   # any notebook path
        run.errors        # [(cell index, cell id, "ename: evalue"), ...] from the notebook as saved by the browser
        run.notebook      # that saved notebook (nbformat), outputs included

``run_all`` copies the notebook into the server's folder (the browser saves
the copy, never the original), opens it, runs every cell with the Run menu,
waits until the kernel is idle and every cell has run, waits for the widgets
to render, saves, and reads the saved file.  The helpers below it drive
widgets: move a slider, pick from a list, wait until a picture stops changing.
Debian's chromium is used (never a browser download); without it the tests
skip, except in CI (CI=true), where a missing browser is a failure.
"""
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"  # screenshots (git-ignored)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
SETTINGS = {"apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
            "notebook-extension/tracker": {"windowingMode": "none"}}  # render every cell, not only the visible ones


def require_browser():
    """Skip the test without Chromium or Playwright, or fail it in CI, where they must be installed."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Python playwright is not installed (pip install -e .[test])"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"the browser tests must run in CI: {missing}")
    if missing:
        pytest.skip(missing)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on a free loopback port, serving a fresh folder ``root``, with its own settings."""

    token = "nndl-browser-test"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.root = self.folder / "served"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = None

    def __enter__(self):
        self.root.mkdir(parents=True)
        for plugin, values in SETTINGS.items():
            path = self.folder / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(self.folder / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.folder / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(self.folder / "runtime"))
        self.log = self.folder / "jupyterlab.log"
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={self.port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
             "--ServerApp.port_retries=0"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"))
        deadline = time.monotonic() + 60
        while True:
            try:
                self.api("status")
                return self
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.__exit__()
                    raise RuntimeError(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")
                time.sleep(0.5)

    def __exit__(self, *_):
        self.server.terminate()
        self.server.wait(timeout=30)

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.base}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def url(self, name):
        """The notebook's address; ``reset`` opens it alone, not beside the notebooks opened before."""
        return f"{self.base}/lab/tree/{urllib.parse.quote(name)}?reset&token={self.token}"

    def session(self, name):
        """The server's session of the notebook ``name``, or None before its kernel starts."""
        return next((s for s in self.api("sessions") if s["path"] == name), None)

    def wait_until_idle(self, name, timeout=300):
        """Poll the server (the page's indicator reads idle before the kernel exists) until the kernel is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            session = self.session(name)
            if session and session["kernel"]["execution_state"] == "idle":
                return
            time.sleep(0.5)
        raise TimeoutError(f"the kernel of {name} did not become idle in {timeout} s")

    def shut_down(self, name):
        """Stop the notebook's kernel, so the next notebook has the processor."""
        session = self.session(name)
        if session:
            self.api(f"sessions/{session['id']}", method="DELETE")


@contextlib.contextmanager
def open_browser():
    """Debian's headless Chromium under Playwright (call ``require_browser()`` first)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class NotebookRun:
    """A notebook after Run All in the browser: the page, the saved notebook and its errors."""

    def __init__(self, page, lab, name):
        self.page, self.lab, self.name = page, lab, name
        self.notebook = nbformat.read(lab.root / name, as_version=4)
        self.errors = [(index, cell.get("id"), f"{output['ename']}: {output['evalue']}")
                       for index, cell in enumerate(self.notebook.cells) if cell.cell_type == "code"
                       for output in cell.outputs if output.output_type == "error"]
        self.panel = page.locator(".jp-NotebookPanel:visible")

    def png_outputs(self):
        """The PNG figures among the saved outputs (widgets' pictures live in the widgets, not here)."""
        return [output.data["image/png"] for cell in self.notebook.cells if cell.cell_type == "code"
                for output in cell.outputs if "image/png" in output.get("data", {})]

    def unrun_cells(self):
        return [index for index, cell in enumerate(self.notebook.cells)
                if cell.cell_type == "code" and cell.execution_count is None]

    def screenshot(self, label):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{Path(self.name).stem}-{label}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


def run_all(page, lab, notebook_path, timeout=600):
    """Open a copy of ``notebook_path`` in ``lab``, run all its cells, save it, and return a ``NotebookRun``."""
    name = Path(notebook_path).name
    shutil.copy(notebook_path, lab.root / name)
    page.goto(lab.url(name))
    page.wait_for_selector(".jp-NotebookPanel:visible .jp-Cell", timeout=60_000)
    deadline = time.monotonic() + 60
    while lab.session(name) is None and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    lab.wait_until_idle(name)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    panel = page.locator(".jp-NotebookPanel:visible")
    running = panel.locator(".jp-InputPrompt:has-text('[*]')")
    last_prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").last
    deadline = time.monotonic() + timeout
    page.wait_for_timeout(1000)
    quiet = 0  # polls in a row with no cell running and the kernel idle
    while True:
        if running.count() or lab.session(name)["kernel"]["execution_state"] != "idle":
            quiet = 0
        elif re.fullmatch(r"\[\d+\]:", last_prompt.inner_text().strip()) or quiet >= 4:
            break  # the last cell has run; or Run All stopped before it, for 2 s now (the kernel can be idle
            # for a moment between two cells while the page has not yet marked the next one [*])
        else:
            quiet += 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: Run All did not finish in {timeout} s")
        page.wait_for_timeout(500)
    wait_for_widgets(page)
    panel.locator(".jp-Notebook").click(position={"x": 5, "y": 5})  # focus the notebook, not a widget
    page.keyboard.press("Control+s")
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    page.wait_for_timeout(300)
    deadline = time.monotonic() + 30
    while "jp-mod-dirty" in (tab.get_attribute("class") or "") and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    return NotebookRun(page, lab, name)


def wait_for_widgets(page, timeout=60):
    """Wait until no widget reads "Loading widget..." (it stays if the widget's JavaScript never rendered)."""
    deadline = time.monotonic() + timeout
    while page.get_by_text("Loading widget...").count() and time.monotonic() < deadline:
        page.wait_for_timeout(500)


def page_problems(page):
    """Text that must not be on the page: widgets that failed to render, or images that failed to load."""
    problems = [f"{n} x {text!r}" for text in ("Loading widget...", "Error displaying widget")
                if (n := page.get_by_text(text).count())]
    broken = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea img')]
                                     .filter(img => !img.complete || img.naturalWidth === 0).length""")
    return problems + ([f"{broken} images that did not load"] if broken else [])


# ----- driving widgets ------------------------------------------------------------------------------

def image_data(locator):
    """The picture an ``img`` shows, as a data URL (widgets show theirs from blob URLs, new ones for the same picture)."""
    return locator.evaluate("""async (img) => {
        const blob = await (await fetch(img.src)).blob();
        return await new Promise((done) => { const r = new FileReader(); r.onload = () => done(r.result);
                                             r.readAsDataURL(blob); });
    }""")


def settled_image(locator, page, previous=None, timeout=60):
    """The picture once it has stopped changing and differs from ``previous`` (a redraw changes it several times)."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            current = image_data(locator)
        except Error:  # the image was replaced while being read
            current = None
        if current and current == last and current != previous:
            return current
        last = current
        page.wait_for_timeout(600)
    raise TimeoutError("the picture did not settle on a new image")


def slider(widget, description):
    """The slider labelled ``description`` inside ``widget``."""
    return widget.locator(f".widget-slider:has(label:text-is('{description}'))")


def press_slider(page, slider_locator, key="ArrowRight", times=1):
    """Move a slider by keyboard, as a learner can; returns its readout afterwards."""
    slider_locator.locator(".noUi-handle").focus()
    for _ in range(times):
        page.keyboard.press(key)
        page.wait_for_timeout(100)
    return slider_locator.locator(".widget-readout").inner_text()


def dropdown(widget, description):
    return widget.locator(f".widget-dropdown:has(label:text-is('{description}')) select")


def overflowing_controls(page, widget):
    """Controls that stick out past the right edge of the notebook's output area (they should wrap instead)."""
    return widget.evaluate("""(root) => {
        const edge = root.closest('.jp-OutputArea-output').getBoundingClientRect().right;
        return [...root.querySelectorAll('.widget-inline-hbox, .widget-button, .widget-dropdown, .widget-slider')]
            .filter(el => el.getBoundingClientRect().right > edge + 1)
            .map(el => (el.querySelector('label') || el).innerText || el.className);
    }""")
