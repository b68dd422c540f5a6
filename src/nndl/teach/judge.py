"""The judge: a graded test's verdict, reached outside the student's Python, from plain numbers.

Each graded test cell is written in two halves (see ``nndl.teach.grading``):
the student's code runs on the test's inputs and what it gave is noted in
``seen``; then, after the line ``grading.hand_over(seen)``, the judging lines
compare.  When a class is graded, ``split`` gives the student's kernel only the
first half (with the cell's grade id added to ``hand_over``, which then writes
``seen`` to an archive), and ``verdict`` runs the second half here, in the
grader: after the first half's imports, on the arrays read back with
``allow_pickle=False``.  So the expected values, the comparisons and the hidden
tests' judging lines never enter the student's Python, and nothing the student's
code did there (a blanked cell, a fake ``grading`` module, patched NumPy, a
rewritten frame) can make the verdict pass: only the right numbers can.
"""
import ast
import re
import traceback
import zipfile
from pathlib import Path

import numpy as np

from nndl.teach.grading import NUMBERS

HAND_OVER = re.compile(r"^grading\.hand_over\(seen\)[^\n]*$", re.M)
MAX_BYTES = 16 * 2**20  # an archive that unpacks to more is not read: no test notes a tenth of that
MAX_NUMBERS = 10**6  # nor one holding more numbers (each becomes a Python float when judged)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS", re.S)


class Misjudged(Exception):
    """A test that cannot be judged as it is: the message says why, in one line."""


def split(source, grade_id):
    """The two halves of a graded test cell: what the student's kernel runs, and the judging lines.

    The kernel's half ends with ``grading.hand_over(seen, grade_id)``; the
    judging half is padded with empty lines, so that its line numbers are the
    cell's own.  Raises Misjudged if the cell has no ``hand_over`` line.
    """
    found = HAND_OVER.search(source)
    if found is None:
        raise Misjudged(f"the graded cell {grade_id} has no line grading.hand_over(seen): it cannot be judged")
    kernel = source[:found.start()] + f"grading.hand_over(seen, {grade_id!r})\n"
    judging = "\n" * source[:found.end()].count("\n") + source[found.end():]
    return kernel, judging


def observations(path):
    """The ``seen`` a kernel handed over in the archive ``path``: ``{name: array of numbers}``."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():  # a link the kernel left would make the grader read a file of its choice
        raise Misjudged("nothing reached the grader from this test: its cell was changed, or stopped before its end")
    try:
        with zipfile.ZipFile(path) as archive:  # the sizes unpacked, not packed: a small file may unpack to gigabytes
            size = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise Misjudged("the test's archive cannot be read (not a zip archive)") from None
    if size > MAX_BYTES:
        raise Misjudged(f"the test's archive holds {size // 2**20} MB, more than any test notes")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = [archive[f"arr_{i}"] for i in range(len(archive.files))]
    except Exception as e:  # a damaged or forged archive: zip, format and pickle errors alike
        raise Misjudged(f"the test's archive cannot be read ({type(e).__name__})") from None
    if not arrays or arrays[0].dtype.kind != "U" or arrays[0].ndim != 1 or len(arrays[0]) != len(arrays) - 1:
        raise Misjudged("the test's archive is not one that grading.hand_over writes")
    if any(a.dtype.kind not in NUMBERS for a in arrays[1:]):
        raise Misjudged("the test's archive holds something other than numbers")
    if sum(a.size for a in arrays[1:]) > MAX_NUMBERS:
        raise Misjudged(f"the test's archive holds more than {MAX_NUMBERS:,} numbers, more than any test notes")
    return dict(zip(arrays[0].tolist(), arrays[1:]))


def imports(source):
    """The import statements at the top level of ``source`` (the kernel half), as code to run first."""
    body = [node for node in ast.parse(source).body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return compile(ast.Module(body=body, type_ignores=[]), "<the test's imports>", "exec")


def verdict(source, grade_id, seen):
    """Judge ``seen`` with the judging lines of the graded cell ``source``.

    Returns None if they pass, else ``(error name, message, the failing line's number in the cell)``.
    """
    kernel, judging = split(source, grade_id)
    namespace = {"__name__": "__judge__", "seen": seen}
    try:
        exec(imports(kernel), namespace)
        exec(compile(judging, f"<judge {grade_id}>", "exec"), namespace)
    except Exception as e:  # the judging lines' AssertionError, or a KeyError for an observation never made
        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == f"<judge {grade_id}>"]
        message = f"nothing noted as {e}" if isinstance(e, KeyError) else str(e)
        return type(e).__name__, message, frames[-1].lineno if frames else None
    return None


def in_hidden_tests(source, line):
    """True if line number ``line`` of ``source`` lies in a ``### BEGIN HIDDEN TESTS`` region."""
    offset = sum(len(text) + 1 for text in source.split("\n")[:line - 1])
    return any(m.start() <= offset < m.end() for m in HIDDEN.finditer(source))
