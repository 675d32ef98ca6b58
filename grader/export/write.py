"""``grade export``: write the gradebook out as CSV, Gradescope results.json or JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path

from grader.course import Course
from grader.errors import ConfigError
from grader.export.csv_table import to_csv
from grader.export.gradescope import to_gradescope
from grader.export.junit import to_junit
from grader.gradebook import DEFAULT_URL, Gradebook
from grader.naming import PageNames
from grader.outputs import write_text, writing

FORMATS = ("csv", "gradescope", "junit")


def main(
    *,
    fmt: str,
    db: str = DEFAULT_URL,
    out: Path = Path("exports"),
    course_dir: Path | None = None,
) -> list[Path]:
    """Export the latest grades in the gradebook at ``db`` into the folder ``out``.

    Args:
        fmt: ``csv`` (``out/grades.csv``), ``gradescope``
            (``out/<assignment>/<student>/results.json``) or ``junit`` (``out/junit.xml``).
        db: gradebook URL (``sqlite:///PATH`` or ``postgresql://...``); it must exist.
        out: folder for the files; created if needed.
        course_dir: the course (default: as ``Course.find``); the gradebook must have been
            graded against it.

    Only the course's released assignments are exported and counted (``course.toml``).
    Grades are read as every output reads them (:mod:`grader.effective`, late rules as
    stored with each result), wherever the command runs.

    Returns:
        The files written.

    Raises:
        ConfigError: an unknown format, no course, or the gradebook graded another one.
        GradebookNotFound: there is no gradebook at ``db`` (nothing is written).
        GradebookError: the gradebook cannot be opened or read.
        OutputError: ``out`` cannot be written.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out)
    course = Course.find(course_dir)
    with Gradebook(db, create=False) as gradebook:
        course.check_gradebook(gradebook.course(), db)
        released = course.released()
        students = (shown for s in gradebook.iter_students(evidence=fmt == "junit")
                    if (shown := course.only_released(s, released)).assignments)
        if fmt == "csv":
            with writing(out, "--out"):
                return [to_csv(students, out / "grades.csv")]
        if fmt == "junit":
            return [write_text(out / "junit.xml", to_junit(students), option="--out")]
        written = []
        names = PageNames(gradebook.student_names())
        for student in students:
            for result in student.assignments:
                path = out / result.assignment / names.stem(student.student) / "results.json"
                text = json.dumps(to_gradescope(result), indent=2) + "\n"
                written.append(write_text(path, text, option="--out"))
        return written
