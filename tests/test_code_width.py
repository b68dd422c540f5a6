"""Every code line of every notebook fits the width a learner sees without scrolling sideways.

In JupyterLab at 1400 px with the file browser open (its default layout) a code cell shows about 118
characters; the rest of a longer line is clipped, so a learner misses the end of a docstring or of a check's
message unless they scroll. The limit holds in the notebooks as stored (what the teacher and the site show)
and in the learner's copy made from them.
"""
import nbformat
import pytest

from nndl import learner

VISIBLE_WIDTH = 118  # characters of a code cell in JupyterLab at 1400 px, file browser open
NOTEBOOKS = sorted(learner.NOTEBOOKS.glob("*.ipynb"))


def long_lines(notebook):
    """(cell index, line) for each code line wider than VISIBLE_WIDTH."""
    return [(index, line) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > VISIBLE_WIDTH]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_lines_fit_the_visible_width(path):
    stored = nbformat.read(path, as_version=4)
    clipped = [f"{path.name} ({version}), cell {index}: {line}"
               for version, notebook in (("stored", stored), ("learner's copy", learner.learner_version(stored)))
               for index, line in long_lines(notebook)]
    assert not clipped, f"{len(clipped)} code lines wider than {VISIBLE_WIDTH} characters:\n" + "\n".join(clipped)
