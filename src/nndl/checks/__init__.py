"""Automatic checks, hints and solutions for the notebooks' exercises, one module per chapter.

Each chapter module offers its exercises as ``ex1``, ``ex2``, ... in Kaggle
Learn's style: ``ex1.check(perceptron)`` checks an answer, ``ex1.hint()``
gives a hint (``ex1.hint(2)`` a more concrete one), ``ex1.solution()`` shows
the reference answer with a line on why it is right.  The solution code is
read from the solution region of the reference notebook in ``notebooks/``,
so it is written in one place only.

A check such as ``check_perceptron(perceptron)``, which ``ex1.check`` calls,
tries several cases, edge cases included, and prints one line: ``✓`` with
a short confirmation, or ``✗`` with a hint in words a learner understands,
never the expected answer itself.  A function that still raises
``NotImplementedError`` (an unsolved exercise in a learner's copy) gets a
friendly "not done yet" instead of a traceback.  A check returns
None, so that a notebook shows the printed line only.

Chapter modules write their checks with the ``check`` decorator and raise
``Hint("...")`` where the learner's answer goes wrong.
"""
import contextlib
import functools
import re
import textwrap

import nbformat
import numpy as np

from .. import learner
from ..learner import CODE_STUB, TEXT_STUB


class Hint(Exception):
    """Raised inside a check with a message for the learner: what is wrong, and what to look at."""


WIDTH = 110  # characters: JupyterLab breaks longer output lines anywhere, even inside a word


def say(message):
    """Print ``message`` wrapped at word boundaries to ``WIDTH`` characters, the lines after the first indented."""
    print("\n".join(textwrap.fill(paragraph, WIDTH, subsequent_indent="  ", break_long_words=False,
                                   break_on_hyphens=False) for paragraph in message.split("\n")))


def check(success_message):
    """Turn ``body(*args)``, which raises ``Hint`` on a wrong answer, into a learner-facing check.

    The checked function's own exceptions are reported too: a learner's
    ``TypeError`` becomes "your function raised TypeError: ...".
    """
    def decorate(body):
        @functools.wraps(body)
        def run(*args, **kwargs):
            if any(arg is None for arg in args):
                print("… Not done yet: your answer is still None; fill it in, then run this cell again.")
                return
            try:
                body(*args, **kwargs)
            except NotImplementedError:
                print("… Not done yet: replace `raise NotImplementedError()` with your code, "
                      "then run this cell again.")
            except Hint as hint:
                say(f"✗ Not yet: {hint}")
            except Exception as e:  # the learner's code failed: report it like a hint
                say(f"✗ Your code raised {type(e).__name__}: {e}")
            else:
                say(f"✓ {success_message}")
        return run
    return decorate


@contextlib.contextmanager
def without(*package_functions, hint=None):
    """The learner's code runs while ``package_functions`` refuse to: the graded tests' rule
    (``nndl.teach.grading.forbidden``), applied by the check too.  A refusal becomes a ``Hint``:
    ``hint`` (where ``{name}`` stands for the function called), or the refusal's own words, which name it."""
    from ..teach import grading
    try:
        with grading.forbidden(*package_functions):
            yield
    except AssertionError as refused:
        if "package function" not in str(refused):
            raise
        name = str(refused).split("package function ")[1].split(":")[0]
        raise Hint(hint.replace("{name}", name) if hint else f"{refused}.") from None


class Exercise:
    """One exercise: ``check(answer)``, ``hint(level)`` and ``solution()``, as in Kaggle Learn.

    ``name`` is what the notebook calls it (``"ex1"``); ``grade_id`` names the reference notebook's
    solution cell, whose solution region ``solution()`` shows; an exercise answered in words has no
    cell and gives its ``answer`` text instead.  ``hints`` go from a nudge to something concrete,
    never the answer itself; ``why`` says in one line why the solution is right.
    """

    def __init__(self, name, hints, why, check=None, grade_id=None, answer=None):
        if (grade_id is None) == (answer is None):
            raise ValueError(f"{name}: give either the grade_id of its solution cell or an answer in words")
        self.name, self.hints, self.why = name, list(hints), why
        self._check, self.grade_id, self.answer = check, grade_id, answer

    def check(self, *answer):
        """Check the learner's answer and print ✓ or a hint (see ``check``)."""
        if self._check is None:
            print(f"{self.name} has no automatic check: compare your answer with {self.name}.solution().")
            return
        self._check(*answer)

    def hint(self, level=1):
        """Print hint number ``level`` (1 is the gentlest)."""
        if not (isinstance(level, int) and 1 <= level <= len(self.hints)):
            print(f"{self.name} has hints 1 to {len(self.hints)}: {self.name}.hint(1) ... {self.name}.hint({len(self.hints)})")
            return
        more = (f" (Still stuck? {self.name}.hint({level + 1}) is more concrete.)" if level < len(self.hints)
                else f" (Still stuck? {self.name}.solution() shows our answer.)")
        print(f"Hint {level} of {len(self.hints)}: {self.hints[level - 1]}{more}")

    def solution(self):
        """Show the reference answer, as code when it is code, and why it is right."""
        from IPython.display import display
        display(self.reference())

    def reference(self):
        """The ``Solution`` that ``solution()`` shows; ``NO_SOLUTION`` where the course has no reference notebooks."""
        if self.answer:
            return Solution(None, self.answer, self.why)
        try:
            cell = _reference_cell(self.grade_id)
        except LookupError:  # installed without notebooks/
            return NO_SOLUTION
        text = _solution_text(cell)
        released = text.strip() == TEXT_STUB or all(line in text for line in CODE_STUB.split("\n"))
        if released:  # a student edition: its notebooks are the released ones, stubs in place of answers
            return NO_SOLUTION
        if cell.cell_type == "markdown":  # answered in words: the model answer and rubric
            return Solution(None, text, self.why)
        return Solution(text, None, self.why)


class NoSolution:
    """What ``solution()`` shows in a copy of the course without the solutions (a teacher's student edition)."""

    text = ("No solution here: this copy of the course has no reference solutions (the edition your teacher hands "
            "out, or an installation without the course's notebooks). The hints are all here: exN.hint(1), hint(2)...")

    def _repr_markdown_(self):
        return f"*{self.text}*"

    def __repr__(self):
        return self.text


NO_SOLUTION = NoSolution()


class Solution:
    """A solution as Jupyter shows it (Markdown, the code highlighted) and as text elsewhere."""

    def __init__(self, code, answer, why):
        self.code, self.answer, self.why = code, answer, why

    def _repr_markdown_(self):
        shown = f"```python\n{self.code}\n```" if self.code else self.answer
        return f"**Solution:**\n\n{shown}\n\n*Why:* {self.why}"

    def __repr__(self):
        shown = self.code or self.answer
        return f"Solution:\n{shown}\nWhy: {self.why}"


_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
_PLACEHOLDER = re.compile(r"^(\w+ = )+None$")  # `AND = OR = NOT = None`: the learner's starting point


def _reference_cell(grade_id, notebooks=None):
    notebooks = learner.NOTEBOOKS if notebooks is None else notebooks
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return cell
    raise LookupError(f"no solution cell {grade_id!r} in {notebooks}: the reference notebooks come with the "
                      "course repository (an editable install, pip install -e .)")


def _solution_text(cell):
    lines = [line for line in cell.source.split("\n") if not _MARKER.match(line)]
    return "\n".join(line for line in lines if not _PLACEHOLDER.match(line)).strip("\n")


def reference_solution(grade_id, notebooks=None):
    """The text of solution cell ``grade_id`` in the reference notebooks, without the region markers.

    For a code exercise, its code; for an answer in words, the model answer and its rubric.
    """
    return _solution_text(_reference_cell(grade_id, notebooks))


NOT_DONE = ("an exercise this cell needs is not done yet: its cell still has `raise NotImplementedError()`; "
            "write your answer there and run that cell, then this one")


def _not_done_briefly(shell, etype, value, tb, tb_offset=None):
    """Show an unsolved exercise's ``NotImplementedError`` in one line, not a traceback through a graded test."""
    stb = [f"{etype.__name__}: {str(value) or NOT_DONE}"]
    shell._showtraceback(etype, value, stb)  # still an error output: Run All's tag, nbgrader's 0 points
    return stb


def show_unfinished_exercises_briefly(shell=None):
    """Make IPython show a ``NotImplementedError`` as ``NOT_DONE`` (done when a notebook imports the checks)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((NotImplementedError,), _not_done_briefly)


def numerical_gradient(f, x, eps=1e-6):
    """The gradient of the scalar function ``f`` at the array ``x`` by central differences.

    ∂f/∂x_i ≈ (f(x + ε e_i) - f(x - ε e_i)) / 2ε, with an error of order ε².
    ``x`` is changed in place during the computation and restored after.
    This is the independent oracle that backpropagation is checked against.
    """
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f(x)
        x[i] = saved - eps
        f_minus = f(x)
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


show_unfinished_exercises_briefly()
