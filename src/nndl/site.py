"""The course as a website to browse, figures included: ``python3 course.py site`` (``python -m nndl.site``).

    python -m nndl.site [--out DIR] [--notebooks DIR]

The notebooks are stored without outputs, so the repository shows no figure.
This module runs each notebook once, in a fresh kernel working in a temporary
copy of the notebooks' folder, two notebooks at a time, and makes two editions
of the course from that one run:

* the **learner edition**, what a student gets: each notebook's learner
  version (``nndl.learner.learner_version``: no reference solution, no model
  answer, no hidden test), with the outputs of the cells it leaves unchanged,
  except those that would give an answer away (``learner_edition``);
* the **teacher edition**: the notebooks as they are in ``notebooks/``, with
  their solutions, hidden tests and model answers, and every output.

Sphinx with MyST-NB turns the two editions, a landing page, the syllabus and
the licence into HTML (MyST-NB does not run the notebooks again).  The kernels
run with ``NNDL_NO_FRONTEND=1``, as the autograder's do: a static page has no
kernel to move a slider, so each explorer (``nndl.widgets``) shows its first
picture and builds no controls.  MathJax 2 comes from the ``jupyter-server-mathjax``
package and is copied into the site, so the equations show without a network
(served over HTTP: from a ``file:`` address, browsers refuse MathJax its fonts).

The site is built in a temporary folder beside ``--out`` and only then put in
its place: a failed build leaves the site that was there as it was.
"""
import argparse
import concurrent.futures
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from . import messages
from .learner import NOTEBOOKS, ROOT, learner_version, read_notebook
from .progress import CHECK, end_process_group, notebook_client
from .widgets import NO_FRONTEND

SITE = ROOT / "site"
TIMEOUT = 600  # seconds a cell may run, as for the tests (``course.py test``)
WORKERS = 2  # notebooks run at once: one per core of the machines CI runs on
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EDITIONS = {
    "learner": ("Learner edition", "what a student gets: the exercises to do, no solution, no model answer, "
                                   "no hidden test, no output that would give an answer away"),
    "teacher": ("Teacher edition", "the notebooks as they are in `notebooks/`: reference solutions, hidden tests "
                                   "and the model answers of the written exercises, with the rubrics, all run"),
}


class NotebookFailed(Exception):
    """A notebook that could not be run to its end; the message names the notebook and the cell."""


def execute(path, folder):
    """The notebook at ``path`` after running it in a fresh kernel working in ``folder``.

    A cell that fails (other than one tagged ``raises-exception``), runs
    longer than ``TIMEOUT`` or kills the kernel raises ``NotebookFailed``,
    saying which notebook and which cell.
    """
    try:
        notebook, _ = read_notebook(path)
    except ValueError as e:
        raise NotebookFailed(f"{path}: {e}") from None
    client = notebook_client(notebook, timeout=TIMEOUT, kernel_name="python3",
                             resources={"metadata": {"path": str(folder)}})
    kernel = client.create_kernel_manager()  # made here, to know the kernel's process group at the end
    try:
        client.execute(env={**os.environ, NO_FRONTEND: "1"}, stderr=subprocess.DEVNULL)
    except CellExecutionError as e:
        raise NotebookFailed(_failure(path, notebook, f"{e.ename}: {e.evalue}")) from None
    except CellTimeoutError:
        raise NotebookFailed(_failure(path, notebook, f"it ran longer than {TIMEOUT} s")) from None
    except DeadKernelError:
        raise NotebookFailed(_failure(path, notebook, "the kernel died")) from None
    finally:
        end_process_group(kernel)
    return notebook


def _failure(path, notebook, what):
    """The one line that says which cell of the notebook at ``path`` failed (the last that started), and how."""
    started = [(number, cell) for number, cell in enumerate(notebook.cells, start=1)
               if cell.cell_type == "code" and cell.get("execution_count") is not None]
    if not started:
        return f"{path}: could not be run ({what}) before its first cell"
    number, cell = started[-1]
    first_line = cell.source.strip().split("\n")[0]
    return (f"{path}: cell {number} ({first_line!r}) failed: {' '.join(what.split())}; "
            f"run the notebook in JupyterLab to see the whole error, and fix it")


def execute_all(paths):
    """``{file name: executed notebook}`` for the notebook files ``paths`` (all in one folder), ``WORKERS`` at a time.

    They run in a temporary copy of their folder, so files they write never land in the repository.
    The first that fails raises ``NotebookFailed``, and those not started by then are not run.
    """
    with tempfile.TemporaryDirectory(prefix="nndl-site-run-") as scratch:
        folder = shutil.copytree(paths[0].parent, Path(scratch) / "notebooks")
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            runs = {path.name: pool.submit(execute, path, folder) for path in paths}
            try:
                return {name: run.result() for name, run in runs.items()}
            except NotebookFailed:
                pool.shutdown(cancel_futures=True)  # those running finish; the others never start
                raise


def static(notebook):
    """``notebook`` without widget views and the widgets' state: a page has no kernel behind them.

    (The explorers ran without a front end and left their first picture as an ordinary output.)
    """
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.outputs if WIDGET_VIEW not in output.get("data", {})]
    return notebook


def learner_edition(executed):
    """The learner version of the ``executed`` reference notebook, with the outputs that give nothing away.

    A cell whose source the learner version changed (an exercise, a graded test with hidden
    tests) shows no output: it would show the answer.  Nor does a check's cell (its ✓ under an
    exercise still to do would mislead), nor an output that shows a line of the answers, from a
    cell left as it was (one that prints the source of the class the learner writes, say).  The
    graded tests are folded, as in JupyterLab.
    """
    version = learner_version(executed)
    answers = answer_lines(executed, version)
    for cell, reference in zip(version.cells, executed.cells):
        if cell.cell_type == "code" and cell.source == reference.source and not CHECK.search(cell.source):
            cell.outputs = [output for output in reference.outputs if not any(map(_text_of(output).__contains__,
                                                                                  answers))]
            cell.execution_count = reference.execution_count
        if cell.metadata.get("jupyter", {}).get("source_hidden"):
            cell.metadata.setdefault("tags", []).append("hide-input")  # MyST-NB's fold
    return version


def answer_lines(reference, version):
    """The lines of the ``reference`` notebook that its learner ``version`` does not have: the answers.

    Only lines of 12 characters or more count (``else:`` and ``return a`` give nothing away).
    """
    kept = {line.strip() for cell in version.cells for line in cell.source.splitlines()}
    return {line.strip() for cell in reference.cells for line in cell.source.splitlines()
            if len(line.strip()) >= 12 and line.strip() not in kept}


def _text_of(output):
    """All the text an output shows: printed, returned (plain, HTML, Markdown) or in a traceback."""
    data = output.get("data", {})
    return "\n".join([output.get("text", ""), *output.get("traceback", []),
                      *(data.get(kind, "") for kind in ("text/plain", "text/html", "text/markdown", "text/latex"))])


def title(notebook, name):
    """The notebook's title: the text of its first level-1 heading, or else its file ``name``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and (heading := re.search(r"^# (.+)$", cell.source, re.M)):
            return heading.group(1).strip()
    return name


def estimated_time(notebook):
    """The time the notebook's header states ("about 50 minutes"), or '' if it states none."""
    stated = re.search(r"\*\*Time:\*\* *(about [^.(]+?) *[.(]", "\n".join(c.source for c in notebook.cells[:3]))
    return stated.group(1) if stated else ""


SPHINX = {  # conf.py of the build: Sphinx, MyST-NB, the book theme, MathJax 2 from the site itself
    "project": "Neural Networks and Deep Learning, from scratch",
    "extensions": ["myst_nb"],
    "html_theme": "sphinx_book_theme",
    "html_title": "Neural Networks and Deep Learning, from scratch",
    "html_theme_options": {"show_toc_level": 2, "home_page_in_toc": True},
    "html_copy_source": False,  # the notebooks are not copied into the site
    "nb_execution_mode": "off",  # run already, once for both editions
    "myst_enable_extensions": ["dollarmath", "amsmath"],
    "myst_update_mathjax": False,  # it would configure MathJax 4, which Sphinx loads from the network
    "mathjax_path": "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full",
    "mathjax2_config": {"tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                                    "processEnvironments": False},
                        # the package has the STIX-Web font only (as Jupyter's classic notebook configured it)
                        "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None,
                                     "preferredFont": None}},
}
MARK = ".nndl-site"  # a file in every site built here: only such a folder is ever replaced by a new build


def landing_page(editions, names):
    """The site's first page: its editions, the table of notebooks, and the (hidden) tables of contents."""
    shown = {edition: EDITIONS[edition] for edition in editions}
    any_edition = next(iter(editions.values()))
    count = "two editions" if len(shown) == 2 else "one edition"
    lines = [f"# {SPHINX['project']}", "",
             "A notebook course on neural networks in Python and NumPy, after Michael Nielsen's book "
             "[*Neural Networks and Deep Learning*](http://neuralnetworksanddeeplearning.com/). "
             f"Every notebook is shown here as it ran, figures included, in {count}:", ""]
    lines += [f"* **[{label}]({edition}.md)** ({what})." for edition, (label, what) in shown.items()]
    lines += ["", "The [syllabus](syllabus.md) gives the weeks, the points and what to know before each notebook; "
              "the course is free software under the [MIT licence](license.md). On a page, the interactive "
              "explorers show their first picture: their sliders work in JupyterLab (`python3 course.py lab`).", "",
              "| # | notebook | time (our estimate) | " + " | ".join(f"{e} edition" for e in shown) + " |",
              "|---|---|---|" + "---|" * len(shown)]
    for name in (name for name in names if not name.startswith("00")):  # 00 is the contents
        lines.append(f"| {name[:2]} | {title(any_edition[name], name).removeprefix(name[:2]).strip()} | "
                     f"{estimated_time(any_edition[name])} | " + " | ".join(f"[{e}]({e}/{name})" for e in shown) + " |")
    lines += ["", "```{toctree}", ":hidden:", "", *shown, "syllabus", "license", "```"]
    return "\n".join(lines) + "\n"


def edition_page(edition, names):
    """An edition's own page, the parent of its notebooks: in the sidebar, the notebooks of the edition one is
    reading unfold under it, and the other edition's stay folded."""
    label, what = EDITIONS[edition]
    return "\n".join([f"# {label}", "", f"{what[0].upper()}{what[1:]}.", "",
                      "```{toctree}", ":maxdepth: 1", "", *(f"{edition}/{n}" for n in names), "```"]) + "\n"


def write_sources(folder, executed, chosen=tuple(EDITIONS)):
    """Write the Sphinx source tree of the site into ``folder``, from the ``{name: executed notebook}``: the
    editions ``chosen`` (both, or the learner's alone, for a site students may see)."""
    names = sorted(executed)
    teacher = {name: static(notebook) for name, notebook in executed.items()}
    editions = {"learner": {name: learner_edition(notebook) for name, notebook in teacher.items()},
                "teacher": teacher}
    editions = {edition: editions[edition] for edition in EDITIONS if edition in chosen}
    for edition, notebooks in editions.items():
        (folder / edition).mkdir(parents=True)
        for name, notebook in notebooks.items():
            nbformat.write(notebook, folder / edition / name)
        (folder / f"{edition}.md").write_text(edition_page(edition, names))
    (folder / "conf.py").write_text("".join(f"{key} = {value!r}\n" for key, value in SPHINX.items()))
    (folder / "index.md").write_text(landing_page(editions, names))
    syllabus = (ROOT / "SYLLABUS.md").read_text(encoding="utf-8")
    (folder / "syllabus.md").write_text(syllabus.replace("](notebooks/", "](learner/"))
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    (folder / "license.md").write_text(f"# Licence\n\n```text\n{licence}```\n")


def run_sphinx(source, html):
    """Build the HTML pages of the source tree ``source`` into ``html`` (Sphinx in its own process)."""
    done = subprocess.run([sys.executable, "-m", "sphinx", "--builder", "html", "--quiet", "--jobs", str(WORKERS),
                           "--doctree-dir", str(source.parent / "doctrees"), str(source), str(html)],
                          capture_output=True, text=True)
    sys.stderr.write(done.stderr)  # Sphinx's warnings, if any
    if done.returncode:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise NotebookFailed(f"Sphinx could not build the pages: {last}")
    import jupyter_server_mathjax  # MathJax 2, to show the equations without a network

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", html / "_static" / "mathjax")
    (html / MARK).write_text("A site built by python -m nndl.site; the next build replaces this folder.\n")


def check_replaceable(out):
    """Refuse ``out`` unless it is absent, an empty folder or a site built here: nothing else is ever replaced."""
    if out.exists() and not (out.is_dir() and ((out / MARK).exists() or not any(out.iterdir()))):
        raise NotebookFailed(f"{out} is there and is not a site built by nndl.site, so it is left as it is: "
                             f"choose another folder with --out DIR, or move it away")


def replace_site(new, out):
    """Put the finished site ``new`` at ``out`` (the earlier site goes into ``new``'s temporary folder)."""
    check_replaceable(out)
    if out.exists():
        out.rename(new.parent / "old")
    new.rename(out)


def build(out=SITE, notebooks=NOTEBOOKS, chosen=tuple(EDITIONS)):
    """Run the notebooks, make the editions ``chosen`` and build the site at ``out``; returns its number of pages."""
    out = Path(out).expanduser().resolve()
    paths = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise NotebookFailed(f"no notebook named NN_name.ipynb in {notebooks}: give the course's notebooks folder")
    check_replaceable(out)  # before minutes of running notebooks
    executed = execute_all(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-building-", dir=out.parent) as building:
        source, html = Path(building) / "source", Path(building) / "html"
        write_sources(source, executed, chosen)
        run_sphinx(source, html)
        replace_site(html, out)
    return len(pages(out))


def pages(site):
    """The pages of the built ``site`` (its HTML files outside ``_static``), as paths relative to it."""
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html") if "_static" not in path.parts)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nndl.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SITE), help=f"the site's folder (default: {SITE})")
    parser.add_argument("--notebooks", default=str(NOTEBOOKS), help=f"the notebooks (default: {NOTEBOOKS})")
    parser.add_argument("--learner-only", action="store_true",
                        help="only the learner edition: a site to show students (the teacher edition has the solutions)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        count = build(args.out, args.notebooks, ("learner",) if args.learner_only else tuple(EDITIONS))
    except (NotebookFailed, OSError) as e:
        print(f"python -m nndl.site: error: {messages.describe(e)}", file=sys.stderr)
        return 2
    out = Path(args.out).expanduser().resolve()
    print(f"The site is in {out} ({count} pages, built in {time.monotonic() - start:.0f} s). To browse it:\n"
          f"  python -m http.server -d {out}    then open http://localhost:8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
