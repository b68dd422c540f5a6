"""Autograde a folder of submissions, each on its own, in a sandbox; report what could not be graded.

The folder is in nbgrader's layout, ``SUBMITTED/<student>/<chNN>/<notebook>.ipynb``.
Each submission is checked first (a readable notebook, under the assignment's
name, with the nbgrader cells of the course's source: none lost, none
copy-pasted), then copied afresh into the course's ``submitted/`` and graded by
``nbgrader autograde <chNN> --student <student>`` in a process of its own.
So a submission that crashes its kernel, never ends or is broken stops only
itself, and nothing else left in the course folder is graded.  The kernel runs
in the sandbox (``nndl.teach.sandbox``) and only notes what the student's code
gave on each test's inputs, in the run's ``observed/`` folder; the tests'
comparisons run in nbgrader's process (``nndl.teach.judge``).  Each problem is
reported in one line; nbgrader's full messages go to ``course/logs/``.
"""
import collections
import concurrent.futures
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nndl.teach import grading, late, sandbox, settings
from nndl.teach.collect import CLAIMED, TIMESTAMP
from nndl.teach.course import NOTEBOOKS, Stopped, TeachError, nbgrader, setup_course

TIME_LIMIT = {"ch06": 1800}  # seconds for a whole submission; the others get DEFAULT_TIME_LIMIT
DEFAULT_TIME_LIMIT = 600
SECRET = "submission_secret.txt"  # nbgrader's submit writes it; release_feedback needs it to hand feedback back
KEPT = (TIMESTAMP, CLAIMED, SECRET)  # the files of a submission, besides its notebook, that nbgrader reads
RUN_FOLDER_LIMIT = (64 * 2**20, 1000)  # bytes and files the kernel may leave in the run's folders (sockets, archives)
GRADEBOOK = threading.Lock()


@dataclass
class Outcome:
    """What happened to one student's assignment: status "graded", "failed" or "missing", and why."""

    student: str
    assignment: str
    status: str
    note: str = ""

    def __str__(self):
        return f"{self.status:<7} {self.student} {self.assignment}" + (f": {self.note}" if self.note else "")


class Rejected(Exception):
    """A submission that cannot be graded as it is; the message is the one-line reason."""


def find_notebook(folder, expected):
    """The submitted notebook of an assignment folder, and a note if it had to be recognised by another name."""
    found = sorted(folder.glob("*.ipynb"))
    if (folder / expected).exists():
        return folder / expected, ""
    if len(found) == 1:
        return found[0], f"renamed notebook {found[0].name} graded as {expected}"
    if not found:
        raise Rejected(f"no notebook: expected {expected}")
    raise Rejected(f"{len(found)} notebooks and none named {expected}: keep only the one to grade")


def read_notebook(path):
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises JSON, validation and key errors alike
        raise Rejected(f"invalid notebook {path.name}: {str(e).splitlines()[0][:120]}") from None


def nbgrader_cells(notebook):
    return [c.metadata["nbgrader"] for c in notebook.cells if "nbgrader" in c.metadata]


def check_metadata(submission, source):
    """Raise Rejected if the submission's nbgrader cells differ from the source's (lost, copied, changed)."""
    expected = {meta.get("grade_id") for meta in nbgrader_cells(source)}
    cells = nbgrader_cells(submission)
    if not cells:
        raise Rejected("changed metadata: no nbgrader cells at all (not made from the released notebook, "
                       "or its metadata was stripped)")
    counts = collections.Counter(meta.get("grade_id") for meta in cells)
    copies = sorted((str(grade_id) for grade_id, n in counts.items() if n > 1))
    if copies:
        raise Rejected(f"changed metadata: copy-pasted cells, more than one {', '.join(copies)}")
    old = sorted(str(meta.get("grade_id")) for meta in cells if meta.get("schema_version") != 3)
    if old:
        raise Rejected(f"changed metadata: old nbgrader metadata format in {', '.join(old)} (a copy-pasted cell?)")
    unknown, lost = sorted(set(counts) - expected, key=str), sorted(expected - set(counts), key=str)
    if unknown or lost:
        raise Rejected("changed metadata: " + "; ".join(
            part for part in (unknown and f"unknown cells {', '.join(map(str, unknown))}",
                              lost and f"cells missing or stripped {', '.join(map(str, lost))}") if part))


def stage(submission_folder, path, notebook, target, name):
    """Put a checked submission into the course's ``submitted/`` afresh: the notebook (read from ``path``) under
    ``name``, and the files nbgrader's own ``KEPT`` (not links); returns the names of the folder's other files,
    which are left out.

    nbgrader runs the kernel in a copy of that folder, so any file there
    would be within the notebook's reach: a ``numpy.py`` or an
    ``ipykernel_launcher.py`` is imported in place of the real one.  The
    course's exercises need no file of the student's own.  When the folder
    is already the course's own (after ``zip_collect``), its other files are
    moved to ``left-out/<student>/<chNN>/`` in the course, not deleted.
    """
    kept = [p.name for p in submission_folder.iterdir() if p.name in KEPT and p.is_file() and not p.is_symlink()]
    others = sorted(p.name for p in submission_folder.iterdir() if p.name not in (path.name, *kept))
    if target.resolve() == submission_folder.resolve():
        aside = target.parents[2] / "left-out" / target.parent.name / target.name
        for other in others:
            aside.mkdir(parents=True, exist_ok=True)
            shutil.move(target / other, aside / other)
        nbformat.write(notebook, target / name)
        return others
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name_kept in kept:
        shutil.copy(submission_folder / name_kept, target / name_kept)
    nbformat.write(notebook, target / name)
    return others


def failure_reason(log):
    """One line from nbgrader's messages saying why a submission was not graded."""
    if "DeadKernelError" in log or "Kernel died" in log:
        return "crashed kernel: the notebook ended Python or ran out of memory"
    if "CellTimeoutError" in log:
        return "time limit: a cell ran past its limit and would not stop"
    if "NotebookValidationError" in log:
        return "an output nbgrader cannot save (not valid in a notebook): review it by hand"
    errors = [line for line in log.splitlines() if "ERROR" in line]
    return f"nbgrader failed: {errors[-1].split('|', 1)[-1].strip()[:160] if errors else log.strip()[-160:]}"


def timed_out_cells(path):
    """How many cells of an autograded notebook hit their time limit."""
    notebook = nbformat.read(path, as_version=4)
    return sum(any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", [])) for c in notebook.cells)


def grade_one(course, student, assignment, source, submission_folder, hide, sandboxed):
    """Check, stage and autograde one submission; returns its Outcome."""
    try:
        path, note = find_notebook(submission_folder, source.name)
        notebook = read_notebook(path)
        check_metadata(notebook, nbformat.read(source, as_version=4))
    except Rejected as e:
        return Outcome(student, assignment, "failed", str(e))
    target = course / "submitted" / student / assignment
    left_out = stage(submission_folder, path, notebook, target, source.name)
    if left_out:
        note = "; ".join(filter(None, [note, f"left out (only the notebook is graded): {', '.join(left_out)}"]))
    with GRADEBOOK:  # one writer at a time from this process; nbgrader's own wait their turn in SQLite
        due = late.before_grading(course, student, assignment)
    if due and not (target / TIMESTAMP).is_file():
        note = "; ".join(filter(None, [note, f"no {TIMESTAMP}: when it was handed in is unknown, graded as on time"]))
    limit = TIME_LIMIT.get(assignment, DEFAULT_TIME_LIMIT)
    training = settings.training_cells(nbformat.read(source, as_version=4))
    try:
        result, log, kernel = run_nbgrader(course, student, assignment, hide, sandboxed, limit, training=training)
    except Stopped as e:
        for_review(course, student, assignment, str(e), hide)
        return Outcome(student, assignment, "failed", str(e))
    logs = course / "logs"
    logs.mkdir(exist_ok=True)
    (logs / f"autograde-{student}-{assignment}.log").write_text(
        log + (f"\n----- the kernel's own output (the student's code may have written it) -----\n{kernel}" if kernel else ""))
    if result is None or result.returncode != 0:
        reason = f"timeout: grading took over {limit} s" if result is None else failure_reason(log)
        for_review(course, student, assignment, reason, hide)
        return Outcome(student, assignment, "failed", reason)
    slow = timed_out_cells(course / "autograded" / student / assignment / source.name)
    if slow:
        note = "; ".join(filter(None, [note, f"{slow} cell(s) stopped at their time limit"]))
    return Outcome(student, assignment, "graded", note)


def run_nbgrader(course, student, assignment, hide, sandboxed, limit, review=None, training=()):
    """Run ``nbgrader autograde`` on one staged submission, its kernel in the sandbox; returns (result, nbgrader's
    messages, what the kernel itself printed outside its cells).

    The result is None if it ran out of time.  With ``review`` (the reason it
    could not be graded) nothing of the student's runs: see ``for_review``.
    ``training``: the ids of the cells that may train for minutes.
    """
    run = tempfile.mkdtemp(prefix="nndl-grade-")
    try:
        sandbox.write_kernelspec(run, sandboxed)
        env = dict(os.environ, JUPYTER_PATH=os.pathsep.join([run, os.environ.get("JUPYTER_PATH", "")]))
        sandbox.make_run_folders(run)
        observed = Path(run) / sandbox.OBSERVED  # where the kernel's tests hand over what they saw, for the judge
        env.update({sandbox.RUN: run, sandbox.HIDE: os.pathsep.join(hide), grading.OBSERVED: str(observed),
                    settings.TRAINING_CELLS: " ".join(training)})
        if review:
            env[settings.REVIEW] = review
        for attempt in range(3):  # another submission's nbgrader may hold the gradebook for a moment
            try:
                result = nbgrader(course, "autograde", assignment, f"--student={student}", "--force",
                                  capture=True, env=env, timeout=limit, watch=lambda: overflow(run))
                log = result.stdout + result.stderr
            except subprocess.TimeoutExpired as e:  # nbgrader is killed, and the kernel with it (--die-with-parent)
                log, result = str(e), None
            if result is None or result.returncode == 0 or "database is locked" not in log:  # not its own failure
                break
        printed = Path(run) / sandbox.KERNEL_OUTPUT  # for the teacher's log only: never read for a reason or a retry
        kernel = printed.read_text(errors="replace")[-20000:] if printed.is_file() else ""
    finally:
        remove(run)
    return result, log, kernel


def remove(run):
    """Delete a grading run's folder, once the kernel, killed with nbgrader, has stopped writing to it."""
    for _ in range(50):
        try:
            return shutil.rmtree(run)
        except OSError:  # a file written while the folder was being emptied
            time.sleep(0.1)
    shutil.rmtree(run)


def overflow(run):
    """Why grading must stop if the kernel has written more to the run's folders than ``RUN_FOLDER_LIMIT``, else None.

    The sockets and the judge's archives take a few files of kilobytes; the
    disk is not there for a submission to fill.  (The kernel's other writes
    go to memory, and what it prints to a file of at most ``sandbox.FILE_MB``.)
    """
    size, count = 0, 0
    walks = (os.walk(os.path.join(run, folder)) for folder in (sandbox.SOCKETS, sandbox.OBSERVED))
    for folder, subfolders, files in (step for walk in walks for step in walk):
        count += len(subfolders) + len(files)
        for name in files:
            try:
                size += os.lstat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                pass
    most_bytes, most_files = RUN_FOLDER_LIMIT
    if size > most_bytes or count > most_files:
        return (f"wrote too much: {count} files, {size // 2**20} MB in the grading run's folder "
                f"(at most {most_files} files and {most_bytes // 2**20} MB)")
    return None


def for_review(course, student, assignment, reason, hide):
    """Put a submission that could not be graded into the gradebook as it was handed in, for the formgrader.

    nbgrader autogrades it without running a cell (so every test is left
    unjudged, at 0 points, saying ``reason``), and each of its autograded
    questions is flagged as needing a manual grade: the teacher finds it in
    the formgrader's Manual Grading, reads it, and gives points by hand.
    """
    from nndl.teach.reports import gradebook
    result, log, _ = run_nbgrader(course, student, assignment, hide, True, DEFAULT_TIME_LIMIT, review=reason)
    (course / "logs" / f"review-{student}-{assignment}.log").write_text(log)
    if result is None or result.returncode != 0:
        return  # nbgrader cannot read it either (a broken notebook): it stays in submitted/
    with GRADEBOOK, gradebook(course) as gb:
        for notebook in gb.find_submission(assignment, student).notebooks:
            for grade in notebook.grades:
                grade.needs_manual_grade = True
        gb.db.commit()


def autograde(course, submitted, only=None, sandboxed=True, notebooks=NOTEBOOKS, progress=print, who=None, jobs=None):
    """Autograde every submission in ``submitted`` (only the assignments in ``only``, and only the students in
    ``who``, if given: to grade one student again), ``jobs`` at a time (default: ``default_jobs()``).

    Returns one Outcome per student and assignment: graded, failed (with the
    reason) or missing.  Without a working sandbox this refuses to run unless
    ``sandboxed`` is False.
    """
    course, assignments = setup_course(course, notebooks)
    submitted = Path(submitted).resolve()
    if not submitted.is_dir():
        raise TeachError(f"no folder {submitted}: collect the submissions as SUBMITTED/<student>/<chNN>/<notebook>.ipynb")
    if jobs is not None and jobs < 1:
        raise TeachError(f"--jobs {jobs}: grade at least 1 submission at a time")
    for name in only or ():
        if name not in assignments:
            raise TeachError(f"no assignment {name}: the assignments are {', '.join(assignments)}")
    if sandboxed and (reason := sandbox.available()):
        raise TeachError(f"no sandbox for the students' code: {reason}.  Without one, their code runs with "
                         "your rights and can change the gradebook; to go on anyway, pass --no-sandbox")
    students = sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise TeachError(f"{submitted} holds no student folders: the layout is <student>/<chNN>/<notebook>.ipynb")
    unknown = sorted(set(who or ()) - {s.name for s in students})
    if unknown:
        raise TeachError(f"no folder for {', '.join(unknown)} in {submitted}: the students there are "
                         f"{', '.join(s.name for s in students)}")
    students = [s for s in students if who is None or s.name in who]
    present = {(s.name, a.name) for s in students for a in s.iterdir() if a.is_dir()}
    asked = sorted(only or {a for _, a in present if a in assignments} or assignments)
    notebooks = Path(notebooks).resolve()
    git = notebooks.parent / ".git"  # the repository's history holds every reference solution too
    hide = [str(p) for p in (course, submitted, notebooks, git) if p.exists()]
    for name in asked:
        if not (course / "release" / name).is_dir():
            nbgrader(course, "generate_assignment", name, "--force")  # registers the tests in the gradebook
    outcomes, work = [], []
    for student in students:
        strays = sorted(p.name for p in student.iterdir() if p.name not in assignments and not p.name.startswith("."))
        if strays and not only:
            outcomes.append(Outcome(student.name, "-", "failed", f"not in the layout <student>/<chNN>/: {', '.join(strays)}"))
        for name in asked:
            if (student.name, name) in present:
                work.append((course, student.name, name, assignments[name], student / name, hide, sandboxed))
            else:
                outcomes.append(Outcome(student.name, name, "missing"))
    for outcome in outcomes:
        progress(outcome)
    from nndl.teach.reports import gradebook
    with gradebook(course) as gb:  # each student's row first: two nbgraders creating it at once would collide
        for student in sorted({job[1] for job in work}):
            gb.update_or_create_student(student)
    with concurrent.futures.ThreadPoolExecutor(jobs or default_jobs()) as pool:  # each job waits on its nbgrader
        running = {pool.submit(grade_one, *job): job for job in work}
        for done in concurrent.futures.as_completed(running):
            try:
                outcomes.append(done.result())
            except Exception as e:  # whatever one submission did to its folders, the others are graded
                student, name = running[done][1:3]
                outcomes.append(Outcome(student, name, "failed", f"grading failed: {type(e).__name__}: {e}"))
            progress(outcomes[-1])
    order = {(s.name, name): i for i, (s, name) in enumerate((s, name) for s in students for name in ["-"] + asked)}
    return sorted(outcomes, key=lambda o: order[o.student, o.assignment])


def default_jobs():
    """How many submissions to grade at once: one per core, as long as each kernel's memory limit fits in memory."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):  # no such figure on this system
        return cores
    return max(1, min(cores, memory // (sandbox.memory_limit() + 2**30)))  # the kernel, and nbgrader beside it
