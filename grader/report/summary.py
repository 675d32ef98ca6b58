"""The class summary page: how the class did, which tests were hardest, who needs a look.

:class:`ClassSummary` takes students one at a time and keeps only numbers and names, so the
report of a class of thousands can be drawn while each student's evidence (output,
notebooks, plots) is dropped as soon as that student's page is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from grader.naming import PageNames
from grader.report import plots
from grader.report.templating import environment, write_page
from grader.report.text import first_line
from grader.results import StudentResult

PROBLEM_STATUSES = ("error", "timeout")


@dataclass
class StudentRow:
    """One line of the class table."""

    student: str
    score: float
    max_score: float
    statuses: dict[str, str]
    scores: dict[str, float]


@dataclass
class Problem:
    """An assignment of one student that errored or timed out, or holds such tests."""

    student: str
    assignment: str
    status: str
    tests: list[str]
    detail: str

    SHOWN_TESTS = 5

    @property
    def tests_text(self) -> str:
        """The affected tests, the first few by name: the student's page has the rest."""
        shown = ", ".join(self.tests[: self.SHOWN_TESTS])
        hidden = len(self.tests) - self.SHOWN_TESTS
        return f"{shown} and {hidden} more" if hidden > 0 else shown


@dataclass
class Nondeterministic:
    """A regrade of the same files by the same suite that gave another score."""

    student: str
    assignment: str
    previous_score: float
    score: float


@dataclass
class TestRate:
    """How many of the students who ran a test passed it."""

    assignment: str
    name: str
    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class ClassSummary:
    """Aggregates over the class, fed one student at a time by :meth:`add`."""

    rows: list[StudentRow] = field(default_factory=list)
    scores: dict[str, list[float]] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    tests: dict[tuple[str, str], TestRate] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    nondeterministic: list[Nondeterministic] = field(default_factory=list)

    def add(self, student: StudentResult) -> None:
        """Count ``student`` in; nothing of it but numbers, names and statuses is kept."""
        self.rows.append(
            StudentRow(
                student=student.student,
                score=student.score,
                max_score=student.max_score,
                statuses={a.assignment: a.status for a in student.assignments},
                scores={a.assignment: a.score for a in student.assignments},
            )
        )
        for result in student.assignments:
            self.scores.setdefault(result.assignment, []).append(result.score)
            self.max_scores[result.assignment] = max(
                self.max_scores.get(result.assignment, 0.0), result.max_score
            )
            flag = result.nondeterministic
            if flag:
                self.nondeterministic.append(
                    Nondeterministic(
                        student.student,
                        result.assignment,
                        float(flag["previous_score"]),
                        float(flag["score"]),
                    )
                )
            if result.status == "missing":
                continue  # nothing was handed in: no test ran, no code failed
            for test in result.tests:
                rate = self.tests.setdefault(
                    (result.assignment, test.name), TestRate(result.assignment, test.name)
                )
                rate.total += 1
                rate.passed += test.status == "passed"
            bad_tests = [
                f"{t.name} ({t.status})" for t in result.tests if t.status in PROBLEM_STATUSES
            ]
            if result.status in PROBLEM_STATUSES or bad_tests:
                self.problems.append(
                    Problem(
                        student=student.student,
                        assignment=result.assignment,
                        status=result.status,
                        tests=bad_tests,
                        detail=first_line(result.message),
                    )
                )

    @property
    def assignments(self) -> list[str]:
        return sorted(self.scores)

    def hardest_tests(self) -> list[TestRate]:
        """Tests by pass rate, lowest first: where the teaching should go next."""
        return sorted(self.tests.values(), key=lambda t: (t.rate, t.assignment, t.name))

    def histograms(self) -> list[tuple[str, Markup]]:
        """One score histogram per assignment, and one of the totals."""
        drawn = [
            (name, Markup(plots.histogram_svg(self.scores[name], self.max_scores[name], name)))
            for name in self.assignments
        ]
        if len(self.assignments) > 1 and self.rows:
            totals = [row.score for row in self.rows]
            top = max(row.max_score for row in self.rows)
            drawn.append(("total", Markup(plots.histogram_svg(totals, top, "total"))))
        return drawn


def summarize(results: list[StudentResult]) -> ClassSummary:
    """A ClassSummary of ``results``."""
    summary = ClassSummary()
    for student in sorted(results, key=lambda s: s.student):
        summary.add(student)
    return summary


def similarity_link(similarity: Any, out_dir: Path) -> tuple[str, int] | None:
    """(relative href, flagged pairs) of a similarity report's index, seen from ``out_dir``.

    ``similarity`` is a gradebook ``SimilarityRecord``; the class summary is instructor
    output, the only page that links the similarity index (student pages never do).
    """
    if similarity is None or not similarity.index_path:
        return None
    relative = os.path.relpath(similarity.index_path, Path(out_dir).resolve())
    return quote(Path(relative).as_posix()), similarity.flagged


def write_summary(
    summary: ClassSummary,
    out_dir: Path,
    *,
    grading_seconds: float | None = None,
    similarity: Any = None,
    names: PageNames | None = None,
) -> Path:
    """Write ``out_dir/index.html`` from an accumulated summary, linking each student's page
    by the class's ``names`` (built from the summary's students when not given) and, when
    there is one, the gradebook's newest similarity report (``similarity``)."""
    template = environment().get_template("summary.html")
    html = template.render(
        names=names or PageNames(row.student for row in summary.rows),
        summary=summary,
        rows=sorted(summary.rows, key=lambda row: row.student),
        histograms=summary.histograms(),
        grading_seconds=grading_seconds,
        similarity=similarity_link(similarity, out_dir),
    )
    return write_page(Path(out_dir) / "index.html", html)


def render_summary(
    results: list[StudentResult],
    out_dir: Path,
    *,
    grading_seconds: float | None = None,
    names: PageNames | None = None,
) -> Path:
    """Write the class summary page ``out_dir/index.html`` and return its path."""
    return write_summary(summarize(results), out_dir, grading_seconds=grading_seconds,
                         names=names)
