#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11+ installed.

    python3 course.py setup   # create .venv if needed, install, make your workspace/ of notebooks
    python3 course.py lab     # the same set-up, then open JupyterLab on your workspace/
    python3 course.py lab --solutions    # JupyterLab on notebooks/, the reference solutions
    python3 course.py setup --refresh 01_perceptrons   # the course's new version (yours kept as a backup)
    python3 course.py test    # the set-up with test and teaching tools, then every test
    python3 course.py site    # the set-up with Sphinx, then the course as a website in site/ (--out DIR)

The environment lives in ``.venv`` beside this file and is reinstalled only
when ``pyproject.toml`` changes.  The workspace holds your own copies of the
notebooks, with the exercises unsolved; a copy you have is never replaced
(``python -m nndl.learner`` does this part).  Anything else after the command
goes to JupyterLab, pytest or ``python -m nndl.site``, e.g. ``python3 course.py test -k mnist``.
Only the standard library is used here, since nothing else is installed yet.
"""
import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
WORKSPACE = Path(os.environ.get("NNDL_WORKSPACE") or ROOT / "workspace").expanduser()  # the tests choose another
EXTRAS = {"setup": "", "lab": "", "site": "[site]", "test": "[test,teach,site,hub]"}


def ensure_environment(command):
    """Create ``.venv`` and install the package with the extras ``command`` needs, once."""
    if sys.version_info < (3, 11):
        sys.exit(f"The course needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as e:
            sys.exit(f"Could not create {VENV} ({e}). On Debian or Ubuntu: apt-get install python3-venv")
    extras = EXTRAS[command]
    if installed(extras) or installed(EXTRAS["test"]):  # the test set-up has everything the others need
        return
    print(f"Installing the course and its dependencies into {VENV} ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    subprocess.run(pip + ["--editable", f"{ROOT}{extras}"], check=True)
    stamp(extras).write_text(fingerprint(extras))


def stamp(extras):
    return VENV / f"installed{extras or '[lab]'}.sha256"


def fingerprint(extras):
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()


def installed(extras):
    """Whether ``.venv`` holds the course with ``extras``, installed from the current ``pyproject.toml``."""
    return stamp(extras).exists() and stamp(extras).read_text() == fingerprint(extras)


def setup(args):
    """Create or update the learner's workspace; ``--refresh NAME`` replaces one copy (keeping a backup)."""
    return subprocess.call([str(BIN / "python"), "-m", "nndl.learner", "setup", "--workspace", str(WORKSPACE), *args])


def lab(args):
    if "--solutions" in args:
        args.remove("--solutions")
        folder = ROOT / "notebooks"
        print(f"Opening the reference notebooks, solutions included: {folder}")
    else:
        status = setup([])
        if status:
            return status
        folder = WORKSPACE
    return subprocess.call([str(BIN / "jupyter"), "lab", "--notebook-dir", str(folder), *args])


def test(args):
    """Run pytest on ``tests`` and ``notebooks``, or only on the test paths given in ``args``.

    The tests run in one process per core (pytest-xdist); each test file, and
    so each notebook, stays in one process.  ``-n 0`` runs them in this one.
    Each process, and each kernel it starts, keeps BLAS to one thread: with a
    process on every core, more threads would only wait for each other.
    """
    start = time.monotonic()
    named = any((ROOT / arg.split("::")[0]).exists() for arg in args if not arg.startswith("-"))
    paths = [] if named else ["tests", "notebooks"]
    chosen = any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in args) or "no:xdist" in args
    parallel = [] if chosen else ["-n", "auto", "--dist", "loadfile"]  # one process per core; a file's tests on one
    one_thread = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    status = subprocess.call([str(BIN / "python"), "-m", "pytest", *paths, "--nbval-lax",
                              "--nbval-cell-timeout=600", *parallel, *args],
                             cwd=ROOT, env={**os.environ, **(one_thread if parallel else {})})
    print(f"course.py test: finished in {time.monotonic() - start:.0f} s with exit status {status}")
    return status


def site(args):
    """Run every notebook once and build the course's website, learner and teacher editions (``nndl.site``)."""
    return subprocess.call([str(BIN / "python"), "-m", "nndl.site", *args])


def main(argv):
    if not argv or argv[0] not in EXTRAS:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    try:
        ensure_environment(command)
    except subprocess.CalledProcessError as e:
        sys.exit(f"Installing failed (exit status {e.returncode}); see pip's message above.")
    except OSError as e:  # a full disk, a read-only folder
        sys.exit(f"Installing failed: {e}")
    return {"setup": setup, "lab": lab, "site": site, "test": test}[command](rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
