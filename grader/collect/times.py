"""``--times FILE``: submission times from the platform, merged into the manifest.

None of the three platforms writes a time into its download, and a file's modification time
is whenever it was unpacked, so the times come from the platform's own record: a CSV with a
column naming the student (``lms_id``, ``login`` or ``student``: the first one present) and
``submitted_at`` (ISO 8601 with a time zone), and optionally ``late`` (true/false). Canvas's
submissions API (``user_id``, ``submitted_at``, ``late``) and Moodle's grading worksheet
("Last modified (submission)") give it after renaming the columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import ConfigError
from .model import Entry


@dataclass
class Times:
    key: str
    rows: dict[str, tuple[datetime | None, bool | None]]

    def apply(self, entry: Entry) -> None:
        wanted = {"lms_id": entry.lms_id, "login": entry.login, "student": entry.student}[self.key]
        found = self.rows.get(wanted.lower()) if wanted else None
        if found is None:
            return
        when, late = found
        if when is not None:
            entry.submitted_at = when
        if late is not None:
            entry.late = late


def read_times(path: Path | None) -> Times | None:
    """The times at ``path``; None without one.

    Raises:
        ConfigError: unreadable, no key column or no ``submitted_at``, or a bad time.
    """
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"--times {path}: cannot be read as UTF-8 text ({error})") from error
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    key = next((c for c in ("lms_id", "login", "student") if c in columns), None)
    if key is None or "submitted_at" not in columns:
        raise ConfigError(f"--times {path}: needs a column lms_id, login or student, and "
                          "submitted_at (ISO 8601 with a time zone)")
    rows: dict[str, tuple[datetime | None, bool | None]] = {}
    for row in reader:
        who = (row.get(key) or "").strip().lower()
        if not who:
            continue
        text_time = (row.get("submitted_at") or "").strip()
        when = None
        if text_time:
            try:
                when = datetime.fromisoformat(text_time)
            except ValueError:
                when = None
            if when is None or when.tzinfo is None:
                raise ConfigError(f"--times {path}, line {reader.line_num}: {text_time[:60]!r} "
                                  "is not ISO 8601 with a time zone (2025-03-01T23:59:00+01:00)")
        late_text = (row.get("late") or "").strip().lower()
        late = {"true": True, "false": False}.get(late_text)
        rows[who] = (when, late)
    return Times(key=key, rows=rows)
