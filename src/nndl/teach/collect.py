"""Submissions into ``course/submitted/<student>/<chNN>/``: from a learning platform's download (nbgrader's
``zip_collect``) or from nbgrader's exchange (its ``collect``).

A downloaded archive goes to ``course/downloaded/<chNN>/archive/``; ``zip_collect``
extracts it and files each notebook under ``course/submitted/<student>/<chNN>/``,
the student and file named by a regular expression over each extracted path.

From the exchange, each submission's ``timestamp.txt`` was written by the
student's own ``nbgrader submit``, so it can claim any time.  The exchange's
file system keeps one the student cannot set back: the status-change time
(ctime) of every file the submission holds, which the kernel sets whenever a
file is written or changed.  ``collect_exchange`` keeps the later of the two.
"""
import datetime
import os
import re
import shutil
import zipfile
from pathlib import Path

from nndl.persistence import atomic_write
from nndl.teach.course import TeachError, course_assignments, nbgrader

TIMESTAMP = "timestamp.txt"
CLAIMED = "timestamp-claimed.txt"  # the student's own time, kept beside the one the exchange recorded
MAX_SIZE = 100_000 * 1000  # bytes: nbgrader's CourseDirectory.max_dir_size (kB), past which its collect stops
SLACK = datetime.timedelta(minutes=1)  # nbgrader's submit writes its files within this of its timestamp

PATTERNS = {
    # Canvas: <name>_<user id>_<submission id>_<file>, with LATE_ before the id when late
    "canvas": r".*/[^/_]+_(LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+\.ipynb)$",
    # Moodle: a folder <Full Name>_<participant id>_assignsubmission_file_ per student
    "moodle": r".*/[^/]*_(?P<student_id>\d+)_assignsubmission_file_/(?P<file_id>[^/]+\.ipynb)$",
}


def collect_archive(course, assignment, archive, pattern):
    """File the notebooks of ``archive`` into ``course/submitted/``; ``pattern`` is a regex or a PATTERNS key.

    Returns notes on the files the platform marked late (Canvas: ``LATE_``)
    whose time the archive does not give: with a due date set, each is given
    the due date plus a second as its time, so the late penalty charges at
    least one day; the teacher can correct ``timestamp.txt``.
    """
    course, archive = Path(course).resolve(), Path(archive).resolve()
    if assignment not in course_assignments(course):
        raise TeachError(f"no assignment {assignment} in {course}: run `python -m nndl.teach release` first")
    if not archive.is_file():
        raise TeachError(f"no archive {archive}")
    folder = course / "downloaded" / assignment / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(archive, folder / archive.name)
    regexp = PATTERNS.get(pattern, pattern)
    nbgrader(course, "zip_collect", assignment, "--force", f"--FileNameCollectorPlugin.named_regexp={regexp}")
    with zipfile.ZipFile(archive) as downloaded:
        marked = sorted({found["student_id"] for name in downloaded.namelist()
                         if "LATE_" in name and (found := re.match(regexp, f"{folder}/{name}"))})
    return [marked_late(course, assignment, student) for student in marked]


def marked_late(course, assignment, student):
    """Give a submission the platform marked late, and that has no time, the due date plus a second; a note."""
    from nndl.teach.reports import gradebook
    stamp = course / "submitted" / student / assignment / TIMESTAMP
    if stamp.is_file():
        return f"{student} {assignment}: marked late; its time is {stamp.read_text().strip()}"
    with gradebook(course) as gb:
        due = gb.find_assignment(assignment).duedate
    if due is None:
        return (f"{student} {assignment}: marked late by the platform, but {assignment} has no due date: set one "
                f"(python -m nndl.teach due) and collect again, or it is graded as on time")
    stamp.write_text(f"{due + datetime.timedelta(seconds=1):%Y-%m-%d %H:%M:%S.%f} UTC")
    return (f"{student} {assignment}: marked late by the platform, which gives no time: charged as one day late "
            f"(correct {stamp} if you know when it came)")


def exchange_inbound(course):
    """The exchange's inbound folder of ``course``: ``<Exchange.root>/<course_id>/inbound``, as nbgrader reads its
    configuration (Jupyter's configuration folders, then the course's ``nbgrader_config.py``)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(course)]:
        if (Path(folder) / "nbgrader_config.py").is_file():
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    root = config.Exchange.get("root", "/srv/nbgrader/exchange")
    return Path(root) / config.CourseDirectory.get("course_id", "") / "inbound"


def received(folder):
    """When the exchange last received anything of the submission ``folder``: the latest ctime of its files (UTC)."""
    times = [os.stat(path).st_ctime for path in [folder, *folder.rglob("*")]]
    return datetime.datetime.fromtimestamp(max(times), datetime.timezone.utc)


def named_time(source):
    """The time in an inbound folder's name, ``<student>+<assignment>+<time>[+<random>]``, or None."""
    from nbgrader.utils import parse_utc
    parts = source.name.split("+")
    try:
        return parse_utc(parts[2]) if len(parts) >= 3 else None
    except ValueError:
        return None


def collect_exchange(course, assignment):
    """Collect ``assignment`` from nbgrader's exchange into ``course/submitted/``; returns one note per submission
    set aside (``refuse``, ``collected_as_handed_in``), without a ``timestamp.txt``, or whose ``timestamp.txt``
    claimed an earlier time than the exchange received it at: the exchange's time is then its time."""
    from nbgrader.utils import parse_utc
    course = Path(course).resolve()
    if assignment not in course_assignments(course):
        raise TeachError(f"no assignment {assignment} in {course}: run `python -m nndl.teach release` first")
    inbound = exchange_inbound(course)
    if not inbound.is_dir():
        raise TeachError(f"no exchange at {inbound}: set c.Exchange.root in {course}/nbgrader_config.py")
    for folder in (inbound.parent, inbound):
        if os.lstat(folder).st_uid not in (0, os.geteuid()) or folder.is_symlink():
            raise TeachError(f"{folder} belongs to the user {owner_name(folder)}, not to you: someone may have put it "
                             f"in the place of the course's own (make {inbound.parent.parent} writable by you alone)")
    notes = refuse(course, inbound, assignment)
    nbgrader(course, "collect", assignment, "--update")
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        student, stamp = folder.parent.name, folder / TIMESTAMP
        sources = [source for source in inbound.glob(f"{student}+{assignment}+*") if named_time(source)]
        if not sources:
            continue  # not from the exchange (collected by hand)
        handed_in = [source for source in sources if same_files(folder, source)]
        if not handed_in:
            aside = course / "refused" / f"{student}+{assignment}+collected"
            shutil.rmtree(aside, ignore_errors=True)
            aside.parent.mkdir(exist_ok=True)
            shutil.move(folder, aside)
            if not any(folder.parent.iterdir()):
                folder.parent.rmdir()
            notes.append(f"{student} {assignment}: what nbgrader collected is not what is in the exchange (changed while "
                         f"it was copied?): not graded; it is in {aside}")
            continue
        actual = max(received(source) for source in handed_in)
        claimed = stamp.read_text().strip() if stamp.is_file() else None
        try:
            believable = claimed is not None and actual <= parse_utc(claimed).replace(tzinfo=datetime.timezone.utc) + SLACK
        except ValueError:  # not a time at all
            believable = False
        if believable:
            continue
        if claimed is None:
            notes.append(f"{student} {assignment}: no {TIMESTAMP}; the exchange received it at "
                         f"{actual:%Y-%m-%d %H:%M:%S} UTC: that is its time")
        else:
            (folder / CLAIMED).write_text(claimed + "\n")
            notes.append(f"{student} {assignment}: {TIMESTAMP} says {claimed}, but the exchange received it at "
                         f"{actual:%Y-%m-%d %H:%M:%S} UTC: that is its time now (the claim is kept in {CLAIMED})")
        with atomic_write(stamp) as f:
            f.write(actual.strftime("%Y-%m-%d %H:%M:%S.%f UTC").encode())
    return notes


def same_files(collected, source):
    """Whether every file nbgrader collected into ``collected`` is, byte for byte, a file (not a link) of ``source``.

    nbgrader copies with the teacher's rights, following links: a link put in
    while it copies, and taken away after, would hand in what it pointed to.
    Comparing finds the folder the copy came from, too: of several folders of
    one student with the same time in their names, nbgrader takes any.
    """
    for path in collected.rglob("*"):
        if path.is_file() and path.name not in (TIMESTAMP, CLAIMED):  # the times are checked apart (and rewritten)
            twin = source / path.relative_to(collected)
            if twin.is_symlink() or not twin.is_file() or twin.read_bytes() != path.read_bytes():
                return False
    return True


def refuse(course, inbound, assignment):
    """Set aside, into ``course/refused/``, the inbound submissions of ``assignment`` nbgrader must not collect.

    nbgrader's ``collect`` copies a submission with the teacher's rights,
    following links: a link to ``source/`` would hand in the reference
    solutions, a link to another student's folder their work.  It takes each
    student's latest folder by its name, which anyone may write: a folder
    made by one student in another's name would replace their work.  And one
    folder over nbgrader's size limit (a sparse file costs no disk) or
    holding a pipe stops the collect of the whole class.  So a folder holding
    a link or anything but files and folders, larger than ``MAX_SIZE``, made
    by a user other than the student it names (or root), or whose name holds
    no time, is moved aside unread.  Returns one note for each.
    """
    notes = []
    for folder in sorted(inbound.glob(f"*+{assignment}+*")):
        student = folder.name.split("+")[0]
        inside = list(folder.rglob("*")) if folder.is_dir() and not folder.is_symlink() else []
        if folder.is_symlink() or any(path.is_symlink() for path in inside):
            why = "it holds a link (nbgrader would copy what it points to)"
        elif not folder.is_dir() or any(not (path.is_file() or path.is_dir()) for path in inside):
            why = "it holds something other than files and folders (a pipe, a device)"
        elif sum(path.stat().st_size for path in inside if path.is_file()) > MAX_SIZE:
            why = f"it holds more than {MAX_SIZE // 10**6} MB (nbgrader would refuse the whole collect)"
        elif (owner := owner_name(folder)) not in (student, "root"):
            why = f"it was made by the user {owner}, not by {student}"
        elif named_time(folder) is None:
            why = "its name holds no time"
        else:
            continue
        aside = course / "refused" / folder.name
        aside.parent.mkdir(exist_ok=True)
        shutil.move(folder, aside)
        notes.append(f"{student} {assignment}: {folder.name} not collected: {why}; it is in {aside}")
    return notes


def owner_name(path):
    """The name of the user who owns ``path`` (its number if it has no name)."""
    import pwd
    uid = os.lstat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)
