"""A class on one machine: JupyterHub, the students' Python and nbgrader's exchange (``python -m nndl.teach hub``).

    python -m nndl.teach hub environment /opt/nndl --package nndl-student   # once: the students' Python
    python -m nndl.teach [--course nndl-course] hub start /srv/nndl-hub --environment /opt/nndl \\
        --users alice,bob,carol [--create-users] [--port 8000]
    python -m nndl.teach hub stop /srv/nndl-hub [--remove]

The hub runs as root: JupyterHub's ``LocalProcessSpawner`` starts each
student's own Jupyter server as that student, so students see only their
own home.  The pieces and where they live:

* The students' Python, ``environment``: a virtual environment from the
  system's Python (``/usr/bin/python3``), which every user can run, with the
  course (the student pack, ``pip install ./nndl-student``), JupyterLab,
  nbgrader (its Assignments tab) and ``jupyterhub-singleuser``, the same
  versions of nbgrader and JupyterHub as the teacher's.  It must lie where
  every user can read it: not under ``/root``.
* The hub's folder (``start``): ``hub/``, the teacher's alone:
  ``jupyterhub_config.py`` (written once, yours to edit), the hub's database
  and log, ``students.txt`` (the accounts ``--users`` names, rewritten by each
  ``start``), ``teacher-token`` (the API token of the service ``teacher``, who
  may start servers and make tokens); ``jupyter/``, the students'
  configuration (nbgrader's ``Exchange.root`` and course id, read from the
  course's own config, and no formgrader for students); ``home/`` for the
  accounts ``--create-users`` makes, each readable by its student only.
* nbgrader's exchange: the folder the course's ``c.Exchange.root`` names,
  writable by the teacher alone (nbgrader's own guide makes it writable by
  all, which lets a student replace the course's folder in it); the course's
  folder inside is nbgrader's, which lets students submit into ``inbound/``
  without listing it.  The teacher releases with ``nbgrader
  release_assignment ch01`` and collects with ``python -m nndl.teach collect
  ch01``; students fetch and submit from their Assignments tab.

``stop`` ends the hub, its proxy and every student's server; with ``--remove``
it also deletes the accounts ``start`` made and the hub's folder (an exchange
outside that folder is kept: it holds the class's work).
"""
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

from nndl.teach.collect import exchange_inbound
from nndl.teach.course import TeachError

SYSTEM_PYTHON = "/usr/bin/python3"
PROXY = "configurable-http-proxy"
PRIVATE = "hub"  # the hub's own files, closed to students
TOKEN, PID, LOG, MADE, ALLOWED = "teacher-token", "hub.pid", "hub.log", "users-made.txt", "students.txt"
START_TIMEOUT = 60  # seconds for the hub to answer after it is started

CONFIG = '''# JupyterHub for the course, written once by `python -m nndl.teach hub start`: yours to edit.
from pathlib import Path

c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"  # put a TLS proxy in front to open it to the class
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.JupyterHub.db_url = "sqlite:///{private}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{private}/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "{private}/proxy.pid"
# The students: system accounts (PAM: their own passwords), as `hub start --users` last named them
c.Authenticator.allowed_users = set(Path("{private}/{allowed}").read_text().split())

# Each student's Jupyter server runs as that student, from the students' Python
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = ["{environment}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": "{environment}/bin:/usr/local/bin:/usr/bin:/bin",
                         "JUPYTER_CONFIG_PATH": "{folder}/jupyter"}}  # nbgrader's exchange and course id

# The teacher's API token: start servers and make tokens through the REST API
c.JupyterHub.services = [{{"name": "teacher", "api_token": Path("{private}/{token}").read_text().strip()}}]
c.JupyterHub.load_roles = [{{"name": "teacher", "services": ["teacher"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}}]
'''

STUDENTS_NBGRADER = '''# The students' nbgrader: where the exchange is and which course, as in the course's own config
c = get_config()
c.Exchange.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
'''
STUDENTS_SERVER = '''# No formgrader for students (it is the teacher's)
c = get_config()
c.ServerApp.jpserver_extensions = {"nbgrader.server_extensions.formgrader": False}
'''
STUDENTS_LAB = {"disabledExtensions": {"@jupyter/nbgrader:formgrader": True,  # JupyterLab's plugins
                                       "@jupyter/nbgrader:create-assignment": True}}


def missing():
    """None if this machine can run the hub, else the reason it cannot."""
    if os.geteuid() != 0:
        return "the hub starts each student's server as that student, so it runs as root (this is not root)"
    if shutil.which(PROXY) is None:
        return f"{PROXY} is not installed (it comes from npm: npm install -g {PROXY})"
    if shutil.which("useradd") is None:
        return "useradd is missing: the hub's students are local accounts"
    if importlib.util.find_spec("jupyterhub") is None:
        return "JupyterHub is not installed: pip install 'nndl[hub]'"
    return None


def run_checked(command, what):
    """Run ``command``; a failure is a TeachError saying ``what`` failed (its own messages are shown above)."""
    if subprocess.run(command).returncode != 0:
        raise TeachError(f"{what} failed; see its messages above")


def unreachable(path):
    """The first folder on the way to ``path`` that other users cannot enter, or None."""
    for folder in [*reversed(Path(path).parents), Path(path)]:
        if folder.exists() and not folder.stat().st_mode & 0o001:
            return folder
    return None


def build_environment(prefix, package, python=SYSTEM_PYTHON):
    """Create the students' Python at ``prefix``: the course ``package`` (a folder pip installs), JupyterLab,
    nbgrader and jupyterhub-singleuser at the teacher's versions.  Returns ``prefix``."""
    prefix = Path(prefix).resolve()
    if not Path(package).exists():
        raise TeachError(f"no course package at {package}: write it with `python -m nndl.teach student-pack`")
    if prefix.exists():
        raise TeachError(f"{prefix} exists already: remove it or choose another folder")
    if shutil.which(python) is None:
        raise TeachError(f"no Python at {python}: pass --python, a Python 3.11+ every user can run")
    blocked = unreachable(prefix.parent)
    if blocked:
        raise TeachError(f"students could not run Python from {prefix}: {blocked} is closed to other users "
                         "(choose a folder such as /opt/nndl)")
    run_checked([python, "-m", "venv", str(prefix)], f"`{python} -m venv` (Debian: apt-get install python3-venv)")
    run_checked([str(prefix / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 str(Path(package).resolve()), f"nbgrader=={version('nbgrader')}",
                 f"jupyterhub=={version('jupyterhub')}"], "pip install into the students' Python")
    return prefix


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_users(folder, names):
    """Make an account for each of ``names``, its home in ``folder/home``; ``stop --remove`` deletes them."""
    (folder / "home").mkdir(exist_ok=True)
    for name in names:
        home = folder / "home" / name
        run_checked(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", name],
                    f"useradd {name}")
        home.chmod(0o700)  # classmates cannot read it
        with open(folder / PRIVATE / MADE, "a") as made:
            made.write(name + "\n")


def has_account(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def write_configs(folder, environment, course, users, port):
    """The hub's config (only when missing), the teacher's token, the students' names, and their nbgrader and
    server config."""
    inbound = exchange_inbound(course)
    root, course_id = inbound.parent.parent, inbound.parent.name
    root.mkdir(parents=True, exist_ok=True)
    # the teacher's alone: writable by all, a student could rename the course's folder and put one of theirs in its
    # place (nbgrader makes each course's folders inside, with the permissions students need to fetch and submit)
    root.chmod(0o755)
    students = folder / "jupyter"
    (students / "labconfig").mkdir(parents=True, exist_ok=True)
    (students / "nbgrader_config.py").write_text(STUDENTS_NBGRADER.format(root=str(root), course_id=course_id))
    (students / "jupyter_server_config.py").write_text(STUDENTS_SERVER)
    (students / "labconfig" / "page_config.json").write_text(json.dumps(STUDENTS_LAB, indent=1))
    private = folder / PRIVATE
    token = private / TOKEN
    if not token.exists():
        token.write_text(secrets.token_hex(32))
    config = private / "jupyterhub_config.py"
    if not config.exists():
        config.write_text(CONFIG.format(folder=folder, private=private, environment=environment, allowed=ALLOWED,
                                        token=TOKEN, port=port, hub_port=free_port(), proxy_port=free_port()))
    (private / ALLOWED).write_text("\n".join(users) + "\n")
    return config


def start(folder, environment, course, users, port=8000, create_users=False):
    """Start the hub in ``folder`` for the accounts ``users``; returns the hub's URL once it answers."""
    reason = missing()
    if reason:
        raise TeachError(f"cannot run the hub here: {reason}")
    folder, environment = Path(folder).resolve(), Path(environment).resolve()
    if not (environment / "bin" / "jupyterhub-singleuser").exists():
        raise TeachError(f"{environment} is not the students' Python: make it with "
                         "`python -m nndl.teach hub environment DIR`")
    if not (Path(course) / "nbgrader_config.py").exists():
        raise TeachError(f"no course at {course}: run `python -m nndl.teach --course {course} release` first")
    private = folder / PRIVATE
    if (private / PID).exists():
        raise TeachError(f"a hub of {folder} is running (stop it with `python -m nndl.teach hub stop {folder}`)")
    for place, what in ((environment, "the students' Python"), (folder.parent, "the hub's folder")):
        if unreachable(place):
            raise TeachError(f"students cannot reach {what}: {unreachable(place)} is closed to other users")
    absent = [name for name in users if not has_account(name)]
    if absent and not create_users:
        raise TeachError(f"no account for {', '.join(absent)} on this machine: create them, or pass --create-users")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    private.mkdir(mode=0o700, exist_ok=True)
    make_users(folder, absent)
    config = write_configs(folder, environment, Path(course).resolve(), users, port)
    with open(private / LOG, "ab") as log:
        hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=private, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    (private / PID).write_text(str(hub.pid))
    url = hub_url(folder)
    deadline = time.monotonic() + START_TIMEOUT
    while hub.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/hub/api/", timeout=2)
            return url
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    stop(folder)
    raise TeachError(f"the hub did not start; its messages are in {private / LOG}")


def hub_url(folder):
    """The hub's public URL, from its config."""
    config = Path(folder) / PRIVATE / "jupyterhub_config.py"
    for line in config.read_text().splitlines():
        if line.startswith("c.JupyterHub.bind_url"):
            return line.split('"')[1]
    raise TeachError(f"no c.JupyterHub.bind_url in {config}")


def processes_of(uids):
    """The ids of the running processes whose user is one of ``uids``."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue  # ended meanwhile
        if uid in uids:
            found.append(int(status.parent.name))
    return found


def stop(folder, remove=False):
    """Stop the hub of ``folder``: the hub, its proxy and the students' servers; with ``remove``, also delete
    the accounts it made and the folder."""
    folder = Path(folder).resolve()
    if not (folder / PRIVATE).is_dir():
        raise TeachError(f"no hub in {folder}: it is the folder given to `python -m nndl.teach hub start`")
    pid_file = folder / PRIVATE / PID
    if pid_file.exists():
        group = int(pid_file.read_text())
        with_signal(group, signal.SIGTERM)  # the hub stops the proxy and every server it started
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and alive(group):
            time.sleep(0.2)
        with_signal(group, signal.SIGKILL)  # whatever of the hub's process group is left
        pid_file.unlink()
    made_file = folder / PRIVATE / MADE
    made = made_file.read_text().split() if made_file.exists() else []
    uids = {pwd.getpwnam(name).pw_uid for name in made if has_account(name)}
    for pid in processes_of(uids):  # a server or kernel the hub could not stop
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if remove:
        deadline = time.monotonic() + 10
        while processes_of(uids) and time.monotonic() < deadline:  # userdel refuses a user who has processes
            time.sleep(0.1)
        for name in made:
            if has_account(name):
                run_checked(["userdel", name], f"userdel {name}")
        shutil.rmtree(folder)


def alive(pid):
    """Whether process ``pid`` runs (an ended child not yet reaped, a zombie, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def with_signal(group, signum):
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def add_parser(commands):
    """The ``hub`` command's arguments, under the teacher's commands."""
    hub = commands.add_parser("hub", help="a class on one machine: JupyterHub, the students' Python, the exchange")
    steps = hub.add_subparsers(dest="step", required=True)
    environment = steps.add_parser("environment", help="create the students' Python (once)")
    environment.add_argument("prefix", help="a folder every user can read, e.g. /opt/nndl")
    environment.add_argument("--package", default="nndl-student", help="the course to install (default: the "
                             "student pack nndl-student, from `python -m nndl.teach student-pack`)")
    environment.add_argument("--python", default=SYSTEM_PYTHON, help=f"Python 3.11+ (default: {SYSTEM_PYTHON})")
    begin = steps.add_parser("start", help="start the hub")
    begin.add_argument("folder", help="the hub's own folder, e.g. /srv/nndl-hub")
    begin.add_argument("--environment", required=True, help="the students' Python (from `hub environment`)")
    begin.add_argument("--users", required=True, help="the students' account names, comma-separated")
    begin.add_argument("--create-users", action="store_true", help="make the accounts that do not exist")
    begin.add_argument("--port", type=int, default=8000,
                       help="the hub's port on 127.0.0.1 (default: 8000; then as jupyterhub_config.py says)")
    end = steps.add_parser("stop", help="stop the hub, its proxy and the students' servers")
    end.add_argument("folder")
    end.add_argument("--remove", action="store_true", help="also delete the accounts `start` made, and the folder")


def run(args):
    """Carry out ``python -m nndl.teach hub ...``; ``args.course`` is the course folder."""
    if args.step == "environment":
        started = time.monotonic()
        prefix = build_environment(args.prefix, args.package, args.python)
        print(f"The students' Python is ready in {prefix} ({time.monotonic() - started:.0f} s)")
    elif args.step == "start":
        users = [name for name in args.users.split(",") if name]
        url = start(args.folder, args.environment, args.course, users, args.port, args.create_users)
        token = Path(args.folder).resolve() / PRIVATE / TOKEN
        print(f"The hub answers at {url}; the teacher's API token is in {token}")
    else:
        stop(args.folder, args.remove)
        print(f"The hub of {args.folder} is stopped" + (" and removed" if args.remove else ""))
