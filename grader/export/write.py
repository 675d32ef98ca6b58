"""``grade export``: write the gradebook out as CSV, Gradescope results.json or JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path

from grader.errors import ConfigError
from grader.export.csv_table import to_csv
from grader.export.gradescope import to_gradescope
from grader.export.junit import to_junit
from grader.gradebook import DEFAULT_URL, Deadlines, Gradebook
from grader.naming import PageNames

FORMATS = ("csv", "gradescope", "junit")


def main(
    *,
    fmt: str,
    db: str = DEFAULT_URL,
    out: Path = Path("exports"),
    deadlines: Deadlines | None = None,
) -> list[Path]:
    """Export the latest grades in the gradebook at ``db`` into the folder ``out``.

    Args:
        fmt: ``csv`` (``out/grades.csv``), ``gradescope`` (``out/<student>/results.json``)
            or ``junit`` (``out/junit.xml``).
        db: gradebook URL (``sqlite:///PATH`` or ``postgresql://...``).
        out: folder for the files; created if needed.
        deadlines: assignment -> (deadline, penalty per day) for late penalties; without
            it none are applied.

    Returns:
        The files written.

    Raises:
        ConfigError: an unknown format.
        GradebookError: the gradebook cannot be opened or read.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with Gradebook(db) as gradebook:
        students = gradebook.iter_students(deadlines=deadlines, evidence=fmt == "junit")
        if fmt == "csv":
            return [to_csv(students, out / "grades.csv")]
        if fmt == "junit":
            path = out / "junit.xml"
            path.write_text(to_junit(students), encoding="utf-8")
            return [path]
        written = []
        names = PageNames(gradebook.student_names())
        for student in students:
            path = out / names.stem(student.student) / "results.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(to_gradescope(student), indent=2) + "\n", encoding="utf-8")
            written.append(path)
        return written
