"""``python -m nndl.teach``: the teacher's commands (see ``nndl.teach``)."""
import argparse
import sys
from pathlib import Path

from nndl.teach import autograde as grading, collect, hub, late, pack, reports
from nndl.teach.course import (NOTEBOOKS, TeachError, chapters, course_assignments, graded_by_hand, points, release,
                               update_sources)


def parser():
    p = argparse.ArgumentParser(prog="python -m nndl.teach", description="Classroom tools: nbgrader for the course.")
    p.add_argument("--course", default="nndl-course", help="the nbgrader course folder (default: nndl-course)")
    p.add_argument("--notebooks", default=NOTEBOOKS, help=f"the course notebooks with solutions (default: {NOTEBOOKS})")
    commands = p.add_subparsers(dest="command", required=True)
    commands.add_parser("points", help="points per notebook")
    rel = commands.add_parser("release", help="generate the student versions")
    rel.add_argument("assignments", nargs="*", help="e.g. ch01 ch02 (default: all)")
    rel.add_argument("--update-sources", action="store_true",
                     help="first copy the course's notebooks over the course folder's source/ (a backup is kept)")
    zipped = commands.add_parser("collect", help="collect from nbgrader's exchange, or file the notebooks of a "
                                 "learning platform's archive (zip_collect)")
    zipped.add_argument("assignment")
    zipped.add_argument("archive", nargs="?", help="the zip file downloaded from the platform (none: the exchange)")
    zipped.add_argument("--pattern", help="canvas, moodle or a regular expression with the groups student_id and "
                        "file_id (with an archive)")
    grade = commands.add_parser("autograde", help="autograde a folder of submissions")
    grade.add_argument("submitted", help="SUBMITTED/<student>/<chNN>/<notebook>.ipynb")
    grade.add_argument("assignments", nargs="*", help="grade only these, e.g. ch01 (default: every one submitted)")
    grade.add_argument("--student", action="append", metavar="ID",
                       help="grade only this student (again); repeat for several")
    grade.add_argument("--jobs", type=int, metavar="N",
                       help="grade N submissions at once (default: one per core, as memory allows)")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run the students' code with your rights when no sandbox is available (unsafe)")
    export = commands.add_parser("grades", help="export the grades as CSV: totals and one row per question")
    export.add_argument("--csv", required=True, help="the CSV file of totals; the questions go beside it")
    feedback = commands.add_parser("feedback", help="HTML feedback for each student, hidden tests removed")
    feedback.add_argument("assignments", nargs="*", help="default: every assignment autograded")
    students = commands.add_parser("students", help="import the class list into the gradebook")
    students.add_argument("csv", help="a CSV file with the columns id, name, email")
    due = commands.add_parser("due", help="set an assignment's due date")
    due.add_argument("assignment")
    due.add_argument("date", help='e.g. "2027-03-01 23:59:00 Europe/Paris"')
    extend = commands.add_parser("extend", help="give one student more days for one assignment (0 takes them back)")
    extend.add_argument("student")
    extend.add_argument("assignment")
    extend.add_argument("days", type=float)
    student_pack = commands.add_parser("student-pack", help="the course for students, without the solutions")
    student_pack.add_argument("--out", default="nndl-student", help="the folder to write (default: nndl-student)")
    student_pack.add_argument("--zip", action="store_true", help="write OUT.zip instead of a folder")
    hub.add_parser(commands)
    return p


def run(args):
    """Carry out one command; returns the exit status."""
    if args.command == "points":
        sources = course_assignments(args.course) or chapters(args.notebooks)
        for name, path in sources.items():
            by_hand = sum(p for grade_id, p in points(path).items() if grade_id in graded_by_hand(path))
            print(f"{name}  {path.name:<44} {sum(points(path).values()):3g} points, {by_hand:g} of them graded by hand")
    elif args.command == "release":
        if args.update_sources:
            backup = update_sources(args.course, args.notebooks)
            print(f"Sources updated from {args.notebooks}" + (f"; the old ones are in {backup}" if backup else ""))
        folder = release(args.course, args.notebooks, only=args.assignments)
        print(f"Student versions written to {folder}")
    elif args.command == "collect" and args.archive is None:
        for note in collect.collect_exchange(args.course, args.assignment):
            print(note)
        print(f"Collected from the exchange; grade with: python -m nndl.teach autograde {args.course}/submitted "
              f"{args.assignment}")
    elif args.command == "collect":
        if args.pattern is None:
            raise TeachError("collecting an archive needs --pattern: canvas, moodle or a regular expression")
        for note in collect.collect_archive(args.course, args.assignment, args.archive, args.pattern):
            print(note)
        folder = Path(args.course).resolve() / "submitted"
        print(f"Submissions filed in {folder}; grade them with: python -m nndl.teach autograde {folder} {args.assignment}")
    elif args.command == "autograde":
        outcomes = grading.autograde(args.course, args.submitted, args.assignments, not args.no_sandbox,
                                     args.notebooks, progress=lambda o: print(o, flush=True), who=args.student,
                                     jobs=args.jobs)
        reports.record_failures(args.course, outcomes)
        counts = {s: sum(o.status == s for o in outcomes) for s in ("graded", "failed", "missing")}
        print(f"Summary: {counts['graded']} graded, {counts['failed']} failed, {counts['missing']} missing"
              f" (nbgrader's messages: {args.course}/logs/); export with: python -m nndl.teach grades --csv grades.csv")
        return 1 if counts["failed"] else 0
    elif args.command == "grades":
        questions = reports.export_grades(args.course, args.csv)
        print(f"Totals written to {args.csv}, one row per question to {questions}")
    elif args.command == "feedback":
        print(f"Feedback written to {reports.feedback(args.course, args.assignments)}/<student>/<chNN>/")
    elif args.command == "students":
        print(f"{reports.import_students(args.course, args.csv)} students imported into {args.course}/gradebook.db")
    elif args.command == "due":
        reports.set_due_date(args.course, args.assignment, args.date)
        print(f"{args.assignment} is due {args.date}")
    elif args.command == "extend":
        late.extend(args.course, args.student, args.assignment, args.days)
        print(f"{args.student} has {args.days:g} more days for {args.assignment}; it counts from the next autograde of "
              f"their work (python -m nndl.teach autograde SUBMITTED {args.assignment} --student {args.student})")
    elif args.command == "hub":
        hub.run(args)
    else:
        print(f"Student pack written to {pack.student_pack(args.course, args.out, args.notebooks, args.zip)}")
    return 0


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return run(args)
    except TeachError as e:
        print(f"python -m nndl.teach: error: {e}", file=sys.stderr)
        return 2
