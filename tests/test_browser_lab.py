"""The learning-rate lab in a real browser: JupyterLab + headless Chromium driven by Playwright.

Starts JupyterLab on a free loopback port with a token, serving a copy of
notebook 06 from a temporary folder; runs all cells; moves the η slider of the
gradient-descent explorer with the keyboard; checks that the plot changed and
the readout shows the new η; then presses Train in the MNIST explorer and
Stop while it trains, and checks that the run stopped early.  Keeps
screenshots in the test's temporary folder (their paths are printed).
Debian's chromium is used (never a browser download).  Without it the test is skipped, except in CI
(CI=true), where a missing browser is a failure.  NNDL_UPDATE_DOCS=1 also
writes the explorer's screenshot to docs/lab.png for the README.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser():
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Python playwright is not installed (pip install -e .[test])"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"the browser test must run in CI: {missing}")
    if missing:
        pytest.skip(missing)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.fixture
def jupyterlab(tmp_path):
    work, settings = tmp_path / "work", tmp_path / "settings" / "@jupyterlab"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / "06_learning_rate_lab.ipynb", work)
    for plugin, values in (("apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False}),
                           ("notebook-extension/tracker", {"windowingMode": "none"})):  # render every cell
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), "nndl-browser-test"
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--ServerApp.port_retries=0"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "jupyterlab.log", "wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/api/status?token={token}")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_kernel_idle(base, token, timeout=120):
    """Poll the server (not the page, whose indicator reads idle before the kernel exists) until the kernel is idle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = get_json(f"{base}/api/sessions?token={token}")
        if sessions and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.5)
    raise TimeoutError("the kernel did not become idle")


def settled_image(locator, page, previous=None, timeout=30):
    """The image's data once it has stopped changing (a redrawn plot changes several times while a slider moves)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        current = locator.get_attribute("src")
        if current and current == last and current != previous:
            return current
        last = current
        page.wait_for_timeout(700)
    raise TimeoutError("the plot did not settle on a new image")


def test_moving_the_eta_slider_redraws_the_plot_and_stop_ends_a_training(jupyterlab, tmp_path):
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    base, token = jupyterlab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/06_learning_rate_lab.ipynb?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        deadline = time.monotonic() + 60
        while not get_json(f"{base}/api/sessions?token={token}") and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        wait_until_kernel_idle(base, token)

        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        explorer = page.locator(".widget-interact").first
        explorer.wait_for(timeout=120_000)
        plot = explorer.locator(".widget-output img").first
        plot.wait_for(timeout=60_000)
        page.locator(".nndl-explorer-plot").wait_for(timeout=120_000)  # the last widget: all cells ran
        wait_until_kernel_idle(base, token)

        # 1. The gradient-descent explorer: four presses move η from 0.1 (converges) to 0.158 (oscillates).
        eta_slider = explorer.locator(".widget-slider:has(label:text-is('η'))")
        readout = eta_slider.locator(".widget-readout")
        before_image, before_eta = settled_image(plot, page), readout.inner_text()
        eta_slider.locator(".noUi-handle").focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(100)
        after_image = settled_image(plot, page, previous=before_image)
        after_eta = readout.inner_text()
        explorer.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "descent_explorer.png"))
        if os.environ.get("NNDL_UPDATE_DOCS") == "1":
            explorer.screenshot(path=str(ROOT / "docs" / "lab.png"))

        # 2. The MNIST explorer trains in a background thread: the kernel still receives the Stop click.
        mnist_plot, status = page.locator("img.nndl-explorer-plot"), page.locator(".nndl-explorer-status")
        empty_plot = mnist_plot.get_attribute("src")
        page.locator("button.jupyter-button", has_text="Train").click()
        page.locator("button.jupyter-button", has_text="Stop").click(timeout=30_000)  # waits until it is enabled
        expect(status).to_contain_text("(stopped)", timeout=60_000)
        stopped_status, stopped_plot = status.inner_text(), mnist_plot.get_attribute("src")
        status.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "mnist_explorer.png"))
        print(f"screenshots: {tmp_path / 'descent_explorer.png'}, {tmp_path / 'mnist_explorer.png'}")
        browser.close()

    assert after_image != before_image
    assert (before_eta, after_eta) == ("0.1000", "0.1585")  # 10^-1 -> 10^-0.8
    assert stopped_status.startswith("η = 3, 30 hidden, mini-batch 10: ")
    assert int(stopped_status.split("after epoch ")[1].split()[0]) < 5  # of 5: stopped early
    assert stopped_plot != empty_plot  # the plot was redrawn from the training thread
