"""Student versions and autograding with nbgrader, end to end and offline."""
import json
import os
import re
import shutil
import socket
import signal
import subprocess
import sys
import time
import types
import zipfile

import nbformat
import numpy as np
import pytest

from nndl import descent, learner, mnist, teach
from nndl.sweep import SHIPPED_SWEEP
from nndl.teach import cli, collect, grading, reports, sandbox, settings
from nndl.teach.course import graded_by_hand
from sandboxing import kernel_run, needs_sandbox

pytest.importorskip("nbgrader", reason="nbgrader is in the teach extra: pip install -e .[teach]")

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def region_lines(pattern, notebook):
    """The non-blank lines inside the pattern's regions, anywhere in the notebook."""
    return {line.strip() for cell in notebook.cells for region in pattern.findall(cell.source)
            for line in region.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    teach.release(course)
    return course


def student_version(released, name):
    return nbformat.read(next((released / "release" / name).glob("*.ipynb")), 4)


def comparable(cell):
    return cell.cell_type, cell.get("id"), cell.source, cell.metadata.get("tags", [])


@pytest.mark.parametrize("name", sorted(teach.chapters()))
def test_learner_version_equals_nbgraders_release(released, name):
    """The learner's copies and nbgrader's student versions have the same cells, so one Run All tests both."""
    mine = learner.learner_version(nbformat.read(teach.chapters()[name], as_version=4))
    student = student_version(released, name)
    assert [comparable(c) for c in mine.cells] == [comparable(c) for c in student.cells]
    assert all(not c.get("outputs") for c in mine.cells + student.cells)


def test_points_come_from_the_notebooks():
    assert set(teach.chapters()) == {f"ch{n:02d}" for n in range(1, 15)}
    ch01 = teach.points(teach.chapters()["ch01"])
    assert ch01 == {"nb01_perceptron_test": 3, "nb01_gates_test": 3, "nb01_full_adder_test": 4,
                    "nb01_scaling_written": 2}
    assert graded_by_hand(teach.chapters()["ch01"]) == {"nb01_scaling_written"}


def test_the_documented_points_match_the_notebooks():
    text = (teach.NOTEBOOKS.parent / "README.md").read_text()
    for name, path in teach.chapters().items():
        assert re.search(rf"\|\s*{path.name[:2]}\b.*\|\s*{sum(teach.points(path).values())}\s*\|", text), \
            f"README's teaching table disagrees with {path.name}"


@pytest.mark.parametrize("name", sorted(teach.chapters()))
def test_no_solution_or_hidden_test_survives(released, name):
    source = nbformat.read(teach.chapters()[name], 4)
    student = student_version(released, name)
    elsewhere = {line.strip() for cell in source.cells for line in SOLUTION.sub("", HIDDEN.sub("", cell.source)).splitlines()}
    secret = (region_lines(SOLUTION, source) | region_lines(HIDDEN, source)) - elsewhere
    assert secret, "the source has no solutions to hide"
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    assert not secret & student_lines, f"solution or hidden-test lines leaked: {secret & student_lines}"
    assert all("BEGIN HIDDEN TESTS" not in c.source and "BEGIN SOLUTION" not in c.source for c in student.cells)
    for cell in student.cells:
        if nbgrader_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source if cell.cell_type == "code" else \
                cell.source == learner.TEXT_STUB, "nbgrader's release shows no model answer"


def test_clear_errors(tmp_path, capsys):
    assert cli.main(["--course", str(tmp_path / "c"), "grades", "--csv", str(tmp_path / "g.csv")]) == 2
    assert "no gradebook yet" in capsys.readouterr().err
    assert cli.main(["--course", str(tmp_path / "c"), "autograde", str(tmp_path / "nowhere")]) == 2
    assert "collect the submissions as" in capsys.readouterr().err
    assert cli.main(["--course", str(tmp_path / "c"), "release", "ch99"]) == 2
    assert "no assignment ch99" in capsys.readouterr().err


def test_tools_say_where_the_notebooks_must_be(tmp_path, capsys):
    assert cli.main(["--course", str(tmp_path / "c"), "--notebooks", str(tmp_path / "nowhere"), "points"]) == 2
    assert "pass --notebooks DIR" in capsys.readouterr().err
    teach.setup_course(tmp_path / "c")  # a course folder has its own sources: no notebooks needed from then on
    assert cli.main(["--course", str(tmp_path / "c"), "--notebooks", str(tmp_path / "nowhere"), "points"]) == 0
    assert "ch01  01_perceptrons.ipynb" in capsys.readouterr().out


def test_sources_and_config_are_the_teachers_once_created(tmp_path):
    course, assignments = teach.setup_course(tmp_path / "c")
    config, source = course / "nbgrader_config.py", assignments["ch01"]
    config.write_text(config.read_text() + "# the teacher's line\n")
    source.write_text(source.read_text().replace('"points": 3', '"points": 5'))
    teach.setup_course(course)
    assert "# the teacher's line" in config.read_text() and '"points": 5' in source.read_text()
    backup = teach.update_sources(course)
    assert '"points": 5' not in source.read_text() and '"points": 5' in (backup / "ch01" / source.name).read_text()
    assert "# the teacher's line" in config.read_text()


def test_without_a_sandbox_autograde_refuses_unless_told(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sandbox, "available", lambda: "bubblewrap is not installed")
    (tmp_path / "submitted" / "alice" / "ch01").mkdir(parents=True)
    assert cli.main(["--course", str(tmp_path / "c"), "autograde", str(tmp_path / "submitted")]) == 2
    err = capsys.readouterr().err
    assert "no sandbox for the students' code: bubblewrap is not installed" in err and "--no-sandbox" in err


def with_kernel(command, *kernel):
    """The sandbox's ``command`` with ``kernel`` in place of ipykernel."""
    at = len(command) - 1 - command[::-1].index(sys.executable)
    return command[:at] + list(kernel)


@needs_sandbox
def test_the_sandbox_hides_the_course_and_the_network(tmp_path):
    course, work = tmp_path / "course", tmp_path / "course" / "autograded" / "s" / "ch01"
    work.mkdir(parents=True)
    (course / "gradebook.db").write_text("grades")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / ".git" / "HEAD").write_text("ref: refs/heads/main")
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(work), str(run), [str(course), str(tmp_path / "repo" / ".git")])
    probe = """import errno, os, socket, subprocess, sys
print(os.path.exists("../../../gradebook.db"), os.path.exists("GIT/HEAD"))
print("grader visible" if os.path.exists("/proc/GRADER") else "grader out of sight", os.getpid())
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3); open('RUN/observed/late.txt', 'w').write('x')"])
try:
    open("/tmp/big", "wb").write(bytes(600 * 2**20))
    print("600 MB in /tmp")
except OSError as e:
    print("/tmp", errno.errorcode[e.errno])
open("mine.txt", "w").write("ok")
print(open("mine.txt").read(), os.getuid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])
for name in ("RUN/x", "RUN/observed/../y"):
    try:
        open(name, "w")
        print(name, "writable")
    except OSError as e:
        print(name, errno.errorcode[e.errno])
print("GRADER_SECRET" in os.environ, sorted(os.environ))
try:
    open("/etc/nndl-probe", "w")
    print("etc writable")
except OSError:
    print("etc read-only")
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2)
    print("network reached the grader's machine")
except OSError as e:
    print("network", errno.errorcode[e.errno])
"""
    with socket.create_server(("127.0.0.1", 0)) as server:  # a service on this machine's loopback
        probe = probe.replace("PORT", str(server.getsockname()[1])).replace("GRADER", str(os.getpid()))
        probe = probe.replace("GIT", str(tmp_path / "repo" / ".git")).replace("RUN", str(run))
        out = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True, check=True,
                             env={**os.environ, "GRADER_SECRET": "x"}).stdout
    lines = out.split("\n")
    assert lines[0] == "False False", "gradebook and .git out of sight"
    assert lines[1].startswith("grader out of sight") and int(lines[1].split()[-1]) < 10, "processes of its own"
    assert lines[2] == "/tmp ENOSPC", out
    user = sandbox.kernel_user(str(run)) if os.geteuid() == 0 else sandbox.NOBODY
    assert lines[3] == f"ok {user} 0000000000000000", "its folder is writable, its user is not the grader's, no capability"
    assert lines[4:6] == [f"{run}/x EROFS", f"{run}/observed/../y EROFS"], "of the run's folder, only two subfolders"
    secret, names = lines[6].split(" ", 1)
    assert secret == "False" and set(eval(names)) <= set(sandbox.KEPT_ENVIRONMENT) | {"HOME", sandbox.NO_FRONTEND, "PWD"}
    assert lines[7:9] == ["etc read-only", "network ECONNREFUSED"], out
    assert not (work / "mine.txt").exists(), "what it writes in its folder stays in memory, off the disk"
    assert (course / "gradebook.db").read_text() == "grades"
    time.sleep(4)
    assert not (run / "observed" / "late.txt").exists(), "a process the kernel started ends with it"


@needs_sandbox
def test_the_sandbox_shows_only_the_system_python_and_data(tmp_path):
    """Not a list of folders to hide: what is not needed is not there (another clone, a home folder's files)."""
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    as_the_launcher = (f"import json; from nndl.teach import sandbox; print(json.dumps(sandbox.bwrap_command("
                       f"{connection!r}, {str(work)!r}, {str(run)!r}, [])))")  # nothing asked hidden
    command = json.loads(subprocess.run([sys.executable, "-I", "-c", as_the_launcher], capture_output=True, text=True,
                                        check=True, cwd=work).stdout)  # python -I, as nbgrader starts it
    probe = (f"import os; from nndl import mnist; mnist.load_data(); "
             f"print(os.path.exists({str(learner.NOTEBOOKS)!r}), os.path.exists({str(learner.ROOT / 'README.md')!r}))")
    result = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True)
    assert result.stdout == "False False\n", result.stdout + result.stderr
    assert (learner.ROOT / "README.md").exists() and mnist.DATA_DIR.exists()


def test_the_sandbox_keeps_a_course_installed_under_tmp_in_sight(tmp_path, monkeypatch):
    """A clone under /tmp (CI's, or a learner's) has its Python there: the sandbox's empty /tmp must not hide it."""
    installed = tmp_path / "site"  # stands for a .venv or a clone's src/ under /tmp
    (installed / "course_module.py").parent.mkdir()
    (installed / "course_module.py").write_text("print('imported from', __file__)")
    monkeypatch.syspath_prepend(str(installed))
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(work), str(run), [])
    probe = f"import sys; sys.path.insert(0, {str(installed)!r}); import course_module"  # the kernel's env is cleared
    result = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"imported from {installed}" in result.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="only a kernel started by root could pass for the owner of root's files")
@needs_sandbox
def test_graded_by_root_the_kernel_cannot_read_roots_files(tmp_path, monkeypatch):
    """In a user namespace of root's, "nobody" is root outside: it read /etc/shadow.  Now it is a real user."""
    shown = tmp_path / "site"  # a folder the kernel sees, like its .venv
    shown.mkdir()
    (shown / "secret.txt").write_text("root's")
    (shown / "secret.txt").chmod(0o600)
    monkeypatch.syspath_prepend(str(shown))
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(work), str(run), [])
    probe = f"""import os
for name in ({str(shown / 'secret.txt')!r}, "/etc/shadow", {connection!r}):
    try:
        open(name).read()
        print(name, "read")
    except OSError as e:
        print(name, e.strerror)
open({str(run / sandbox.OBSERVED / 'x.npz')!r}, "w").write("x")
print(os.getuid(), os.getgid(), os.getgroups(), open("/proc/self/uid_map").read().split())
"""
    result = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True)
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"{shown / 'secret.txt'} Permission denied", "/etc/shadow Permission denied"], result.stderr
    assert lines[2] == f"{connection} read", "its connection file, and the archives' folder, are its own"
    user = sandbox.kernel_user(str(run))
    assert lines[3] == f"{user} {user} [] ['0', '0', '4294967295']", "a real user of its own, not a user namespace's"


@needs_sandbox
def test_a_killed_grader_leaves_no_kernel_behind(tmp_path):
    """nbgrader killed (a time limit, a run that wrote too much): bwrap dies with it, and so must the kernel.

    Graded as root, the kernel was another user that bwrap could not signal: it lived on, as nobody's."""
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    kernel = ["/bin/sleep", str(1000 + os.getpid() % 1000)]  # a command line of this test's own
    command = sandbox.bwrap_command(connection, str(work), str(run), [], kernel=kernel)
    grader = subprocess.Popen([sys.executable, "-c", f"import subprocess, time\nsubprocess.Popen({command!r})\n"
                                                     f"time.sleep(1000)"])
    try:
        deadline = time.monotonic() + 30
        while not running(kernel) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert running(kernel), "the kernel started"
    finally:
        grader.kill()
        grader.wait()
    deadline = time.monotonic() + 10
    while running(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = running(kernel)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the kernel outlived the grader"


def running(command):
    """The processes whose command line is ``command``."""
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read().split(b"\0")[:-1] == [part.encode() for part in command]:
                    found.append(int(pid))
        except OSError:
            pass
    return found


@needs_sandbox
def test_the_kernel_cannot_fill_memory_through_dev(tmp_path):
    """bwrap's /dev is a tmpfs as large as half the memory, outside the kernel's limit: it is read-only."""
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(work), str(run), [])
    probe = """import errno
for name in ("/dev/big", "/dev/shm/big", "/dev/null"):
    try:
        open(name, "wb").write(bytes(2**20))
        print(name, "written")
    except OSError as e:
        print(name, errno.errorcode[e.errno])
"""
    result = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True)
    assert result.stdout.split("\n")[:2] == ["/dev/big EROFS", "/dev/shm/big EROFS"], result.stdout + result.stderr
    assert "/dev/null written" in result.stdout, "its devices still work"


@pytest.mark.skipif(os.geteuid() != 0, reason="bounds set as root only (in a user namespace bwrap's mounts are not ours)")
@needs_sandbox
def test_graded_by_root_the_kernel_can_make_only_so_many_files_and_processes(tmp_path):
    """Empty files cost memory outside every limit, and so do processes: a submission could bring the machine down."""
    work = tmp_path / "work"
    work.mkdir()
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(work), str(run), [])
    probe = f"""import os, time
for folder in ("/tmp", os.getcwd()):
    made = 0
    try:
        while made < {2 * sandbox.FILES}:
            open(os.path.join(folder, str(made)), "w").close()
            made += 1
    except OSError as e:
        print(folder == os.getcwd(), made, e.strerror)
children = 0
try:
    while children < {2 * sandbox.PROCESSES}:
        if os.fork() == 0:
            time.sleep(10)
            os._exit(0)
        children += 1
except OSError as e:
    print(children < {sandbox.PROCESSES}, e.strerror)
"""
    result = subprocess.run(with_kernel(command, sys.executable, "-c", probe), capture_output=True, text=True)
    lines = [line.split(" ", 2) for line in result.stdout.splitlines()]
    assert [(cwd, error) for cwd, _, error in lines[:2]] == [("False", "No space left on device"),
                                                             ("True", "No space left on device")], result.stderr
    assert all(sandbox.FILES - 100 < int(made) < sandbox.FILES for _, made, _ in lines[:2]), "less what was there"
    assert lines[2:] == [["True", "Resource", "temporarily unavailable"]], result.stdout + result.stderr


def test_a_graded_notebook_keeps_a_bounded_output_but_every_error():
    """nbgrader keeps what the cells print in memory, then on disk: 48 MB printed, at most OUTPUT_MB kept."""
    from nndl.teach.feedback import CUT, OUTPUT_MB, BoundedExecute
    execute, outs = BoundedExecute(), []
    execute.reset_execution_trackers()
    execute.clear_before_next_output = False  # as nbclient sets it for each cell
    execute.shown, execute.cut = 0, False  # as at the start of a notebook

    def message(kind, **content):
        return {"msg_type": kind, "header": {"msg_type": kind}, "parent_header": {"msg_id": "cell"}, "content": content}
    for _ in range(OUTPUT_MB + 16):
        execute.output(outs, message("stream", name="stdout", text="x" * 2**20), None, 0)
    execute.output(outs, message("error", ename="AssertionError", evalue="wrong", traceback=[]), None, 0)
    assert sum(len(o.get("text", "")) for o in outs) <= OUTPUT_MB * 2**20
    assert [o.get("text") for o in outs[-2:]] == [CUT, None] and outs[-1].ename == "AssertionError", \
        "past the bound, one line says so, and an error still arrives: a failed test must not pass"


@needs_sandbox
def test_a_course_installed_under_tmp_can_grade(tmp_path):
    """Its Python under /tmp, which the sandbox lays an empty /tmp over: the trial said "no sandbox" (CI's clone)."""
    import site
    import venv
    venv.create(tmp_path / "venv", system_site_packages=True)
    packages = next((tmp_path / "venv" / "lib").glob("python3*/site-packages"))
    (packages / "course.pth").write_text("\n".join([*site.getsitepackages(), str(learner.ROOT / "src")]) + "\n")
    said = subprocess.run([str(tmp_path / "venv" / "bin" / "python"), "-c",
                           "from nndl.teach import sandbox; print(sandbox.available())"], capture_output=True, text=True)
    assert said.stdout == "None\n", said.stdout + said.stderr


def test_only_nbgraders_own_failure_on_a_busy_gradebook_is_retried(tmp_path, monkeypatch):
    """A cell's output may say "database is locked" too: a graded run is never run again for it."""
    from nndl.teach import autograde
    calls = []

    def nbgrader(course, *args, returncode=0, **options):
        calls.append(args)
        return subprocess.CompletedProcess(args, returncode, "sqlite3.OperationalError: database is locked", "")
    monkeypatch.setattr(autograde, "nbgrader", nbgrader)
    autograde.run_nbgrader(tmp_path, "s", "ch01", [], False, 60)
    assert len(calls) == 1, "a finished run that printed the words is not run again"
    monkeypatch.setattr(autograde, "nbgrader", lambda *a, **k: nbgrader(*a, returncode=1, **k))
    autograde.run_nbgrader(tmp_path, "s", "ch01", [], False, 60)
    assert len(calls) == 1 + 3, "nbgrader that failed on a busy gradebook is tried three times"


def test_grading_helpers_cannot_be_fooled():
    class Yes(int):
        def __eq__(self, other):
            return True
    with pytest.raises(AssertionError, match="should be the number 0 or 1, got Yes"):
        grading.bit(Yes(0), "the output")
    assert grading.bit(np.int64(1), "the output") == 1
    with pytest.raises(AssertionError, match=r"has shape \(0,\); it should be \(2,\)"):
        grading.close([], [1.0, 2.0], "nabla")
    assert grading.close(np.array([1.0, 2.0 + 1e-12]), [1.0, 2.0], "v") and not grading.close(np.array([1.0, 2.1]), [1.0, 2.0], "v")
    assert not grading.close(np.array([np.nan, 2.0]), [1.0, 2.0], "v")
    alias = descent.gradient_descent
    with grading.forbidden(descent.gradient_descent):
        with pytest.raises(AssertionError, match="package function gradient_descent: write it yourself"):
            alias(descent.VALLEY, [1.0, 1.0], 0.1, 1)
    assert alias(descent.VALLEY, [1.0, 1.0], 0.5, 1).tolist() == [[1.0, 1.0], [0.5, 0.5]], "restored afterwards"


def test_student_pack_has_no_solutions(released, tmp_path):
    assert cli.main(["--course", str(released), "student-pack", "--out", str(tmp_path / "nndl-student")]) == 0
    pack = tmp_path / "nndl-student"
    assert (pack / "pyproject.toml").exists() and (pack / "course.py").exists() and (pack / "src" / "nndl" / "network.py").exists()
    data = mnist.DATA_DIR.parent
    assert sorted(p.relative_to(pack / "data") for p in (pack / "data").rglob("*")) == sorted(p.relative_to(data) for p in data.rglob("*"))
    assert (pack / "data" / "sweeps" / SHIPPED_SWEEP.name).exists()
    assert sorted(p.name for p in (pack / "notebooks").glob("*.ipynb")) == sorted(p.name for p in teach.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for name, path in teach.chapters().items():
        assert (pack / "notebooks" / path.name).read_bytes() == next((released / "release" / name).glob("*.ipynb")).read_bytes()
    assert cli.main(["--course", str(released), "student-pack", "--out", str(tmp_path / "nndl-student"), "--zip"]) == 0
    with zipfile.ZipFile(tmp_path / "nndl-student.zip") as archive:
        assert "nndl-student/notebooks/01_perceptrons.ipynb" in archive.namelist()
    assert cli.main(["--course", str(released), "student-pack", "--out", str(tmp_path / "nndl-student")]) == 2


@pytest.mark.parametrize("platform, names", [
    ("canvas", ["liddellalice_1001_5001_01_perceptrons.ipynb", "builderbob_LATE_1002_5002_01_perceptrons-1.ipynb"]),
    ("moodle", ["Alice Liddell_1001_assignsubmission_file_/01_perceptrons.ipynb",
                "Bob Builder_1002_assignsubmission_file_/01_perceptrons-1.ipynb"]),
])
def test_collect_a_learning_platforms_archive(released, tmp_path, platform, names, capsys):
    archive = download(tmp_path, names)
    shutil.rmtree(released / "submitted", ignore_errors=True)
    assert cli.main(["--course", str(released), "collect", "ch01", str(archive), "--pattern", platform]) == 0
    filed = sorted(str(p.relative_to(released / "submitted")) for p in (released / "submitted").glob("*/*/*.ipynb"))
    assert filed == ["1001/ch01/01_perceptrons.ipynb", "1002/ch01/01_perceptrons-1.ipynb"]
    late = "1002 ch01: marked late by the platform, but ch01 has no due date"
    assert (late in capsys.readouterr().out) == (platform == "canvas")


def download(folder, names):
    archive = folder / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in names:
            z.write(teach.chapters()["ch01"], name)
    return archive


def test_a_file_marked_late_without_a_time_is_charged_at_least_a_day(tmp_path, capsys):
    course = tmp_path / "course"
    teach.release(course, only=["ch01"])
    assert cli.main(["--course", str(course), "due", "ch01", "2027-03-01 23:59:00 UTC"]) == 0
    archive = download(tmp_path, ["liddellalice_1001_5001_01_perceptrons.ipynb",
                                  "builderbob_LATE_1002_5002_01_perceptrons.ipynb"])
    assert cli.main(["--course", str(course), "collect", "ch01", str(archive), "--pattern", "canvas"]) == 0
    assert "1002 ch01: marked late by the platform, which gives no time: charged as one day late" in capsys.readouterr().out
    assert (course / "submitted" / "1002" / "ch01" / "timestamp.txt").read_text() == "2027-03-01 23:59:01.000000 UTC"
    assert not (course / "submitted" / "1001" / "ch01" / "timestamp.txt").exists()


def test_each_cell_gets_a_time_limit_that_fits_it(monkeypatch):
    source = nbformat.read(teach.chapters()["ch06"], 4)
    monkeypatch.setenv(settings.TRAINING_CELLS, " ".join(settings.training_cells(source)))  # as autograde does
    limits = {settings.cell_timeout(c) for c in source.cells if c.cell_type == "code"
              if c.metadata.get("nbgrader", {}).get("grade")}
    assert limits == {settings.TIMEOUTS["exercise"]} and settings.TIMEOUTS["exercise"] <= 20
    training = [c for c in source.cells if c.cell_type == "code" and ".SGD(" in c.source]
    assert training and {settings.cell_timeout(c) for c in training} == {settings.TIMEOUTS["training"]}
    lesson = nbformat.v4.new_code_cell("print(1)")
    assert settings.cell_timeout(lesson) == settings.TIMEOUTS["lesson"] < settings.TIMEOUTS["training"]
    students = nbformat.v4.new_code_cell("while True: pass  # net.SGD( train_live(")  # a cell of the student's own
    assert settings.cell_timeout(students) == settings.TIMEOUTS["lesson"], "the student's text buys no time"
    answer = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    answer.source += "\n# net.SGD("
    assert settings.cell_timeout(answer) == settings.TIMEOUTS["exercise"]


def test_feedback_hides_hidden_tests_and_their_messages_and_leaves_students_text_alone():
    from nndl.teach.feedback import HIDDEN_FAILED, HideHiddenTests
    graded = {"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1}}
    test = nbformat.v4.new_code_cell("assert f(1) == 1, 'f(1) is 1'\n### BEGIN HIDDEN TESTS\n"
                                     "assert f(0) == 0, 'w·x + b = 0 must give 0'\n### END HIDDEN TESTS",
                                     metadata=graded)
    test.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="w·x + b = 0 must give 0",
                                           traceback=["assert f(0) == 0, 'w·x + b = 0 must give 0'"])]
    visible = nbformat.v4.new_code_cell(test.source, metadata=graded)
    visible.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="f(1) is 1", traceback=["..."])]
    student = nbformat.v4.new_code_cell("# my notes: ### BEGIN HIDDEN TESTS is where the teacher hides tests")
    spy = nbformat.v4.new_code_cell("print(In[-1])")  # a student's cell printing the test's source, hidden lines too
    spy.outputs = [nbformat.v4.new_output("stream", name="stdout", text=test.source),
                   nbformat.v4.new_output("display_data", data={"text/plain": test.source, "text/html": test.source})]
    named = nbformat.v4.new_code_cell(test.source, metadata=graded)  # the kernel's half raised a class of its own
    named.outputs = [nbformat.v4.new_output("error", ename="LEAKED_assert_f_0_0", evalue="f(1) is 1", traceback=[])]
    notebook = nbformat.v4.new_notebook(cells=[student, test, visible, spy, named])
    notebook, _ = HideHiddenTests().preprocess(notebook, {})
    assert notebook.cells[4].outputs[0].traceback == ["Exception: f(1) is 1"], "an error's name could carry hidden lines"
    assert notebook.cells[3].outputs == [], "no output of a student's cell: it could hold a hidden test, encoded"
    assert notebook.cells[0].source == student.source, "a student's own text is theirs"
    assert "f(0)" not in notebook.cells[1].source
    assert notebook.cells[1].outputs[0].traceback == [f"AssertionError: {HIDDEN_FAILED}"]
    assert notebook.cells[2].outputs[0].traceback == ["AssertionError: f(1) is 1"], "a visible test's message stays"


def test_one_assignments_failed_feedback_does_not_stop_the_others(tmp_path, monkeypatch):
    for name in ("ch01", "ch02", "ch03"):
        (tmp_path / "autograded" / "s" / name).mkdir(parents=True)
    ran = []
    monkeypatch.setattr(reports, "gradebook", lambda course: types.SimpleNamespace(close=lambda: None))

    def fake_nbgrader(course, *args, capture=False):
        ran.append(args[1])
        return subprocess.CompletedProcess(args, 1 if args[1] == "ch01" else 0)
    monkeypatch.setattr(reports, "nbgrader", fake_nbgrader)
    with pytest.raises(teach.TeachError, match="the feedback of ch01 failed"):
        reports.feedback(tmp_path)
    assert ran == ["ch01", "ch02", "ch03"]


def test_submissions_are_graded_one_per_core_as_memory_allows(tmp_path, monkeypatch, capsys):
    from nndl.teach import autograde
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert autograde.default_jobs() == min(4, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (5 * 2**30))
    monkeypatch.setattr(sandbox, "memory_limit", lambda: 2**50)  # kernels larger than the machine: one at a time
    assert autograde.default_jobs() == 1
    (tmp_path / "submitted" / "alice" / "ch01").mkdir(parents=True)
    assert cli.main(["--course", str(tmp_path / "c"), "autograde", str(tmp_path / "submitted"), "--jobs", "0"]) == 2
    assert "--jobs 0: grade at least 1 submission at a time" in capsys.readouterr().err


def test_a_time_the_exchange_never_saw_is_not_believed(tmp_path, capsys):
    """nbgrader's submit writes timestamp.txt on the student's side; the exchange's file times are kept instead."""
    import datetime
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    teach.release(course, only=["ch01"])
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + f"c.Exchange.root = {str(exchange)!r}\n")
    inbound = exchange / "nndl" / "inbound"
    inbound.mkdir(parents=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    for student, named, claimed in (("forger", "2026-01-01 10:00:00.000000 UTC", "2026-01-01 10:00:00.000000 UTC"),
                                    ("renamer", now, "2019-12-31 12:00:00.000000 UTC"),  # the file alone forged
                                    ("honest", now, now)):
        folder = inbound / f"{student}+ch01+{named}+x1y2"
        folder.mkdir()
        shutil.copy(course / "release" / "ch01" / "01_perceptrons.ipynb", folder)
        (folder / "timestamp.txt").write_text(claimed)
    assert cli.main(["--course", str(course), "collect", "ch01"]) == 0
    out = capsys.readouterr().out
    forged = course / "submitted" / "forger" / "ch01"
    assert "forger ch01: timestamp.txt says 2026-01-01 10:00:00.000000 UTC, but the exchange received it at" in out
    assert (forged / "timestamp-claimed.txt").read_text() == "2026-01-01 10:00:00.000000 UTC\n"
    assert (forged / "timestamp.txt").read_text()[:10] == now[:10]
    assert (course / "submitted" / "honest" / "ch01" / "timestamp.txt").read_text() == now
    assert "renamer ch01: timestamp.txt says 2019-12-31 12:00:00.000000 UTC" in out
    assert (course / "submitted" / "renamer" / "ch01" / "timestamp.txt").read_text()[:10] == now[:10]
    assert "honest" not in out
    assert cli.main(["--course", str(course), "collect", "ch01", "download.zip"]) == 2  # an archive needs --pattern


def test_what_nbgrader_must_not_collect_is_set_aside_and_a_missing_time_is_the_exchanges(tmp_path, capsys):
    import datetime
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    teach.release(course, only=["ch01"])
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + f"c.Exchange.root = {str(exchange)!r}\n")
    inbound = exchange / "nndl" / "inbound"
    inbound.mkdir(parents=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    folders = {student: inbound / f"{student}+ch01+{now}+x1y2" for student in ("linker", "tardy", "victim")}
    for folder in folders.values():
        folder.mkdir()
    (folders["linker"] / "01_perceptrons.ipynb").symlink_to(course / "source" / "ch01" / "01_perceptrons.ipynb")
    shutil.copy(course / "release" / "ch01" / "01_perceptrons.ipynb", folders["tardy"])  # and no timestamp.txt
    shutil.copy(course / "release" / "ch01" / "01_perceptrons.ipynb", folders["victim"])
    (folders["victim"] / "timestamp.txt").write_text(now)
    later = inbound / f"victim+ch01+2099-01-01 00:00:00.000000 UTC+z9"  # the latest: nbgrader would take it
    shutil.copytree(folders["victim"], later)
    if os.geteuid() == 0:
        for path in (later, *later.iterdir()):
            os.chown(path, 65534, 65534)  # made by another user (nobody), in the victim's name
    assert cli.main(["--course", str(course), "collect", "ch01"]) == 0
    out = capsys.readouterr().out
    assert f"linker ch01: {folders['linker'].name} not collected: it holds a link" in out
    assert not (course / "submitted" / "linker").exists(), "the reference solutions are not handed in"
    assert (course / "refused" / folders["linker"].name).is_dir(), "set aside, for the teacher to see"
    assert "tardy ch01: no timestamp.txt; the exchange received it at" in out
    assert (course / "submitted" / "tardy" / "ch01" / "timestamp.txt").read_text()[:10] == now[:10]
    if os.geteuid() == 0:
        assert f"victim ch01: {later.name} not collected: it was made by the user nobody, not by victim" in out
        assert (course / "submitted" / "victim" / "ch01" / "timestamp.txt").read_text() == now, "the victim's own"


def test_a_pipe_a_huge_folder_or_a_link_swapped_in_while_collecting_hands_in_nothing(tmp_path, capsys, monkeypatch):
    """A pipe or 120 MB (sparse: no disk) stopped nbgrader's collect for the whole class; a link put in while
    nbgrader copied, and taken out after, handed in the teacher's source."""
    import datetime
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    teach.release(course, only=["ch01"])
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + f"c.Exchange.root = {str(exchange)!r}\n")
    inbound = exchange / "nndl" / "inbound"
    inbound.mkdir(parents=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    folders = {student: inbound / f"{student}+ch01+{now}+x1y2" for student in ("piper", "huge", "racer", "honest")}
    for folder in folders.values():
        folder.mkdir()
        shutil.copy(course / "release" / "ch01" / "01_perceptrons.ipynb", folder)
        (folder / "timestamp.txt").write_text(now)
    os.mkfifo(folders["piper"] / "pipe")
    with open(folders["huge"] / ".big", "wb") as f:
        f.truncate(120 * 10**6)
    nbgrader_collect = collect.nbgrader

    def racing(course, *args):  # the collect copies the link's target; then the student puts her notebook back
        (folders["racer"] / "01_perceptrons.ipynb").rename(folders["racer"] / "mine")
        (folders["racer"] / "01_perceptrons.ipynb").symlink_to(course / "source" / "ch01" / "01_perceptrons.ipynb")
        nbgrader_collect(course, *args)
        (folders["racer"] / "mine").replace(folders["racer"] / "01_perceptrons.ipynb")
    monkeypatch.setattr(collect, "nbgrader", racing)
    assert cli.main(["--course", str(course), "collect", "ch01"]) == 0
    out = capsys.readouterr().out
    assert "piper ch01: " in out and "something other than files and folders" in out
    assert "huge ch01: " in out and "more than 100 MB" in out
    assert "racer ch01: what nbgrader collected is not what is in the exchange" in out
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["honest"], "only the honest one is graded"


def test_a_new_course_folder_is_the_teachers_alone(tmp_path):
    """It holds the solutions (source/), the gradebook and every submission: other accounts read them all."""
    course, _ = teach.setup_course(tmp_path / "course", teach.NOTEBOOKS)
    assert course.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the exchange's folder to another user takes root")
def test_collect_refuses_an_exchange_whose_course_folder_another_user_put_there(tmp_path, capsys):
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    teach.release(course, only=["ch01"])
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + f"c.Exchange.root = {str(exchange)!r}\n")
    (exchange / "nndl" / "inbound").mkdir(parents=True)
    os.chown(exchange / "nndl", 65534, 65534)  # a student renamed the teacher's and made her own
    assert cli.main(["--course", str(course), "collect", "ch01"]) == 2
    assert f"{exchange / 'nndl'} belongs to the user nobody, not to you" in capsys.readouterr().err


def test_one_submission_that_breaks_its_grading_does_not_stop_the_class(tmp_path, monkeypatch):
    from nndl.teach import autograde
    course = tmp_path / "course"
    teach.release(course, only=["ch01"])
    for student in ("ann", "ben"):
        folder = tmp_path / "submitted" / student / "ch01"
        folder.mkdir(parents=True)
        shutil.copy(teach.chapters()["ch01"], folder)

    def grade_one(course, student, *args):
        if student == "ann":
            raise FileNotFoundError("the graded notebook vanished")
        return autograde.Outcome(student, "ch01", "graded")
    monkeypatch.setattr(autograde, "grade_one", grade_one)
    outcomes = autograde.autograde(course, tmp_path / "submitted", sandboxed=False, progress=lambda o: None)
    assert [str(o) for o in outcomes] == ["failed  ann ch01: grading failed: FileNotFoundError: the graded notebook "
                                          "vanished", "graded  ben ch01"]
