"""record_student: a student's results in one transaction, stored as separate records would be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from grader.errors import GradebookError
from grader.gradebook import Gradebook, LateRule
from grader.gradebook.connection import normalize_url
from grader.results import AssignmentResult, TestResult

from .conftest import MakeResult, count_rows

DEADLINE = datetime(2025, 3, 1, 23, 59, tzinfo=UTC)
RULES = {"softmax": LateRule(DEADLINE, 0.1)}
TABLES = ("students", "assignments", "submissions", "results", "test_results")


def stored(url: str, student: str) -> list[tuple[Any, ...]]:
    """Every column ``student``'s rows hold, ids and grading times left out, in a fixed order."""
    engine = sa.create_engine(normalize_url(url))
    query = """
        SELECT a.name, sub.content_hash, sub.files, sub.submitted_at, r.suite_hash, r.run_id,
               r.score, r.max_score, r.status, r.message, r.output, r.notebook, r.artifacts,
               r.duration, t.position, t.name, t.score, t.max_score, t.status, t.message,
               t.duration
        FROM students s
        JOIN submissions sub ON sub.student_id = s.id
        JOIN assignments a ON a.id = sub.assignment_id
        JOIN results r ON r.submission_id = sub.id
        LEFT JOIN test_results t ON t.result_id = r.id
        WHERE s.name = :student
        ORDER BY a.name, sub.content_hash, r.suite_hash, t.position
    """
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(query), {"student": student}).all()
    finally:
        engine.dispose()
    return [tuple(str(value) for value in row) for row in rows]


def counts(url: str) -> dict[str, int]:
    return {table: count_rows(url, table) for table in TABLES}


def three(make_result: MakeResult) -> list[AssignmentResult]:
    return [
        make_result("softmax", score=7.5),
        make_result("kfold", score=3.0, tests=[TestResult("test_folds", 3.0, 5.0, "failed", "m")]),
        make_result("jet_classifier", score=0.0, tests=[], notebook='{"cells": []}'),
    ]


def test_it_stores_what_one_record_per_result_stores(db_url: str, make_result: MakeResult) -> None:
    submitted = DEADLINE + timedelta(hours=30)
    with Gradebook(db_url) as book:
        run_id = book.start_run(submissions_dir="/subs", options={})
        book.record_student(
            "alice", three(make_result), submitted_at=submitted, run_id=run_id, late=RULES
        )
        for result in three(make_result):
            book.record(
                "bob", result, submitted_at=submitted, run_id=run_id,
                late=RULES.get(result.assignment),
            )
        alice, bob = book.students()
    assert [a.assignment for a in alice.assignments] == ["jet_classifier", "kfold", "softmax"]
    assert alice.assignments == bob.assignments
    assert alice.assignments[2].score == pytest.approx(7.5 * 0.8), "submitted_at was stored"
    assert stored(db_url, "alice") == stored(db_url, "bob")
    assert len(stored(db_url, "alice")) == 3 + 1 + 1, "a row per test, one for no tests"
    assert counts(db_url) == {
        "students": 2,
        "assignments": 3,
        "submissions": 6,
        "results": 6,
        "test_results": 8,
    }


def test_recording_a_student_twice_keeps_the_same_rows(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record_student("alice", three(make_result))
        first, rows, numbers = book.students(), stored(db_url, "alice"), counts(db_url)
        book.record_student("alice", three(make_result))
        assert book.students() == first
    assert stored(db_url, "alice") == rows
    assert counts(db_url) == numbers


def test_it_replaces_rows_by_the_same_rules_as_record(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record_student("alice", [make_result("softmax")], submitted_at=DEADLINE)
        # Same key: replaced, tests too, and no time keeps the stored one.
        book.record_student(
            "alice",
            [make_result("softmax", score=1.0, tests=[TestResult("t", 1.0, 10.0, "failed")])],
            late={"softmax": LateRule(DEADLINE - timedelta(days=1), 0.5)},
        )
        [alice] = book.students()
        assert alice.assignments[0].score == pytest.approx(0.5)
        assert [t.name for t in alice.assignments[0].tests] == ["t"]
        # A new suite adds a result, which is the grade from then on.
        book.record_student("alice", [make_result("softmax", suite_hash="suite-2", score=9.0)])
        assert book.students()[0].assignments[0].score == 9.0
    assert count_rows(db_url, "results") == 2
    assert count_rows(db_url, "test_results") == 1 + 3


def test_no_results_store_nothing(db_url: str) -> None:
    with Gradebook(db_url) as book:
        book.record_student("alice", [])
        assert book.students() == []
    assert count_rows(db_url, "students") == 0


def test_an_invalid_second_result_stores_none_of_the_call(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        with pytest.raises(ValueError, match="assignment name"):
            book.record_student("alice", [make_result("softmax"), make_result("")])
        assert book.students() == []
        assert counts(db_url) == dict.fromkeys(TABLES, 0), "the first result was rolled back"

        book.record("alice", make_result("softmax", score=1.0))
        before, rows = book.students(), stored(db_url, "alice")
        # The database refuses the second one (status is NOT NULL): the first is undone too.
        with pytest.raises(GradebookError, match="recording alice/kfold"):
            book.record_student(
                "alice",
                [
                    make_result("softmax", score=9.0, suite_hash="suite-2"),
                    make_result("kfold", status=None),
                ],
            )
        assert book.students() == before
        assert stored(db_url, "alice") == rows
    assert count_rows(db_url, "assignments") == 1, "kfold was rolled back"


def test_ids_from_a_rolled_back_call_are_not_reused(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        with pytest.raises(ValueError):
            book.record_student("alice", [make_result("softmax"), make_result("")])
        # SQLite hands the rolled-back ids out again: to bob and kfold here. A gradebook
        # that remembered alice's and softmax's ids would file the next write under bob.
        book.record("bob", make_result("kfold", score=2.0))
        book.record_student("alice", [make_result("softmax", score=8.0)])
        book.record_student("carol", [make_result("kfold", score=4.0)])
        students = book.students()
        assert book.cached("alice", "softmax", "sub-1", "suite-1") is not None
    assert [(s.student, [(a.assignment, a.score) for a in s.assignments]) for s in students] == [
        ("alice", [("softmax", 8.0)]),
        ("bob", [("kfold", 2.0)]),
        ("carol", [("kfold", 4.0)]),
    ]
    assert count_rows(db_url, "students") == 3
    assert count_rows(db_url, "assignments") == 2


def test_without_returning_the_rows_are_the_same(
    db_url: str, make_result: MakeResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite before 3.35 has no RETURNING: ids are then looked up by the row's key."""
    with Gradebook(db_url) as book:
        book.record_student("alice", three(make_result))
    with Gradebook(db_url) as book:
        monkeypatch.setattr(book._engine.dialect, "insert_returning", False)
        book.record_student("bob", three(make_result))
        book.record_student("bob", three(make_result))
        alice, bob = book.students()
    assert alice.assignments == bob.assignments
    assert stored(db_url, "alice") == stored(db_url, "bob")
    assert count_rows(db_url, "results") == 6
