"""``grade report``: every page redrawn from the gradebook, one student at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from grader.errors import GradebookError
from grader.gradebook import Gradebook, LateRule
from grader.report import main
from grader.results import StudentResult


@pytest.fixture
def db(tmp_path: Path, alice: StudentResult, bob: StudentResult) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        run_id = book.start_run(submissions_dir="subs", options={})
        for student in (alice, bob):
            for result in student.assignments:
                book.record(
                    student.student,
                    result,
                    run_id=run_id,
                    submitted_at=datetime(2025, 3, 3, tzinfo=UTC),
                )
        book.finish_run(run_id, seconds=42.0, graded=4, cached=0)
        book.override("bob", "softmax", 5.0, reason="the grading machine was overloaded")
    return url


def test_main_writes_every_student_and_the_summary(db: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    written = main(db=db, out=out)
    assert written == [out / "alice.html", out / "bob.html", out / "index.html"]
    bob = (out / "bob.html").read_text()
    assert "the grading machine was overloaded" in bob
    assert "Total score: <strong>5 / 50</strong>" in bob
    index = (out / "index.html").read_text()
    assert "42.0 s" in index
    assert "exp(1000) overflows" in (out / "alice.html").read_text()


def test_main_applies_the_late_rule_stored_with_each_result(
    db: str, tmp_path: Path, alice: StudentResult
) -> None:
    deadline = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(hours=1)
    with Gradebook(db) as book:
        book.record_student(
            "alice", alice.assignments, late={"jet_classifier": LateRule(deadline, 0.25)}
        )
    main(db=db, out=tmp_path)
    alice = (tmp_path / "alice.html").read_text()
    assert "submitted 2 days late: -50%" in alice
    assert "jet_classifier: 17.5 / 40" in alice


def test_main_streams_students_instead_of_loading_the_class(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def load_everything(*args: object, **kwargs: object) -> None:
        raise AssertionError("main() must not hold the whole class in memory")

    monkeypatch.setattr(Gradebook, "students", load_everything)
    assert len(main(db=db, out=tmp_path)) == 3


def test_main_reports_an_unusable_gradebook(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"\x00garbage" * 200)
    with pytest.raises(GradebookError, match=r"not\.db"):
        main(db=f"sqlite:///{bad}", out=tmp_path / "reports")
