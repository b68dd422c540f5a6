"""The notebooks as stored: stripped, navigable, structured as the course promises.

(nbval executes them: `pytest --nbval-lax notebooks/`, part of `python3 course.py test`.)
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ALL = sorted(p for p in NOTEBOOKS.glob("*.ipynb"))
CHAPTERS = [p for p in ALL if p.name[:2] != "00"]
CHECKED = "# NBVAL_CHECK_OUTPUT"


def cells(path, kind=None):
    notebook = json.loads(path.read_text())
    return [c for c in notebook["cells"] if kind is None or c["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def test_the_course_has_its_notebooks():
    names = [p.name[:2] for p in ALL]
    assert names == [f"{n:02d}" for n in range(15)], names


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_stored_without_outputs_except_checked_cells(path):
    for cell in cells(path, "code"):
        checked = source(cell).lstrip().startswith(CHECKED)
        if checked:
            assert cell["outputs"], f"{path.name}: a {CHECKED} cell has no expected output stored:\n{source(cell)}"
            assert cell["metadata"].get("keep_output"), f"{path.name}: {CHECKED} cell lacks keep_output metadata"
        else:
            assert not cell["outputs"], f"{path.name}: outputs stored in an unchecked cell:\n{source(cell)[:200]}"
    assert "widgets" not in json.loads(path.read_text())["metadata"], f"{path.name} stores widget state"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_links_between_notebooks_resolve(path):
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    links = re.findall(r"\]\(([^)#]+\.ipynb)", text)
    assert links, f"{path.name} has no navigation links"
    for link in links:
        assert (NOTEBOOKS / link).exists(), f"{path.name} links to missing {link}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_structure(path):
    markdown = [source(c) for c in cells(path, "markdown")]
    text = "\n".join(markdown)
    assert "Contents](00_index.ipynb)" in markdown[0] and "Contents](00_index.ipynb)" in markdown[-1], \
        f"{path.name}: navigation bar missing at the top or the bottom"
    for heading in ("Learning objectives", "Summary", "Exercises"):
        assert re.search(rf"^#+ .*{heading}", text, re.MULTILINE | re.IGNORECASE), f"{path.name}: no {heading!r} heading"
    setup = next(source(c) for c in cells(path, "code"))
    assert "SEED" in setup and "import" in setup, f"{path.name}: the first code cell should be the setup cell"


def test_nbgrader_ids_are_unique_across_the_course():
    ids = [c["metadata"]["nbgrader"]["grade_id"] for p in ALL for c in cells(p) if "nbgrader" in c["metadata"]]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_solutions_are_marked_for_nbgrader(path):
    for cell in cells(path, "code"):
        meta = cell["metadata"].get("nbgrader", {})
        text = source(cell)
        if "### BEGIN SOLUTION" in text:
            assert meta.get("solution"), f"{path.name}: a solution region outside a solution cell:\n{text[:200]}"
            assert text.count("### BEGIN SOLUTION") == text.count("### END SOLUTION")
        if meta.get("grade"):
            assert meta.get("locked") and meta.get("points", 0) > 0, f"{path.name}: graded cell {meta['grade_id']}"
