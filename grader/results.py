"""Result records: what one grading run produces, in a shape that crosses processes.

Every record is a dataclass with ``to_dict``/``from_dict`` so that it can travel from a
pool process (or a Dask worker) to the coordinator, land in the gradebook, and feed the
reports and exports. ``StudentResult.to_dict`` is the results-JSON contract of ``--json``:
extend it, never rename its keys.
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from .noise import steady_timings

MAX_SERIES = 2_000
"""Items kept of any list in ``artifacts`` (a loss history, an ROC curve, a table's rows)."""
MAX_TEXT = 10_000
MAX_ARTIFACT_BYTES = 256 << 10
"""The JSON size of one assignment's artifacts as stored and drawn."""

TestStatus = Literal["passed", "partial", "failed", "error", "timeout", "skipped"]
"""``partial``: the test ran to its end and awarded part of its points (0 < score < max);
``skipped``: a public self-check that does not apply to this submission (a saved model has
nothing to train); it is worth nothing either way. Hidden suites never skip: a
``pytest.skip`` there is ``failed``."""
TEST_STATUSES: tuple[TestStatus, ...] = ("passed", "partial", "failed", "error", "timeout",
                                         "skipped")
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


def bound_artifacts(artifacts: Any) -> dict[str, Any]:
    """``artifacts`` cut to what a page and a gradebook row can afford.

    What a suite records may come from student code (a loss history of 500,000 points), so
    every list keeps its first ``MAX_SERIES`` items and every string ``MAX_TEXT``
    characters, with a ``"truncated"`` note naming what was cut; if the whole still holds
    more than ``MAX_ARTIFACT_BYTES`` of JSON, only that note is kept.
    """
    if not isinstance(artifacts, dict):
        return {}
    cut: list[str] = []

    def bound(value: Any, where: str, depth: int) -> Any:
        if depth > 16:
            cut.append(where)
            return None
        if isinstance(value, dict):
            return {str(k)[:200]: bound(v, f"{where}.{k}", depth + 1)
                    for k, v in list(value.items())[:MAX_SERIES]}
        if isinstance(value, list | tuple):
            if len(value) > MAX_SERIES:
                cut.append(f"{where} ({len(value):,} items, {MAX_SERIES:,} kept)")
            return [bound(v, where, depth + 1) for v in value[:MAX_SERIES]]
        if isinstance(value, str) and len(value) > MAX_TEXT:
            cut.append(f"{where} ({len(value):,} characters)")
            return value[:MAX_TEXT]
        return value

    bounded = {str(k): bound(v, str(k), 1) for k, v in artifacts.items() if k != "truncated"}
    if len(json.dumps(bounded, default=str)) > MAX_ARTIFACT_BYTES:
        bounded = {}
        cut.append(f"everything (more than {MAX_ARTIFACT_BYTES >> 10} KiB)")
    if cut:
        bounded["truncated"] = cut[:20]
    return bounded


@dataclass
class AssignmentResult:
    """One student's grade for one assignment, with the evidence behind it.

    ``submission_hash`` and ``suite_hash`` key the gradebook: the same submission graded
    by the same suite is never graded twice unless forced. ``cause`` says whose an
    ``error`` is: ``"submission"`` (the student must fix the files: a refused link, bad
    metadata), ``"grader"`` (ours: a regrade may pass), empty otherwise. Results with a
    cause are never reused from the gradebook.
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
    raw_score: float | None = None
    """What the suite gave, before late penalty and override; set by ``grader.effective``
    (then ``score`` is what the student gets), None on a result straight from grading."""
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    """Each adjustment applied to ``raw_score`` (``kind``: ``late`` or ``override``)."""
    nondeterministic: dict[str, float] | None = None
    """``{"previous_score", "score"}`` when a regrade of the same files by the same suite
    gave another score than before."""
    cause: str = ""
    grader_failure: str = ""
    """Non-empty when a failure of the grader's own (the sandbox died or would not start)
    cost tests even after a retry in a fresh sandbox: the result is kept and shown, but
    never reused from the gradebook, so the next run grades it again."""

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tests"] = [t.to_dict() for t in self.tests]
        data["files"] = list(self.files)
        data["artifacts"] = deepcopy(self.artifacts)
        data["adjustments"] = deepcopy(self.adjustments)
        data["nondeterministic"] = dict(self.nondeterministic) if self.nondeterministic else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssignmentResult:
        data = dict(data)
        data["tests"] = [TestResult.from_dict(t) for t in data.get("tests", [])]
        return cls(**data)


@dataclass
class StudentResult:
    """Every assignment graded for one student folder.

    ``refused`` names each entry of the folder that discovery did not read, with the reason
    (a link, a FIFO, a file too large); ``ignored`` the readable ones that serve nothing.
    """

    student: str
    assignments: list[AssignmentResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    """Path -> what discovery did with it when that was not plain: taken under another name
    (``graded as softmax.py (case)``), or left out and why (every ``ignored`` entry)."""

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
            "refused": dict(self.refused),
            "notes": dict(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudentResult:
        return cls(
            student=data["student"],
            assignments=[AssignmentResult.from_dict(a) for a in data.get("assignments", [])],
            ignored=list(data.get("ignored", [])),
            refused=dict(data.get("refused", {})),
            notes=dict(data.get("notes", {})),
        )


def results_json(students: list[StudentResult]) -> dict[str, Any]:
    """The ``--json`` document, identical for identical grades.

    Students are sorted by name; timings and the executed notebooks (kept in the gradebook
    and the reports) are left out, and so are the durations Keras prints in the output
    (``noise.steady_timings``), so a rerun or another ``--jobs`` compares equal.
    """
    ordered = sorted(students, key=lambda s: s.student)
    documents = []
    for student in ordered:
        data = student.to_dict()
        for assignment in data["assignments"]:
            assignment.pop("duration", None)
            assignment.pop("notebook", None)
            assignment["output"] = steady_timings(assignment["output"])
            for test in assignment["tests"]:
                test.pop("duration", None)
        documents.append(data)
    return {"students": documents}
