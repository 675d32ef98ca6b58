"""Submission times from the manifest ``SUBMISSIONS_DIR/submissions.csv``.

The manifest is the one source of submission times (``DESIGN.md``): an LMS export knows
when work was handed in, a copied folder does not (copying resets modification times), and
nothing inside a student's folder may set its own time. Columns: ``student``,
``submitted_at`` (ISO 8601 with a time zone, or empty when unknown), then any others
(``late``, LMS ids), which this reader leaves alone.

Without a manifest no submission has a time, so no late penalty applies; the grade verb
says so in the run's header.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from grader.errors import SubmissionError

MANIFEST = "submissions.csv"


def manifest_path(submissions_dir: Path) -> Path:
    return Path(submissions_dir) / MANIFEST


def read_times(submissions_dir: Path) -> dict[str, datetime | None] | None:
    """student -> submission time (aware), from the manifest; None without a manifest.

    Raises:
        SubmissionError: the manifest lacks the ``student`` or ``submitted_at`` column,
            names a student twice, or holds a time that is not ISO 8601 with a zone.
    """
    path = manifest_path(submissions_dir)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SubmissionError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    missing = [c for c in ("student", "submitted_at") if c not in columns]
    if missing:
        raise SubmissionError(
            f"{path}: no column {', '.join(missing)}; the manifest needs the columns "
            "student,submitted_at (ISO 8601 with a time zone, or empty)"
        )
    times: dict[str, datetime | None] = {}
    for line, row in enumerate(reader, start=2):
        student = (row.get("student") or "").strip()
        if not student:
            continue
        if student in times:
            raise SubmissionError(f"{path}, line {line}: {student} is listed twice")
        times[student] = _parse(path, line, (row.get("submitted_at") or "").strip())
    return times


def _parse(path: Path, line: int, text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise SubmissionError(
            f"{path}, line {line}: {text[:60]!r} is not an ISO 8601 time with a time zone, "
            "such as 2025-03-01T23:59:00+01:00"
        )
    return value
