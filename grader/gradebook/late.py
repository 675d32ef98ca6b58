"""Late submissions: the penalty arithmetic lives in :mod:`grader.effective`.

Kept as the gradebook's name for it: results store the rule they were graded under, and
:mod:`grader.effective` turns rule, submission time and raw score into the grade.
"""

from __future__ import annotations

from grader.effective import LateRule, days_late, late_penalty

__all__ = ["LateRule", "days_late", "late_penalty"]
