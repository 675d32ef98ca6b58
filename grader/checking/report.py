"""What a self-check found, as records, and the two ways a student reads it.

``CheckReport`` is plain data (``to_dict``); ``format_report`` renders it for a terminal and
``report_html`` as the compact table a notebook shows. Neither prints.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from ..results import AssignmentResult, TestResult

HINT_LENGTH = 110
OUTPUT_LINES = 20


@dataclass
class CheckResult:
    """One public test: did it pass, what it teaches, and a one-line hint for a table.

    A ``skipped`` check (one that does not apply, such as training a saved model) neither
    passes nor fails: ``passed`` is False and ``skipped`` True."""

    name: str
    passed: bool
    status: str
    score: float
    max_score: float
    message: str = ""
    hint: str = ""

    @classmethod
    def from_test(cls, test: TestResult) -> CheckResult:
        passed = test.status == "passed"
        return cls(name=test.name, passed=passed, status=test.status, score=test.score,
                   max_score=test.max_score, message=test.message,
                   hint="" if passed else hint_for(test.status, test.message))

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"


@dataclass(repr=False)
class CheckReport:
    """The public tests of one assignment run on one student's file or notebook.

    ``passed`` is true only when at least one check passed and every other was skipped.
    """

    assignment: str
    title: str = ""
    checked: list[str] = field(default_factory=list)
    """The student's files that were checked, as the student named them."""
    status: str = "graded"
    """The engine's status for the assignment: graded, missing, error or timeout."""
    tests: list[CheckResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why something did not load, or a name that is not defined."""
    notes: list[str] = field(default_factory=list)
    """Advice that is not a failure (another candidate file, a skipped check call)."""
    output: str = ""
    """What the student's code printed while it was checked."""
    sandbox: str = "none"

    @property
    def passed(self) -> bool:
        return any(t.passed for t in self.tests) and not self.failed

    @property
    def failed(self) -> list[CheckResult]:
        return [t for t in self.tests if not t.passed and not t.skipped]

    @property
    def skipped(self) -> list[CheckResult]:
        return [t for t in self.tests if t.skipped]

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        data = dict(data)
        data.pop("passed", None)
        data["tests"] = [CheckResult(**t) for t in data.get("tests", [])]
        return cls(**data)

    @classmethod
    def from_result(cls, result: AssignmentResult, *, title: str, checked: list[str],
                    sandbox: str) -> CheckReport:
        return cls(
            assignment=result.assignment,
            title=title,
            checked=checked,
            status=result.status,
            tests=[CheckResult.from_test(t) for t in result.tests],
            problems=[line for line in result.message.splitlines() if line.strip()],
            output=result.output,
            sandbox=sandbox,
        )

    def __repr__(self) -> str:
        count = sum(t.passed for t in self.tests)
        ran = len(self.tests) - len(self.skipped)
        return f"CheckReport({self.assignment}: {count} of {ran} checks passed)"


def hint_for(status: str, message: str) -> str:
    """A single line that says what to look at first."""
    if status == "timeout":
        return "ran past the time limit: an endless loop, or a slow Python loop over entries?"
    if "NotImplementedError" in message:
        return "not written yet: the stub still raises NotImplementedError"
    first = next((line.strip() for line in message.splitlines() if line.strip()), status)
    return first if len(first) <= HINT_LENGTH else first[: HINT_LENGTH - 1].rstrip() + "…"


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def summary_line(report: CheckReport) -> str:
    skipped = len(report.skipped)
    total = len(report.tests) - skipped
    if not total:
        return f"{report.assignment}: no public checks ran"
    also = f" ({skipped} skipped as not applicable)" if skipped else ""
    if report.passed:
        return (f"all {total} public checks passed{also}. The hidden tests look at more "
                "cases: passing these does not guarantee full marks.")
    return f"{len(report.failed)} of {total} public checks failed{also}."


def format_report(report: CheckReport) -> str:
    """The report as terminal text: a PASS/FAIL line per check and a summary line."""
    checked = ", ".join(report.checked) or "nothing"
    lines = [f"{report.assignment}: checked {checked}"]
    lines += [f"  {problem}" for problem in report.problems]
    lines.append("")
    first_with: dict[str, str] = {}
    for test in report.tests:
        if test.passed:
            lines.append(f"PASS {test.name}")
            continue
        if test.skipped:
            lines.append(f"SKIP {test.name}: {test.message or 'does not apply'}")
            continue
        lost = (_points(test.max_score) if test.score == 0
                else f"{test.score:g} of {_points(test.max_score)}")
        lines.append(f"{_badge(test)} {test.name} ({lost})")
        message = test.message or test.status
        if message in first_with:
            lines.append(f"    {test.hint} (as in {first_with[message]})")
            continue
        first_with[message] = test.name
        lines += [f"    {line}" for line in message.splitlines()]
    if report.output.strip():
        printed = report.output.strip().splitlines()
        lines += ["", f"your code printed ({len(printed)} lines):"]
        lines += [f"    {line}" for line in printed[:OUTPUT_LINES]]
        if len(printed) > OUTPUT_LINES:
            lines.append(f"    ... {len(printed) - OUTPUT_LINES} more lines")
    if report.notes:
        lines.append("")
        lines += [f"note: {note}" for note in report.notes]
    lines += ["", summary_line(report)]
    return "\n".join(lines)


_STYLE = {
    "PASS": "background:#e6f4ea;color:#1e6b34",
    "FAIL": "background:#fce8e6;color:#a50e0e",
    "PART": "background:#fef7e0;color:#8a5a00",
    "SKIP": "background:#f1f3f4;color:#5f6368",
}


def _badge(test: CheckResult) -> str:
    if test.passed:
        return "PASS"
    return "SKIP" if test.skipped else "PART" if test.status == "partial" else "FAIL"


def report_html(report: CheckReport) -> str:
    """A compact table for a notebook: one row per check, the hint inline, details folded."""
    esc = html.escape
    rows = []
    for test in report.tests:
        badge = _badge(test)
        detail = esc(test.message) if test.skipped else ""
        if badge in ("FAIL", "PART"):
            detail = (f"{esc(test.hint)}<details><summary>details</summary>"
                      f"<pre style='white-space:pre-wrap;margin:0'>{esc(test.message)}</pre>"
                      "</details>")
        rows.append(
            f"<tr><td style='{_STYLE[badge]};font-weight:bold;padding:2px 8px'>{badge}</td>"
            f"<td style='padding:2px 8px;text-align:left'><code>{esc(test.name)}</code></td>"
            f"<td style='padding:2px 8px;text-align:right'>{test.score:g}/{test.max_score:g}</td>"
            f"<td style='padding:2px 8px;text-align:left'>{detail}</td></tr>"
        )
    extra = "".join(f"<li>{esc(p)}</li>" for p in report.problems + report.notes)
    title = esc(report.title or report.assignment)
    return (
        f"<div class='grader-check'><strong>{title}</strong>: "
        f"checked {esc(', '.join(report.checked) or 'nothing')}"
        + (f"<ul style='margin:2px 0'>{extra}</ul>" if extra else "")
        + f"<table style='border-collapse:collapse;margin:4px 0'>{''.join(rows)}</table>"
        f"<div>{esc(summary_line(report))}</div></div>"
    )


class ReportView:
    """What ``display`` shows in IPython: the HTML table, and the text for plain consoles."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report

    def _repr_html_(self) -> str:
        return report_html(self.report)

    def __repr__(self) -> str:
        return format_report(self.report)
