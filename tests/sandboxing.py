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
