"""Fixtures of the gradebook tests: a fresh database per test on SQLite and on PostgreSQL.

The PostgreSQL case reads ``GRADER_TEST_POSTGRES_URL`` (a role that may create databases,
e.g. ``postgresql+psycopg://grader:grader@127.0.0.1/grader_test``) and creates and drops
its own database per test, so runs never see each other's rows. Without the variable it
is skipped on a laptop and fails under ``CI=true``: CI must not pass by skipping it.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from grader.gradebook.connection import normalize_url
from grader.results import AssignmentResult, TestResult

POSTGRES_ENV = "GRADER_TEST_POSTGRES_URL"


def postgres_admin_url() -> str:
    """The URL from the environment, or skip (locally) / fail (CI) with what to do."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return normalize_url(url)
    message = (
        f"{POSTGRES_ENV} is not set: start PostgreSQL and set it to a role that may create "
        "databases, e.g. postgresql+psycopg://grader:grader@127.0.0.1/grader_test"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {message}", pytrace=False)
    pytest.skip(message)


def fresh_postgres_database() -> Iterator[str]:
    """Create a database of its own for one test, yield its URL, drop it afterwards."""
    admin_url = postgres_admin_url()
    name = f"grader_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.SQLAlchemyError as error:
        admin.dispose()
        pytest.fail(
            f"cannot create a test database through {POSTGRES_ENV}: {error.__class__.__name__}: "
            f"{getattr(error, 'orig', error)}",
            pytrace=False,
        )
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            _drop(admin, name)
        finally:
            admin.dispose()


def _drop(admin: sa.Engine, name: str, attempts: int = 5) -> None:
    """Drop the test database. A role that is no superuser cannot end an autovacuum worker
    visiting it, so a refusal is retried once that worker is likely done."""
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (sa.exc.OperationalError, sa.exc.ProgrammingError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty gradebook database, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gradebook.db'}"
    else:
        yield from fresh_postgres_database()


def count_rows(url: str, table: str) -> int:
    """Rows in ``table``, counted behind the Gradebook's back."""
    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
    finally:
        engine.dispose()


MakeResult = Callable[..., AssignmentResult]


@pytest.fixture
def make_result() -> MakeResult:
    """A factory of graded results; keyword arguments override any field."""

    def make(assignment: str = "softmax", **fields: object) -> AssignmentResult:
        values: dict[str, object] = {
            "assignment": assignment,
            "score": 7.5,
            "max_score": 10.0,
            "status": "graded",
            "tests": [
                TestResult("test_shape", 2.0, 2.0, "passed", "", 0.01),
                TestResult(
                    "test_large_inputs_do_not_overflow",
                    0.0,
                    2.5,
                    "failed",
                    "exp(1000) overflows: subtract max(x) first",
                    0.02,
                ),
                TestResult("test_rows_sum_to_one", 5.5, 5.5, "passed", "", 0.03),
            ],
            "message": f"graded {assignment}.py",
            "files": [f"{assignment}.py"],
            "submission_hash": "sub-1",
            "suite_hash": "suite-1",
            "duration": 1.25,
            "output": "hello from the student\n",
            "notebook": None,
            "artifacts": {"metrics": {"accuracy": 0.75}},
        }
        values.update(fields)
        return AssignmentResult(**values)  # type: ignore[arg-type]

    return make
