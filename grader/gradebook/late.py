"""Late submissions: what lateness costs (when a folder was handed in: grader.handed_in).

The penalty is applied when grades are read, never stored into a result: a deadline
extended after grading then needs no regrade. Every started day counts (one minute late is
one day), because that is the rule students can check with a calendar.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from grader.gradebook.schema import as_utc
from grader.handed_in import SUBMITTED_AT_FILE, submission_time

__all__ = ["SUBMITTED_AT_FILE", "days_late", "late_penalty", "submission_time"]
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
