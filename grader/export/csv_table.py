"""Grades as a CSV table: one row per student, one column per assignment, and the total.

This is the file instructors paste into a spreadsheet, so the score cells hold plain
numbers (an assignment never graded is an empty cell, not a zero or a dash; one not handed
in is a 0 whose status column says ``missing``) and a name
that a spreadsheet would run as a formula is defused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from grader.results import StudentResult

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``'`` stops ``=cmd|...`` formulas."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _number(value: float) -> str:
    return repr(round(float(value), 6))


def to_csv(students: Iterable[StudentResult], path: Path) -> Path:
    """Write the grade table of ``students`` to ``path``; returns ``path``.

    Columns: ``student``, each assignment in name order, ``total`` and ``max_total``, then
    ``<assignment>_status`` for each (``graded``, ``missing``, ``error``, ``timeout``; empty
    when never graded), so a 0 for work not handed in reads apart from a 0 earned.
    Students appear in name order.
    """
    ordered = sorted(students, key=lambda s: s.student)
    names = sorted({a.assignment for s in ordered for a in s.assignments})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", *names, "total", "max_total",
                         *(f"{name}_status" for name in names)])
        for student in ordered:
            scores = {a.assignment: a.score for a in student.assignments}
            statuses = {a.assignment: a.status for a in student.assignments}
            writer.writerow(
                [
                    _cell_text(student.student),
                    *(_number(scores[name]) if name in scores else "" for name in names),
                    _number(student.score),
                    _number(student.max_score),
                    *(statuses.get(name, "") for name in names),
                ]
            )
    return path
