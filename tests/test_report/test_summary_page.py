"""The class summary: distributions, hardest tests first, problems, grading time, links."""

from __future__ import annotations

import re
from pathlib import Path

from grader.report import render_summary
from grader.results import AssignmentResult, StudentResult, TestResult

from .external import external_references


def summary(students: list[StudentResult], tmp_path: Path, seconds: float | None = 12.34) -> str:
    path = render_summary(students, tmp_path, grading_seconds=seconds)
    assert path == tmp_path / "index.html"
    return path.read_text(encoding="utf-8")


def section(html: str, heading: str) -> str:
    found = re.search(rf"<h2>{re.escape(heading)}</h2>(.*?)(?=<h2>|</body>)", html, re.DOTALL)
    assert found is not None, heading
    return found.group(1)


def test_students_link_to_their_pages_with_their_totals(
    alice: StudentResult, bob: StudentResult, tmp_path: Path
) -> None:
    html = summary([bob, alice], tmp_path)
    table = section(html, "Students")
    assert table.index('href="alice.html"') < table.index('href="bob.html"')
    assert "<strong>41.5</strong> / 50" in table and "<strong>0</strong> / 50" in table
    assert "2 students, mean total" in html and "20.75" in html


def test_the_grading_time_is_shown(alice: StudentResult, tmp_path: Path) -> None:
    assert 'Grading took <strong id="grading-time">12.3 s</strong>' in summary([alice], tmp_path)
    assert "Grading took" not in summary([alice], tmp_path, seconds=None)


def test_a_histogram_per_assignment_and_for_the_total(
    alice: StudentResult, bob: StudentResult, tmp_path: Path
) -> None:
    html = section(summary([alice, bob], tmp_path), "Score distribution")
    assert html.count("<svg ") == 3
    for caption in ("jet_classifier", "softmax", "total"):
        assert f"<figcaption>{caption}</figcaption>" in html


def test_pass_rates_come_hardest_first(
    alice: StudentResult, bob: StudentResult, tmp_path: Path
) -> None:
    rates = section(summary([alice, bob], tmp_path), "Pass rate per test, hardest first")
    order = re.findall(r"<code>(\w+)</code>", rates)
    assert order == [
        "test_auc_per_class",
        "test_large_inputs_do_not_overflow",
        "test_rows_sum_to_one",
        "test_accuracy_above_threshold",
        "test_axis_argument",
    ]
    assert "1 / 2" in rates and "50.0%" in rates


def test_errors_and_timeouts_are_listed_by_student(
    alice: StudentResult, bob: StudentResult, tmp_path: Path
) -> None:
    problems = section(summary([alice, bob], tmp_path), "Errors and timeouts")
    assert "test_auc_per_class (error)" in problems
    assert "test_rows_sum_to_one (timeout)" in problems
    assert "the submission ran past its 60 s wall time" in problems
    assert problems.count("<tr>") == 3, "a header and one row per affected assignment"


def test_an_empty_class_still_gets_a_page(tmp_path: Path) -> None:
    html = summary([], tmp_path)
    assert "0 students" in html
    assert "No student had an error or a timeout." in html


def test_hostile_names_are_escaped_and_links_stay_local(tmp_path: Path) -> None:
    student = StudentResult(student='<script>x</script>"', assignments=[])
    html = summary([student], tmp_path)
    assert "<script" not in html
    assert external_references(html) == []
    assert "&lt;script&gt;x&lt;/script&gt;&#34;" in html


def test_work_not_handed_in_is_neither_a_problem_nor_a_failed_test(tmp_path: Path) -> None:
    not_run = [TestResult(f"test_{i}", 0.0, 1.0, "error", "nothing submitted") for i in range(8)]
    crashed = [TestResult(f"test_{i}", 0.0, 1.0, "error", "NameError") for i in range(8)]
    students = [
        StudentResult("dora", [AssignmentResult("kfold", 0.0, 8.0, "missing", tests=not_run)]),
        StudentResult("emil", [AssignmentResult("kfold", 0.0, 8.0, "error", tests=crashed)]),
    ]
    html = summary(students, tmp_path)
    problems = section(html, "Errors and timeouts")
    assert "emil" in problems and "dora" not in problems
    assert "test_4 (error) and 3 more" in problems
    assert "0 / 1" in section(html, "Pass rate per test, hardest first"), "only emil ran them"
