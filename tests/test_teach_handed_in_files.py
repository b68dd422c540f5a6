"""Files handed in beside a notebook never reach the grading kernel's imports (issue 21, items 1 and 2)."""
import json
import os
import subprocess
import sys

import nbformat
import pytest

from nndl.teach import autograde, sandbox
from sandboxing import kernel_run, needs_sandbox

HIJACK = "print('hijacked: the student file ran')\n"


def handed_in(folder):
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), folder / "01_perceptrons-Copy1.ipynb")
    (folder / "timestamp.txt").write_text("2026-01-02 12:00:00.000000 UTC")
    for name in ("fnmatch.py", "ipykernel_launcher.py"):
        (folder / name).write_text(HIJACK)
    (folder / "nndl").mkdir()
    (folder / "nndl" / "__init__.py").write_text(HIJACK)
    return folder


def test_only_the_notebook_and_its_timestamp_are_staged(tmp_path):
    folder = handed_in(tmp_path / "handed-in" / "erin" / "ch01")
    target = tmp_path / "course" / "submitted" / "erin" / "ch01"
    target.mkdir(parents=True)
    (target / "numpy.py").write_text(HIJACK)  # left from an earlier staging: gone too
    left_out = autograde.stage(folder, folder / "01_perceptrons-Copy1.ipynb", nbformat.v4.new_notebook(), target,
                               "01_perceptrons.ipynb")
    assert left_out == ["fnmatch.py", "ipykernel_launcher.py", "nndl"]
    assert sorted(p.name for p in target.iterdir()) == ["01_perceptrons.ipynb", "timestamp.txt"]


def test_in_the_courses_own_submitted_folder_the_other_files_are_moved_aside_not_deleted(tmp_path):
    folder = handed_in(tmp_path / "course" / "submitted" / "erin" / "ch01")
    left_out = autograde.stage(folder, folder / "01_perceptrons-Copy1.ipynb", nbformat.v4.new_notebook(), folder,
                               "01_perceptrons.ipynb")
    assert left_out == ["fnmatch.py", "ipykernel_launcher.py", "nndl"]
    assert not any((folder / name).exists() for name in left_out)
    aside = tmp_path / "course" / "left-out" / "erin" / "ch01"
    assert sorted(p.name for p in aside.iterdir()) == left_out and (aside / "fnmatch.py").read_text() == HIJACK


@pytest.mark.parametrize("sandboxed", [True, False])
def test_the_kernels_launcher_does_not_import_from_the_students_folder(tmp_path, sandboxed):
    """nbgrader starts the kernelspec's command in the student's folder: a fnmatch.py there must not run."""
    folder = handed_in(tmp_path / "erin")
    sandbox.write_kernelspec(tmp_path / "run", sandboxed)
    argv = json.loads((tmp_path / "run" / "kernels" / sandbox.KERNEL / "kernel.json").read_text())["argv"]
    if sandboxed:  # the launcher, run by hand: it imports what it needs, then says who should start it
        command = [arg.replace("{connection_file}", "conn.json") for arg in argv]
    else:  # the kernel itself, asked only for its version
        command = argv[:argv.index("-f")] + ["--version"]
    env = {k: v for k, v in os.environ.items() if k != sandbox.RUN}
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert "hijacked" not in result.stdout + result.stderr
    assert (f"{sandbox.RUN} is not set" in result.stderr) if sandboxed else result.returncode == 0


@needs_sandbox
def test_the_sandboxed_kernel_does_not_import_from_the_students_folder(tmp_path):
    folder = handed_in(tmp_path / "erin")
    run, connection = kernel_run(tmp_path)
    command = sandbox.bwrap_command(connection, str(folder), str(run), [])
    assert command[-5:-2] == ["-I", "-m", "ipykernel_launcher"]
    result = subprocess.run(command[:-2] + ["--version"], capture_output=True, text=True, timeout=60)
    assert "hijacked" not in result.stdout + result.stderr
    assert result.returncode == 0 and result.stdout.strip()[0].isdigit(), result.stdout + result.stderr


def test_the_claimed_time_of_an_exchange_submission_is_staged_beside_its_time(tmp_path):
    folder = handed_in(tmp_path / "handed-in" / "erin" / "ch01")
    (folder / "timestamp-claimed.txt").write_text("2026-01-01 10:00:00.000000 UTC\n")
    target = tmp_path / "course" / "submitted" / "erin" / "ch01"
    autograde.stage(folder, folder / "01_perceptrons-Copy1.ipynb", nbformat.v4.new_notebook(), target,
                    "01_perceptrons.ipynb")
    assert sorted(p.name for p in target.iterdir()) == ["01_perceptrons.ipynb", "timestamp-claimed.txt", "timestamp.txt"]


def test_nbgraders_secret_is_staged_and_a_link_never_followed(tmp_path):
    """release_feedback needs the submission's secret (nbgrader's submit wrote it); a link is the student's trick."""
    folder = handed_in(tmp_path / "handed-in" / "erin" / "ch01")
    (folder / "submission_secret.txt").write_text("s3cret")
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").symlink_to("/etc/hostname")  # read as root by the copy, it would hand in that file
    target = tmp_path / "course" / "submitted" / "erin" / "ch01"
    left_out = autograde.stage(folder, folder / "01_perceptrons-Copy1.ipynb", nbformat.v4.new_notebook(), target,
                               "01_perceptrons.ipynb")
    assert sorted(p.name for p in target.iterdir()) == ["01_perceptrons.ipynb", "submission_secret.txt"]
    assert "timestamp.txt" in left_out and "submission_secret.txt" not in left_out
