"""How long autograding a class takes: every student hands in the reference solutions, graded in the sandbox.

    python benchmarks/grading_speed.py [--students 40] [--assignments ch01 ch03 ch04 ch05 ch08] [--jobs N]

Releases the assignments into a temporary course, hands in each reference notebook
for every student, and times ``python -m nndl.teach autograde`` (one submission per
core by default, or ``--jobs N``).  Prints the total, the time per notebook, and
each assignment's slowest submission; every submission must come out graded with
full marks for its autograded questions.
"""
import argparse
import shutil
import tempfile
import time
from pathlib import Path

from nndl import teach
from nndl.teach import autograde, reports


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", nargs="+", default=["ch01", "ch03", "ch04", "ch05", "ch08"])
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nndl-grading-speed-") as tmp:
        course, submitted = Path(tmp) / "course", Path(tmp) / "submitted"
        teach.release(course, only=args.assignments)
        for k in range(args.students):
            for name in args.assignments:
                folder = submitted / f"student{k:03d}" / name
                folder.mkdir(parents=True)
                shutil.copy(teach.chapters()[name], folder)
        jobs = args.jobs or autograde.default_jobs()
        print(f"{args.students} students x {len(args.assignments)} assignments, {jobs} at a time", flush=True)
        start = time.perf_counter()
        outcomes = autograde.autograde(course, submitted, jobs=jobs, progress=lambda outcome: None)
        seconds = time.perf_counter() - start
        failed = [str(o) for o in outcomes if o.status != "graded"]
        with reports.gradebook(course) as gb:
            short = [(s.student.id, s.assignment.name) for a in args.assignments
                     for s in gb.assignment_submissions(a) if s.code_score < s.max_code_score]
        print(f"{len(outcomes)} notebooks in {seconds:.0f} s ({seconds / len(outcomes):.1f} s each)")
        print("not graded:", failed or "none", "| short of full marks:", short or "none")


if __name__ == "__main__":
    main()
