"""One student's grade for one assignment as Gradescope's autograder ``results.json``.

Gradescope runs its autograder once per submission to one assignment, and reads
``/autograder/results/results.json`` for that assignment alone (Autograder
Specifications, https://gradescope-autograders.readthedocs.io/en/latest/specs/). So the
export is one document per student and assignment, written to
``OUT/<assignment>/<student>/results.json``; a ``run_autograder`` script copies the
student's file to ``/autograder/results/``.

The top-level ``score`` is set explicitly because late penalties and overrides make it
differ from the sum of the tests. Gradescope knows only ``passed``/``failed`` per test, so
errors, timeouts and partial credit are failures whose output says which (the score still
carries the points earned); an assignment not handed in is a single failed test whose
output says what was expected, never one per hidden test.
"""

from __future__ import annotations

from typing import Any

from grader.report.text import first_line
from grader.results import AssignmentResult

VISIBILITY = "visible"


def _round(value: float) -> float:
    return round(float(value), 6)


def _status(result: AssignmentResult) -> str:
    return "not submitted" if result.status == "missing" else result.status


def _tests(result: AssignmentResult) -> list[dict[str, Any]]:
    if result.status == "missing" or not result.tests:
        output = first_line(result.message) if result.status == "missing" else result.message
        return [
            {
                "name": f"{result.assignment} ({_status(result)})",
                "score": _round(result.score),
                "max_score": _round(result.max_score),
                "status": "passed" if result.status == "graded" else "failed",
                "output": output or _status(result),
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
                "name": test.name,
                "score": _round(test.score),
                "max_score": _round(test.max_score),
                "status": "passed" if test.status == "passed" else "failed",
                "output": output,
                "visibility": VISIBILITY,
            }
        )
    return found


def to_gradescope(result: AssignmentResult) -> dict[str, Any]:
    """The ``results.json`` document for one assignment of one student, ready for
    ``json.dumps``."""
    lines = [f"{result.assignment}: {_round(result.score):g} / {_round(result.max_score):g} "
             f"({_status(result)})"]
    message = first_line(result.message) if result.status == "missing" else result.message
    lines += [line for line in message.splitlines() if line.strip()]
    return {
        "score": _round(result.score),
        "execution_time": _round(result.duration),
        "output": "\n".join(lines),
        "visibility": VISIBILITY,
        "stdout_visibility": "hidden",
        "tests": _tests(result),
    }
