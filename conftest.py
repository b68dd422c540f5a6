"""Shared test set-up: the reference notebooks must run without errors; report how long they took under nbval."""


_notebook_seconds = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebook run times (nbval)")
        for path, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
        terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  all notebooks")


SLOWEST_FIRST = ("test_teach_class.py", "test_browser.py")
"""Started first, so that with one process per core (``course.py test``) the longest files do not end the run alone."""


def pytest_collection_modifyitems(items):
    """The slowest test files first; and no cell of a reference notebook may fail, even one tagged ``raises-exception``.

    The exercise and graded-test cells carry that tag so that a *learner's* Run All goes on past an
    unsolved exercise (``nndl.learner``); nbval honours it too, so without this a broken reference
    solution or a failing graded test would pass unnoticed.
    """
    for item in items:
        if hasattr(item, "options") and str(item.path).endswith(".ipynb") and item.path.parent.name == "notebooks":
            item.options["check_exception"] = False
    items.sort(key=lambda item: item.path.name not in SLOWEST_FIRST)  # a stable sort: each file keeps its order
