"""A class of students on disk, built from sources, for the similarity tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from grader.course import Course
from grader.discover import StudentSubmission, discover
from grader.similarity import compare_assignment
from grader.similarity.compare import Comparison

REPO = Path(__file__).resolve().parents[2]
NUMERIC = ("softmax", "cross_entropy", "kfold", "early_stopping")
CALIBRATION = REPO / "tests" / "data" / "similarity"

Class = dict[str, dict[str, str]]
"""student -> file name -> text."""


@pytest.fixture(scope="session")
def course() -> Course:
    return Course.find(REPO)


def write_class(root: Path, students: Class) -> Path:
    for student, files in students.items():
        folder = root / student
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def independent(course: Course, name: str) -> dict[str, str]:
    """The reference, the correct alternatives and the calibration set: written apart."""
    found = {"reference": course.solution(name).read_text()}  # type: ignore[union-attr]
    for path in course.alternatives(name):
        found[f"alternatives_{path.stem}"] = path.read_text()
    for path in sorted((CALIBRATION / name).glob("*.py")):
        found[f"similarity_{path.stem}"] = path.read_text()
    return found


@pytest.fixture
def compare_class(course: Course, tmp_path: Path) -> Callable[[str, Class], Comparison]:
    """Write ``students`` under tmp_path and compare them for one assignment."""

    def run(name: str, students: Class) -> Comparison:
        root = write_class(tmp_path / f"class-{name}-{len(list(tmp_path.iterdir()))}", students)
        found: list[StudentSubmission] = discover(root, [course.config(name)])
        return compare_assignment(course, name, found)

    return run
