"""Classroom tools: student versions, sandboxed autograding and reports with nbgrader (``pip install 'nndl[teach]'``).

    python -m nndl.teach release [ch01 ...] [--update-sources]   # student versions in nndl-course/release/<chNN>/
    python -m nndl.teach collect ch01 download.zip --pattern canvas  # a platform's archive -> submitted/
    python -m nndl.teach autograde SUBMITTED [ch01 ...]          # SUBMITTED/<student>/<chNN>/<notebook>.ipynb
    python -m nndl.teach grades --csv grades.csv                 # totals, and grades-questions.csv per question
    python -m nndl.teach feedback [ch01 ...]                     # HTML feedback, hidden tests removed
    python -m nndl.teach students class.csv                      # names and emails (columns id, name, email)
    python -m nndl.teach due ch01 "2027-03-01 23:59:00 UTC"      # due date; the late penalty is in the config
    python -m nndl.teach extend STUDENT ch01 2                   # two more days for one student
    python -m nndl.teach student-pack [--zip]                    # the course for students, without solutions
    python -m nndl.teach points                                  # points per notebook
    python -m nndl.teach hub environment|start|stop ...          # a class on one machine's JupyterHub

Each chapter notebook is one nbgrader assignment, ``ch01`` ... ``ch14``, in a
course folder (``--course``, default ``nndl-course``).  The modules:
``course`` (the folder, created once), ``sandbox`` (the grading kernel in
bubblewrap), ``settings`` (what the course's config applies), ``collect`` (zip_collect), ``autograde``
(each submission on its own), ``reports`` (grades, feedback, class list, due
dates), ``feedback`` and ``late`` (nbgrader plugins), ``pack`` (the student
pack), ``hub`` (JupyterHub for a class), ``grading`` (helpers the locked test cells use), ``judge`` (their comparisons, run
outside the student's Python), ``cli``.
"""
from nndl.teach.course import NOTEBOOKS, TeachError, chapters, points, release, setup_course, update_sources

__all__ = ["NOTEBOOKS", "TeachError", "chapters", "points", "release", "setup_course", "update_sources"]
