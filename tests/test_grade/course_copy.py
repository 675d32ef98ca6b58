"""A one-assignment course (softmax) in a temporary folder, with a deadline, and students.

Tests of what the instructor's verbs show run from *outside* this folder and name it with
``--course``, so nothing can come from the project checkout by accident.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEADLINE = "2025-03-01T23:59:00+00:00"
LATE_RULE = f'\n[late]\ndeadline = "{DEADLINE}"\npenalty_per_day = 0.1\n'


def make_course(root: Path, *, late: str = LATE_RULE) -> Path:
    """``root/course`` holding softmax's public and hidden material and the course secret."""
    course = root / "course"
    shutil.copytree(REPO / "assignments" / "softmax", course / "assignments" / "softmax")
    shutil.copytree(REPO / "reference" / "softmax", course / "reference" / "softmax")
    shutil.copyfile(REPO / "reference" / "course-secret", course / "reference" / "course-secret")
    toml = course / "assignments" / "softmax" / "assignment.toml"
    toml.write_text(toml.read_text() + late)
    return course


def set_late_rule(course: Path, late: str) -> None:
    """Replace the ``[late]`` table of softmax's assignment.toml (or drop it: ``""``)."""
    toml = course / "assignments" / "softmax" / "assignment.toml"
    text = toml.read_text()
    if "\n[late]" in text:
        text = text[: text.index("\n[late]")] + "\n"
    toml.write_text(text + late)


def make_submissions(root: Path, times: dict[str, str]) -> Path:
    """``root/subs`` with the reference solution for each student and a manifest of times."""
    subs = root / "subs"
    solution = REPO / "reference" / "softmax" / "solution.py"
    for student in times:
        (subs / student).mkdir(parents=True)
        shutil.copyfile(solution, subs / student / "softmax.py")
    rows = "".join(f"{student},{when},\n" for student, when in times.items())
    (subs / "submissions.csv").write_text("student,submitted_at,late\n" + rows)
    return subs
