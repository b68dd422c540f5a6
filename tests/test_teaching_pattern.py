"""The course teaches by asking: predictions before experiments, exercises before their answers, answers in words
graded, fair questionnaires, a pace a learner can keep.

These tests read the reference notebooks, their learner versions (what ``course.py setup`` and nbgrader's
release give the learner) and the chapter modules' questions.
"""
import importlib
import re
from collections import Counter

import nbformat
import pytest

from nndl import learner
from nndl.checks.questions import Choice, Written, questions

PATHS = sorted(learner.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[1:]  # the chapter notebooks, 00 (contents) left out
CHAPTERS = {path.name[:2]: path for path in PATHS}
MAX_CELLS = 45
MAX_SHARE = 0.40  # of a notebook's multiple-choice questions that one letter may answer
MIN_PREDICTIONS = 3
LONGER = 1.3  # a right option this much longer than every wrong one gives itself away


def reference(number):
    return nbformat.read(CHAPTERS[number], as_version=4)


def module(number):
    return importlib.import_module(f"nndl.checks.ch{number}")


def asked(number, prefix):
    """The chapter module's ``p1, p2, ...`` (prefix "p") or ``q1, q2, ...`` (prefix "q"), in order."""
    return questions(vars(module(number)), prefix)


def squeeze(text):
    return re.sub(r"\s+", "", text)


# --- Exercises before their answers -------------------------------------------------------------------------------

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
SHORTEST = 14  # characters (spaces left out): shorter pieces (`a - y`, `x = 0`) say nothing about an answer
PLAIN = re.compile(r"[\w.,]+|[\w.]+\([\w.,]*\)|.*:")  # names, one plain call, a loop's or branch's head: no answer
TARGET = re.compile(r"^\s*(return\s+|[\w\s,.\[\]]+(?<![=!<>])=(?!=))")  # `return ` or `nabla_b, nabla_w = `


def code_lines(source):
    """The distinctive pieces of a code solution: each line's expression (what is returned or assigned),
    without comments, where long enough to be telling."""
    lines = []
    for region in SOLUTION.findall(source) or [source]:
        for line in region.splitlines():
            code = squeeze(TARGET.sub("", re.sub(r"\s+#.*$|^\s*#.*$", "", line)))
            if len(code) >= SHORTEST and not code.startswith(("def", '"""')) and not PLAIN.fullmatch(code):
                lines.append(code)
    return lines


def written_formulas(answer, prompt):
    """The formulas of a model answer that its exercise's text does not give: what the learner has to find."""
    given = {squeeze(a or b) for a, b in MATH.findall(prompt)}
    found = [squeeze(a or b) for a, b in MATH.findall(answer)]
    return [f for f in found if len(f) >= SHORTEST and f not in given and "=" in f]


def answers(cells):
    """``[(index, kind, distinctive parts)]`` of the exercises of a reference notebook."""
    found = []
    for i, cell in enumerate(cells):
        if not learner.nbgrader_meta(cell).get("solution"):
            continue
        if cell.cell_type == "code":
            found.append((i, "code", code_lines(cell.source)))
        else:  # the cell before is the exercise's text
            found.append((i, "written", written_formulas(cell.source, cells[i - 1].source)))
    return found


def learner_text(cells):
    """Each learner-version cell's text, spaces left out, as the learner sees it."""
    return [squeeze(learner.learner_cell(cell).source) for cell in cells]


@pytest.mark.parametrize("number", CHAPTERS)
def test_no_exercise_is_answered_before_it_is_asked(number):
    """No cell before an exercise, in its notebook or an earlier one, holds a distinctive line of its answer."""
    earlier = [(path.name[:2], i, text) for path in PATHS if path.name[:2] < number
               for i, text in enumerate(learner_text(nbformat.read(path, 4).cells))]
    cells = reference(number).cells
    mine = learner_text(cells)
    leaks = []
    for index, kind, parts in answers(cells):
        before = earlier + [(number, i, text) for i, text in enumerate(mine[:index])]
        for part in parts:
            leaks += [f"{kind} answer of cell {number}[{index}] is in cell {where}[{i}]: {part[:70]}"
                      for where, i, text in before if part in text]
    assert not leaks, "\n".join(leaks)


def test_the_leak_test_finds_a_leak():
    """The test above fails on the kind of leak the review found: BP1's code shown before the exercise asks it."""
    solution = nbformat.v4.new_code_cell("def output_error(a, y, z):\n    ### BEGIN SOLUTION\n"
                                         "    return (a - y) * sigmoid_prime(z)  # (BP1)\n    ### END SOLUTION",
                                         metadata={"nbgrader": {"solution": True, "grade_id": "x"}})
    shown = nbformat.v4.new_markdown_cell("In code: `delta = (a - y) * sigmoid_prime(z)`")
    assert code_lines(solution.source) == ["(a-y)*sigmoid_prime(z)"]
    assert "(a-y)*sigmoid_prime(z)" in learner_text([shown])[0]
    derivation = nbformat.v4.new_markdown_cell("**Model answer.** By the chain rule, "
                                               "$$\\delta^L_j = \\frac{\\partial C}{\\partial a^L_j}\\sigma'(z^L_j)$$",
                                               metadata={"nbgrader": {"solution": True, "grade": True}})
    prompt = nbformat.v4.new_markdown_cell("Derive $\\delta^L_j$ from $C$ by the chain rule.")
    told = nbformat.v4.new_markdown_cell("$$\\delta^L_j = \\frac{\\partial C}{\\partial a^L_j} \\sigma'(z^L_j)$$")
    parts = answers([nbformat.v4.new_code_cell("x = 1"), told, prompt, derivation])[0][2]
    assert parts and parts[0] in learner_text([told])[0]


# --- Predictions, exercises where their ideas are, pace ---------------------------------------------------------------

@pytest.mark.parametrize("number", CHAPTERS)
def test_predictions_come_before_the_experiments_that_show_them(number):
    cells = reference(number).cells
    predictions = asked(number, "p")
    assert len(predictions) >= MIN_PREDICTIONS, f"notebook {number} asks {len(predictions)} predictions"
    for p in predictions:
        k = p.name[1:]
        ask = next((i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.startswith(f"{p.name}.check(")),
                   None)
        assert ask is not None, f"notebook {number} has no cell `{p.name}.check(None)`"
        assert f"**Prediction {k}" in cells[ask - 1].source, f"{number}: the text before {p.name}'s cell asks it"
        experiment = next(i for i in range(ask + 1, len(cells)) if cells[i].cell_type == "code")
        back = next((i for i in range(experiment + 1, len(cells)) if f"Back to Prediction {k}" in cells[i].source),
                    None)
        assert back is not None, f"{number}: no text after {p.name}'s experiment comes back to Prediction {k}"


def learners_turns(cells):
    """Indices of the cells where the learner acts: an exercise, a prediction, a question."""
    return [i for i, c in enumerate(cells)
            if learner.nbgrader_meta(c).get("solution") or re.match(r"[pq]\d+\.check\(", c.source)]


@pytest.mark.parametrize("number", CHAPTERS)
def test_exercises_sit_where_their_ideas_are(number):
    """The learner's turns are spread through the notebook, not kept for its end."""
    cells = reference(number).cells
    lesson_end = next(i for i, c in enumerate(cells) if c.source.startswith("## Questionnaire"))
    exercises = [i for i in learners_turns(cells[:lesson_end]) if learner.nbgrader_meta(cells[i]).get("solution")]
    assert exercises and exercises[0] < lesson_end / 2, f"{number}: the first exercise comes at cell {exercises[:1]}"
    turns = [0] + learners_turns(cells[:lesson_end]) + [lesson_end]
    longest = max(b - a for a, b in zip(turns, turns[1:]))
    assert longest <= 16, f"{number}: {longest} cells in a row without a prediction, exercise or question"


@pytest.mark.parametrize("number", CHAPTERS)
def test_pace(number):
    """A lesson a learner works through in one sitting: at most 45 cells before the questionnaire."""
    cells = reference(number).cells
    lesson_end = next(i for i, c in enumerate(cells) if c.source.startswith("## Questionnaire"))
    assert lesson_end <= MAX_CELLS, f"notebook {number}'s lesson has {lesson_end} cells before its questionnaire"
    header = cells[1].source
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", header) and "**Before:**" in header, \
        f"notebook {number}'s header states its time and what to know before"


# --- Written answers count --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", CHAPTERS)
def test_every_answer_in_words_is_graded_by_hand_with_a_rubric(number):
    cells = reference(number).cells
    lesson_end = next(i for i, c in enumerate(cells) if c.source.startswith("## Questionnaire"))
    ungraded = [i for i, c in enumerate(cells[:lesson_end]) if c.source.startswith("*Your answer:*")]
    assert not ungraded, f"{number}: answer cells {ungraded} carry no points"
    written = {c.metadata.nbgrader["grade_id"]: c for c in cells
               if c.cell_type == "markdown" and learner.nbgrader_meta(c).get("solution")}
    for grade_id, cell in written.items():
        meta = learner.nbgrader_meta(cell)
        assert meta.get("grade") and meta.get("points", 0) > 0, f"{grade_id} has no points"
        points = meta["points"]
        assert cell.source.startswith("**Model answer.**"), f"{grade_id} starts with its model answer"
        assert re.search(rf"\*\*Rubric \({points:g} points?\)\.\*\*", cell.source), \
            f"{grade_id}: the rubric's points are the cell's {points:g}"
    exercises = [v for name, v in vars(module(number)).items() if re.fullmatch(r"ex\d+", name)]
    in_words = [ex for ex in exercises if isinstance(ex, Written) or ex.answer is not None]
    assert all(ex.answer is None and ex.grade_id in written for ex in in_words), \
        f"{number}: exercises answered in words without a graded answer cell: " + \
        ", ".join(ex.name for ex in in_words if ex.answer is not None or ex.grade_id not in written)


# --- Fair questionnaires ----------------------------------------------------------------------------------------------

def options(text):
    """``{letter: option text}`` of a question written as ``(a) ... &nbsp; (b) ...``."""
    body = text.split("\n\n", 1)[-1] if "\n\n" in text else text
    parts = re.split(r"(?:^|&nbsp;\s*|\s)\(([a-h])\)\s", body)
    return {letter: option.strip() for letter, option in zip(parts[1::2], parts[2::2])}


@pytest.mark.parametrize("number", CHAPTERS)
def test_the_right_letters_are_spread(number):
    choices = [q for q in asked(number, "q") + asked(number, "p") if isinstance(q, Choice)]
    counts = Counter(q.right for q in choices)
    letter, most = counts.most_common(1)[0]
    assert most <= max(1, MAX_SHARE * len(choices)), \
        f"notebook {number}: ({letter}) is right in {most} of {len(choices)} multiple-choice questions"


@pytest.mark.parametrize("number", CHAPTERS)
def test_the_right_option_is_not_given_away_by_its_length(number):
    cells = reference(number).cells
    texts = {}
    for i, cell in enumerate(cells):
        match = re.match(r"([pq])\d+\.check\(", cell.source)
        if match:
            name = cell.source.split(".")[0]
            texts[name] = cells[i - 1].source.split(f"**Prediction {name[1:]}")[-1] if match.group(1) == "p" \
                else cells[i - 1].source
    choices = [q for q in asked(number, "q") + asked(number, "p") if isinstance(q, Choice)]
    longest = []
    for q in choices:
        offered = options(texts[q.name])
        assert sorted(offered) == q.letters, f"{number} {q.name}: the text offers {sorted(offered)}"
        lengths = {letter: len(text) for letter, text in offered.items()}
        if lengths[q.right] > LONGER * max(n for letter, n in lengths.items() if letter != q.right):
            longest.append(f"{q.name} {lengths}")
    assert not longest, f"notebook {number}: the right option is much the longest in {longest}"
