"""Opening the gradebook database, and the one place where SQLAlchemy errors become ours.

Users type database URLs on the command line (``--db``), so the URL is forgiving: a bare
path means a SQLite file and ``postgresql://`` means psycopg 3, the driver the ``postgres``
extra installs (SQLAlchemy would otherwise look for psycopg2). Every failure below this
boundary is re-raised as :class:`~grader.errors.GradebookError` naming the URL, with the
password hidden, and what to try next.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url

from grader.errors import GradebookError, GradebookNotFound

DEFAULT_URL = "sqlite:///gradebook.db"
SUPPORTED_DIALECTS = ("sqlite", "postgresql")

_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@]*@")


def normalize_url(url: str) -> str:
    """Return the SQLAlchemy URL for what a user typed.

    A value without ``://`` is a SQLite file path; ``postgres://`` and ``postgresql://``
    select psycopg 3 explicitly.
    """
    url = url.strip()
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def safe_url(url: str) -> str:
    """The URL with its password replaced by ``***``, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return _PASSWORD_IN_URL.sub(r"\1***@", url)


def _hint(url: str, error: BaseException) -> str:
    """What the user can do about ``error``; the advice differs per backend."""
    sqlite = url.startswith("sqlite")
    if isinstance(error, ImportError):
        return "install the PostgreSQL driver: pip install 'grader[postgres]'"
    if isinstance(error, exc.ArgumentError | exc.NoSuchModuleError):
        return "use sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DATABASE"
    if isinstance(error, exc.IntegrityError):
        return "the data breaks a gradebook constraint (an unknown run id?)"
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        if sqlite:
            return (
                "check that the file's folder is writable and that no other program "
                "holds the database locked"
            )
        return "check that the server is running and the URL, user and password are right"
    if isinstance(error, exc.DatabaseError):
        return "is this database a grader gradebook? Pass another one with --db URL"
    return "pass another database with --db URL"


def _describe(error: BaseException) -> str:
    """The driver's own message without SQLAlchemy's echo of the statement and parameters.

    The parameters hold student output, which is long and hostile; the first lines of the
    driver's message say what went wrong.
    """
    inner = error.orig if isinstance(error, exc.DBAPIError) and error.orig else error
    text = str(inner).strip() or type(inner).__name__
    lines = [line for line in text.splitlines() if line.strip()][:3]
    return " ".join(lines)[:500]


@contextmanager
def translate_errors(url: str, action: str) -> Iterator[None]:
    """Re-raise SQLAlchemy and driver-import failures as GradebookError, once, here."""
    try:
        yield
    except GradebookError:
        raise
    except (exc.SQLAlchemyError, ImportError) as error:
        detail = _describe(error)
        password = _password(url)
        if password:
            detail = detail.replace(password, "***")
        raise GradebookError(
            f"gradebook {safe_url(url)}: {action} failed: {detail}. {_hint(url, error)}"
        ) from error


def _password(url: str) -> str | None:
    try:
        return make_url(url).password
    except exc.ArgumentError:
        return None


def _prepare_sqlite(engine: Engine) -> None:
    """Make SQLite transactions real and wait for locks instead of failing.

    Python's sqlite3 module begins transactions lazily and never around DDL, so a
    migration would not be atomic; taking over BEGIN makes every ``engine.begin()`` one
    transaction. ``sqlite_begin`` in a connection's execution options can ask for
    ``IMMEDIATE`` (the migration does, so two graders opening one new file do not race).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        # A write-ahead log survives a killed grader and commits without a full disk flush;
        # NORMAL sync cannot corrupt the file, it only risks the last commits on power loss.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (already normalized); creates a SQLite file's folder."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_DIALECTS:
        raise GradebookError(
            f"gradebook {safe_url(url)}: the {backend} database is not supported; "
            "use sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DATABASE"
        )
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise GradebookError(
                    f"gradebook {safe_url(url)}: cannot create the folder {folder}: "
                    f"{error.strerror}. Pass a writable location with --db URL"
                ) from error
        engine = sa.create_engine(url)
        _prepare_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def require_sqlite_file(url: str) -> None:
    """Refuse a SQLite URL whose file does not exist, before anything creates it."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        return  # create_engine names the bad URL
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = os.path.expanduser(database)
    if not os.path.isfile(path):
        raise GradebookNotFound(
            f"gradebook {safe_url(url)}: there is no file {path}; check the --db path "
            "(grading creates a gradebook: grade SUBMISSIONS_DIR --db URL)"
        )
