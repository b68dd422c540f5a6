"""The questionnaire at the end of each chapter notebook: questions to test yourself, fastbook's convention.

A notebook's last section lists its questions in words; the chapter module
(``nndl.checks.ch01`` ...) holds them as ``q1``, ``q2``, ... with the same
``check`` / ``hint`` / ``solution`` as the exercises.  Three kinds:

* ``Choice``: pick a letter, ``q1.check("b")``; each wrong letter gets its own
  hint, which says what that choice gets wrong, not which one is right;
* ``Number``: type a number, ``q2.check(0.25)``; a typical wrong number (a
  slip the question invites) gets its own hint;
* ``Written``: answer in words in a Markdown cell; ``solution()`` lists what a
  good answer contains, since no code can mark an explanation.

Questions are not graded: they tell learners whether they have understood
the notebook before they move on.  The same kinds serve as *predictions*
(``p1``, ``p2``, ...): asked before the experiment that shows the outcome.
A written *exercise* (``ex3 = Written("ex3", grade_id=...)``) is graded by
the teacher by hand, from the rubric beside its model answer.
"""
import math

from . import Exercise, Hint, check


class Choice(Exercise):
    """A multiple-choice question: ``right`` is its letter, ``wrong`` maps every other letter to its hint."""

    def __init__(self, name, right, wrong, hints, why):
        self.right, self.wrong = right, dict(wrong)
        self.letters = sorted([right, *self.wrong])
        super().__init__(name, hints, why, check=self._checker(), answer=f"({right})")

    def _checker(self):
        @check(f"Right: ({self.right}).")
        def check_choice(letter):
            picked = str(letter).strip().strip("()").lower()
            if picked not in self.letters:
                choices = ", ".join(f'"{x}"' for x in self.letters)
                raise Hint(f"answer with one letter, one of {choices}; got {letter!r}.")
            if picked != self.right:
                raise Hint(f"({picked}) {self.wrong[picked]}")
        return check_choice


class Number(Exercise):
    """A question answered by a number, right within ``tolerance``; ``slips`` maps a typical wrong number to its hint."""

    def __init__(self, name, value, hints, why, slips=(), tolerance=1e-6):
        self.value, self.slips, self.tolerance = value, list(slips), tolerance
        super().__init__(name, hints, why, check=self._checker(), answer=f"{value:g}")

    def _checker(self):
        @check("Right.")
        def check_number(number):
            try:
                got = float(number)
            except (TypeError, ValueError):
                raise Hint(f"answer with a number, such as 0.5; got {number!r}.") from None
            if not math.isfinite(got):
                raise Hint(f"answer with a finite number; got {number!r}.")
            if abs(got - self.value) <= self.tolerance:
                return
            for slip, hint in self.slips:
                if abs(got - slip) <= self.tolerance:
                    raise Hint(hint)
            raise Hint(f"{got:g} is not it. Work it out on paper from the notebook's definitions, then try again.")
        return check_number


class Written(Exercise):
    """A question or exercise answered in words, in a Markdown cell.

    An ungraded question gives its ``answer`` here (what a good answer contains).  A graded
    exercise names with ``grade_id`` its answer cell in the reference notebook, an nbgrader
    manually graded cell holding the model answer and its rubric: ``solution()`` shows that cell,
    and the teacher grades the learner's cell by hand in nbgrader's formgrader.
    """

    def __init__(self, name, hints, why, answer=None, grade_id=None):
        super().__init__(name, hints, why, answer=answer, grade_id=grade_id)


def questions(module_vars, prefix="q"):
    """The questions ``q1``, ``q2``, ... among a chapter module's names, in order."""
    found = {name: value for name, value in module_vars.items()
             if name.startswith(prefix) and name[1:].isdigit() and isinstance(value, Exercise)}
    return [found[f"{prefix}{i}"] for i in range(1, len(found) + 1)]


def predictions(module_vars):
    """The predictions ``p1``, ``p2``, ... among a chapter module's names, in order."""
    return questions(module_vars, prefix="p")
