"""``grade override``: a person types it, so every part is checked before anything is written.

Each refusal is one line on stderr with exit code 2, and the gradebook is as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from grader.cli import main
from grader.gradebook import Gradebook
from grader.results import AssignmentResult

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        book.record("alice", AssignmentResult("softmax", 7.0, 10.0, "graded"))
    return url


def override(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["override", "--db", db, "--course", str(REPO), *args])


def score_of(db: str, student: str = "alice") -> float:
    with Gradebook(db) as book:
        [found] = [s for s in book.students() if s.student == student]
    return found.assignments[0].score


def refused(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("grade: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


def test_an_override_sets_the_final_score_and_clear_removes_it(db: str) -> None:
    done = override(db, "alice", "softmax", "9.5", "--reason", "regrade request #12")
    assert done.exit_code == 0, done.output
    assert "alice/softmax: score set to 9.5 (regrade request #12)" in done.output
    assert score_of(db) == 9.5
    cleared = override(db, "alice", "softmax", "--clear")
    assert cleared.exit_code == 0, cleared.output
    assert "override cleared" in cleared.output
    assert score_of(db) == 7.0
    again = override(db, "alice", "softmax", "--clear")
    assert again.exit_code == 0 and "had no override" in again.output


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["alcie", "softmax", "5", "--reason", "r"], ["no student 'alcie'", "mean alice?"]),
        (["nobody", "softmax", "5", "--reason", "r"], ["no student 'nobody'"]),
        (["alice", "sofmax", "5", "--reason", "r"], ["no assignment 'sofmax'", "mean softmax?"]),
        (["alice", "softmax", "50", "--reason", "r"], ["outside 0 .. 10", "--allow-bonus"]),
        (["alice", "softmax", "--reason", "r", "--", "-1"], ["outside 0 .. 10"]),
        (["alice", "softmax", "nan", "--reason", "r"], ["must be a number"]),
        (["alice", "softmax", "5", "--reason", "  "], ["--reason"]),
        (["alice", "softmax", "5"], ["--reason"]),
        (["alice", "softmax"], ["SCORE"]),
        (["alice", "softmax", "5", "--clear"], ["not both"]),
    ],
)
def test_typos_are_refused_and_change_nothing(
    db: str, args: list[str], needles: list[str]
) -> None:
    refused(override(db, *args), *needles)
    assert score_of(db) == 7.0
    with Gradebook(db) as book:
        assert book.student_names() == ["alice"]


def test_a_bonus_needs_to_be_asked_for(db: str) -> None:
    done = override(db, "alice", "softmax", "11", "--reason", "best write-up", "--allow-bonus")
    assert done.exit_code == 0, done.output
    assert score_of(db) == 11.0


def test_a_mistyped_gradebook_is_refused_and_not_created(db: str, tmp_path: Path) -> None:
    typo = tmp_path / "gradebok.db"
    refused(override(f"sqlite:///{typo}", "alice", "softmax", "5", "--reason", "r"), "gradebok.db")
    assert not typo.exists()


def test_outside_a_course_the_verb_says_how_to_name_it(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    result = CliRunner().invoke(main, ["override", "alice", "softmax", "5", "--reason", "r",
                                       "--db", db])
    refused(result, "no course here", "--course")
