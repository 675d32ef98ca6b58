"""Late penalties: started days, floor at zero, and where the submission time comes from."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader.errors import SubmissionError
from grader.gradebook import late_penalty, submission_time

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


def test_the_submitted_at_file_wins_over_modification_times(tmp_path: Path) -> None:
    (tmp_path / "softmax.py").write_text("x = 1\n")
    (tmp_path / "submitted_at").write_text("2025-03-01T22:00:00+01:00\n")
    assert submission_time(tmp_path) == datetime(2025, 3, 1, 21, 0, tzinfo=UTC)


def test_without_the_file_the_newest_handed_in_file_counts(tmp_path: Path) -> None:
    old, new = tmp_path / "softmax.py", tmp_path / "nested" / "kfold.py"
    new.parent.mkdir()
    old.write_text("a")
    new.write_text("b")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_500, 1_700_000_500))
    cache = tmp_path / "__pycache__" / "softmax.pyc"
    cache.parent.mkdir()
    cache.write_text("later, written by a tool")
    hidden = tmp_path / ".DS_Store"
    hidden.write_text("later too")
    assert submission_time(tmp_path) == datetime.fromtimestamp(1_700_000_500, tz=UTC)


def test_an_empty_folder_uses_its_own_time(tmp_path: Path) -> None:
    os.utime(tmp_path, (1_600_000_000, 1_600_000_000))
    assert submission_time(tmp_path) == datetime.fromtimestamp(1_600_000_000, tz=UTC)


def test_a_broken_submitted_at_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "submitted_at").write_text("last tuesday")
    with pytest.raises(SubmissionError, match=r"submitted_at.*ISO 8601"):
        submission_time(tmp_path)
