"""Reading the gradebook back: the columns a result is drawn from and the rows made results.

``Gradebook`` asks the questions (which rows, which student); this module says how a stored
row becomes an ``AssignmentResult``, its tests, its overrides and the inputs of its
effective grade (``grader.effective``), so every reader builds them the same way.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from grader.effective import GradeInputs, LateRule, Override
from grader.gradebook import schema
from grader.results import AssignmentResult, TestResult

GRADER_FAILURE = "grader_failure"
"""The artifacts key that stores ``AssignmentResult.grader_failure`` (read with the evidence)."""

RESULT_COLUMNS = (
    schema.results.c.id,
    schema.assignments.c.name.label("assignment"),
    schema.results.c.score,
    schema.results.c.max_score,
    schema.results.c.status,
    schema.results.c.message,
    schema.results.c.suite_hash,
    schema.results.c.duration,
    schema.results.c.cause,
    schema.results.c.refused,
    schema.results.c.notes,
    schema.results.c.graded_at,
    schema.submissions.c.content_hash,
    schema.submissions.c.files,
    schema.submissions.c.submitted_at,
    schema.results.c.late_deadline,
    schema.results.c.late_per_day,
    schema.results.c.previous_score,
)
EVIDENCE_COLUMNS = (
    schema.results.c.output,
    schema.results.c.notebook,
    schema.results.c.artifacts,
)
RESULTS_JOIN = schema.results.join(
    schema.submissions, schema.results.c.submission_id == schema.submissions.c.id
).join(schema.assignments, schema.submissions.c.assignment_id == schema.assignments.c.id)


def tests_of(connection: sa.Connection, result_ids: list[int]) -> dict[int, list[TestResult]]:
    table = schema.test_results
    found: dict[int, list[TestResult]] = {}
    if not result_ids:
        return found
    rows = connection.execute(
        sa.select(table)
        .where(table.c.result_id.in_(result_ids))
        .order_by(table.c.result_id, table.c.position)
    ).all()
    for row in rows:
        found.setdefault(row.result_id, []).append(
            TestResult(
                name=row.name,
                score=row.score,
                max_score=row.max_score,
                status=row.status,
                message=row.message,
                duration=row.duration,
            )
        )
    return found

def overrides_of(connection: sa.Connection, student_id: int) -> dict[str, Override]:
    ov, asg = schema.overrides, schema.assignments
    rows = connection.execute(
        sa.select(asg.c.name, ov.c.score, ov.c.reason, ov.c.created_at)
        .select_from(ov.join(asg, ov.c.assignment_id == asg.c.id))
        .where(ov.c.student_id == student_id)
    ).all()
    return {
        row.name: Override(score=row.score, reason=row.reason, created_at=row.created_at)
        for row in rows
    }


def all_overrides(connection: sa.Connection) -> dict[tuple[str, str], Override]:
    ov, st, asg = schema.overrides, schema.students, schema.assignments
    rows = connection.execute(
        sa.select(st.c.name.label("student"), asg.c.name.label("assignment"),
                  ov.c.score, ov.c.reason, ov.c.created_at)
        .select_from(
            ov.join(asg, ov.c.assignment_id == asg.c.id).join(st, ov.c.student_id == st.c.id)
        )
    ).all()
    return {
        (row.student, row.assignment): Override(
            score=row.score, reason=row.reason, created_at=row.created_at
        )
        for row in rows
    }


def inputs(row: Any, override: Override | None) -> GradeInputs:
    """The stored rule, time and previous score of a result row, with its override."""
    rule = LateRule(row.late_deadline, float(row.late_per_day or 0.0))
    return GradeInputs(
        submitted_at=row.submitted_at,
        late=rule if row.late_deadline is not None else None,
        override=override,
        previous_score=row.previous_score,
    )


def result_from_row(row: Any, tests: list[TestResult], *, evidence: bool) -> AssignmentResult:
    artifacts = dict(row.artifacts or {}) if evidence else {}
    failure = str(artifacts.pop(GRADER_FAILURE, ""))
    return AssignmentResult(
        assignment=row.assignment,
        score=row.score,
        max_score=row.max_score,
        status=row.status,
        tests=tests,
        message=row.message,
        files=list(row.files or []),
        submission_hash=row.content_hash,
        suite_hash=row.suite_hash,
        duration=row.duration,
        output=row.output if evidence else "",
        notebook=row.notebook if evidence else None,
        artifacts=artifacts,
        cause=row.cause or "",
        grader_failure=failure,
    )
