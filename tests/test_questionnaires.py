"""Each chapter notebook ends with a questionnaire, and asks predictions on the way: questions that check answers,
and give hints and solutions.

The questions live in the chapter modules as q1, q2, ... (nndl.checks.questions);
their texts in the notebooks.  A right answer gets ✓, every wrong choice and
every typical slip its own hint, and nothing that is not an answer is taken for one.
"""
import importlib
import re

import nbformat
import pytest

from checking import assert_accepts, assert_rejects, printed
from nndl import learner
from nndl.checks.questions import Choice, Number, Written, predictions, questions

CHAPTERS = [f"ch{path.name[:2]}" for path in sorted(learner.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[1:]]  # 00 left out
ALL = [(chapter, q) for chapter in CHAPTERS  # the questionnaires' questions and the predictions, p1, p2, ...
       for q in questions(vars(importlib.import_module(f"nndl.checks.{chapter}")))
       + predictions(vars(importlib.import_module(f"nndl.checks.{chapter}")))]
IDS = [f"{chapter}-{q.name}" for chapter, q in ALL]


def notebook_of(chapter):
    return nbformat.read(next(learner.NOTEBOOKS.glob(f"{chapter[2:]}_*.ipynb")), as_version=4)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_ends_with_a_questionnaire_before_its_navigation(chapter):
    qs = questions(vars(importlib.import_module(f"nndl.checks.{chapter}")))
    assert 3 <= len(qs) <= 10
    cells = notebook_of(chapter).cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## Questionnaire"))
    assert cells[start + 1].source == f"from nndl.checks.{chapter} import {', '.join(q.name for q in qs)}"
    body = cells[start + 2:-1]
    assert len(body) == 2 * len(qs), "a question in words, then its cell"
    assert "Contents" in cells[-1].source and cells[-1].cell_type == "markdown"
    for q, (text, code) in zip(qs, zip(body[::2], body[1::2])):
        assert text.cell_type == "markdown" and text.source.startswith(f"**Q{q.name[1:]}.** ")
        assert f"# {q.name}.hint()" in code.source and f"# {q.name}.solution()" in code.source
        if isinstance(q, Choice):
            assert re.findall(r"(?:^|&nbsp; )\(([a-z])\) ", text.source, re.M) == q.letters, "the notebook offers the module's letters"
        if isinstance(q, Written):
            assert ".check(" not in code.source
        else:
            assert code.source.startswith(f"{q.name}.check(None)"), "the learner starts from None"


@pytest.mark.parametrize("chapter, q", ALL, ids=IDS)
def test_the_right_answer_passes_and_none_is_not_done_yet(capsys, chapter, q):
    if isinstance(q, Written):
        q.check()
        assert "no automatic check" in capsys.readouterr().out
        return
    right = q.right if isinstance(q, Choice) else q.value
    assert_accepts(capsys, q.check, right)
    if isinstance(q, Choice):
        assert_accepts(capsys, q.check, f" ({right.upper()}) ")
    else:
        assert_accepts(capsys, q.check, str(right))
    assert printed(capsys, q.check, None).startswith("… Not done yet")


@pytest.mark.parametrize("chapter, q", [(c, q) for c, q in ALL if isinstance(q, Choice)],
                         ids=[i for i, (c, q) in zip(IDS, ALL) if isinstance(q, Choice)])
def test_every_wrong_choice_gets_its_own_hint(capsys, chapter, q):
    assert len(q.letters) >= 3 and q.right not in q.wrong
    lines = [assert_rejects(capsys, q.check, [letter], f"({letter})", q.wrong[letter]) for letter in q.wrong]
    assert len(set(lines)) == len(lines)
    assert_rejects(capsys, q.check, ["z"], "one letter")
    assert_rejects(capsys, q.check, [2], "one letter")


@pytest.mark.parametrize("chapter, q", [(c, q) for c, q in ALL if isinstance(q, Number)],
                         ids=[i for i, (c, q) in zip(IDS, ALL) if isinstance(q, Number)])
def test_typical_slips_get_their_own_hint(capsys, chapter, q):
    assert q.slips, "a number question names at least one slip it invites"
    for slip, hint in q.slips:
        assert abs(slip - q.value) > q.tolerance
        assert_rejects(capsys, q.check, [slip], hint)
    assert_rejects(capsys, q.check, [q.value + 1234.5], "is not it")
    assert_rejects(capsys, q.check, ["half"], "answer with a number")
    assert_rejects(capsys, q.check, [float("nan")], "finite")


@pytest.mark.parametrize("chapter, q", ALL, ids=IDS)
def test_hints_lead_on_and_the_solution_gives_the_answer_and_why(capsys, chapter, q):
    assert len(q.hints) >= 2
    for level, text in enumerate(q.hints, start=1):
        q.hint(level)
        out = capsys.readouterr().out
        assert out.startswith(f"Hint {level} of {len(q.hints)}: {text}")
    q.solution()
    out = capsys.readouterr().out
    assert out.startswith("Solution:\n") and q.answer in out and f"Why: {q.why}" in out
    if isinstance(q, Choice):
        assert f"({q.right})" not in " ".join(q.hints), "a hint never names the right letter"
