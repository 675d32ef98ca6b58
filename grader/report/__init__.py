"""Feedback reports: a self-contained HTML page per student and a class summary.

``render_student`` and ``render_summary`` draw from result records (the grade verb calls
them right after grading); ``main`` redraws everything from the gradebook.
"""

from __future__ import annotations

from grader.report.redraw import main
from grader.report.student import render_student
from grader.report.summary import render_summary

__all__ = ["main", "render_student", "render_summary"]
