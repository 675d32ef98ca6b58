"""The statements ``Gradebook.record_student`` runs, built once per gradebook.

Writing is on the coordinator's path while workers grade: each statement is built once with
bound parameters, and an upsert returns its row's id where the database can.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from grader.gradebook import schema
from grader.gradebook.rows import GRADER_FAILURE
from grader.results import AssignmentResult

_RESULT_VALUES = (
    "run_id",
    "graded_at",
    "score",
    "max_score",
    "status",
    "message",
    "output",
    "notebook",
    "artifacts",
    "duration",
    "late_deadline",
    "late_per_day",
    "cause",
    "refused",
    "notes",
)
"""The columns of a result row that a new grading of the same key replaces."""


class Writes:
    """The statements :meth:`Gradebook.record_student` runs, built once with bound parameters.

    Upserts return the row's id where the database can (``RETURNING``: PostgreSQL, SQLite
    3.35 and newer); otherwise a select by the row's key finds it.
    """

    def __init__(self, insert: Callable[[sa.Table], Any], *, returning: bool) -> None:
        sub, res, tests = schema.submissions, schema.results, schema.test_results
        self.returning = returning
        self.add_name = {
            table.name: insert(table).on_conflict_do_nothing(index_elements=["name"])
            for table in (schema.students, schema.assignments)
        }
        self.find_name = {
            table.name: sa.select(table.c.id).where(table.c.name == sa.bindparam("name"))
            for table in (schema.students, schema.assignments)
        }

        submission = insert(sub)
        self.upsert_submission = submission.on_conflict_do_update(
            index_elements=["student_id", "assignment_id", "content_hash"],
            set_={
                "files": submission.excluded.files,
                "submitted_at": sa.func.coalesce(
                    submission.excluded.submitted_at, sub.c.submitted_at
                ),
            },
        )
        self.find_submission = sa.select(sub.c.id).where(
            sub.c.student_id == sa.bindparam("student_id"),
            sub.c.assignment_id == sa.bindparam("assignment_id"),
            sub.c.content_hash == sa.bindparam("content_hash"),
        )

        result = insert(res)
        # A graded score that changes for the same files and suite is kept as the previous
        # one: the submission is nondeterministic. Failures (ours or a timeout) never count.
        changed = sa.and_(
            res.c.status == "graded",
            result.excluded.status == "graded",
            res.c.score != result.excluded.score,
        )
        self.upsert_result = result.on_conflict_do_update(
            index_elements=["submission_id", "suite_hash"],
            set_={
                **{key: result.excluded[key] for key in _RESULT_VALUES},
                "previous_score": sa.case((changed, res.c.score), else_=res.c.previous_score),
            },
        )
        self.find_result = sa.select(res.c.id).where(
            res.c.submission_id == sa.bindparam("submission_id"),
            res.c.suite_hash == sa.bindparam("suite_hash"),
        )
        if returning:
            self.upsert_submission = self.upsert_submission.returning(sub.c.id)
            self.upsert_result = self.upsert_result.returning(res.c.id)

        self.delete_tests = sa.delete(tests).where(
            tests.c.result_id == sa.bindparam("old_result_id")
        )
        self.insert_tests = sa.insert(tests)

    def upsert(
        self,
        connection: sa.Connection,
        upsert: Any,
        find: sa.Select[Any],
        values: dict[str, Any],
        key: dict[str, Any],
    ) -> int:
        """Insert or update one row with ``values``; its id."""
        done = connection.execute(upsert, values)
        if self.returning:
            return int(done.scalar_one())
        return int(connection.execute(find, key).scalar_one())


def with_failure(result: AssignmentResult) -> dict[str, Any]:
    """The artifacts as stored: a grader failure rides along under a key of its own."""
    if not result.grader_failure:
        return result.artifacts
    return {**result.artifacts, GRADER_FAILURE: result.grader_failure}
