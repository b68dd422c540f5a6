"""SYLLABUS.md lists every chapter notebook with the time its header states and the points its cells carry."""
import re

import nbformat
import pytest

from nndl import teach

SYLLABUS = (teach.NOTEBOOKS.parent / "SYLLABUS.md").read_text()


@pytest.mark.parametrize("name", sorted(teach.chapters()))
def test_each_notebook_is_in_the_syllabus_with_its_time_and_points(name):
    path = teach.chapters()[name]
    header = "\n".join(cell.source for cell in nbformat.read(path, 4).cells[:3])  # the title cell, as the site reads it
    stated = re.search(r"\*\*Time:\*\* about (\d+) minutes \(our estimate", header)  # not measured with learners
    assert stated, f"the header of {path.name} does not say '**Time:** about N minutes (our estimate...)'"
    minutes = stated.group(1)
    points = teach.points(path)
    by_hand = sum(p for grade_id, p in points.items() if grade_id in teach.course.graded_by_hand(path))
    row = next((line for line in SYLLABUS.splitlines() if f"(notebooks/{path.name})" in line), None)
    assert row, f"SYLLABUS.md has no row for {path.name}"
    assert f"| {minutes} minutes | {sum(points.values()):g} ({by_hand:g}) |" in row, row


def test_the_weeks_follow_the_books_order():
    weeks = [int(w) for w in re.findall(r"^\| (\d+) \| \[", SYLLABUS, re.M)]
    numbers = re.findall(r"^\| \d+ \| \[(\d\d) ", SYLLABUS, re.M)
    assert weeks == sorted(weeks) and numbers == sorted(numbers) and len(numbers) == len(teach.chapters())
