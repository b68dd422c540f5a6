"""Helpers for the tests of the exercise checks (test_checks*.py): what a check prints, and what it should print.

A check prints one line and returns None, so that a notebook shows only that line:
``✓`` for a right answer, ``✗ Not yet:`` with a hint that names the mistake,
``✗ Your code raised ...`` when the learner's code fails,
``… Not done yet`` for an unfinished exercise.
"""


def stub(*args):
    """An unsolved exercise, as nbgrader's student version has it."""
    raise NotImplementedError()


def printed(capsys, check_function, *args):
    """What the check prints for ``args``: exactly one line (and it returns None)."""
    capsys.readouterr()  # forget earlier output
    assert check_function(*args) is None, "a check returns None: a notebook shows the printed line only"
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, f"a check prints exactly one line, got:\n{out}"
    return out


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
