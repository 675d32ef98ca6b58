"""A student's grade as Gradescope's autograder ``results.json``.

Courses that collect through Gradescope run us inside its autograder container; it reads
``/autograder/results/results.json``. The top-level ``score`` is set explicitly because
late penalties and overrides make it differ from the sum of the tests. Gradescope knows
only passed/failed per test, so errors, timeouts and partial credit are failures whose
output says which (the score still carries the points earned).
"""

from __future__ import annotations

from typing import Any

from grader.results import AssignmentResult, StudentResult

VISIBILITY = "visible"


def _round(value: float) -> float:
    return round(float(value), 6)


def _summary_line(result: AssignmentResult) -> str:
    status = "not submitted" if result.status == "missing" else result.status
    score = f"{_round(result.score):g} / {_round(result.max_score):g}"
    return f"{result.assignment}: {score} ({status})"


def _tests(result: AssignmentResult) -> list[dict[str, Any]]:
    if not result.tests:
        status = "not submitted" if result.status == "missing" else result.status
        return [
            {
                "name": f"{result.assignment} ({status})",
                "score": _round(result.score),
                "max_score": _round(result.max_score),
                "status": "passed" if result.status == "graded" else "failed",
                "output": result.message,
                "visibility": VISIBILITY,
            }
        ]
    found = []
    for test in result.tests:
        output = test.message
        if test.status in ("error", "timeout", "partial"):
            output = f"[{test.status}] {output}".rstrip()
        found.append(
            {
                "name": f"{result.assignment}: {test.name}",
                "score": _round(test.score),
                "max_score": _round(test.max_score),
                "status": "passed" if test.status == "passed" else "failed",
                "output": output,
                "visibility": VISIBILITY,
            }
        )
    return found


def to_gradescope(student: StudentResult) -> dict[str, Any]:
    """The ``results.json`` document for ``student``, ready for ``json.dumps``."""
    lines = [f"Total: {_round(student.score):g} / {_round(student.max_score):g}"]
    for result in student.assignments:
        lines.append(_summary_line(result))
        lines += [f"  {line}" for line in result.message.splitlines() if line.strip()]
    return {
        "score": _round(student.score),
        "execution_time": _round(sum(a.duration for a in student.assignments)),
        "output": "\n".join(lines),
        "visibility": VISIBILITY,
        "stdout_visibility": "hidden",
        "tests": [test for result in student.assignments for test in _tests(result)],
    }
