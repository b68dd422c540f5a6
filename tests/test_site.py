"""The course's website, ``python3 course.py site`` (``nndl.site``): built once, every page opened in Chromium.

The build runs every notebook (a few minutes on two cores), so the module
builds the site once, by the README's command, and each test reads it.
"""
import functools
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from browser import ROOT, VIEWPORT, free_port, open_browser, require_browser
from nndl import site
from nndl.checks import reference_solution
from nndl.learner import NOTEBOOKS, learner_version, nbgrader_meta

CHAPTERS = sorted(path.name for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
MARKER = re.compile(r"^\s*(\d+[.)]|[-*+>]|#+)\s+")  # a list item's number or bullet, a heading's #s: not on a page
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def course_py(*args, **options):
    return subprocess.run([sys.executable, str(ROOT / "course.py"), "site", *args],
                          capture_output=True, text=True, cwd=ROOT, **options)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, built by ``python3 course.py site --out DIR``, and what it printed."""
    out = tmp_path_factory.mktemp("site") / "site"
    done = course_py("--out", str(out), timeout=1800)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


@pytest.fixture(scope="module")
def pages(built):
    """``{path relative to the site: what Chromium shows}`` for every page of the site (see ``visit``).

    The site is served over HTTP, as the README says to browse it (from a ``file:`` address,
    Chromium refuses MathJax its fonts).
    """
    require_browser()
    out, _ = built
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with open_browser() as browser:
            page = browser.new_page(viewport=VIEWPORT)
            return {name: visit(page, f"{base}/{name}")
                    for name in site.pages(out)}
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def visit(page, url):
    """Open the page at ``url``; its text, its images that did not load, its links and its equations left raw."""
    page.goto(url, wait_until="load")
    if page.locator("span.math, div.math").count():  # MathJax typesets after the page has loaded
        page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.running === 0"
                               " && MathJax.Hub.queue.pending === 0 && document.querySelector('.MathJax')",
                               timeout=60_000)
    return page.evaluate("""() => ({
        text: document.body.innerText,
        outputs: [...document.querySelectorAll('.cell_output')].map(o => o.innerText).join('\\n'),
        images: document.querySelectorAll('article img').length,
        broken: [...document.images].filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src),
        links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        sidebar: [...document.querySelectorAll('.bd-sidebar-primary nav a[href]')].filter(a => a.checkVisibility())
                 .map(a => a.getAttribute('href')),
        raw_math: [...document.querySelectorAll('.math')].map(m => m.innerText).filter(t => /\\\\[(\\[]/.test(t)),
        errors: document.querySelectorAll('.MathJax_Error, .merror').length,
    })""")


def words(text):
    """The words and numbers of ``text``, in order, one space apart: the text a page shows, whatever its markup."""
    return " ".join(re.findall(r"\w+", text))


def answers(path):
    """The lines only the teacher's version of the notebook at ``path`` holds, as ``words``.

    Reference solutions and model answers (``reference_solution``) and hidden tests, line by
    line, keeping lines of six words or more that have no mathematics or link (those show
    differently on a page) and that the learner version does not hold elsewhere; a list item's
    number and a heading's ``#`` are left out, as on the page.
    """
    notebook = nbformat.read(path, as_version=4)
    learner_text = words("\n".join(cell.source for cell in learner_version(notebook).cells))
    texts = [reference_solution(nbgrader_meta(cell)["grade_id"]) for cell in notebook.cells
             if nbgrader_meta(cell).get("solution")]
    texts += [hidden for cell in notebook.cells for hidden in HIDDEN.findall(cell.source)]
    lines = {words(MARKER.sub("", line)) for text in texts for line in text.splitlines()
             if not re.search(r"[$\\]|\]\(", line)}
    return {line for line in lines if len(line.split()) >= 6 and line not in learner_text}


def test_the_command_says_where_the_site_is_and_how_to_open_it(built):
    out, printed = built
    assert str(out) in printed and f"python -m http.server -d {out}" in printed
    assert (out / "index.html").exists()


def test_both_editions_have_every_notebook_as_a_page(built):
    out, _ = built
    for edition in site.EDITIONS:
        assert sorted(path.stem for path in (out / edition).glob("*.html")) == [Path(n).stem for n in CHAPTERS]


def test_every_page_loads_with_its_images_its_links_and_its_equations(built, pages):
    out, _ = built
    assert len(pages) >= 2 * len(CHAPTERS) + 5  # two editions and their pages, the landing page, syllabus, licence
    for name, shown in pages.items():
        assert shown["text"].strip(), f"{name} shows nothing"
        assert not shown["broken"], f"{name}: images that did not load: {shown['broken']}"
        assert not shown["raw_math"], f"{name}: equations MathJax did not typeset: {shown['raw_math'][:3]}"
        assert not shown["errors"], f"{name}: {shown['errors']} equations MathJax could not typeset"
        for link in shown["links"]:
            if re.match(r"[a-z]+:", link) or link.startswith("#"):
                continue  # another site, an e-mail address, a place in the page
            target = (out / name).parent / link.split("#")[0].split("?")[0]
            assert target.exists(), f"{name} links to {link}, which is not in the site"


def test_the_sidebar_unfolds_the_edition_one_reads_and_keeps_the_other_folded(pages):
    for edition, other in (("learner", "teacher"), ("teacher", "learner")):
        sidebar = pages[f"{edition}/05_writing_the_network.html"]["sidebar"]
        assert "06_training_on_mnist.html" in sidebar, f"{edition}/05: its edition's notebooks are not in view"
        assert not [link for link in sidebar if f"{other}/" in link], f"{edition}/05 shows the {other} edition's pages"
        assert any(link.endswith(f"{other}.html") for link in sidebar), f"{edition}/05: no way to the {other} edition"


def test_pages_show_the_figures_of_the_run(pages):
    for edition in site.EDITIONS:
        for chapter in ("02_sigmoid_neurons", "06_training_on_mnist"):  # with an explorer; with a training run
            assert pages[f"{edition}/{chapter}.html"]["images"] >= 2, f"{edition}/{chapter} shows no figure"


def test_the_learner_edition_has_no_solution_no_model_answer_and_no_hidden_test(pages):
    for chapter in CHAPTERS:
        stem, secret = Path(chapter).stem, answers(NOTEBOOKS / chapter)
        learner, teacher = pages[f"learner/{stem}.html"]["text"], pages[f"teacher/{stem}.html"]["text"]
        assert "BEGIN SOLUTION" not in learner and "BEGIN HIDDEN TESTS" not in learner
        shown = [line for line in secret if line in words(learner)]
        assert not shown, f"learner/{stem} shows lines of the teacher's version: {shown[:3]}"
        missing = [line for line in secret if line not in words(teacher)]
        assert not missing, f"teacher/{stem} lacks lines of the notebook: {missing[:3]}"
        if chapter != "00_index.ipynb":
            assert secret and "BEGIN SOLUTION" in teacher, f"teacher/{stem} shows no solution"


def test_the_learner_edition_shows_no_verdict_of_a_check_on_an_exercise_it_leaves_to_do(pages):
    for chapter in CHAPTERS[1:]:
        stem = Path(chapter).stem
        assert "✓" in pages[f"teacher/{stem}.html"]["outputs"], f"teacher/{stem}: no check passed"
        assert "✓" not in pages[f"learner/{stem}.html"]["outputs"], f"learner/{stem} shows a check passed"


def test_an_unrunnable_notebook_is_named_in_one_line_and_the_site_is_kept(tmp_path):
    notebooks, out = tmp_path / "notebooks", tmp_path / "site"
    notebooks.mkdir()
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 Broken"),
                                             nbformat.v4.new_code_cell("x = 1"),
                                             nbformat.v4.new_code_cell("x / 0")])
    nbformat.write(broken, notebooks / "01_broken.ipynb")
    out.mkdir()
    (out / site.MARK).write_text("")
    (out / "index.html").write_text("the site built before")
    done = course_py("--notebooks", str(notebooks), "--out", str(out), timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "01_broken.ipynb: cell 3 ('x / 0') failed: ZeroDivisionError" in done.stderr
    assert (out / "index.html").read_text() == "the site built before"


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.tex").write_text("mine")
    done = course_py("--out", str(out), timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"python -m nndl.site: error: {out} is there and is not a site built by "
                                   f"nndl.site, so it is left as it is: choose another folder with --out DIR, "
                                   f"or move it away")
    assert (out / "thesis.tex").read_text() == "mine"


def test_course_py_wires_the_site_command():
    done = course_py("--help", timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m nndl.site") and "--out" in done.stdout


def test_a_site_for_students_has_no_teacher_edition(tmp_path):
    """`--learner-only`: served to a class, the site must not be one click from the solutions."""
    executed = {name: nbformat.read(NOTEBOOKS / name, 4) for name in CHAPTERS[:3]}
    site.write_sources(tmp_path, executed, ("learner",))
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["learner"]
    assert (tmp_path / "learner.md").exists() and not (tmp_path / "teacher.md").exists()
    index = (tmp_path / "index.md").read_text()
    assert "teacher" not in index.lower() and f"learner/{CHAPTERS[1]}" in index
    assert "--learner-only" in subprocess.run([sys.executable, "-m", "nndl.site", "--help"], capture_output=True,
                                              text=True).stdout
