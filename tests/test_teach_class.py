"""The proof: a small class, honest students, cheats and broken files, autograded in one run."""
import contextlib
import csv
import html
import io
import json
import os
import re

import nbformat
import pytest

from nndl import teach
from nndl.teach import cli, reports, sandbox
from nndl.teach import feedback as feedback_module
from sandboxing import require_sandbox

pytest.importorskip("nbgrader", reason="nbgrader is in the teach extra: pip install -e .[teach]")
require_sandbox()

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
NAMES = {"ch01": "01_perceptrons.ipynb", "ch03": "03_gradient_descent.ipynb", "ch04": "04_backpropagation.ipynb"}
ATTACK = """import sqlite3
db = sqlite3.connect("../../../gradebook.db")  # the course folder, seen from autograded/<student>/<chNN>/
db.execute("UPDATE grade SET auto_score = 99")
db.commit()
"""

# Earlier cells that defeat tests run in the student's Python (issue 21, item 3); each once scored points.
BLANK_THE_TESTS = """get_ipython().input_transformers_cleanup.append(
    lambda lines: [] if any("grading" in line for line in lines) else lines)
"""
SWALLOW_ERRORS = """import ast

class Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[], finalbody=[])]
        return ast.fix_missing_locations(node)

get_ipython().ast_transformers.append(Swallow())
"""
FAKE_GRADING = """import contextlib, importlib, os
import numpy as np
import nndl.teach.grading as grading

class Liar(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__

class Anything(dict):
    pass

def forge(seen, grade_id=None):  # every observation 1, in an archive of the right form
    if grade_id and os.environ.get(grading.OBSERVED):
        names = list(seen)
        np.savez(os.path.join(os.environ[grading.OBSERVED], grade_id + ".npz"), np.array(names, dtype=str),
                 *(np.ones(1) for name in names))

importlib.reload = lambda module: module
grading.Seen, grading.hand_over = Anything, forge
grading.answered, grading.forbidden = (lambda *a, **k: None), (lambda *a: contextlib.nullcontext())
grading.bit = grading.number = lambda value, what: Liar(1)
grading.array = lambda value, shape, what: np.ones(shape)
"""

SLY = """import os
from IPython.display import HTML, display
display(HTML("<script>document.title = 'sly was here'</script><b>bold</b>"))
os.symlink("/etc/hostname", "leak.txt")  # beside the notebook: feedback copies the folder's other files
open("big.bin", "wb").write(bytes(2**20))
print("hide:", os.environ.get("NNDL_GRADING_HIDE"), "user:", os.getuid())
"""

FLOOD = """import os, time
for i in range(5000):  # the disk is not for a submission to fill
    open(os.path.join(os.environ["NNDL_OBSERVED"], f"{i}.npz"), "wb").write(bytes(2**10))
time.sleep(10)
"""

# a result displayed before each cell runs: nbgrader read it as partial credit, before the test's error
DISPLAY_FIRST = """ip = get_ipython()
ip.events.register("pre_run_cell", lambda info: ip.displayhook("full marks, please"))
"""

LOUD = """for i in range(48):  # 48 MB: nbgrader would keep it all, in memory and in the autograded notebook
    print("x" * 2**20)
"""

PROBE = """import os, resource
print("memory limit", resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20, "MB; front end", os.environ.get("NNDL_NO_FRONTEND"))
"""


def solution(name):
    return nbformat.read(teach.chapters()[name], 4)


def released(course, name):
    return nbformat.read(course / "release" / name / NAMES[name], 4)


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answer(notebook, grade_id, source):
    cell(notebook, grade_id).source = source
    return notebook


def early(notebook, source):
    """``notebook`` with a cell of ``source`` right after its first code cell (the imports)."""
    first = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    notebook.cells.insert(first + 1, nbformat.v4.new_code_cell(source))
    return notebook


def markdown(notebook, source):
    """``notebook`` with a Markdown cell of ``source`` at its end (a student's own text cell)."""
    notebook.cells.append(nbformat.v4.new_markdown_cell(source))
    return notebook


def append(notebook, source):
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    return notebook


def submissions(course):
    """{(student, assignment): notebook, or the raw text of a broken file, with its file name}."""
    int_cheat = answer(released(course, "ch01"), "nb01_perceptron", """class Yes(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__

def perceptron(x, w, b):
    return Yes(0)""")
    wrong = answer(solution("ch01"), "nb01_perceptron", "def perceptron(x, w, b):\n    return 1 if np.dot(w, x) + b >= 0 else 0")
    edited = answer(solution("ch01"), "nb01_perceptron", "def perceptron(x, w, b):\n    return 1 if np.dot(w, x) + b >= 0 else 0")
    cell(edited, "nb01_perceptron_test").source = "pass"
    cell(edited, "nb01_perceptron_test").metadata.nbgrader["points"] = 100
    crash = solution("ch01")
    crash.cells.insert(4, nbformat.v4.new_code_cell("import os\nos._exit(0)"))
    pasted = solution("ch01")
    pasted.cells.append(nbformat.from_dict(dict(json.loads(json.dumps(cell(pasted, "nb01_gates_test"))), id="pasted")))
    stripped = solution("ch01")
    for c in stripped.cells:
        c.metadata.pop("nbgrader", None)
    renamed_id = solution("ch01")
    cell(renamed_id, "nb01_gates_test").metadata.nbgrader["grade_id"] = "my_gates_test"
    late = solution("ch01")
    zeros = """def output_error(a, y, z):
    return np.zeros(1)

def hidden_error(w_next, delta_next, z):
    return np.zeros(1)

def backprop_mini_batch(net, X, Y):
    return [np.zeros(1)] * 2, [np.zeros(1)] * 2"""
    patched = answer(answer(answer(released(course, "ch04"), "nb04_output_error", zeros),
                            "nb04_hidden_error", "pass"), "nb04_backprop_mini_batch", "pass")
    patched.cells.insert(3, nbformat.v4.new_code_cell("np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None"))
    return {
        ("alice", "ch01"): solution("ch01"), ("alice", "ch03"): solution("ch03"), ("alice", "ch04"): solution("ch04"),
        ("bob", "ch01"): released(course, "ch01"), ("bob", "ch04"): released(course, "ch04"),  # bob has no ch03
        ("carol", "ch01"): wrong,
        ("dave", "ch01"): edited,
        ("erin", "ch01"): int_cheat,
        ("frank", "ch03"): answer(released(course, "ch03"), "nb03_descend", "descend = descent.gradient_descent"),
        ("frank", "ch04"): answer(released(course, "ch04"), "nb04_backprop_mini_batch",
                                  "def backprop_mini_batch(net, X, Y):\n    return net.backprop_batch(X, Y)"),
        ("gina", "ch04"): answer(released(course, "ch04"), "nb04_backprop_mini_batch",
                                 "def backprop_mini_batch(net, X, Y):\n    return [], []"),
        ("hank", "ch04"): patched,
        ("mallory", "ch01"): append(released(course, "ch01"), ATTACK),
        ("oscar", "ch01"): crash,
        ("ivan", "ch01"): '{"cells": [{"cell_type": "code", "source": "print(1)"',
        ("rita", "ch01", "01_perceptrons-Copy1.ipynb"): solution("ch01"),
        ("pat", "ch01"): pasted,
        ("sam", "ch01"): stripped,
        ("gus", "ch01"): renamed_id,
        ("tim", "ch01"): append(append(solution("ch01"), PROBE), "while True:  # net.SGD( would once buy 15 minutes\n    pass"),
        ("flo", "ch01"): early(solution("ch01"), FLOOD),
        ("lara", "ch01"): late,
        ("lars", "ch01"): solution("ch01"),  # as late as lara, with an extension
        ("sly", "ch01"): markdown(early(released(course, "ch01"), SLY), "<script>alert(1)</script><img src=x onerror=alert(2)>"),
        ("blanche", "ch01"): early(released(course, "ch01"), BLANK_THE_TESTS),
        ("swen", "ch01"): early(released(course, "ch01"), SWALLOW_ERRORS),
        ("xavi", "ch01"): early(released(course, "ch01"), DISPLAY_FIRST),
        ("lou", "ch01"): early(released(course, "ch01"), LOUD),
        ("fay", "ch01"): answer(answer(answer(early(released(course, "ch01"), FAKE_GRADING), "nb01_perceptron",
                                              "perceptron = lambda x, w, b: 0"), "nb01_gates", "AND = OR = NOT = None"),
                                "nb01_full_adder", "full_adder = lambda x1, x2, carry_in: (0, 0)"),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, autograded in one run: (course, exit status, printed output, totals, questions)."""
    root = tmp_path_factory.mktemp("class")
    course = root / "course"
    teach.release(course, only=list(NAMES))
    config = course / "nbgrader_config.py"  # the teacher's own limits, short for the endless loop
    config.write_text(config.read_text() + 'settings.TIMEOUTS.update(exercise=10, lesson=30)\n')
    stale = course / "submitted" / "old" / "ch01"  # left over from an earlier run: must not be graded
    stale.mkdir(parents=True)
    nbformat.write(solution("ch01"), stale / NAMES["ch01"])
    submitted = root / "submitted"
    for key, notebook in submissions(course).items():
        student, name = key[:2]
        folder = submitted / student / name
        folder.mkdir(parents=True)
        path = folder / (key[2] if len(key) > 2 else NAMES[name])
        if isinstance(notebook, str):
            path.write_text(notebook)
        else:
            nbformat.write(notebook, path)
    for student in ("lara", "lars"):
        (submitted / student / "ch01" / "timestamp.txt").write_text("2026-01-02 12:00:00.000000 UTC")
    (root / "class.csv").write_text("id,name,email\nalice,Alice Liddell,alice@example.org\nbob,Bob,\n")
    return course, submitted, root


@pytest.fixture(scope="module")
def run(graded):
    """Due date, autograde, class list, grades and feedback, as a teacher would: (status, output, totals, questions)."""
    course, submitted, root = graded
    common = ["--course", str(course)]
    assert cli.main(common + ["due", "ch01", "2026-01-01 00:00:00 UTC"]) == 0
    assert cli.main(common + ["extend", "lars", "ch01", "3"]) == 0
    assert cli.main(common + ["extend", "lars", "ch99", "3"]) == 2 and cli.main(common + ["extend", "lars", "ch01", "-1"]) == 2
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = cli.main(common + ["autograde", str(submitted)])
    assert cli.main(common + ["students", str(root / "class.csv")]) == 0
    assert cli.main(common + ["grades", "--csv", str(root / "grades.csv")]) == 0
    assert cli.main(common + ["feedback"]) == 0
    with open(root / "grades.csv") as f:
        totals = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    with open(root / "grades-questions.csv") as f:
        questions = list(csv.DictReader(f))
    return status, output.getvalue(), totals, questions


def auto_points(notebook):
    """``{grade_id: points}`` of the cells autograde scores: the graded code cells (answers in words are graded by hand)."""
    cells = nbformat.read(teach.NOTEBOOKS / notebook, 4).cells
    return {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"] for c in cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def score(questions, student, name):
    rows = [r for r in questions if r["student_id"] == student and r["assignment"] == name]
    assert rows, f"no rows for {student} {name}"
    return sum(float(r["points"] or 0) for r in rows)


def test_honest_students_get_what_they_earned(run):
    status, output, totals, questions = run
    assert status == 1, "some submissions failed: the exit status says so"
    full_marks = {name: sum(auto_points(notebook).values()) for name, notebook in NAMES.items()}
    assert full_marks["ch01"] == 10  # the scores of the cheats below are out of these 10 autograded points
    assert {name: score(questions, "alice", name) for name in NAMES} == full_marks
    by_hand = [r for r in questions if r["student_id"] == "alice" and r["question"] not in auto_points(NAMES[r["assignment"]])]
    assert by_hand and all(r["status"] == "to grade by hand" for r in by_hand), "her answers in words await the teacher"
    assert score(questions, "bob", "ch01") == score(questions, "bob", "ch04") == 0
    assert score(questions, "carol", "ch01") == 7
    assert score(questions, "rita", "ch01") == 10, "a renamed notebook is graded under the assignment's name"
    assert score(questions, "lara", "ch01") == 10 and float(totals["lara", "ch01"]["late_submission_penalty"]) == 2
    assert float(totals["alice", "ch01"]["late_submission_penalty"]) == 0
    assert score(questions, "lars", "ch01") == 10 and float(totals["lars", "ch01"]["late_submission_penalty"]) == 0, \
        "an extension of 3 days covers a day and a half late"
    assert "graded  alice ch01: no timestamp.txt: when it was handed in is unknown, graded as on time" in output
    assert "graded  alice ch03\n" in output, "no due date for ch03: nothing to say"


@pytest.mark.parametrize("student, name", [("dave", "ch01"), ("erin", "ch01"), ("frank", "ch03"), ("frank", "ch04"),
                                           ("gina", "ch04"), ("hank", "ch04"), ("mallory", "ch01"),
                                           ("blanche", "ch01"), ("swen", "ch01"), ("fay", "ch01"), ("xavi", "ch01"),
                                           ("lou", "ch01")])
def test_no_cheat_earns_a_point(run, student, name):
    status, output, totals, questions = run
    cheated = {"dave": "nb01_perceptron_test", "erin": "nb01_perceptron_test"}.get(student)
    rows = [r for r in questions if r["student_id"] == student and r["assignment"] == name
            and r["question"] in auto_points(NAMES[name])]  # answers in words: graded by hand
    if cheated:  # the rest of dave's notebook is honest work
        rows = [r for r in rows if r["question"] == cheated]
    assert rows and all(float(r["points"]) == 0 for r in rows), [(r["question"], r["points"]) for r in rows]
    if student == "dave":
        assert score(questions, "dave", "ch01") == 7
        assert float(totals["dave", "ch01"]["max_score"]) == sum(teach.points(teach.NOTEBOOKS / NAMES["ch01"]).values())


def test_the_gradebook_attack_changes_nothing(run):
    status, output, totals, questions = run
    assert not any(float(r["points"] or 0) > float(r["max_points"]) for r in questions)
    assert score(questions, "mallory", "ch01") == 0 and score(questions, "alice", "ch01") == 10


def test_broken_submissions_are_reported_and_the_others_graded(run, graded):
    status, output, totals, questions = run
    course = graded[0]
    failures = json.loads((course / "autograde-failures.json").read_text())
    assert set(failures) == {"oscar/ch01", "ivan/ch01", "pat/ch01", "sam/ch01", "gus/ch01", "flo/ch01"}
    assert failures["flo/ch01"].startswith("wrote too much: "), failures["flo/ch01"]
    assert "crashed kernel" in failures["oscar/ch01"]
    assert (course / "autograded" / "oscar" / "ch01" / NAMES["ch01"]).exists(), "in the formgrader, for review"
    with reports.gradebook(course) as gb:
        grades = [(g.needs_manual_grade, g.score) for nb in gb.find_submission("ch01", "oscar").notebooks
                  for g in nb.grades]
    assert grades and all(flagged and score == 0 for flagged, score in grades), grades
    assert "invalid notebook" in failures["ivan/ch01"]
    assert "copy-pasted" in failures["pat/ch01"] and "nb01_gates_test" in failures["pat/ch01"]
    assert "no nbgrader cells" in failures["sam/ch01"]
    assert "unknown cells my_gates_test" in failures["gus/ch01"]
    for student in ("oscar", "ivan", "pat", "sam", "gus", "flo"):
        assert {r["status"] for r in questions if r["student_id"] == student and r["assignment"] == "ch01"} == {"needs review"}
    assert score(questions, "tim", "ch01") == 10, "an endless loop in the student's own cell is stopped; the tests still run"
    probe_cell = nbformat.read(course / "autograded" / "tim" / "ch01" / NAMES["ch01"], 4).cells[-2]
    probe = "".join(o.text for o in probe_cell.outputs if o.output_type == "stream")  # a print may arrive in pieces
    assert probe == "memory limit 4096 MB; front end 1\n", "the kernel runs with a memory limit and knows it has no front end"
    assert not (course / "autograded" / "old").exists(), "a submission left in the course folder was graded"
    lines = output.splitlines()
    for student, reason in (("oscar", "crashed kernel"), ("ivan", "invalid notebook"), ("pat", "copy-pasted")):
        assert any(line.startswith(f"failed  {student} ch01: ") and reason in line for line in lines), output
    assert any(line.startswith("graded  rita ch01: renamed notebook 01_perceptrons-Copy1.ipynb") for line in lines)
    assert any(line.startswith("graded  tim ch01") and "time limit" in line for line in lines), output
    assert "missing bob ch03" in lines
    assert re.search(r"Summary: 23 graded, 6 failed, \d+ missing", output), output


def test_per_question_statuses_and_names(run):
    status, output, totals, questions = run
    rows = {(r["student_id"], r["assignment"], r["question"]): r for r in questions}
    assert rows["alice", "ch01", "nb01_perceptron_test"]["status"] == "passed"
    assert rows["alice", "ch01", "nb01_perceptron_test"]["name"] == "Alice Liddell"
    assert rows["alice", "ch01", "nb01_perceptron_test"]["email"] == "alice@example.org"
    assert rows["carol", "ch01", "nb01_perceptron_test"]["status"] == "failed"
    assert rows["bob", "ch01", "nb01_perceptron_test"]["status"] == "error"  # NotImplementedError
    assert rows["bob", "ch03", "nb03_descend_test"]["status"] == "not submitted"
    assert {r["max_points"] for r in questions if r["question"] == "nb01_perceptron_test"} == {"3.0"}


def test_feedback_has_no_hidden_test(run, graded):
    course = graded[0]
    hidden = {line.strip() for name in NAMES for c in solution(name).cells
              for region in HIDDEN.findall(c.source) for line in region.splitlines() if len(line.strip()) > 8}
    visible = {line.strip() for name in NAMES for c in solution(name).cells  # a line also in a visible test may show
               for line in HIDDEN.sub("", c.source).splitlines()}
    hidden -= visible
    files = sorted((course / "feedback").glob("*/*/*.html"))
    assert {(p.parts[-3], p.parts[-2]) for p in files} >= {("alice", "ch01"), ("alice", "ch04"), ("carol", "ch01")}
    for path in files:
        text = html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))  # the text, without highlighting
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{path} shows hidden tests: {leaked[:2]}"


def test_nothing_a_kernel_writes_reaches_the_disk_the_feedback_or_the_teachers_browser(run, graded):
    course = graded[0]
    assert sorted(p.name for p in (course / "autograded" / "sly" / "ch01").iterdir()) == [NAMES["ch01"]]
    feedback = course / "feedback" / "sly" / "ch01"
    assert sorted(p.name for p in feedback.iterdir()) == [NAMES["ch01"].replace(".ipynb", ".html")]
    page = (feedback / NAMES["ch01"].replace(".ipynb", ".html")).read_text()
    assert "document.title = 'sly was here'</script>" not in page, "a student's script does not run in feedback"
    assert "<img src" not in page and "<script>alert" not in page, "nor does a script in the student's Markdown"
    graded = json.dumps(nbformat.read(course / "autograded" / "sly" / "ch01" / NAMES["ch01"], 4).cells)
    user = re.search(r"hide: None user: (\d+)", graded)
    assert user and int(user[1]) in (sandbox.KERNEL_USERS if os.geteuid() == 0 else [sandbox.NOBODY]), \
        "no grader's variable in the kernel, whose user is not the grader's"
    assert "<img src" not in graded and "<script>alert" not in graded, "the formgrader shows it without its scripts"
    loud = nbformat.read(course / "autograded" / "lou" / "ch01" / NAMES["ch01"], 4)
    assert any(o.get("text") == feedback_module.CUT for c in loud.cells if c.cell_type == "code" for o in c.outputs), \
        "what the cells print is bounded (and lou's blank answers still fail: test_no_cheat_earns_a_point)"
