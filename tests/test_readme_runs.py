"""README's table of chapter 6's full runs against the transcripts the runs printed (``benchmarks/runs/NAME.txt``).

Each transcript is a run's output as it was, after the command that made it,
with the wall time and peak memory that GNU ``time -v`` measured.  The runs
take from minutes to hours, so the tests do not repeat them: they check that
every number the README quotes is the one its transcript printed.
"""
import re
from pathlib import Path

import pytest

from nndl.cli import BOOK_RUNS

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "benchmarks" / "runs"
ROW = re.compile(r"^\| `(?P<name>[a-z0-9-]+)` \| (?P<test>[\d.]+)% \((?P<detail>[^)]*)\) \| (?P<book>[\d.]+)% "
                 r"\| (?P<minutes>[\d.]+) minutes(?:, [^|]*)? \|$", re.MULTILINE)
TRAINING_IMAGES = 50_000


def readme_rows():
    """The rows of README's table of full runs, as regex matches (the book's table above it has other columns)."""
    return list(ROW.finditer((ROOT / "README.md").read_text(encoding="utf-8")))


def transcript(name):
    return (TRANSCRIPTS / f"{name}.txt").read_text(encoding="utf-8")


def wall_minutes(text):
    """GNU time's 'Elapsed (wall clock) time (h:mm:ss or m:ss): ...' in minutes."""
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
    seconds = 0.0
    for part in elapsed.split(":"):
        seconds = 60 * seconds + float(part)
    return seconds / 60


def as_quoted(minutes):
    """Minutes as the README writes them: one decimal below 10, whole minutes above."""
    return f"{minutes:.1f}" if minutes < 10 else f"{minutes:.0f}"


def test_the_readme_lists_the_full_runs():
    assert {row["name"] for row in readme_rows()} >= {"shallow", "conv1", "conv2", "relu", "expanded", "extra-fc"}


@pytest.mark.parametrize("row", readme_rows(), ids=lambda row: row["name"])
def test_each_quoted_run_is_its_transcript(row):
    name, text = row["name"], transcript(row["name"])
    run = BOOK_RUNS[name]
    options = r"(?: --epochs (\d+))?(?: --mistakes \S+)?"
    command = re.fullmatch(rf"\$ python -m nndl train --network3 {name} --seed 0{options}", text.splitlines()[0])
    assert command, f"{name}: the transcript's first line is not the command: {text.splitlines()[0]}"
    if command.group(1):  # a reduced scale must say so
        assert f"{command.group(1)} epochs" in row["detail"], f"{name}: the README does not give the run's epochs"
    assert f"{float(row['book']) / 100:.4f}" == f"{run.book_accuracy:.4f}", "the book's accuracy"
    if run.networks > 1:
        vote = re.search(r"Majority vote of the \d networks: test accuracy ([\d.]+)%", text).group(1)
        assert row["test"] == vote
    else:
        best = re.search(r"Best validation accuracy of ([\d.]+)% obtained at iteration (\d+)\n"
                         r"Corresponding test accuracy of ([\d.]+)%", text)
        batches_per_epoch = TRAINING_IMAGES * (5 if run.expanded else 1) // 10
        assert row["test"] == best.group(3)
        assert row["detail"] == (f"epoch {int(best.group(2)) // batches_per_epoch}, "
                                 f"validation {best.group(1)}%")
    assert row["minutes"] == as_quoted(wall_minutes(text))
