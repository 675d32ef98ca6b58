"""The gradebook: every graded result, kept so a batch can resume and reports can be redrawn.

One row per (student, assignment, submission hash, suite hash): grading the same files with
the same suite again replaces that row instead of adding one, so a killed batch that is
started again converges on the same book. Each write is one transaction (``record_student``
writes all of a student's results in one); what was committed before a crash is all there,
what was not is not there at all. On SQLite the write-ahead log runs with
``synchronous=NORMAL`` (see :mod:`grader.gradebook.connection`): a killed grader loses no
commit, only an operating-system crash or a power cut may lose the last few.

Writing is on the coordinator's path while workers grade, so it is kept cheap: the write
statements (``statements``) are built once per gradebook with bound parameters, and student
and assignment ids are remembered once the transaction that found or created them has
committed (rows of those tables are never deleted, so a remembered id stays right). How a
stored row becomes a result again is the job of ``rows``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from grader.effective import GradeInputs, LateRule, effective
from grader.errors import GradebookError, GradebookNotFound
from grader.gradebook import schema
from grader.gradebook.connection import (
    DEFAULT_URL,
    create_engine,
    normalize_url,
    require_sqlite_file,
    safe_url,
    translate_errors,
)
from grader.gradebook.migrations import migrate
from grader.gradebook.records import RunRecord, SimilarityRecord
from grader.gradebook.rows import (
    EVIDENCE_COLUMNS,
    GRADER_FAILURE,
    RESULT_COLUMNS,
    RESULTS_JOIN,
    all_overrides,
    inputs,
    overrides_of,
    result_from_row,
    tests_of,
)
from grader.gradebook.statements import Writes, with_failure
from grader.gradebook.values import clean_json, clean_text
from grader.results import AssignmentResult, StudentResult

LateRules = Mapping[str, LateRule]
"""assignment -> the late rule its results are graded under."""

__all__ = ["GRADER_FAILURE", "Gradebook", "LateRules"]


def _now() -> datetime:
    return datetime.now(UTC)


class Gradebook:
    """A gradebook database: SQLite file by default, PostgreSQL by URL.

    Opening migrates the schema to the newest version. Use as a context manager, or call
    :meth:`close`. Every failure of the database surfaces as GradebookError.
    """

    def __init__(self, url: str = DEFAULT_URL, *, create: bool = True) -> None:
        """Open (with ``create``: make if needed) the gradebook at ``url``.

        Verbs that only read or amend grades pass ``create=False``: a mistyped ``--db``
        then fails before anything is written, instead of reading an empty new book.

        Raises:
            GradebookNotFound: ``create`` is False and there is no gradebook at ``url``.
            GradebookError: the database cannot be reached, migrated or read.
        """
        self.url = normalize_url(url)
        if not create:
            require_sqlite_file(self.url)
        with translate_errors(self.url, "opening the database"):
            self._engine = create_engine(self.url)
            try:
                migrate(self._engine, create=create)
            except GradebookNotFound as error:
                self._engine.dispose()
                raise GradebookNotFound(f"gradebook {safe_url(self.url)}: {error}") from error
            except GradebookError as error:
                self._engine.dispose()
                raise GradebookError(f"gradebook {safe_url(self.url)}: {error}") from error
            except BaseException:
                self._engine.dispose()
                raise
        postgres = self._engine.dialect.name == "postgresql"
        self._insert: Callable[[sa.Table], Any] = postgresql.insert if postgres else sqlite.insert
        # (table name, student or assignment name) -> id, for rows known to be committed.
        self._ids: dict[tuple[str, str], int] = {}

    def __repr__(self) -> str:
        return f"Gradebook({safe_url(self.url)!r})"

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection; the gradebook cannot be used afterwards."""
        self._engine.dispose()

    @contextmanager
    def _transaction(self, action: str) -> Iterator[sa.Connection]:
        with translate_errors(self.url, action), self._engine.begin() as connection:
            yield connection

    # -- writing ---------------------------------------------------------------------------

    @cached_property
    def _writes(self) -> Writes:
        return Writes(self._insert, returning=bool(self._engine.dialect.insert_returning))

    @contextmanager
    def _writing(self, action: str) -> Iterator[tuple[sa.Connection, dict[tuple[str, str], int]]]:
        """A transaction, and where to put the ids it finds; they are kept once it commits.

        An id found or created inside a transaction that rolls back may not exist (or may
        later be given to another name), so it must not outlive that transaction.
        """
        found: dict[tuple[str, str], int] = {}
        with self._transaction(action) as connection:
            yield connection, found
        self._ids.update(found)

    def _id(
        self,
        connection: sa.Connection,
        table: sa.Table,
        name: str,
        found: dict[tuple[str, str], int],
    ) -> int:
        """The id of the student or assignment called ``name``, created if new."""
        if not name:
            raise ValueError(f"a {table.name[:-1]} name must not be empty")
        key = (table.name, name)
        known = self._ids.get(key)
        if known is None:
            known = found.get(key)
        if known is None:
            writes = self._writes
            connection.execute(writes.add_name[table.name], {"name": name})
            known = int(
                connection.execute(writes.find_name[table.name], {"name": name}).scalar_one()
            )
            found[key] = known
        return known

    def record(
        self,
        student: str,
        result: AssignmentResult,
        *,
        submitted_at: datetime | None = None,
        run_id: str | None = None,
        late: LateRule | None = None,
        refused: Mapping[str, str] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        """Store ``result`` for ``student``, replacing the row with the same key.

        The key is (student, assignment, submission hash, suite hash). A ``submitted_at``
        of None keeps the time stored before for the same submission. Record a cache hit
        again as well: that makes it the latest result, which matters when a student
        went back to an earlier submission, and it stores the ``late`` rule in force now
        (a deadline moved after grading changes the grade without a regrade).
        """
        rules = {result.assignment: late} if late is not None else None
        self.record_student(
            student, [result], submitted_at=submitted_at, run_id=run_id, late=rules,
            refused=refused, notes=notes,
        )

    def record_student(
        self,
        student: str,
        results: Iterable[AssignmentResult],
        *,
        submitted_at: datetime | None = None,
        run_id: str | None = None,
        late: LateRules | None = None,
        refused: Mapping[str, str] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        """Store each of ``results`` for ``student`` as :meth:`record` would, in one transaction.

        ``late`` gives each assignment's rule (none: no deadline). ``refused`` (entry -> reason)
        is what discovery did not read in the student's folder this time, ``notes`` (path ->
        what was done with it) what it took under another name or left out; the student read
        back carries the ones stored with the newest result.

        All of them are stored or, when one fails, none: the student's rows are as before
        the call. One transaction per student rather than per result saves a commit (and
        on SQLite a log sync) per assignment.

        Raises:
            ValueError: an empty student or assignment name.
            GradebookError: the database refused a write (an unknown run id, say).
        """
        results = list(results)
        if not results:
            return
        if len(results) == 1:
            action = f"recording {student}/{results[0].assignment}"
        else:
            action = f"recording {student}"
        with self._writing(action) as (connection, found):
            student_id = self._id(connection, schema.students, student, found)
            for result in results:
                rule = (late or {}).get(result.assignment)
                if len(results) == 1:
                    self._write(connection, student_id, result, found, submitted_at, run_id, rule,
                                refused, notes)
                    continue
                # Name the assignment whose write failed, not only the student.
                with translate_errors(self.url, f"recording {student}/{result.assignment}"):
                    self._write(connection, student_id, result, found, submitted_at, run_id, rule,
                                refused, notes)

    def _write(
        self,
        connection: sa.Connection,
        student_id: int,
        result: AssignmentResult,
        found: dict[tuple[str, str], int],
        submitted_at: datetime | None,
        run_id: str | None,
        late: LateRule | None,
        refused: Mapping[str, str] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        """One result's submission, result and test rows, inside the caller's transaction."""
        writes = self._writes
        assignment_id = self._id(connection, schema.assignments, result.assignment, found)
        submission_key = {
            "student_id": student_id,
            "assignment_id": assignment_id,
            "content_hash": result.submission_hash,
        }
        submission_id = writes.upsert(
            connection,
            writes.upsert_submission,
            writes.find_submission,
            {
                **submission_key,
                "files": clean_json(list(result.files)),
                "submitted_at": submitted_at,
            },
            submission_key,
        )
        result_key = {"submission_id": submission_id, "suite_hash": result.suite_hash}
        values: dict[str, Any] = {
            "run_id": run_id,
            "graded_at": _now(),
            "score": float(result.score),
            "max_score": float(result.max_score),
            "status": result.status,
            "message": clean_text(result.message),
            "output": clean_text(result.output),
            "notebook": clean_text(result.notebook) if result.notebook is not None else None,
            "artifacts": clean_json(with_failure(result)),
            "duration": float(result.duration),
            "late_deadline": late.deadline if late is not None else None,
            "late_per_day": float(late.penalty_per_day) if late is not None else 0.0,
            "cause": clean_text(result.cause),
            "refused": clean_json(dict(refused)) if refused else None,
            "notes": clean_json(dict(notes)) if notes else None,
        }
        result_id = writes.upsert(
            connection,
            writes.upsert_result,
            writes.find_result,
            {**result_key, **values},
            result_key,
        )
        connection.execute(writes.delete_tests, {"old_result_id": result_id})
        if result.tests:
            connection.execute(
                writes.insert_tests,
                [
                    {
                        "result_id": result_id,
                        "position": position,
                        "name": clean_text(test.name),
                        "score": float(test.score),
                        "max_score": float(test.max_score),
                        "status": test.status,
                        "message": clean_text(test.message),
                        "duration": float(test.duration),
                    }
                    for position, test in enumerate(result.tests)
                ],
            )

    def override(self, student: str, assignment: str, score: float, *, reason: str) -> None:
        """Set the score of ``student``'s ``assignment`` by hand, whatever later regrades say.

        Kept apart from results, so it survives regrading; replaces an earlier override.
        It shows once the assignment has a result: an override alone is not a grade.

        Raises:
            ValueError: a score that is not a finite number, or an empty reason.
        """
        if not math.isfinite(score):
            raise ValueError(f"an override score must be a finite number, got {score!r}")
        if not reason.strip():
            raise ValueError("an override needs a reason: students are shown it")
        with self._writing(f"overriding {student}/{assignment}") as (connection, found):
            student_id = self._id(connection, schema.students, student, found)
            assignment_id = self._id(connection, schema.assignments, assignment, found)
            insert = self._insert(schema.overrides).values(
                student_id=student_id,
                assignment_id=assignment_id,
                score=float(score),
                reason=clean_text(reason.strip()),
                created_at=_now(),
            )
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=["student_id", "assignment_id"],
                    set_={
                        "score": insert.excluded.score,
                        "reason": insert.excluded.reason,
                        "created_at": insert.excluded.created_at,
                    },
                )
            )

    def clear_override(self, student: str, assignment: str) -> bool:
        """Drop the override of ``student``'s ``assignment``; False when there was none."""
        ov, st, asg = schema.overrides, schema.students, schema.assignments
        student_id = sa.select(st.c.id).where(st.c.name == student).scalar_subquery()
        assignment_id = sa.select(asg.c.id).where(asg.c.name == assignment).scalar_subquery()
        with self._transaction(f"clearing the override of {student}/{assignment}") as connection:
            deleted = connection.execute(
                sa.delete(ov).where(
                    ov.c.student_id == student_id, ov.c.assignment_id == assignment_id
                )
            )
            return bool(deleted.rowcount)

    def start_run(self, *, submissions_dir: str, options: dict[str, Any]) -> str:
        """Note that a batch started; returns the run id to pass to record()."""
        run_id = uuid.uuid4().hex
        with self._transaction("starting a run") as connection:
            connection.execute(
                sa.insert(schema.runs).values(
                    id=run_id,
                    started_at=_now(),
                    submissions_dir=clean_text(str(submissions_dir)),
                    options=clean_json(options),
                )
            )
        return run_id

    def finish_run(self, run_id: str, *, seconds: float, graded: int, cached: int) -> None:
        """Note how the batch ended: its wall time and how many results it graded or reused."""
        runs = schema.runs
        with self._transaction(f"finishing run {run_id}") as connection:
            updated = connection.execute(
                sa.update(runs)
                .where(runs.c.id == run_id)
                .values(finished_at=_now(), seconds=float(seconds), graded=graded, cached=cached)
            )
            if not updated.rowcount:
                raise GradebookError(
                    f"gradebook {safe_url(self.url)}: there is no run {run_id!r} to finish; "
                    "pass the id start_run() returned"
                )

    def record_similarity(self, *, index: str | None, assignments: list[str], pairs: int,
                          flagged: int) -> None:
        """Note a ``grade similarity`` report, so the class summary can link its index."""
        with self._transaction("recording a similarity report") as connection:
            connection.execute(
                sa.insert(schema.similarity_reports).values(
                    written_at=_now(),
                    index_path=clean_text(index) if index is not None else None,
                    assignments=clean_json(assignments),
                    pairs=int(pairs),
                    flagged=int(flagged),
                )
            )

    # -- reading ---------------------------------------------------------------------------

    def cached(
        self, student: str, assignment: str, submission_hash: str, suite_hash: str
    ) -> AssignmentResult | None:
        """The stored result for exactly these files and this suite, as graded; else None.

        Late penalties and overrides are not applied: this is what grading produced.
        """
        query = (
            sa.select(*RESULT_COLUMNS, *EVIDENCE_COLUMNS)
            .select_from(
                RESULTS_JOIN.join(
                    schema.students, schema.submissions.c.student_id == schema.students.c.id
                )
            )
            .where(
                schema.students.c.name == student,
                schema.assignments.c.name == assignment,
                schema.submissions.c.content_hash == submission_hash,
                schema.results.c.suite_hash == suite_hash,
                # An error with a cause (a refused file, a failure of ours) is never a grade
                # to reuse: the student's fix, or ours, must be graded.
                schema.results.c.cause == "",
            )
        )
        action = f"looking up {student}/{assignment}"
        with translate_errors(self.url, action), self._engine.connect() as connection:
            row = connection.execute(query).one_or_none()
            if row is None or GRADER_FAILURE in (row.artifacts or {}):
                return None  # a failure of the grader's is graded again, never reused
            tests = tests_of(connection, [row.id])
        return result_from_row(row, tests.get(row.id, []), evidence=True)

    def student_names(self) -> list[str]:
        """The name of every student with a result, sorted: what reports and exports name
        files after, all at once, so no two files collide."""
        with translate_errors(self.url, "listing students"), self._engine.connect() as connection:
            return sorted(name for (_, name) in self._names(connection))

    def _names(self, connection: sa.Connection) -> list[Any]:
        return list(connection.execute(
            sa.select(schema.students.c.id, schema.students.c.name).where(
                sa.exists().where(
                    schema.submissions.c.student_id == schema.students.c.id,
                    schema.results.c.submission_id == schema.submissions.c.id,
                )
            )
        ).all())

    def students(self) -> list[StudentResult]:
        """The latest result per (student, assignment), as the student gets it.

        Each result is read through :func:`grader.effective.effective` with the late rule
        and submission time stored beside it and the student's overrides, so every output
        of one gradebook shows the same grade wherever it is read. Students come sorted by
        name, assignments by name.
        """
        return list(self.iter_students())

    def iter_students(self, *, evidence: bool = True) -> Iterator[StudentResult]:
        """Like :meth:`students`, one student at a time, so memory stays flat for any class.

        ``evidence=False`` leaves out output, notebooks and artifacts (exports and summaries
        do not need them); late and override notes are still added.
        """
        with translate_errors(self.url, "listing students"), self._engine.connect() as connection:
            names = self._names(connection)
        for student_id, name in sorted(names, key=lambda row: row.name):
            action = f"reading {name}"
            with translate_errors(self.url, action), self._engine.connect() as connection:
                student = self._student(connection, student_id, name, evidence)
            yield student

    def max_score(self, assignment: str) -> float | None:
        """The most points ``assignment``'s stored results are out of; None if never graded."""
        res, sub, asg = schema.results, schema.submissions, schema.assignments
        query = (
            sa.select(sa.func.max(res.c.max_score))
            .select_from(
                res.join(sub, res.c.submission_id == sub.c.id).join(
                    asg, sub.c.assignment_id == asg.c.id
                )
            )
            .where(asg.c.name == assignment)
        )
        with translate_errors(self.url, f"reading {assignment}"), self._engine.connect() as c:
            found = c.execute(query).scalar()
        return float(found) if found is not None else None

    def course(self) -> str | None:
        """The course folder the newest run graded against, as it recorded it; else None."""
        for run in reversed(self.runs()):
            course = run.options.get("course") if isinstance(run.options, dict) else None
            if course:
                return str(course)
        return None

    def grade_inputs(self, run_id: str) -> dict[tuple[str, str], GradeInputs]:
        """(student, assignment) -> what :func:`effective` needs, for each result of a run.

        One query for the whole run, so the grade verb shows the same adjusted grades as
        the reports read back later, without a read per student on the grading path.
        """
        res, sub, st, asg = schema.results, schema.submissions, schema.students, schema.assignments
        query = (
            sa.select(
                st.c.id.label("student_id"),
                st.c.name.label("student"),
                asg.c.name.label("assignment"),
                sub.c.submitted_at,
                res.c.late_deadline,
                res.c.late_per_day,
                res.c.previous_score,
            )
            .select_from(
                res.join(sub, res.c.submission_id == sub.c.id)
                .join(st, sub.c.student_id == st.c.id)
                .join(asg, sub.c.assignment_id == asg.c.id)
            )
            .where(res.c.run_id == run_id)
        )
        with translate_errors(self.url, f"reading run {run_id}"), self._engine.connect() as c:
            rows = c.execute(query).all()
            overrides = all_overrides(c)
        return {
            (row.student, row.assignment): inputs(
                row, overrides.get((row.student, row.assignment))
            )
            for row in rows
        }

    def _student(
        self,
        connection: sa.Connection,
        student_id: int,
        name: str,
        evidence: bool,
    ) -> StudentResult:
        res, sub = schema.results, schema.submissions
        candidates = connection.execute(
            sa.select(res.c.id, sub.c.assignment_id, res.c.graded_at)
            .select_from(res.join(sub, res.c.submission_id == sub.c.id))
            .where(sub.c.student_id == student_id)
        ).all()
        latest: dict[int, tuple[datetime, int]] = {}
        for result_id, assignment_id, graded_at in candidates:
            key = (graded_at, result_id)
            if assignment_id not in latest or key > latest[assignment_id]:
                latest[assignment_id] = key
        ids = [result_id for _, result_id in latest.values()]
        columns = RESULT_COLUMNS + (EVIDENCE_COLUMNS if evidence else ())
        rows = connection.execute(
            sa.select(*columns).select_from(RESULTS_JOIN).where(res.c.id.in_(ids))
        ).all()
        tests = tests_of(connection, ids)
        overrides = overrides_of(connection, student_id)
        assignments = []
        newest = max(rows, key=lambda r: (r.graded_at, r.id), default=None)
        for row in sorted(rows, key=lambda r: r.assignment):
            result = result_from_row(row, tests.get(row.id, []), evidence=evidence)
            assignments.append(effective(result, inputs(row, overrides.get(row.assignment))))
        refused = newest.refused if newest is not None and newest.refused else {}
        notes = newest.notes if newest is not None and newest.notes else {}
        return StudentResult(student=name, assignments=assignments,
                             refused={str(k): str(v) for k, v in dict(refused).items()},
                             notes={str(k): str(v) for k, v in dict(notes).items()})

    def latest_similarity(self) -> SimilarityRecord | None:
        """The newest similarity report noted here, if any."""
        table = schema.similarity_reports
        query = sa.select(table).order_by(table.c.written_at.desc(), table.c.id.desc()).limit(1)
        with (translate_errors(self.url, "reading the similarity report"),
              self._engine.connect() as connection):
            row = connection.execute(query).first()
        if row is None:
            return None
        return SimilarityRecord(written_at=row.written_at, index_path=row.index_path,
                                assignments=list(row.assignments), pairs=row.pairs,
                                flagged=row.flagged)

    def runs(self) -> list[RunRecord]:
        """Every grading batch, oldest first; unfinished ones were killed or still run."""
        runs = schema.runs
        with translate_errors(self.url, "listing runs"), self._engine.connect() as connection:
            rows = connection.execute(sa.select(runs).order_by(runs.c.started_at, runs.c.id)).all()
        return [
            RunRecord(
                id=row.id,
                started_at=row.started_at,
                submissions_dir=row.submissions_dir,
                options=row.options,
                finished_at=row.finished_at,
                seconds=row.seconds,
                graded=row.graded,
                cached=row.cached,
            )
            for row in rows
        ]


