"""The gradebook: graded results kept in SQLite or PostgreSQL, read back with penalties applied.

Grading writes here (``record``), reports and exports read from here (``students``), so a
report can be redrawn and a killed batch resumed without grading anything twice.
"""

from __future__ import annotations

from grader.gradebook.connection import DEFAULT_URL
from grader.gradebook.late import late_penalty, submission_time
from grader.gradebook.records import Override, RunRecord, SimilarityRecord
from grader.gradebook.store import Deadlines, Gradebook

__all__ = [
    "DEFAULT_URL",
    "Deadlines",
    "Gradebook",
    "Override",
    "RunRecord",
    "SimilarityRecord",
    "late_penalty",
    "submission_time",
]
