"""Helpers for the tests of the exercise checks (test_checks*.py): what a check prints, and what it should print.

A check prints one message and returns None, so that a notebook shows only that (wrapped at word boundaries to
``nndl.checks.WIDTH`` characters, since JupyterLab would break a longer line inside a word):
``✓`` for a right answer, ``✗ Not yet:`` with a hint that names the mistake,
``✗ Your code raised ...`` when the learner's code fails,
``… Not done yet`` for an unfinished exercise.
"""
from nndl.checks import WIDTH


def stub(*args):
    """An unsolved exercise, as nbgrader's student version has it."""
    raise NotImplementedError()


def printed(capsys, check_function, *args):
    """What the check prints for ``args``: one message (and it returns None), wrapped lines joined into one."""
    capsys.readouterr()  # forget earlier output
    assert check_function(*args) is None, "a check returns None: a notebook shows the printed message only"
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert out.endswith("\n") and lines and all(line.startswith("  ") for line in lines[1:]), \
        f"a check prints one message, its wrapped lines indented, got:\n{out}"
    assert all(len(line) <= WIDTH for line in lines if " " in line.strip()), f"a line is too long to show:\n{out}"
    return " ".join(line.strip() for line in lines) + "\n"


def assert_accepts(capsys, check_function, *args):
    out = printed(capsys, check_function, *args)
    assert out.startswith("✓"), out


def assert_rejects(capsys, check_function, args, *phrases):
    """The check rejects ``args`` with a hint that mentions every one of ``phrases``; returns the line."""
    out = printed(capsys, check_function, *args)
    assert out.startswith("✗ Not yet: "), out
    for phrase in phrases:
        assert phrase in out, f"the hint should mention {phrase!r}:\n{out}"
    return out
