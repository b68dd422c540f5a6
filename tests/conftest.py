"""Fixtures shared by the browser tests: one JupyterLab server and one Chromium for the whole session."""
import pytest

from browser import JupyterLab, open_browser, require_browser


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    require_browser()
    with JupyterLab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser(lab):
    with open_browser() as chromium:
        yield chromium
