"""Late submissions: when a folder was handed in, and what lateness costs.

The penalty is applied when grades are read, never stored into a result: a deadline
extended after grading then needs no regrade. Every started day counts (one minute late is
one day), because that is the rule students can check with a calendar.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader.errors import SubmissionError
from grader.gradebook.schema import as_utc

SUBMITTED_AT_FILE = "submitted_at"
_DAY = timedelta(days=1)


def days_late(submitted_at: datetime, deadline: datetime) -> int:
    """Started days between the deadline and the submission; 0 when on time."""
    delay = as_utc(submitted_at) - as_utc(deadline)
    if delay <= timedelta(0):
        return 0
    return math.ceil(delay / _DAY)


def late_penalty(
    score: float,
    *,
    submitted_at: datetime | None,
    deadline: datetime | None,
    penalty_per_day: float,
) -> tuple[float, str]:
    """The score after the late penalty, and a message saying why (empty when on time).

    ``penalty_per_day`` is a fraction of the score per started day (0.1 takes 10%); the
    score never drops below 0. Without a deadline or a submission time nothing is taken.
    Naive datetimes are read as local time.

    Raises:
        ValueError: ``penalty_per_day`` outside [0, 1], most likely a percentage given
            where a fraction is expected.
    """
    if not 0.0 <= penalty_per_day <= 1.0:
        raise ValueError(
            f"penalty_per_day must be a fraction between 0 and 1 (0.1 = 10% per day), "
            f"got {penalty_per_day!r}"
        )
    if submitted_at is None or deadline is None:
        return score, ""
    days = days_late(submitted_at, deadline)
    if days == 0:
        return score, ""
    late = f"submitted {days} day{'s' if days != 1 else ''} late"
    if penalty_per_day == 0:
        return score, f"{late}: no late penalty"
    fraction = min(1.0, days * penalty_per_day)
    percent = round(fraction * 100, 2)
    return max(0.0, score * (1.0 - fraction)), f"{late}: -{percent:g}%"


def submission_time(folder: Path) -> datetime:
    """When the student handed ``folder`` in, as an aware UTC datetime.

    A ``submitted_at`` file (ISO 8601, as an LMS export can write it) wins, because copying
    folders resets modification times; otherwise the newest modification time of the files
    in the folder (hidden files and ``__pycache__`` ignored), else the folder's own.

    Raises:
        SubmissionError: the ``submitted_at`` file is not an ISO 8601 timestamp.
    """
    stamp = folder / SUBMITTED_AT_FILE
    if stamp.is_file():
        text = stamp.read_text(encoding="utf-8", errors="replace").strip()
        try:
            return as_utc(datetime.fromisoformat(text))
        except ValueError as error:
            raise SubmissionError(
                f"{stamp}: {text[:60]!r} is not an ISO 8601 time such as 2025-03-01T23:59:00+01:00"
            ) from error
    times = [path.stat().st_mtime for path in _handed_in_files(folder)]
    newest = max(times) if times else folder.stat().st_mtime
    return datetime.fromtimestamp(newest, tz=UTC)


def _handed_in_files(folder: Path) -> list[Path]:
    """Files the student wrote, without hidden files and caches a tool left behind."""
    found = []
    for path in folder.rglob("*"):
        inside = path.relative_to(folder).parts
        if any(part.startswith(".") or part == "__pycache__" for part in inside):
            continue
        if path.is_file():
            found.append(path)
    return found
