"""The tests that need the grading sandbox: skipped where bubblewrap cannot run, except in CI (``CI=true``),
where the sandbox must work: there a missing one fails them, and says why."""
import os

import pytest

from nndl.teach import sandbox

MISSING = sandbox.available()
needs_sandbox = pytest.mark.skipif(bool(MISSING) and os.environ.get("CI") != "true",
                                   reason=f"no sandbox here: {MISSING}")


def require_sandbox():
    """Skip the calling module where there is no sandbox; in CI, fail."""
    if MISSING and os.environ.get("CI") == "true":
        pytest.fail(f"the grading sandbox must work in CI: {MISSING}", pytrace=False)
    if MISSING:
        pytest.skip(f"no sandbox here: {MISSING}", allow_module_level=True)


def kernel_run(tmp_path):
    """A grading run's folder in ``tmp_path`` and the connection file its kernel is given, as autograde and the
    launcher make them: (run, connection file)."""
    run, connection = tmp_path / "run", tmp_path / "conn.json"
    sandbox.make_run_folders(run)
    connection.write_text("{}")
    connection.chmod(0o600)  # as jupyter_client writes it
    return run, sandbox.open_run_to_the_kernel(str(run), str(connection))
