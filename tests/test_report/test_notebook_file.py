"""The executed notebook is kept beside the student's page, and the page links to it."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from grader.report import render_student
from grader.results import AssignmentResult, StudentResult, TestResult


def test_the_executed_notebook_is_written_beside_the_page(tmp_path: Path) -> None:
    cell = new_code_cell("1 / 0", execution_count=1)
    cell.outputs = [new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                               traceback=["ZeroDivisionError: division by zero"])]
    notebook = nbformat.writes(new_notebook(cells=[cell]))
    result = StudentResult("dan", [AssignmentResult(
        "softmax", 1.0, 2.0, "graded",
        tests=[TestResult("test_a", 1.0, 1.0, "passed"), TestResult("test_b", 0.0, 1.0, "failed")],
        files=["homework.ipynb"], notebook=notebook)])
    page = render_student(result, tmp_path)
    written = tmp_path / "dan.softmax.ipynb"
    kept = nbformat.read(written, as_version=4)
    assert kept.cells[0].outputs[0].ename == "ZeroDivisionError"
    assert 'href="dan.softmax.ipynb"' in page.read_text()
