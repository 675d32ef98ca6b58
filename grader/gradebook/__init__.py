"""The gradebook: graded results kept in SQLite or PostgreSQL, read back as students get them.

Grading writes here (``record``), reports and exports read from here (``students``), so a
report can be redrawn and a killed batch resumed without grading anything twice. Each
result keeps the late rule and submission time it was graded with; reading applies them
and the overrides through :mod:`grader.effective`.
"""

from __future__ import annotations

from grader.effective import LateRule, Override
from grader.gradebook.connection import DEFAULT_URL
from grader.gradebook.late import late_penalty
from grader.gradebook.records import RunRecord, SimilarityRecord
from grader.gradebook.store import Gradebook, LateRules

__all__ = [
    "DEFAULT_URL",
    "Gradebook",
    "LateRule",
    "LateRules",
    "Override",
    "RunRecord",
    "SimilarityRecord",
    "late_penalty",
]
