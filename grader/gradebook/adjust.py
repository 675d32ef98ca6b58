"""Turning a stored result into the grade a student gets: late penalty, then override.

Both are applied on reading, to a copy, so the stored result stays what the suite said.
The order is fixed: the penalty follows the rules, the instructor's override is the last
word. Each adjustment leaves a line in ``message`` (what the student reads) and an entry in
``artifacts`` (what reports and exports can use without parsing text).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from grader.gradebook.late import days_late, late_penalty
from grader.gradebook.records import Override
from grader.results import AssignmentResult


def _append(message: str, line: str) -> str:
    return f"{message}\n{line}" if message else line


def apply_late_penalty(
    result: AssignmentResult,
    *,
    submitted_at: datetime | None,
    deadline: datetime | None,
    penalty_per_day: float,
) -> AssignmentResult:
    """``result`` with the late penalty taken and explained; unchanged when on time."""
    score, note = late_penalty(
        result.score,
        submitted_at=submitted_at,
        deadline=deadline,
        penalty_per_day=penalty_per_day,
    )
    if not note or submitted_at is None or deadline is None:
        return result
    artifacts = dict(result.artifacts)
    artifacts["late"] = {
        "days": days_late(submitted_at, deadline),
        "penalty_per_day": penalty_per_day,
        "score_before": result.score,
        "submitted_at": submitted_at.isoformat(),
        "deadline": deadline.isoformat(),
    }
    return replace(
        result, score=round(score, 6), message=_append(result.message, note), artifacts=artifacts
    )


def apply_override(result: AssignmentResult, override: Override | None) -> AssignmentResult:
    """``result`` with the instructor's score in place of the computed one."""
    if override is None:
        return result
    artifacts = dict(result.artifacts)
    artifacts["override"] = {
        "score": override.score,
        "reason": override.reason,
        "score_before": result.score,
        "created_at": override.created_at.isoformat(),
    }
    note = f"score set to {override.score:g} by the instructor (was {result.score:g}): "
    return replace(
        result,
        score=override.score,
        message=_append(result.message, note + override.reason),
        artifacts=artifacts,
    )
