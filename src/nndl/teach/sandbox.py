"""The grading kernel: students' code runs in a bubblewrap sandbox, with time limits that fit each cell.

Autograding runs every cell of a student's notebook, so it runs the student's
code.  ``nbgrader`` starts that kernel from the kernelspec ``nndl-grading``,
which ``write_kernelspec`` puts in a folder of its own for each grading run.
Sandboxed, the kernel's command is this module::

    python -I -m nndl.teach.sandbox -f CONNECTION_FILE

which replaces itself with ``bwrap`` (Debian's ``bubblewrap``) around
``python -I -m ipykernel_launcher``.  Both start in the student's folder, and
``-I`` (isolated mode) keeps that folder off their import path, so that a
handed-in ``fnmatch.py`` or ``ipykernel_launcher.py`` is not imported in their
place (``autograde`` copies in only the notebook anyway).  The sandbox: only
the system, the kernel's Python and the course's data in sight, read-only (no
home folder, no other clone of the course); within those, the course folder,
the submissions and the course repository's notebooks and ``.git`` hidden under
empty folders (so the gradebook, the sources with their hidden tests and the
classmates' notebooks are out of reach); a small fresh ``/tmp`` and working
folder in memory, no network, its own unprivileged user and processes
(``bwrap_command``), and an address-space limit.  Of the disk it may write only
to two folders of the run: ZeroMQ's sockets and the judge's archives.  With no network the kernel cannot use TCP on the
loopback, so kernel and grader talk over Unix sockets (ZeroMQ's ``ipc``
transport) in the run's ``sockets`` folder.

``nndl.teach.settings.configure`` points nbgrader at that kernel.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

KERNEL = "nndl-grading"
RUN = "NNDL_GRADING_RUN"           # the run's folder: kernelspec and sockets
HIDE = "NNDL_GRADING_HIDE"         # folders the kernel must not see, os.pathsep-separated
MEMORY = "NNDL_GRADING_MEMORY_MB"  # the kernel's address-space limit
NO_FRONTEND = "NNDL_NO_FRONTEND"   # set in the kernel: widgets skip their interactive part
TMP_MB = 512                       # the size of the kernel's /tmp
KERNEL_OUTPUT = "kernel-output.txt"  # the kernel's own stdout and stderr, kept apart from nbgrader's messages
FILE_MB = 64                         # the largest file the kernel may write
SOCKETS, OBSERVED = "sockets", "observed"  # the run's subfolders the kernel writes to: ZeroMQ's, the judge's
KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "NNDL_DATA_DIR", "NNDL_OBSERVED")
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys")  # shown read-only


def memory_limit():
    """The kernel's address-space limit in bytes: 4 GB, or ``$NNDL_GRADING_MEMORY_MB`` megabytes."""
    return int(os.environ.get(MEMORY, "4096")) * 2**20


def available():
    """None if bubblewrap can sandbox a process here, else the reason it cannot."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    trial = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--size", "1048576",
                            "--tmpfs", "/tmp", "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
                            "--unshare-net", "--unshare-pid", "--unshare-ipc", "true"],
                           capture_output=True, text=True)
    if trial.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {trial.stderr.strip() or trial.returncode}"
    return None


def write_kernelspec(run, sandboxed):
    """Write the ``nndl-grading`` kernelspec into ``run/kernels`` (put ``run`` on JUPYTER_PATH)."""
    if sandboxed:
        argv = [sys.executable, "-I", "-m", "nndl.teach.sandbox", "-f", "{connection_file}"]
    else:
        argv = [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "nndl grading", "language": "python",
            "interrupt_mode": "message", "env": {NO_FRONTEND: "1", "MPLBACKEND": "agg"}}
    folder = Path(run) / "kernels" / KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def python_folders(cwd):
    """The folders the kernel's Python needs: its prefixes and import path (the course's own ``src`` included).

    The sandbox lays an empty /tmp and empty folders over the hidden ones;
    a course installed under /tmp, or in a hidden folder, must stay visible.
    The student's folder ``cwd``, first on the launcher's import path, is
    not one of them.
    """
    folders = {sys.prefix, sys.base_prefix, *sys.path} - {"", cwd}
    return sorted(f for f in folders if os.path.isabs(f) and os.path.isdir(f))


def data_folders():
    """The folders of the data the notebooks load: MNIST (shipped, or where NNDL_DATA_DIR says) and the sweeps."""
    from nndl.mnist import DATA_DIR, SHIPPED_DIR
    folders = {str(DATA_DIR), str(SHIPPED_DIR.parent)}
    return sorted(f for f in folders if os.path.isdir(f))


def bwrap_command(connection_file, cwd, run, hide):
    """The bwrap command line that starts ipykernel in the sandbox.

    It sees only what it needs, read-only: the system's programs, libraries
    and settings (``SYSTEM``), its Python with the packages and the data the
    notebooks load.  Nothing else of the machine (home folders, other clones
    of the course, other courses) is there at all, and the hidden folders
    within what it sees are empty.  It may write only to memory: its ``/tmp``
    and its working folder, each an empty tmpfs of ``TMP_MB`` megabytes (so
    nothing it writes reaches the autograded folder, the feedback or the
    disk), and, of the run's folder, the two subfolders nbgrader and the
    judge read from it: ``SOCKETS`` and ``OBSERVED``.

    Its own user, process, IPC and host-name namespaces: the kernel runs as
    user 65534 ("nobody") with no capability (were the grader root, the
    kernel is not), with ``/proc`` read-only and no environment variable but
    ``KEPT_ENVIRONMENT``; it sees only its own processes, cannot signal the
    grader or the next student's kernel, and every process it starts ends
    with it.
    """
    command = ["bwrap"]
    for path in SYSTEM:  # merged /usr: /bin, /lib... are links into /usr
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            command += ["--ro-bind", path, path]
    command += ["--dev", "/dev", "--proc", "/proc", "--remount-ro", "/proc",
                "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp"]
    shown = python_folders(cwd) + data_folders()
    for folder in shown:  # read-only, over the empty /tmp
        command += ["--ro-bind", folder, folder]
    for path in hide:  # within what is shown: a folder under an empty one, a file (a worktree's .git) under /dev/null
        if any(os.path.commonpath([path, folder]) == folder for folder in SYSTEM + tuple(shown)):
            empty = ["--size", str(2**20), "--tmpfs", path] if os.path.isdir(path) else ["--ro-bind", "/dev/null", path]
            command += empty
    command += ["--size", str(TMP_MB * 2**20), "--tmpfs", cwd, "--ro-bind", run, run]
    for folder in (SOCKETS, OBSERVED):
        command += ["--bind", os.path.join(run, folder), os.path.join(run, folder)]
    # --as-pid-1: the kernel is its namespace's first process, so that when it ends every process it
    # started is killed (bwrap's own first process would wait for them all)
    command += ["--ro-bind", connection_file, connection_file,
                "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL", "--new-session",
                "--unshare-net", "--unshare-pid", "--as-pid-1", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                "--chdir", cwd, "--clearenv"]
    environment = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    environment.update(HOME="/tmp", **{NO_FRONTEND: "1"})
    for name, value in sorted(environment.items()):
        command += ["--setenv", name, value]
    return command + [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", connection_file]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "-f":
        sys.exit("usage: python -m nndl.teach.sandbox -f CONNECTION_FILE (started by nbgrader, not by hand)")
    run = os.environ.get(RUN)
    if not run:
        sys.exit(f"{RUN} is not set: the sandbox is started by `python -m nndl.teach autograde`")
    hide = [h for h in os.environ.get(HIDE, "").split(os.pathsep) if h]
    limit = memory_limit()
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_MB * 2**20, FILE_MB * 2**20))
    output = os.open(os.path.join(run, KERNEL_OUTPUT), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(output, 1)  # what the kernel prints outside a cell goes to a file, never into nbgrader's own log
    os.dup2(output, 2)
    command = bwrap_command(os.path.abspath(argv[1]), os.getcwd(), run, hide)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
