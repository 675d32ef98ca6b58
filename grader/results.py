"""Result records: what one grading run produces, in a shape that crosses processes.

Every record is a dataclass with ``to_dict``/``from_dict`` so that it can travel from a
pool process (or a Dask worker) to the coordinator, land in the gradebook, and feed the
reports and exports. ``StudentResult.to_dict`` is the results-JSON contract of ``--json``:
extend it, never rename its keys.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field, fields
from typing import Any, Literal

TestStatus = Literal["passed", "failed", "error", "timeout"]
AssignmentStatus = Literal["graded", "missing", "error", "timeout"]


@dataclass
class TestResult:
    """The outcome of one hidden (or public) test for one submission."""

    __test__ = False  # a record, not a test class for pytest to collect

    name: str
    score: float
    max_score: float
    status: TestStatus
    message: str = ""
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        # Spelled out: dataclasses.asdict deep-copies, and a batch converts 100,000s of these.
        return {"name": self.name, "score": self.score, "max_score": self.max_score,
                "status": self.status, "message": self.message, "duration": self.duration}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        return cls(**data)


@dataclass
class AssignmentResult:
    """One student's grade for one assignment, with the evidence behind it.

    ``submission_hash`` and ``suite_hash`` key the gradebook: the same submission graded
    by the same suite is never graded twice unless forced.
    """

    assignment: str
    score: float
    max_score: float
    status: AssignmentStatus
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    files: list[str] = field(default_factory=list)
    submission_hash: str = ""
    suite_hash: str = ""
    duration: float = 0.0
    output: str = ""
    notebook: str | None = None
    artifacts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tests"] = [t.to_dict() for t in self.tests]
        data["files"] = list(self.files)
        data["artifacts"] = deepcopy(self.artifacts)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssignmentResult:
        data = dict(data)
        data["tests"] = [TestResult.from_dict(t) for t in data.get("tests", [])]
        return cls(**data)


@dataclass
class StudentResult:
    """Every assignment graded for one student folder."""

    student: str
    assignments: list[AssignmentResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(a.score for a in self.assignments), 6)

    @property
    def max_score(self) -> float:
        return round(sum(a.max_score for a in self.assignments), 6)

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "score": self.score,
            "max_score": self.max_score,
            "assignments": [a.to_dict() for a in self.assignments],
            "ignored": list(self.ignored),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudentResult:
        return cls(
            student=data["student"],
            assignments=[AssignmentResult.from_dict(a) for a in data.get("assignments", [])],
            ignored=list(data.get("ignored", [])),
        )


def results_json(students: list[StudentResult]) -> dict[str, Any]:
    """The ``--json`` document, identical for identical grades.

    Students are sorted by name; timings and the executed notebooks (kept in the gradebook
    and the reports) are left out, so a rerun or another ``--jobs`` compares equal.
    """
    ordered = sorted(students, key=lambda s: s.student)
    documents = []
    for student in ordered:
        data = student.to_dict()
        for assignment in data["assignments"]:
            assignment.pop("duration", None)
            assignment.pop("notebook", None)
            for test in assignment["tests"]:
                test.pop("duration", None)
        documents.append(data)
    return {"students": documents}
