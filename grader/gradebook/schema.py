"""The gradebook's tables as SQLAlchemy Core objects, for building queries.

The tables are *created* by the versioned SQL in :mod:`grader.gradebook.migrations`, not by
``metadata.create_all``: a database that exists keeps the shape its migrations gave it, and
these definitions must describe the newest one. Keep the two in step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timestamps that come back timezone-aware in UTC from SQLite and PostgreSQL alike.

    SQLite keeps no zone, PostgreSQL converts to the session's; normalising on the way in
    and out means deadlines compare the same on both backends.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return as_utc(value) if value.tzinfo else value.replace(tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is read as local time, as a person typed it."""
    return value.astimezone(UTC)


JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)

students = sa.Table(
    "students",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("student_id", sa.BigInteger, sa.ForeignKey("students.id"), nullable=False),
    sa.Column("assignment_id", sa.BigInteger, sa.ForeignKey("assignments.id"), nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("files", JSONType, nullable=False),
    sa.Column("submitted_at", UTCDateTime),
    sa.UniqueConstraint("student_id", "assignment_id", "content_hash"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("submissions_dir", sa.Text, nullable=False),
    sa.Column("options", JSONType, nullable=False),
    sa.Column("seconds", sa.Float),
    sa.Column("graded", sa.Integer),
    sa.Column("cached", sa.Integer),
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("submission_id", sa.BigInteger, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("suite_hash", sa.Text, nullable=False),
    sa.Column("run_id", sa.Text, sa.ForeignKey("runs.id")),
    sa.Column("graded_at", UTCDateTime, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("output", sa.Text, nullable=False),
    sa.Column("notebook", sa.Text),
    sa.Column("artifacts", JSONType, nullable=False),
    sa.Column("duration", sa.Float, nullable=False),
    sa.Column("late_deadline", UTCDateTime),
    sa.Column("late_per_day", sa.Float, nullable=False, server_default="0"),
    sa.Column("previous_score", sa.Float),
    sa.Column("cause", sa.Text, nullable=False, server_default=""),
    sa.Column("refused", JSONType),
    sa.Column("notes", JSONType),
    sa.UniqueConstraint("submission_id", "suite_hash"),
)

test_results = sa.Table(
    "test_results",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column(
        "result_id",
        sa.BigInteger,
        sa.ForeignKey("results.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("duration", sa.Float, nullable=False),
    sa.UniqueConstraint("result_id", "position"),
)

overrides = sa.Table(
    "overrides",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("student_id", sa.BigInteger, sa.ForeignKey("students.id"), nullable=False),
    sa.Column("assignment_id", sa.BigInteger, sa.ForeignKey("assignments.id"), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("student_id", "assignment_id"),
)

similarity_reports = sa.Table(
    "similarity_reports",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("written_at", UTCDateTime, nullable=False),
    sa.Column("index_path", sa.Text),
    sa.Column("assignments", JSONType, nullable=False),
    sa.Column("pairs", sa.Integer, nullable=False),
    sa.Column("flagged", sa.Integer, nullable=False),
)
