"""``grade report``: draw every page again from the gradebook, without regrading.

Students are read and rendered one at a time and only the summary's numbers are kept,
so memory stays flat however large the class is.
"""

from __future__ import annotations

from pathlib import Path

from grader.gradebook import DEFAULT_URL, Deadlines, Gradebook, RunRecord
from grader.naming import PageNames
from grader.report.student import render_student
from grader.report.summary import ClassSummary, write_summary


def grading_seconds(runs: list[RunRecord]) -> float | None:
    """Wall time of the newest finished run: how long grading the class took last time."""
    finished = [run for run in runs if run.finished and run.seconds is not None]
    return finished[-1].seconds if finished else None


def main(
    *,
    db: str = DEFAULT_URL,
    out: Path = Path("reports"),
    deadlines: Deadlines | None = None,
) -> list[Path]:
    """Render a page per student and the class summary from the gradebook at ``db``.

    Args:
        db: gradebook URL (``sqlite:///PATH`` or ``postgresql://...``).
        out: folder for ``<student>.html`` pages and ``index.html``; created if needed.
        deadlines: assignment -> (deadline, penalty per day), for late penalties, as
            the assignment configs give them; without it no penalty is applied.

    Returns:
        The pages written, students first and ``index.html`` last.

    Raises:
        GradebookError: the gradebook cannot be opened or read.
    """
    out = Path(out)
    summary = ClassSummary()
    written: list[Path] = []
    with Gradebook(db) as gradebook:
        names = PageNames(gradebook.student_names())
        for student in gradebook.iter_students(deadlines=deadlines):
            written.append(render_student(student, out, names=names))
            summary.add(student)
        seconds = grading_seconds(gradebook.runs())
        similarity = gradebook.latest_similarity()
    written.append(write_summary(summary, out, grading_seconds=seconds, similarity=similarity,
                                 names=names))
    return written
