"""Errors told in one line, for the programs of the course (``python -m nndl``, ``nndl.learner``, ``nndl.progress``).

A program reports an expected failure (a missing file, a full disk) as one
line that says what is wrong, never as a traceback.
"""


def describe(error):
    """An exception as one line: an OSError from the system as "FILE: reason", any other as its message."""
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split()) or type(error).__name__
