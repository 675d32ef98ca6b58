"""``grade report``: draw every page again from the gradebook, without regrading.

Students are read and rendered one at a time and only the summary's numbers are kept,
so memory stays flat however large the class is. Grades are read as every output reads
them (:mod:`grader.effective`, with the rules stored in the gradebook), so the pages never
depend on the folder the command runs in.
"""

from __future__ import annotations

from pathlib import Path

from grader.course import Course
from grader.gradebook import DEFAULT_URL, Gradebook, RunRecord
from grader.naming import PageNames
from grader.outputs import writing
from grader.report.student import render_student
from grader.report.summary import ClassSummary, write_summary


def grading_seconds(runs: list[RunRecord]) -> float | None:
    """Wall time of the newest finished run: how long grading the class took last time."""
    finished = [run for run in runs if run.finished and run.seconds is not None]
    return finished[-1].seconds if finished else None


def main(
    *, db: str = DEFAULT_URL, out: Path = Path("reports"), course_dir: Path | None = None
) -> list[Path]:
    """Render a page per student and the class summary from the gradebook at ``db``.

    Args:
        db: gradebook URL (``sqlite:///PATH`` or ``postgresql://...``); it must exist.
        out: folder for ``<student>.html`` pages and ``index.html``; created if needed.
        course_dir: the course (default: as ``Course.find``); the gradebook must have been
            graded against it.

    Only the course's released assignments are shown and counted (``course.toml``).

    Returns:
        The pages written, students first and ``index.html`` last.

    Raises:
        ConfigError: no course, or the gradebook graded another one.
        GradebookNotFound: there is no gradebook at ``db`` (nothing is written).
        GradebookError: the gradebook cannot be opened or read.
        OutputError: ``out`` cannot be written.
    """
    out = Path(out)
    summary = ClassSummary()
    written: list[Path] = []
    course = Course.find(course_dir)
    with Gradebook(db, create=False) as gradebook, writing(out, "--out"):
        course.check_gradebook(gradebook.course(), db)
        names = PageNames(gradebook.student_names())
        released = course.released()
        for stored in gradebook.iter_students():
            student = course.only_released(stored, released)
            if not student.assignments:
                continue  # graded only on assignments not released yet
            written.append(render_student(student, out, names=names))
            summary.add(student)
        seconds = grading_seconds(gradebook.runs())
        similarity = gradebook.latest_similarity()
        written.append(write_summary(summary, out, grading_seconds=seconds,
                                     similarity=similarity, names=names))
    return written
