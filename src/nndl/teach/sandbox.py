"""The grading kernel: students' code runs in a bubblewrap sandbox, with time limits that fit each cell.

Autograding runs every cell of a student's notebook, so it runs the student's
code.  ``nbgrader`` starts that kernel from the kernelspec ``nndl-grading``,
which ``write_kernelspec`` puts in a folder of its own for each grading run.
Sandboxed, the kernel's command is this module::

    python -I -m nndl.teach.sandbox -f CONNECTION_FILE

which replaces itself with ``bwrap`` (Debian's ``bubblewrap``) around
``python -I -m nndl.teach.sandbox --inside`` (``inside``: the last bounds, then
a user of its own), which replaces itself with ``python -I -m ipykernel_launcher``.
All start in the student's folder, and
``-I`` (isolated mode) keeps that folder off their import path, so that a
handed-in ``fnmatch.py`` or ``ipykernel_launcher.py`` is not imported in their
place (``autograde`` copies in only the notebook anyway).  The sandbox: only
the system, the kernel's Python and the course's data in sight, read-only (no
home folder, no other clone of the course); within those, the course folder,
the submissions and the course repository's notebooks and ``.git`` hidden under
empty folders (so the gradebook, the sources with their hidden tests and the
classmates' notebooks are out of reach); a small fresh ``/tmp`` and working
folder in memory, no network, its own unprivileged user and processes
(``bwrap_command``), and an address-space limit (``main``).  Of the disk it may write only
to two folders of the run: ZeroMQ's sockets and the judge's archives.  With no network the kernel cannot use TCP on the
loopback, so kernel and grader talk over Unix sockets (ZeroMQ's ``ipc``
transport) in the run's ``sockets`` folder.

``nndl.teach.settings.configure`` points nbgrader at that kernel.
"""
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

KERNEL = "nndl-grading"
RUN = "NNDL_GRADING_RUN"           # the run's folder: kernelspec and sockets
HIDE = "NNDL_GRADING_HIDE"         # folders the kernel must not see, os.pathsep-separated
MEMORY = "NNDL_GRADING_MEMORY_MB"  # the kernel's address-space limit
NO_FRONTEND = "NNDL_NO_FRONTEND"   # set in the kernel: widgets skip their interactive part
TMP_MB = 512                       # the size of the kernel's /tmp
KERNEL_OUTPUT = "kernel-output.txt"  # the kernel's own stdout and stderr, kept apart from nbgrader's messages
FILE_MB = 64                         # the largest file the kernel may write
FILES = 10_000                       # the most files in each of its in-memory folders
PROCESSES = 512                      # as root, the most processes and threads of the kernel's user
MS_NOSUID, MS_NODEV, MS_REMOUNT = 2, 4, 32                     # mount(2)'s flags
PR_SET_NO_NEW_PRIVS = 38                                      # prctl(2)'s
SOCKETS, OBSERVED = "sockets", "observed"  # the run's subfolders the kernel writes to: ZeroMQ's, the judge's
KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "NNDL_DATA_DIR", "NNDL_OBSERVED")
NOBODY = 65534                       # the kernel's user and group, in a user namespace
KERNEL_USERS = range(2**30, 2**30 + 2**20)  # graded as root: a user of its own for each kernel, one of these
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys")  # shown read-only


def memory_limit():
    """The kernel's address-space limit in bytes: 4 GB, or ``$NNDL_GRADING_MEMORY_MB`` megabytes."""
    return int(os.environ.get(MEMORY, "4096")) * 2**20


def available():
    """None if bubblewrap can sandbox a process here, else the reason it cannot."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="nndl-sandbox-trial-") as trial_folder:  # the grading run's, in small
        run, work = os.path.join(trial_folder, "run"), os.path.join(trial_folder, "work")
        os.mkdir(work)
        make_run_folders(run)
        connection = os.path.join(run, "trial.json")
        open(connection, "w").close()
        command = bwrap_command(open_run_to_the_kernel(run, connection), work, run, [], [sys.executable, "-c", ""])
        trial = subprocess.run(command, capture_output=True, text=True)
    if trial.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {trial.stderr.strip() or trial.returncode}"
    return None


def as_root():
    return os.geteuid() == 0


def user_namespace():
    """bwrap's options for the kernel's user: as another user, nobody in a user namespace of its own.

    As root a user namespace would not do: there nobody stands for root
    outside, the owner of /etc/shadow.  Root's sandbox needs no namespace:
    ``inside`` makes its kernel a real, unprivileged user, ``kernel_user``.
    """
    return [] if as_root() else ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL"]


def kernel_user(run):
    """The user the kernel of the grading run ``run`` becomes, graded as root: one of ``KERNEL_USERS``, its own.

    No other process on the machine runs as that user (no name, no file), so
    the kernel can open no file of anyone's that is not open to all, and its
    processes are counted apart: a kernel starting hundreds stops no other.
    """
    return KERNEL_USERS[zlib.crc32(os.path.basename(run).encode()) % len(KERNEL_USERS)]


def settle(in_memory, user, kernel):
    """The command that starts ``kernel`` in the sandbox, through ``inside``: see there."""
    return [sys.executable, "-I", "-m", "nndl.teach.sandbox", "--inside", os.pathsep.join(in_memory), str(user), "--",
            *kernel]


def inside(in_memory, user, kernel):
    """The sandbox's first step, before the kernel: as root, bound what the kernel can take, and become another user.

    bwrap bounds an in-memory folder's bytes but not its files, each of which
    costs the machine about a kilobyte: as root, each folder of ``in_memory``
    is mounted again with at most ``FILES`` of them, the kernel becomes
    ``user`` (with no group, and so no capability left), which may run at most
    ``PROCESSES`` processes.  (In a user namespace,
    bwrap's mounts are not the namespace's to change: both stay unbounded.)
    Either way no program may grant a privilege again (no_new_privs), and
    the kernel dies with the grader: this process stays as the namespace's
    first one and runs the kernel as its child (``first_process``).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if os.getuid() == 0:
        for folder in in_memory:
            options = f"size={TMP_MB * 2**20},nr_inodes={FILES}".encode()
            if libc.mount(b"none", folder.encode(), None, MS_REMOUNT | MS_NOSUID | MS_NODEV, options) != 0:
                sys.exit(f"cannot bound the files of {folder}: {os.strerror(ctypes.get_errno())}")
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    kernel_pid = os.fork()
    if kernel_pid == 0:
        if os.getuid() == 0:
            resource.setrlimit(resource.RLIMIT_NPROC, (PROCESSES, PROCESSES))
            os.setgroups([])
            os.setresgid(user, user, user)
            os.setresuid(user, user, user)  # from root to another user: every capability goes
        os.execv(kernel[0], kernel)
    first_process(kernel_pid)


def first_process(kernel_pid):
    """Be the sandbox's first process until the kernel ``kernel_pid`` ends, then end with its exit status.

    The kernel cannot be the first process itself: when the grader is killed,
    bwrap dies and its child is sent SIGKILL (``--die-with-parent``), but only
    if bwrap may signal it, which it may not once the kernel is another user:
    the kernel lived on, as nobody's.  This process stays bwrap's own user, so
    the signal reaches it; and when a namespace's first process ends, every
    process in it is killed: the kernel and all it started.  Meanwhile it
    reaps the kernel's orphans, as a first process must.
    """
    while True:
        pid, status = os.wait()
        if pid == kernel_pid:
            sys.exit(os.waitstatus_to_exitcode(status))


def make_run_folders(run):
    """Make the two folders of the grading run ``run`` the kernel writes to, ``SOCKETS`` and ``OBSERVED``."""
    for folder in (SOCKETS, OBSERVED):
        os.makedirs(os.path.join(run, folder))


def open_run_to_the_kernel(run, connection_file):
    """Let the kernel reach, of the run's folder, what it must: returns the connection file to give it.

    Only as root is there anything to do: the kernel is then the real user
    ``kernel_user(run)``, which may pass through the run's folder but not list it,
    writes the two folders ``SOCKETS`` and ``OBSERVED`` (its own), and reads a
    copy of the connection file (jupyter_client writes it for root's eyes only).
    """
    if not as_root():
        return connection_file
    os.chmod(run, 0o711)
    user = kernel_user(run)
    for folder in (SOCKETS, OBSERVED):
        os.chown(os.path.join(run, folder), user, user)
        os.chmod(os.path.join(run, folder), 0o700)
    copy = os.path.join(run, "connection.json")
    shutil.copyfile(connection_file, copy)
    os.chown(copy, user, user)
    os.chmod(copy, 0o400)
    return copy


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


def bwrap_command(connection_file, cwd, run, hide, kernel=None):
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

    Its own process, IPC and host-name namespaces, and user: ``nobody`` in
    a user namespace, or as root a user of its own (``kernel_user``), with
    no capability either way; ``/dev`` (else memory of its own) and
    ``/proc`` read-only; no environment variable but ``KEPT_ENVIRONMENT``.
    It sees only its own processes, cannot signal the grader or the next
    student's kernel, and every process it starts ends with it.
    """
    command = ["bwrap"]
    for path in SYSTEM:  # merged /usr: /bin, /lib... are links into /usr
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            command += ["--ro-bind", path, path]
    writable = ["--perms", "1777"] if as_root() else []  # else the kernel's namespace owns what bwrap makes
    command += ["--dev", "/dev", "--remount-ro", "/dev", "--proc", "/proc", "--remount-ro", "/proc",
                *writable, "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp"]
    shown = python_folders(cwd) + data_folders()
    for folder in ways_in(shown + [cwd, run]):  # bwrap would copy their modes: /root's 0700 would bar the kernel
        command += ["--perms", "0755", "--dir", folder]
    for folder in shown:  # read-only, over the empty /tmp
        command += ["--ro-bind", folder, folder]
    for path in hide:  # within what is shown: a folder under an empty one, a file (a worktree's .git) under /dev/null
        if any(os.path.commonpath([path, folder]) == folder for folder in SYSTEM + tuple(shown)):
            empty = ["--size", str(2**20), "--tmpfs", path] if os.path.isdir(path) else ["--ro-bind", "/dev/null", path]
            command += empty
    command += [*writable, "--size", str(TMP_MB * 2**20), "--tmpfs", cwd, "--ro-bind", run, run]
    for folder in (SOCKETS, OBSERVED):
        command += ["--bind", os.path.join(run, folder), os.path.join(run, folder)]
    # --as-pid-1: ``inside`` is its namespace's first process and ends with the kernel, so that every process
    # the kernel started is killed then (bwrap's own first process would wait for them all)
    command += ["--ro-bind", connection_file, connection_file,
                *user_namespace(), "--new-session",
                "--unshare-net", "--unshare-pid", "--as-pid-1", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                "--chdir", cwd, "--clearenv"]
    environment = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    environment.update(HOME="/tmp", **{NO_FRONTEND: "1"})
    for name, value in sorted(environment.items()):
        command += ["--setenv", name, value]
    kernel = kernel or [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", connection_file]
    return command + settle(["/tmp", cwd], kernel_user(run), kernel)


def ways_in(folders):
    """The folders above ``folders`` that bwrap makes on its way to them (not /, /tmp, nor in a system's or theirs)."""
    above = {parent for folder in folders for parent in Path(folder).parents} - {Path("/"), Path("/tmp")}
    return sorted(str(a) for a in above if not any(a.is_relative_to(f) for f in (*SYSTEM, *folders)))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--inside"] and argv[3:4] == ["--"]:
        return inside([folder for folder in argv[1].split(os.pathsep) if folder], int(argv[2]), argv[4:])
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
    connection_file = open_run_to_the_kernel(run, os.path.abspath(argv[1]))
    command = bwrap_command(connection_file, os.getcwd(), run, hide)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
