"""Migrations and opening: empty databases, existing ones, newer ones, bad URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from grader.errors import GradebookError
from grader.gradebook import Gradebook
from grader.gradebook.connection import create_engine, normalize_url, safe_url
from grader.gradebook.migrations import LATEST_VERSION, MIGRATIONS, migrate

from .conftest import MakeResult, count_rows

TABLES = {
    "schema_version",
    "students",
    "assignments",
    "submissions",
    "runs",
    "results",
    "test_results",
    "overrides",
}


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(normalize_url(url))
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_opening_an_empty_database_creates_the_newest_schema(db_url: str) -> None:
    Gradebook(db_url).close()
    assert _tables(db_url) >= TABLES
    assert count_rows(db_url, "schema_version") == LATEST_VERSION


def test_reopening_keeps_the_data_and_migrates_nothing(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result())
        before = book.students()
    with Gradebook(db_url) as book:
        assert book.students() == before
    assert count_rows(db_url, "schema_version") == LATEST_VERSION


def test_a_new_step_is_applied_once_on_top_of_the_old_ones(db_url: str) -> None:
    Gradebook(db_url).close()
    steps = [*MIGRATIONS, ("CREATE TABLE later_addition (id INTEGER PRIMARY KEY)",)]
    engine = create_engine(normalize_url(db_url))
    try:
        assert migrate(engine, steps) == LATEST_VERSION + 1
        assert migrate(engine, steps) == LATEST_VERSION + 1
    finally:
        engine.dispose()
    assert "later_addition" in _tables(db_url)
    assert count_rows(db_url, "schema_version") == LATEST_VERSION + 1


def test_a_failing_step_leaves_the_version_where_it_was(db_url: str) -> None:
    Gradebook(db_url).close()
    steps = [*MIGRATIONS, ("CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL")]
    engine = create_engine(normalize_url(db_url))
    try:
        with pytest.raises(sa.exc.SQLAlchemyError):
            migrate(engine, steps)
    finally:
        engine.dispose()
    assert count_rows(db_url, "schema_version") == LATEST_VERSION
    assert "half_done" not in _tables(db_url), "the step's transaction was rolled back"


def test_a_database_from_a_newer_grader_is_refused(db_url: str) -> None:
    Gradebook(db_url).close()
    engine = sa.create_engine(normalize_url(db_url))
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01 00:00:00')"
        )
    engine.dispose()
    with pytest.raises(GradebookError, match="newer than this grader"):
        Gradebook(db_url)


def test_a_file_that_is_not_a_database_is_a_gradebook_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my lecture notes, not a database\n" * 100)
    with pytest.raises(GradebookError) as caught:
        Gradebook(f"sqlite:///{path}")
    assert str(path) in str(caught.value)
    assert "--db" in str(caught.value)


def test_a_bare_path_is_a_sqlite_file_and_its_folder_is_made(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "book.db"
    Gradebook(str(path)).close()
    assert path.is_file()


def test_an_unreachable_server_names_the_url_without_its_password() -> None:
    with pytest.raises(GradebookError) as caught:
        Gradebook("postgresql://teacher:s3cret-pw@127.0.0.1:1/grades")
    message = str(caught.value)
    assert "s3cret-pw" not in message
    assert "teacher:***@127.0.0.1:1/grades" in message
    assert "server is running" in message


def test_an_unsupported_database_is_refused_by_name() -> None:
    with pytest.raises(GradebookError, match="mysql"):
        Gradebook("mysql://root:pw@localhost/grades")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("grades/book.db", "sqlite:///grades/book.db"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_safe_url_hides_the_password() -> None:
    assert safe_url("postgresql+psycopg://u:pw@h/db") == "postgresql+psycopg://u:***@h/db"
