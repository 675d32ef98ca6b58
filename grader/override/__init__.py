"""``grade override``: set (or ``--clear``) one student's score for one assignment by hand.

An override is the assignment's final score: what the instructor typed is what the student
sees, after any late penalty (:mod:`grader.effective`). Because it is typed by a person,
everything is checked before the gradebook is touched: the gradebook must exist, the
student must have results in it, the assignment must belong to the course, and the score
must be a number from 0 to the assignment's points (``allow_bonus`` lifts the top). A
near-miss name is answered with the close one.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course
from grader.errors import ConfigError
from grader.gradebook import DEFAULT_URL, Gradebook


@dataclass(frozen=True)
class OverrideDone:
    """What ``main`` did, for the CLI to say."""

    student: str
    assignment: str
    score: float | None
    reason: str
    cleared: bool = False

    def describe(self) -> str:
        if self.score is None:
            state = "override cleared" if self.cleared else "had no override"
            return f"{self.student}/{self.assignment}: {state}"
        return f"{self.student}/{self.assignment}: score set to {self.score:g} ({self.reason})"


def _unknown(kind: str, name: str, known: list[str], where: str) -> ConfigError:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return ConfigError(f"no {kind} {name!r} in {where}{hint}")


def main(
    *,
    student: str,
    assignment: str,
    score: float | None = None,
    reason: str | None = None,
    db: str = DEFAULT_URL,
    course_dir: Path | None = None,
    allow_bonus: bool = False,
    clear: bool = False,
) -> OverrideDone:
    """Check and store (or clear) the override of ``student``'s ``assignment``.

    Args:
        score: the final score; required unless ``clear``.
        reason: why, shown to the student; required unless ``clear``.
        db: the gradebook, which must exist.
        course_dir: the course (default: as ``Course.find``), whose assignments are known.
        allow_bonus: accept a score above the assignment's points.
        clear: remove the override instead of setting one.

    Raises:
        ConfigError: an unknown student or assignment, a score that is not a number in
            range, an empty reason, or a score given with ``clear``.
        GradebookNotFound: there is no gradebook at ``db``.
        GradebookError: the gradebook cannot be read or written.
    """
    course = Course.find(course_dir)
    names = course.names()
    if assignment not in names:
        raise _unknown("assignment", assignment, names, course.describe())
    if clear and score is not None:
        raise ConfigError("give a SCORE or --clear, not both")
    why = (reason or "").strip()
    if not clear:
        if score is None:
            raise ConfigError("give the SCORE to set (or --clear to remove the override)")
        if not math.isfinite(score):
            raise ConfigError(f"the score must be a number, got {score!r}")
        if not why:
            raise ConfigError("give a --reason: the student's page shows it")
    with Gradebook(db, create=False) as book:
        students = book.student_names()
        if student not in students:
            raise _unknown("student", student, students, f"the gradebook {db}")
        if clear or score is None:
            cleared = book.clear_override(student, assignment)
            return OverrideDone(student, assignment, None, "", cleared=cleared)
        top = book.max_score(assignment)
        if top is None:
            raise ConfigError(
                f"{assignment} has no grades in the gradebook {db} yet: grade it first, "
                "so the override has a score to replace"
            )
        if score < 0 or (score > top and not allow_bonus):
            raise ConfigError(
                f"{score:g} is outside 0 .. {top:g}, the points of {assignment}; "
                "pass --allow-bonus for more than full marks"
            )
        book.override(student, assignment, score, reason=why)
    return OverrideDone(student, assignment, score, why)
