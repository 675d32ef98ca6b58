"""Who a student is in the LMS: ``lms_id`` and ``login``, from the ingest manifest or a roster.

The manifest ``SUBMISSIONS_DIR/submissions.csv`` that ``grade collect`` writes holds the
columns ``student,submitted_at,late,lms_id,login,files``; a roster CSV given by hand holds
``student,login,lms_id``. Both map a student folder's name to the ids an LMS matches on; an
empty cell is an id the file does not know, never a guess.

The manifest is read by ``grader.manifest.read_ids``; this module reads a roster.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grader.errors import ConfigError, SubmissionError

Ids = dict[str, dict[str, str]]
ID_COLUMNS = ("lms_id", "login")


def _read(path: Path, error: type[ConfigError] | type[SubmissionError], what: str) -> Ids:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    if "student" not in columns or not any(c in columns for c in ID_COLUMNS):
        raise error(f"{path}: {what} needs the columns student and lms_id or login "
                    f"(it has {', '.join(columns) or 'none'})")
    ids: Ids = {}
    for line, row in enumerate(reader, start=2):
        student = (row.get("student") or "").strip()
        if not student:
            continue
        if student in ids:
            raise error(f"{path}, line {line}: {student} is listed twice")
        ids[student] = {key: (row.get(key) or "").strip() for key in ID_COLUMNS}
    return ids


def read_roster(path: Path) -> Ids:
    """student -> {"lms_id", "login"} from a roster CSV ``student,login,lms_id``.

    Raises:
        ConfigError: the roster is missing, unreadable, lacks the columns or repeats a student.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"--roster {path}: no such file; give a CSV with the columns "
                          "student,login,lms_id")
    return _read(path, ConfigError, "a roster")
