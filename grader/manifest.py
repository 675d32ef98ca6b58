"""The manifest ``SUBMISSIONS_DIR/submissions.csv``: submission times and LMS ids.

The manifest is the one source of submission times (``DESIGN.md``): an LMS export knows
when work was handed in, a copied folder does not (copying resets modification times), and
nothing inside a student's folder may set its own time. Its columns, in this order, are
:data:`COLUMNS`: ``student``, ``submitted_at`` (ISO 8601 with a time zone, or empty when
unknown), ``late`` (``true``/``false``, or empty when unknown), ``lms_id`` (the platform's
id for the student), ``login`` (a GitHub login, say) and ``files`` (the original names of
what was handed in, joined by ``;``). ``grade collect`` writes all six; a manifest written
by hand needs only ``student`` and ``submitted_at``, and may carry more columns, which the
readers leave alone.

Without a manifest no submission has a time, so no late penalty applies; the grade verb
says so in the run's header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.errors import SubmissionError

MANIFEST = "submissions.csv"
COLUMNS = ("student", "submitted_at", "late", "lms_id", "login", "files")
"""The manifest's columns as ``grade collect`` writes them (agreed across the project)."""
FILES_SEPARATOR = ";"


@dataclass
class ManifestRow:
    """One student's line of the manifest."""

    student: str
    submitted_at: datetime | None = None
    late: bool | None = None
    lms_id: str = ""
    login: str = ""
    files: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The row as the CSV's text cells, in :data:`COLUMNS` order."""
        return [
            self.student,
            self.submitted_at.isoformat() if self.submitted_at is not None else "",
            "" if self.late is None else str(self.late).lower(),
            self.lms_id,
            self.login,
            FILES_SEPARATOR.join(self.files),
        ]


def manifest_path(submissions_dir: Path) -> Path:
    return Path(submissions_dir) / MANIFEST


def manifest_text(rows: Iterable[ManifestRow]) -> str:
    """The manifest's CSV text, sorted by student, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.student):
        writer.writerow(row.cells())
    return buffer.getvalue()


def read_times(submissions_dir: Path) -> dict[str, datetime | None] | None:
    """student -> submission time (aware), from the manifest; None without a manifest.

    Raises:
        SubmissionError: the manifest lacks the ``student`` or ``submitted_at`` column,
            names a student twice, or holds a time that is not ISO 8601 with a zone.
    """
    rows = _rows(submissions_dir, required=("student", "submitted_at"))
    if rows is None:
        return None
    path = manifest_path(submissions_dir)
    return {student: _parse(path, line, (row.get("submitted_at") or "").strip())
            for student, (line, row) in rows.items()}


def read_ids(submissions_dir: Path) -> dict[str, dict[str, str]]:
    """student -> ``{"lms_id": ..., "login": ...}`` from the manifest; {} without one.

    A manifest without the ``lms_id`` or ``login`` column (one written by hand) gives ""
    for it, so a consumer (an export back to the LMS) can say which students it cannot map.

    Raises:
        SubmissionError: the manifest lacks the ``student`` column or names a student twice.
    """
    rows = _rows(submissions_dir, required=("student",))
    if rows is None:
        return {}
    return {student: {"lms_id": (row.get("lms_id") or "").strip(),
                      "login": (row.get("login") or "").strip()}
            for student, (_, row) in rows.items()}


def _rows(submissions_dir: Path, *, required: tuple[str, ...]
          ) -> dict[str, tuple[int, dict[str, str]]] | None:
    """student -> (line number, row) of the manifest; None when there is no manifest."""
    path = manifest_path(submissions_dir)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SubmissionError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in required if c not in columns]
    if missing:
        raise SubmissionError(
            f"{path}: no column {', '.join(missing)}; the manifest needs the columns "
            "student,submitted_at (ISO 8601 with a time zone, or empty)"
        )
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for row in reader:
        line = reader.line_num
        student = (row.get("student") or "").strip()
        if not student:
            continue
        if student in rows:
            raise SubmissionError(f"{path}, line {line}: {student} is listed twice")
        rows[student] = (line, row)
    return rows


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
