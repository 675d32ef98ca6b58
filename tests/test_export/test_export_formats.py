"""CSV for spreadsheets, Gradescope's results.json, JUnit XML for CI: read back and checked."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from grader.export import to_csv, to_gradescope, to_junit
from grader.results import TEST_STATUSES, AssignmentResult, StudentResult, TestResult

from .conftest import KFOLD_MISSING


def test_csv_has_a_numeric_column_per_assignment(
    students: list[StudentResult], tmp_path: Path
) -> None:
    path = to_csv(students, tmp_path / "grades.csv")
    table = pd.read_csv(path)
    assert list(table.columns) == [
        "student", "kfold", "softmax", "total", "max_total", "kfold_status", "softmax_status"]
    for column in ("kfold", "softmax", "total", "max_total"):
        assert pd.api.types.is_float_dtype(table[column]), column
    assert list(table["student"]) == ["'=carol", "alice", "bob"]
    rows = table.set_index("student")
    assert rows.loc["alice", "kfold"] == 4.5 and rows.loc["alice", "total"] == 14.5
    assert rows.loc["bob", "kfold"] == 0.0, "a missing submission that was graded is a 0"
    assert pd.isna(rows.loc["'=carol", "kfold"]), "an assignment never graded is an empty cell"
    assert rows.loc["'=carol", "max_total"] == 10.0
    assert rows.loc["bob", "kfold_status"] == "missing", "a 0 for nothing handed in says so"
    assert rows.loc["alice", "kfold_status"] == "graded"
    assert rows.loc["'=carol", "softmax_status"] == "error"
    assert pd.isna(rows.loc["'=carol", "kfold_status"])


def test_junit_has_a_suite_per_student_and_assignment(students: list[StudentResult]) -> None:
    root = ET.fromstring(to_junit(students))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "=carol.softmax",
        "alice.softmax",
        "alice.kfold",
        "bob.softmax",
        "bob.kfold",
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors", "-1")) == len(suite.findall("testcase/error"))
        assert int(suite.get("skipped", "-1")) == len(suite.findall("testcase/skipped"))
        assert all(case.get("classname") == suite.get("name") for case in cases)
    assert int(root.get("tests", "-1")) == len(root.findall(".//testcase")) == 9
    assert int(root.get("failures", "-1")) == 2
    assert int(root.get("errors", "-1")) == 2
    assert int(root.get("skipped", "-1")) == 1


def test_junit_maps_each_status(students: list[StudentResult]) -> None:
    root = ET.fromstring(to_junit(students))
    bob = root.find("testsuite[@name='bob.softmax']")
    assert bob is not None
    passed, failed, timed_out = bob.findall("testcase")
    assert list(passed) == []
    failure = failed.find("failure")
    assert (
        failure is not None
        and failure.get("message") == "exp(1000) overflows: subtract max(x) first"
    )
    error = timed_out.find("error")
    assert error is not None and error.get("type") == "timeout"
    [case] = root.findall("testsuite[@name='bob.kfold']/testcase")
    missing = case.find("skipped")
    assert missing is not None and missing.get("message") == KFOLD_MISSING
    assert case.get("name") == "kfold", "one case for the assignment, none per hidden test"


def test_junit_reports_partial_credit_as_a_failure_that_names_the_points(
        students: list[StudentResult]) -> None:
    root = ET.fromstring(to_junit(students))
    failure = root.find("testsuite[@name='alice.kfold']/testcase/failure")
    assert failure is not None and failure.get("type") == "partial"
    assert failure.get("message") == "4.5 of 5 points: fold sizes differ by 2"


def test_junit_and_gradescope_map_every_test_status() -> None:
    for status in TEST_STATUSES:
        test = TestResult("test_x", 0.5 if status == "partial" else 0.0, 1.0, status, "why")
        result = AssignmentResult("softmax", test.score, 1.0, "graded", tests=[test])
        case = ET.fromstring(to_junit([StudentResult("s", [result])])).find(".//testcase")
        assert case is not None
        expected = {"passed": None, "partial": "failure", "failed": "failure",
                    "skipped": "skipped"}.get(status, "error")
        assert [child.tag for child in case] == ([expected] if expected else [])
        (shown,) = to_gradescope(result)["tests"]
        assert shown["status"] == ("passed" if status == "passed" else "failed")
        assert shown["score"] == test.score


def test_gradescope_marks_partial_credit(students: list[StudentResult]) -> None:
    alice = next(s for s in students if s.student == "alice")
    kfold = to_gradescope(next(a for a in alice.assignments if a.assignment == "kfold"))
    (folds,) = [t for t in kfold["tests"] if t["name"] == "test_folds"]
    assert folds["output"] == "[partial] fold sizes differ by 2" and folds["score"] == 4.5


def test_junit_survives_terminal_codes_and_markup(students: list[StudentResult]) -> None:
    text = to_junit(students)
    root = ET.fromstring(text)
    carol = root.find("testsuite[@name='=carol.softmax']")
    assert carol is not None
    error = carol.find("testcase/error")
    assert error is not None
    assert error.text == 'SyntaxError: invalid syntax (line 3)\ufffd <tag> & "q"'
    out = carol.find("system-out")
    assert out is not None and out.text == "\ufffdbell bold"
    assert "\x1b" not in text and "\x00" not in text


GRADESCOPE_VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def check_gradescope_document(document: dict, result: AssignmentResult) -> None:
    """``document`` as Gradescope's Autograder Specifications describe results.json
    (https://gradescope-autograders.readthedocs.io/en/latest/specs/)."""
    json.dumps(document, allow_nan=False)
    assert isinstance(document["score"], float)
    assert document["score"] == pytest.approx(result.score)
    assert isinstance(document["output"], str) and isinstance(document["execution_time"], float)
    assert document["visibility"] in GRADESCOPE_VISIBILITY
    assert document["stdout_visibility"] in {"hidden", "visible"}
    assert document["tests"], "every assignment shows up as at least one test"
    for test in document["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output", "visibility"}
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in {"passed", "failed"}
        assert test["visibility"] in GRADESCOPE_VISIBILITY
    max_total = sum(test["max_score"] for test in document["tests"])
    assert max_total == pytest.approx(result.max_score)


def test_gradescope_results_follow_the_specification(students: list[StudentResult]) -> None:
    for student in students:
        for result in student.assignments:
            check_gradescope_document(to_gradescope(result), result)


def test_gradescope_holds_one_assignment_per_document(students: list[StudentResult]) -> None:
    bob = next(s for s in students if s.student == "bob")
    softmax = to_gradescope(bob.assignments[0])
    assert [test["name"] for test in softmax["tests"]] == [
        "test_rows_sum_to_one", "test_large_inputs_do_not_overflow", "test_axis"]
    assert softmax["tests"][2]["output"] == "[timeout] took longer than 5 s"
    assert softmax["output"].startswith("softmax: 4 / 10 (graded)")
    assert "kfold" not in json.dumps(softmax)


def test_gradescope_shows_missing_work_as_one_test(students: list[StudentResult]) -> None:
    bob = next(s for s in students if s.student == "bob")
    kfold = to_gradescope(bob.assignments[1])
    [test] = kfold["tests"]
    assert test["name"] == "kfold (not submitted)" and test["status"] == "failed"
    assert test["output"] == KFOLD_MISSING
    assert kfold["output"] == f"kfold: 0 / 5 (not submitted)\n{KFOLD_MISSING}"
