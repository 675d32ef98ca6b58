"""Exports of the grades for the tools around a course: spreadsheets, Gradescope, CI, and
the Canvas and Moodle sheets (``to_lms``, one assignment, students matched by LMS id).

The pure functions (``to_csv``, ``to_gradescope``, ``to_junit``) take result records, so
the grade verb can write ``--junit FILE`` straight after grading; ``main`` reads the
gradebook.
"""

from __future__ import annotations

from grader.export.csv_table import to_csv
from grader.export.gradescope import to_gradescope
from grader.export.junit import to_junit
from grader.export.write import FORMATS, main

__all__ = ["FORMATS", "main", "to_csv", "to_gradescope", "to_junit"]
