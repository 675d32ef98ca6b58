"""Late penalties: started days, floor at zero, and where the submission time comes from
(the manifest ``submissions.csv``, nothing else)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader.effective import LateRule
from grader.errors import SubmissionError
from grader.grade.adjusted import penalty_note
from grader.gradebook import late_penalty
from grader.manifest import read_times

DEADLINE = datetime(2025, 3, 1, 23, 59, tzinfo=UTC)


def penalty(delay: timedelta, per_day: float = 0.1, score: float = 10.0) -> tuple[float, str]:
    return late_penalty(
        score, submitted_at=DEADLINE + delay, deadline=DEADLINE, penalty_per_day=per_day
    )


def test_on_time_and_exactly_at_the_deadline_cost_nothing() -> None:
    assert penalty(-timedelta(days=3)) == (10.0, "")
    assert penalty(timedelta(0)) == (10.0, "")


def test_every_started_day_counts() -> None:
    assert penalty(timedelta(seconds=1)) == (pytest.approx(9.0), "submitted 1 day late: -10%")
    assert penalty(timedelta(days=1)) == (pytest.approx(9.0), "submitted 1 day late: -10%")
    assert penalty(timedelta(days=1, seconds=1)) == (
        pytest.approx(8.0),
        "submitted 2 days late: -20%",
    )


def test_the_score_never_drops_below_zero() -> None:
    score, message = penalty(timedelta(days=15))
    assert score == 0.0
    assert message == "submitted 15 days late: -100%"


def test_no_deadline_or_no_time_means_no_penalty() -> None:
    assert late_penalty(7.0, submitted_at=None, deadline=DEADLINE, penalty_per_day=0.5) == (7.0, "")
    assert late_penalty(7.0, submitted_at=DEADLINE, deadline=None, penalty_per_day=0.5) == (7.0, "")


def test_a_zero_penalty_still_says_the_work_was_late() -> None:
    assert penalty(timedelta(days=2), per_day=0.0) == (
        10.0,
        "submitted 2 days late: no late penalty",
    )


def test_time_zones_are_compared_as_instants() -> None:
    deadline_in_berlin = datetime(2025, 3, 2, 0, 59, tzinfo=timezone(timedelta(hours=1)))
    assert late_penalty(
        10.0, submitted_at=DEADLINE, deadline=deadline_in_berlin, penalty_per_day=0.1
    ) == (10.0, "")


def test_a_percentage_instead_of_a_fraction_is_refused() -> None:
    with pytest.raises(ValueError, match="fraction"):
        penalty(timedelta(days=1), per_day=10.0)


def test_times_come_from_the_manifest_only(tmp_path: Path) -> None:
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "submitted_at").write_text("2020-01-01T00:00:00+00:00\n")
    assert read_times(tmp_path) is None, "a file in the student's folder sets no time"
    (tmp_path / "submissions.csv").write_text(
        "student,submitted_at,late,canvas_id\n"
        "ada,2025-03-01T22:00:00+01:00,false,17\n"
        "ben,,,18\n"
    )
    assert read_times(tmp_path) == {"ada": datetime(2025, 3, 1, 21, 0, tzinfo=UTC), "ben": None}


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("student,when\nada,2025-03-01T22:00:00+01:00\n", "no column submitted_at"),
        ("student,submitted_at\nada,last tuesday\n", r"line 2: 'last tuesday' is not an ISO"),
        ("student,submitted_at\nada,2025-03-01T22:00:00\n", "with a time zone"),
        ("student,submitted_at\nada,\nada,\n", "line 3: ada is listed twice"),
    ],
)
def test_a_broken_manifest_names_itself(tmp_path: Path, content: str, match: str) -> None:
    (tmp_path / "submissions.csv").write_text(content)
    with pytest.raises(SubmissionError, match=match) as caught:
        read_times(tmp_path)
    assert "submissions.csv" in str(caught.value)


def test_the_header_names_students_the_manifest_gives_no_time(tmp_path: Path) -> None:
    rules = {"softmax": LateRule(DEADLINE, 0.1)}
    assert "submissions.csv is missing" in penalty_note(tmp_path, None, rules, ["ada"])
    note = penalty_note(tmp_path, {"ada": DEADLINE, "ben": None}, rules, ["ada", "ben", "cy"])
    assert note.startswith("2 student(s) without a submission time") and "ben, cy" in note
    assert "no late penalty applied to them" in note
    assert penalty_note(tmp_path, {"ada": DEADLINE}, rules, ["ada"]) == ""
