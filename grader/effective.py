"""The grade a student gets: the one function every output reads.

A stored result holds what the suite said (the raw score). What the student gets also
depends on when the work was handed in (the late rule it was graded under) and on the
instructor (an override). Every output (the terminal table, ``--json``, ``--junit``, the
HTML pages, CSV and Gradescope exports) shows :func:`effective`'s answer and nothing
else, so two outputs of one gradebook never disagree.

The order is fixed: the late penalty follows the rules, then an override sets the final
score: what the instructor typed is what the student sees. Each adjustment leaves a line in
``message`` (what the student reads) and an entry in ``adjustments`` (what reports, exports
and scripts use without parsing text). The raw score stays beside the effective one.

This module is pure (no database, no course on disk), so the grade verb without a
gradebook and the gradebook's readers compute the same number from the same inputs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from grader.results import AssignmentResult, StudentResult

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class LateRule:
    """An assignment's deadline and what each started day after it costs.

    ``penalty_per_day`` is a fraction of the score (0.1 takes 10%). A rule is stored with
    every result it was graded under, so reading a grade needs no course on disk.
    """

    deadline: datetime | None = None
    penalty_per_day: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.penalty_per_day <= 1.0:
            raise ValueError(
                f"penalty_per_day must be a fraction between 0 and 1 (0.1 = 10% per day), "
                f"got {self.penalty_per_day!r}"
            )


@dataclass(frozen=True)
class Override:
    """An instructor's manual score for one student and assignment, and why."""

    score: float
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class GradeInputs:
    """Everything besides the stored result that decides what the student gets."""

    submitted_at: datetime | None = None
    late: LateRule | None = None
    override: Override | None = None
    previous_score: float | None = None
    """The score an earlier grading of the same files by the same suite gave, when it
    differed: the submission graded nondeterministically (the newer score counts)."""


NO_INPUTS = GradeInputs()


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is read as local time, as a person typed it."""
    return value.astimezone(UTC)


def days_late(submitted_at: datetime, deadline: datetime) -> int:
    """Started days between the deadline and the submission; 0 when on time.

    Every started day counts (one minute late is one day), because that is the rule
    students can check with a calendar.
    """
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

    The score never drops below 0. Without a deadline or a submission time nothing is
    taken.

    Raises:
        ValueError: ``penalty_per_day`` outside [0, 1], most likely a percentage given
            where a fraction is expected.
    """
    LateRule(deadline, penalty_per_day)  # validates the rate
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


def _append(message: str, line: str) -> str:
    return f"{message}\n{line}" if message else line


def effective(result: AssignmentResult, inputs: GradeInputs = NO_INPUTS) -> AssignmentResult:
    """``result`` as the student gets it: late penalty, then override, each explained.

    Returns a copy; ``raw_score`` keeps what the suite said. Applying it to a result that
    is already effective starts again from its raw score, so it is safe to call twice.
    """
    raw = result.raw_score if result.raw_score is not None else result.score
    score, message = raw, _strip_notes(result)
    adjustments: list[dict[str, Any]] = []
    late = inputs.late
    if late is not None and late.deadline is not None and inputs.submitted_at is not None:
        penalised, note = late_penalty(
            score,
            submitted_at=inputs.submitted_at,
            deadline=late.deadline,
            penalty_per_day=late.penalty_per_day,
        )
        if note:
            adjustments.append(
                {
                    "kind": "late",
                    "days": days_late(inputs.submitted_at, late.deadline),
                    "penalty_per_day": late.penalty_per_day,
                    "score_before": score,
                    "score": round(penalised, 6),
                    "submitted_at": as_utc(inputs.submitted_at).isoformat(),
                    "deadline": as_utc(late.deadline).isoformat(),
                    "note": note,
                }
            )
            score, message = round(penalised, 6), _append(message, note)
    override = inputs.override
    if override is not None:
        note = (
            f"score set to {override.score:g} by the instructor (was {score:g}): "
            f"{override.reason}"
        )
        adjustments.append(
            {
                "kind": "override",
                "score_before": score,
                "score": override.score,
                "reason": override.reason,
                "created_at": as_utc(override.created_at).isoformat(),
                "note": note,
            }
        )
        score, message = override.score, _append(message, note)
    nondeterministic = None
    if inputs.previous_score is not None and inputs.previous_score != raw:
        nondeterministic = {"previous_score": inputs.previous_score, "score": raw}
    return replace(
        result,
        score=score,
        raw_score=raw,
        message=message,
        adjustments=adjustments,
        nondeterministic=nondeterministic,
    )


def _strip_notes(result: AssignmentResult) -> str:
    """The suite's own message, without the notes an earlier :func:`effective` added."""
    message = result.message
    for adjustment in reversed(result.adjustments):
        note = str(adjustment.get("note", ""))
        if message.endswith(note):
            message = message[: len(message) - len(note)].rstrip("\n")
    return message


def effective_student(
    student: StudentResult, inputs: Mapping[str, GradeInputs]
) -> StudentResult:
    """``student`` with :func:`effective` applied to each assignment (by name)."""
    return replace(
        student,
        assignments=[
            effective(result, inputs.get(result.assignment, NO_INPUTS))
            for result in student.assignments
        ],
    )
