"""Errors told in one line, for the programs of the course (``python -m nndl``, ``nndl.learner``, ``nndl.progress``).

A program reports an expected failure (a missing file, a full disk) as one
line that says what is wrong, never as a traceback.
"""
import stat


def describe(error):
    """An exception as one line: an OSError from the system as "FILE: reason", any other as its message."""
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split()) or type(error).__name__


def kind_of_file(mode):
    """What an ``os.stat`` mode is, for a message: "a file", "a folder", "a named pipe (FIFO)" or "a device or a socket".

    Programs that read a file check first that it is "a file": reading a
    named pipe waits forever for a writer, and a device may never end.
    """
    if stat.S_ISREG(mode):
        return "a file"
    return "a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or a socket"
