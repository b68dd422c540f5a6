"""``student-pack``: the course without the solutions, as a folder (or zip) students install in one command.

The pack holds the package, its data (MNIST, the shipped sweep), ``course.py``, a short README and
the released notebooks (solutions replaced by ``raise NotImplementedError()``,
hidden tests removed), plus the notebooks that have no exercises.  Students run
``python3 course.py lab`` in it, which installs the pack and opens JupyterLab.
"""
import shutil
import tempfile
from pathlib import Path

import nndl
from nndl import mnist
from nndl.teach.course import NOTEBOOKS, TeachError, chapters

README = """# Neural Networks and Deep Learning: the course notebooks

    python3 course.py lab

creates a virtual environment in `.venv`, installs the course into it (the first time only)
and opens the notebooks in JupyterLab.  Start with `00_index.ipynb`.  Each notebook asks you
to predict what an experiment will show before it runs, and has exercises where their ideas
come up: write your code where it says `raise NotImplementedError()` and run the check cell
below it; write answers in words in the cells marked *Your answer:*.  Hand in the notebooks
as your teacher asks.
"""


def student_pack(course, out, notebooks=NOTEBOOKS, as_zip=False):
    """Write the student pack to the folder ``out`` (or ``out.zip``); returns its path."""
    course, notebooks, out = Path(course).resolve(), Path(notebooks).resolve(), Path(out).resolve()
    repository = notebooks.parent
    final = out.with_name(out.name + ".zip") if as_zip else out
    if final.exists():
        raise TeachError(f"{final} exists already: remove it or choose another --out")
    if not (repository / "pyproject.toml").exists():
        raise TeachError(f"the course repository is not at {repository}: pass --notebooks DIR, its notebooks/ folder")
    released = {name: course / "release" / name / path.name for name, path in chapters(notebooks).items()}
    missing = sorted(name for name, path in released.items() if not path.exists())
    if missing:
        raise TeachError(f"no student versions of {', '.join(missing)}: run `python -m nndl.teach release` first")
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        pack = Path(tmp) / out.name
        shutil.copytree(Path(nndl.__file__).parent, pack / "src" / "nndl",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        shutil.copytree(mnist.SHIPPED_DIR.parent, pack / "data")  # MNIST and the shipped learning-rate sweep
        for name in ("pyproject.toml", "course.py", "LICENSE"):
            if (repository / name).exists():
                shutil.copy(repository / name, pack / name)
        (pack / "README.md").write_text(README)
        (pack / "notebooks").mkdir()
        for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):  # the ones without exercises as they are
            shutil.copy(released.get(f"ch{path.name[:2]}", path), pack / "notebooks" / path.name)
        if as_zip:
            archive = shutil.make_archive(str(Path(tmp) / out.name), "zip", tmp, out.name)
            shutil.move(archive, final)
        else:
            pack.rename(final)
    return final
