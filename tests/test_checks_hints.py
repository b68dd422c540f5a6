"""Every exercise's hint() and solution(), Kaggle Learn style.

That each check passes with the reference solution is shown by nbval: the
reference notebooks' check cells are `# NBVAL_CHECK_OUTPUT` cells whose stored
output is the ✓ line.  The wrong answers are in tests/test_checks*.py.
"""
import importlib
import re

import nbformat
import pytest

from nndl import learner
from nndl.checks import Exercise, reference_solution

CHAPTERS = [f"ch{path.name[:2]}" for path in sorted(learner.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[1:]]  # 00 left out
REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def exercises(chapter):
    module = importlib.import_module(f"nndl.checks.{chapter}")
    return [value for name, value in sorted(vars(module).items(), key=lambda item: (len(item[0]), item[0]))  # ex2 < ex10
            if isinstance(value, Exercise) and name.startswith("ex")]  # the questionnaire's q1, q2, ...: test_questionnaires.py


def notebook_of(chapter):
    return nbformat.read(next(learner.NOTEBOOKS.glob(f"{chapter[2:]}_*.ipynb")), as_version=4)


def solution_cells(chapter):
    return {learner.nbgrader_meta(c)["grade_id"]: c for c in notebook_of(chapter).cells
            if learner.nbgrader_meta(c).get("solution")}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_solution_cell_has_an_exercise_and_every_check_cell_offers_help(chapter):
    found, cells = exercises(chapter), solution_cells(chapter)
    assert [e.name for e in found] == [f"ex{i}" for i in range(1, len(found) + 1)]
    assert {e.grade_id for e in found if e.grade_id} == set(solution_cells(chapter))
    setup = next(c.source for c in notebook_of(chapter).cells if c.cell_type == "code")
    assert f"from nndl.checks.{chapter} import {', '.join(e.name for e in found)}\n" in setup
    text = "\n".join(c.source for c in notebook_of(chapter).cells)
    for e in found:
        assert f"# {e.name}.hint()" in text and f"# {e.name}.solution()" in text, f"{chapter} {e.name}"
        if e.grade_id and cells[e.grade_id].cell_type == "code":
            assert f"{e.name}.check(" in text
        elif e.grade_id:  # answered in words: the hint cell comes right after the learner's answer cell
            all_cells = notebook_of(chapter).cells
            at = next(i for i, c in enumerate(all_cells) if learner.nbgrader_meta(c).get("grade_id") == e.grade_id)
            assert all_cells[at + 1].source.startswith(f"# {e.name}.hint()"), f"{chapter} {e.name}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_hints_lead_on_without_giving_the_answer(chapter, capsys):
    cells = solution_cells(chapter)
    for e in exercises(chapter):
        assert len(e.hints) >= 2, f"{chapter} {e.name}: a nudge, then something more concrete"
        answer_lines = set()
        if e.grade_id:
            answer_lines = {line.strip() for region in REGION.findall(cells[e.grade_id].source)
                            for line in region.splitlines() if len(line.strip()) > 8}
        for level, text in enumerate(e.hints, start=1):
            e.hint(level)
            out = capsys.readouterr().out
            assert out.startswith(f"Hint {level} of {len(e.hints)}: {text}"), out
            follow = f"{e.name}.hint({level + 1})" if level < len(e.hints) else f"{e.name}.solution()"
            assert follow in out
            leaked = [line for line in answer_lines if line.split("#")[0].strip() in text]
            assert not leaked, f"{chapter} {e.name} hint {level} gives away {leaked}"
        for wrong in (0, len(e.hints) + 1, "2"):
            e.hint(wrong)
            assert f"has hints 1 to {len(e.hints)}" in capsys.readouterr().out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_shows_the_reference_code_and_why(chapter, capsys):
    cells = solution_cells(chapter)
    for e in exercises(chapter):
        e.solution()  # outside IPython, display() prints the text form
        out = capsys.readouterr().out
        assert out.startswith("Solution:\n") and f"Why: {e.why}" in out
        markdown = e.reference()._repr_markdown_()
        if e.grade_id and cells[e.grade_id].cell_type == "markdown":  # the model answer and its rubric, as text
            assert cells[e.grade_id].source.strip() in out and "```" not in markdown
        elif e.grade_id:
            for region in REGION.findall(cells[e.grade_id].source):
                for line in region.strip("\n").splitlines():
                    assert line in out, f"{chapter} {e.name}: solution() misses {line!r}"
            assert "### BEGIN" not in out and "### END" not in out
            assert "\n```python\n" in markdown, "the reference code is shown as code"
        else:
            assert e.answer in out and "```" not in markdown


def test_an_exercise_answered_in_words_has_no_check(capsys):
    written = next(e for e in exercises("ch11") if e.name == "ex2")
    written.check()
    assert "no automatic check" in capsys.readouterr().out
    with pytest.raises(ValueError, match="either the grade_id"):
        Exercise("ex9", hints=["h"], why="w")


def test_solution_of_an_unknown_cell_says_where_solutions_come_from():
    with pytest.raises(LookupError, match="no solution cell 'nb99_nothing'"):
        reference_solution("nb99_nothing")


def test_placeholders_are_not_part_of_the_solution():
    code = reference_solution("nb01_gates")
    assert "= None" not in code and code.startswith("AND = ")
    assert reference_solution("nb01_perceptron").startswith("def perceptron(x, w, b):")


def test_a_copy_of_the_course_without_solutions_says_so(monkeypatch, tmp_path, capsys):
    """The student edition's notebooks are the released ones: solution() must not show the stub, nor the why."""
    from nndl.checks import ch01
    reference = nbformat.read(learner.NOTEBOOKS / "01_perceptrons.ipynb", as_version=4)
    nbformat.write(learner.learner_version(reference), tmp_path / "01_perceptrons.ipynb")
    for notebooks in (tmp_path, tmp_path / "no notebooks installed"):
        monkeypatch.setattr(learner, "NOTEBOOKS", notebooks)
        for exercise in (ch01.ex1, ch01.ex4):  # code, and an answer in words
            exercise.solution()
            out = capsys.readouterr().out
            assert out.startswith("No solution here") and "NotImplementedError" not in out, out
            assert exercise.why not in out and "Your answer" not in out
