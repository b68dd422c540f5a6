"""A class on a real JupyterHub: three local students fetch, work and submit through their own servers, as the
Assignments tab does; the teacher collects, grades in the sandbox and hands back feedback through nbgrader's exchange.

The hub, its proxy, the students' servers, their accounts and every folder live only as long as this module
(``hub.stop`` in a ``finally``).  A machine that cannot run a hub skips with the reason, except in CI.
"""
import csv
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from nndl import teach
from nndl.teach import cli, hub, sandbox
from nndl.teach.course import nbgrader
from test_teach_class import SWALLOW_ERRORS, auto_points, early, score  # its students' helpers (skips without a sandbox)

REPOSITORY = Path(__file__).resolve().parents[1]  # the same package as the student pack's, solutions aside
COURSE_ID, ASSIGNMENT, NOTEBOOK = "nndl", "ch01", "01_perceptrons"


def unavailable():
    """Why this machine cannot run the class, or None."""
    if importlib.util.find_spec("nbgrader") is None:
        return "nbgrader is not installed (pip install -e '.[teach,hub]')"
    if not Path(hub.SYSTEM_PYTHON).exists() or subprocess.run([hub.SYSTEM_PYTHON, "-c", "import ensurepip"],
                                                             capture_output=True).returncode != 0:
        return f"no {hub.SYSTEM_PYTHON} with venv (Debian: apt-get install python3-venv): the students' Python"
    return hub.missing() or sandbox.available()


LEFT_UNDONE = "nb01_full_adder"  # the partial student's unanswered exercise
RUN = secrets.token_hex(3)  # accounts of their own for each run: two runs at once, or one killed earlier, never share
STUDENTS = {f"nndl-{kind}-{RUN}": kind for kind in ("honest", "partial", "cheat")}  # accounts made for the test
HONEST, PARTIAL, CHEAT = STUDENTS


def call(url, token, method="GET", body=None):
    """One request to the hub or through it to a server, as ``token``'s owner; the answer's JSON (or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data if method != "POST" else data or b"", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        text = response.read()
    return json.loads(text) if text else None


def log_in(url, teacher, name):
    """Start ``name``'s server through the hub's REST API; returns a token of ``name``'s own."""
    call(f"{url}/hub/api/users/{name}/server", teacher, "POST")
    deadline = time.monotonic() + 90
    while not call(f"{url}/hub/api/users/{name}", teacher)["servers"].get("", {}).get("ready"):
        assert time.monotonic() < deadline, f"{name}'s server did not start"
        time.sleep(0.5)
    return call(f"{url}/hub/api/users/{name}/tokens", teacher, "POST", {"note": "test_hub"})["token"]


def assignments(server, token, action=None):
    """nbgrader's Assignments tab: list (``action`` None), or fetch, submit, fetch_feedback; the assignments listed."""
    query = f"course_id={COURSE_ID}&assignment_id={ASSIGNMENT}"
    if action is None:
        answer = call(f"{server}/assignments?course_id={COURSE_ID}", token)
    else:
        answer = call(f"{server}/assignments/{action}?{query}", token, "POST")
    assert answer["success"], answer
    return {(a["assignment_id"], a["status"]) for a in answer["value"]}


def worked(notebook, reference, unanswered=()):
    """``notebook`` with the reference's code answers (the solution markers left out), all but ``unanswered``."""
    answers = {c.metadata.nbgrader["grade_id"]: c.source for c in reference.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    for c in notebook.cells:
        grade_id = c.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and grade_id not in unanswered:
            c.source = "\n".join(line for line in answers[grade_id].splitlines()
                                 if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return notebook


def work(kind, fetched):
    """What each student hands in, made from the notebook they fetched."""
    reference = nbformat.read(teach.chapters()[ASSIGNMENT], 4)
    if kind == "honest":
        return worked(fetched, reference)
    if kind == "partial":
        return worked(fetched, reference, unanswered={LEFT_UNDONE})
    return early(fetched, SWALLOW_ERRORS)  # nothing answered, every error swallowed: once full marks


@pytest.fixture(scope="module")
def semester():
    """The class, released through the exchange, worked and submitted by three students on the hub, collected and
    autograded: (course, per-question grades, {student: (server URL, their token)}).  Everything it made is
    removed at the end, whatever happened, and that is checked."""
    reason = unavailable()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"CI runs the JupyterHub class, but: {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="nndl-hub-"))
    root.chmod(0o755)  # the students' Python and homes lie within
    try:
        started = time.monotonic()
        course = root / "course"
        teach.release(course, only=[ASSIGNMENT])
        config = course / "nbgrader_config.py"
        config.write_text(config.read_text() + f"c.Exchange.root = {str(root / 'exchange')!r}\n")
        python = hub.build_environment(root / "python", REPOSITORY)
        built = time.monotonic()
        url = hub.start(root / "hub", python, course, list(STUDENTS), port=hub.free_port(), create_users=True)
        teacher = (root / "hub" / hub.PRIVATE / hub.TOKEN).read_text()
        nbgrader(course, "release_assignment", ASSIGNMENT)
        students = {}
        for name, kind in STUDENTS.items():
            server, token = students[name] = f"{url}/user/{name}", log_in(url, teacher, name)
            with pytest.raises(urllib.error.HTTPError, match="404"):
                call(f"{server}/formgrader", token)  # the teacher's alone
            assert assignments(server, token) == {(ASSIGNMENT, "released")}
            assert assignments(server, token, "fetch") == {(ASSIGNMENT, "fetched")}
            path = f"{server}/api/contents/{ASSIGNMENT}/{NOTEBOOK}.ipynb"
            handed_in = work(kind, nbformat.from_dict(call(path, token)["content"]))
            call(path, token, "PUT", {"type": "notebook", "format": "json", "content": handed_in})
            assert (ASSIGNMENT, "submitted") in assignments(server, token, "submit")
        worked_at = time.monotonic()
        common = ["--course", str(course)]
        assert cli.main(common + ["collect", ASSIGNMENT]) == 0
        assert cli.main(common + ["autograde", str(course / "submitted"), ASSIGNMENT]) == 0
        assert cli.main(common + ["grades", "--csv", str(root / "grades.csv")]) == 0
        with open(root / "grades-questions.csv") as f:
            questions = list(csv.DictReader(f))
        print(f"\nstudents' Python {built - started:.0f} s, hub and students' work {worked_at - built:.0f} s, "
              f"collect and autograde {time.monotonic() - worked_at:.0f} s")
        yield course, questions, students
    finally:
        accounts = {pwd.getpwnam(name).pw_uid for name in STUDENTS if hub.has_account(name)}
        private = root / "hub" / hub.PRIVATE
        servers = [int((private / pid).read_text()) for pid in (hub.PID, "proxy.pid") if (private / pid).exists()]
        try:
            if (root / "hub").exists():
                hub.stop(root / "hub", remove=True)
        finally:
            shutil.rmtree(root)
    # the teardown, checked: no account, no process of theirs (servers, kernels), neither hub nor proxy, no folder
    assert not [name for name in STUDENTS if hub.has_account(name)] and not hub.processes_of(accounts)
    assert len(servers) == 2 and not any(hub.alive(pid) for pid in servers) and not root.exists()


def test_every_score_as_earned(semester):
    course, questions, students = semester
    points = auto_points(f"{NOTEBOOK}.ipynb")
    full = sum(points.values())
    assert score(questions, HONEST, ASSIGNMENT) == full == 10
    assert score(questions, PARTIAL, ASSIGNMENT) == full - points[LEFT_UNDONE + "_test"] == 6
    assert score(questions, CHEAT, ASSIGNMENT) == 0


def test_each_student_fetches_their_feedback(semester):
    course, questions, students = semester
    assert cli.main(["--course", str(course), "feedback", ASSIGNMENT]) == 0
    kept = sorted(p.parent.parent.name for p in (course / "feedback").glob(f"*/{ASSIGNMENT}/submission_secret.txt"))
    assert kept == sorted(STUDENTS), ("nbgrader's release_feedback needs the submission_secret.txt that nbgrader's "
                                      "submit wrote, in course/feedback/<student>/ch01/; autograde left it out")
    nbgrader(course, "release_feedback", ASSIGNMENT)
    for name, (server, token) in students.items():
        assignments(server, token, "fetch_feedback")
        found = call(f"{server}/api/contents/{ASSIGNMENT}/feedback", token)["content"]
        pages = [page["name"] for when in found  # a folder per submission, named by its time
                 for page in call(f"{server}/api/contents/{urllib.parse.quote(when['path'])}", token)["content"]]
        assert pages == [f"{NOTEBOOK}.html"], name


def teach_cli(*args):
    return subprocess.run([sys.executable, "-m", "nndl.teach", *map(str, args)], capture_output=True, text=True)


def test_a_students_python_they_could_not_run_is_refused(tmp_path):
    """pytest's tmp_path lies in a folder of the teacher's alone, as /root is: a student's server could not start."""
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    result = teach_cli("hub", "environment", closed / "python", "--package", REPOSITORY)
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert f"students could not run Python from {closed / 'python'}: " in result.stderr
    assert "is closed to other users (choose a folder such as /opt/nndl)" in result.stderr
    assert not (closed / "python").exists()


def test_a_hub_without_the_students_python_is_refused(tmp_path):
    result = teach_cli("--course", tmp_path / "course", "hub", "start", tmp_path / "hub", "--environment", tmp_path,
                       "--users", "ann")
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    expected = (f"cannot run the hub here: {hub.missing()}" if hub.missing() else
                f"{tmp_path} is not the students' Python: make it with `python -m nndl.teach hub environment DIR`")
    assert expected in result.stderr
    assert not (tmp_path / "hub").exists()


def test_stopping_a_hub_that_is_not_there_says_so(tmp_path):
    result = teach_cli("hub", "stop", tmp_path / "nothing", "--remove")
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert f"no hub in {tmp_path / 'nothing'}: it is the folder given to `python -m nndl.teach hub start`" in result.stderr


def test_students_without_accounts_are_named_and_nothing_is_made():
    open_folder = Path(tempfile.mkdtemp(prefix="nndl-hub-"))  # pytest's tmp_path is closed to other users
    try:
        open_folder.chmod(0o755)
        (open_folder / "python" / "bin").mkdir(parents=True)
        (open_folder / "python" / "bin" / "jupyterhub-singleuser").touch()
        teach.release(open_folder / "course", only=[ASSIGNMENT])
        stranger = f"nndl-stranger-{RUN}"
        result = teach_cli("--course", open_folder / "course", "hub", "start", open_folder / "hub", "--environment",
                           open_folder / "python", "--users", stranger)
        assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
        expected = (f"cannot run the hub here: {hub.missing()}" if hub.missing() else
                    f"no account for {stranger} on this machine: create them, or pass --create-users")
        assert expected in result.stderr
        assert not (open_folder / "hub").exists() and not hub.has_account(stranger)
    finally:
        shutil.rmtree(open_folder)
