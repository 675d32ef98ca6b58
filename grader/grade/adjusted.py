"""What a grading run shows: its results as the student gets them.

The terminal table, ``--json`` and ``--junit`` of a run must show what the reports and
exports read back from the gradebook later. With a gradebook, the inputs of
:func:`grader.effective.effective` are read back from it (the rule and time just stored,
the overrides, a previous differing score), one query for the run; without one, they are
the course's late rules and the manifest's times.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from grader.effective import GradeInputs, LateRule, effective_student
from grader.results import StudentResult


def adjusted(
    students: list[StudentResult],
    *,
    gradebook: Any,
    run_id: str | None,
    rules: Mapping[str, LateRule],
    times: Mapping[str, datetime | None] | None,
) -> list[StudentResult]:
    """``students`` with late penalties, overrides and nondeterminism flags applied."""
    if gradebook is not None and run_id is not None:
        stored = gradebook.grade_inputs(run_id)
        return [
            effective_student(
                s, {a.assignment: stored.get((s.student, a.assignment), GradeInputs())
                    for a in s.assignments},
            )
            for s in students
        ]
    return [
        effective_student(
            s,
            {
                a.assignment: GradeInputs(
                    submitted_at=(times or {}).get(s.student), late=rules.get(a.assignment)
                )
                for a in s.assignments
            },
        )
        for s in students
    ]


def penalty_note(submissions_dir: Any, times: Mapping[str, Any] | None,
                 rules: Mapping[str, LateRule], students: list[str] | None = None) -> str:
    """The header line saying whether late penalties could apply in this run; "" if so.

    Without a manifest no penalty applies to anyone; with one, none applies to a student
    it gives no time (``submitted_at`` empty, or not listed), and the line names them.
    """
    if not any(rule.deadline is not None for rule in rules.values()):
        return ""
    if times is None:
        return (f"no submission times ({submissions_dir}/submissions.csv is missing): "
                "no late penalty applied")
    untimed = [s for s in students or [] if times.get(s) is None]
    if untimed:
        shown = ", ".join(untimed[:5]) + (f" and {len(untimed) - 5} more" if len(untimed) > 5
                                          else "")
        return (f"{len(untimed)} student(s) without a submission time in "
                f"{submissions_dir}/submissions.csv ({shown}): no late penalty applied to them")
    return ""
