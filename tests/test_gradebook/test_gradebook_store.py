"""The gradebook on SQLite and PostgreSQL: idempotent writes, cache keys, overrides, penalties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from grader.errors import GradebookError, GradebookNotFound
from grader.gradebook import Gradebook, LateRule
from grader.results import TestResult

from .conftest import MakeResult, count_rows

DEADLINE = datetime(2025, 3, 1, 23, 59, tzinfo=UTC)


def test_a_recorded_result_reads_back_whole(db_url: str, make_result: MakeResult) -> None:
    result = make_result(
        notebook='{"nbformat": 4, "cells": []}',
        artifacts={
            "metrics": {"accuracy": 0.75, "auc": {"g": 0.93}},
            "history": {"loss": [1, 0.5]},
        },
    )
    with Gradebook(db_url) as book:
        book.record("alice", result)
        [student] = book.students()
    assert student.student == "alice"
    assert student.assignments == [replace(result, raw_score=result.score)]
    assert [t.name for t in student.assignments[0].tests] == [t.name for t in result.tests]


def test_recording_the_same_key_twice_keeps_one_row(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result())
        first = book.students()
        book.record("alice", make_result())
        assert book.students() == first
    assert count_rows(db_url, "results") == 1
    assert count_rows(db_url, "submissions") == 1
    assert count_rows(db_url, "test_results") == 3
    assert count_rows(db_url, "students") == 1


def test_recording_again_replaces_the_stored_tests(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result())
        book.record(
            "alice",
            make_result(score=2.0, tests=[TestResult("test_only", 2.0, 10.0, "failed", "m")]),
        )
        [student] = book.students()
    [assignment] = student.assignments
    assert assignment.score == 2.0
    assert [t.name for t in assignment.tests] == ["test_only"]
    assert count_rows(db_url, "test_results") == 1


def test_cache_hits_only_on_the_exact_key(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(submission_hash="sub-1", suite_hash="suite-1"))
        hit = book.cached("alice", "softmax", "sub-1", "suite-1")
        assert hit == make_result(submission_hash="sub-1", suite_hash="suite-1")
        assert book.cached("alice", "softmax", "sub-1", "suite-2") is None
        assert book.cached("alice", "softmax", "sub-2", "suite-1") is None
        assert book.cached("bob", "softmax", "sub-1", "suite-1") is None
        assert book.cached("alice", "kfold", "sub-1", "suite-1") is None


def test_a_changed_suite_adds_a_result_and_the_newest_counts(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(suite_hash="suite-1", score=7.5))
        book.record("alice", make_result(suite_hash="suite-2", score=9.0))
        [student] = book.students()
        assert student.assignments[0].score == 9.0
        assert student.assignments[0].suite_hash == "suite-2"
        assert book.cached("alice", "softmax", "sub-1", "suite-1") is not None
    assert count_rows(db_url, "results") == 2


def test_the_latest_recorded_submission_is_the_grade(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(submission_hash="old", score=3.0))
        book.record("alice", make_result(submission_hash="new", score=8.0))
        assert book.students()[0].assignments[0].score == 8.0
        # The student went back to the old files: recording the cache hit makes it latest.
        book.record("alice", make_result(submission_hash="old", score=3.0))
        assert book.students()[0].assignments[0].score == 3.0


def test_students_are_sorted_with_assignments_sorted(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        for name in ["bob", "alice", "Zoe"]:
            book.record(name, make_result("softmax"))
            book.record(name, make_result("kfold"))
        students = book.students()
    assert [s.student for s in students] == ["Zoe", "alice", "bob"]
    assert [a.assignment for a in students[0].assignments] == ["kfold", "softmax"]


def test_an_override_replaces_the_score_and_survives_regrades(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(score=4.0))
        book.override("alice", "softmax", 9.5, reason="regrade request #12 accepted")
        book.record("alice", make_result(score=4.0))
        book.record("alice", make_result(submission_hash="sub-2", score=5.0))
        [student] = book.students()
        [assignment] = student.assignments
        assert assignment.score == 9.5
        assert "regrade request #12 accepted" in assignment.message
        [override] = assignment.adjustments
        assert override["kind"] == "override" and override["score"] == 9.5
        assert override["score_before"] == 5.0 and assignment.raw_score == 5.0
        assert student.score == 9.5
        # The cache keeps what grading said.
        assert book.cached("alice", "softmax", "sub-2", "suite-1").score == 5.0  # type: ignore[union-attr]

        book.override("alice", "softmax", 6.0, reason="second thoughts")
        assert book.students()[0].assignments[0].score == 6.0
        assert count_rows(db_url, "overrides") == 1

        book.override("ghost", "softmax", 10.0, reason="never handed anything in")
        assert [s.student for s in book.students()] == ["alice"], "an override alone is no grade"

        assert book.clear_override("alice", "softmax") is True
        assert book.clear_override("alice", "softmax") is False
        assert book.students()[0].assignments[0].score == 5.0


def test_an_override_needs_a_finite_score_and_a_reason(db_url: str) -> None:
    with Gradebook(db_url) as book:
        with pytest.raises(ValueError, match="finite"):
            book.override("alice", "softmax", math.nan, reason="typo")
        with pytest.raises(ValueError, match="reason"):
            book.override("alice", "softmax", 5.0, reason="  ")


def test_late_penalties_apply_on_reading(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        late = LateRule(DEADLINE, 0.1)
        book.record(
            "alice", make_result(score=10.0), submitted_at=DEADLINE + timedelta(hours=30), late=late
        )
        book.record(
            "bob", make_result(score=10.0), submitted_at=DEADLINE - timedelta(hours=1), late=late
        )
        book.record("carol", make_result(score=10.0), late=late)
        alice, bob, carol = book.students()
        assert alice.assignments[0].score == pytest.approx(8.0)
        assert alice.assignments[0].raw_score == 10.0
        assert "submitted 2 days late: -20%" in alice.assignments[0].message
        assert alice.assignments[0].adjustments[0]["days"] == 2
        assert bob.assignments[0].score == 10.0
        assert "late" not in bob.assignments[0].message
        assert carol.assignments[0].score == 10.0, "no submission time, no penalty"
        # Recorded again without a rule (the deadline was dropped): nothing is taken.
        book.record("alice", make_result(score=10.0))
        assert book.students()[0].assignments[0].score == 10.0
        book.record("alice", make_result(score=10.0), late=late)
        # The override is the last word, after the penalty.
        book.override("alice", "softmax", 9.0, reason="illness")
        late_alice = book.students()[0].assignments[0]
        assert late_alice.score == 9.0
        assert [a["kind"] for a in late_alice.adjustments] == ["late", "override"]
        assert late_alice.adjustments[1]["score_before"] == pytest.approx(8.0)


def test_a_rerecord_without_time_keeps_the_submission_time(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(score=10.0), submitted_at=DEADLINE + timedelta(days=1))
        book.record("alice", make_result(score=10.0), late=LateRule(DEADLINE, 0.5))
        [alice] = book.students()
    assert alice.assignments[0].score == pytest.approx(5.0)


def test_runs_are_started_and_finished(db_url: str, make_result: MakeResult) -> None:
    with Gradebook(db_url) as book:
        assert book.runs() == []
        run_id = book.start_run(submissions_dir="/course/subs", options={"jobs": 4})
        book.record("alice", make_result(), run_id=run_id)
        [unfinished] = book.runs()
        assert not unfinished.finished
        book.finish_run(run_id, seconds=12.5, graded=1, cached=0)
        [run] = book.runs()
    assert run.id == run_id
    assert run.finished and run.seconds == 12.5 and run.graded == 1 and run.cached == 0
    assert run.options == {"jobs": 4}
    assert run.submissions_dir == "/course/subs"
    assert run.started_at.tzinfo is not None


def test_finishing_an_unknown_run_is_a_gradebook_error(db_url: str) -> None:
    with Gradebook(db_url) as book, pytest.raises(GradebookError, match="no run"):
        book.finish_run("nope", seconds=1.0, graded=0, cached=0)


def test_recording_with_an_unknown_run_is_a_gradebook_error(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        with pytest.raises(GradebookError, match="recording alice/softmax"):
            book.record("alice", make_result(), run_id="not-a-run")
        assert book.students() == [], "the failed write left nothing behind"


def test_hostile_text_is_stored_on_every_backend(db_url: str, make_result: MakeResult) -> None:
    nasty = "nul\x00 surrogate\udcff <script>alert(1)</script> \x1b[31mred\x1b[0m"
    result = make_result(
        output=nasty,
        message=nasty,
        notebook=nasty,
        tests=[TestResult(nasty, 0.0, 1.0, "error", nasty)],
        artifacts={"metrics": {"auc": {"g": math.nan, "q": math.inf}}, "text": nasty},
    )
    with Gradebook(db_url) as book:
        book.record("alice", result)
        [assignment] = book.students()[0].assignments
    assert "\x00" not in assignment.output
    assert assignment.output.startswith("nul\ufffd surrogate\ufffd <script>")
    assert assignment.tests[0].message == assignment.output
    assert assignment.artifacts["metrics"]["auc"] == {"g": None, "q": None}


def test_an_empty_gradebook_has_no_students(db_url: str) -> None:
    with Gradebook(db_url) as book:
        assert book.students() == []
        assert list(book.iter_students()) == []


def test_iter_students_without_evidence_drops_only_the_heavy_fields(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(notebook="{}", output="lots"))
        book.override("alice", "softmax", 1.0, reason="r")
        [light] = list(book.iter_students(evidence=False))
    [assignment] = light.assignments
    assert assignment.output == "" and assignment.notebook is None
    assert assignment.artifacts == {}
    assert [a["kind"] for a in assignment.adjustments] == ["override"]
    assert assignment.score == 1.0 and len(assignment.tests) == 3


def test_a_reading_verb_never_creates_a_gradebook(db_url: str) -> None:
    with pytest.raises(GradebookNotFound, match="no"):
        Gradebook(db_url, create=False)
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists()
    else:
        engine = sa.create_engine(db_url)
        try:
            assert sa.inspect(engine).get_table_names() == [], "nothing was created"
        finally:
            engine.dispose()
    with Gradebook(db_url):
        pass
    with Gradebook(db_url, create=False) as book:
        assert book.students() == []


def test_a_regrade_with_another_score_keeps_the_previous_one(
    db_url: str, make_result: MakeResult
) -> None:
    with Gradebook(db_url) as book:
        book.record("alice", make_result(score=4.0))
        book.record("alice", make_result(score=4.0))
        assert book.students()[0].assignments[0].nondeterministic is None
        book.record("alice", make_result(score=6.0))
        [result] = book.students()[0].assignments
        assert result.score == 6.0, "the newer score counts"
        assert result.nondeterministic == {"previous_score": 4.0, "score": 6.0}
        # Failures are not scores: an error or timeout never flags, nor is flagged against.
        book.record("bob", make_result(score=4.0))
        book.record("bob", make_result(score=0.0, status="error"))
        book.record("bob", make_result(score=4.0))
        assert book.students()[1].assignments[0].nondeterministic is None
