"""The check's records and renderings, and where it looks for the course and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checking import CheckReport, CheckResult, format_report, report_html
from grader.checking.locate import candidates, find_course, target_name
from grader.checking.report import hint_for
from grader.course import Course
from grader.errors import SubmissionError
from grader.results import AssignmentResult, TestResult

from .helpers import REPO, SOLUTION, write_notebook


def _report(*tests: CheckResult, **kwargs: object) -> CheckReport:
    return CheckReport(assignment="softmax", checked=["softmax.py"], tests=list(tests),
                       **kwargs)  # type: ignore[arg-type]


def _ok(name: str) -> CheckResult:
    return CheckResult(name=name, passed=True, status="passed", score=1, max_score=1)


def _bad(name: str, message: str, max_score: float = 2, score: float = 0) -> CheckResult:
    return CheckResult(name=name, passed=False, status="failed", score=score,
                       max_score=max_score, message=message, hint=hint_for("failed", message))


def test_passed_needs_at_least_one_check_and_all_passing() -> None:
    assert not _report().passed
    assert _report(_ok("a"), _ok("b")).passed
    assert not _report(_ok("a"), _bad("b", "wrong")).passed


def _skip(name: str) -> CheckResult:
    return CheckResult(name=name, passed=False, status="skipped", score=0, max_score=0,
                       message="a saved jet_model.keras is graded as it is; nothing to train")


def test_a_skipped_check_is_neither_passed_nor_failed() -> None:
    report = _report(_ok("a"), _skip("b"))
    assert report.passed and report.failed == [] and [t.name for t in report.skipped] == ["b"]
    assert not _report(_skip("b")).passed  # nothing that ran passed
    assert not _report(_skip("b"), _bad("c", "wrong")).passed
    text = format_report(report)
    assert "SKIP b: a saved jet_model.keras is graded as it is; nothing to train" in text
    assert "FAIL" not in text
    assert text.splitlines()[-1].startswith("all 1 public checks passed (1 skipped as not")
    assert "SKIP" in report_html(report) and "FAIL" not in report_html(report)
    assert repr(report) == "CheckReport(softmax: 1 of 1 checks passed)"


def test_partial_credit_reads_part_not_fail() -> None:
    partial = CheckResult(name="t", passed=False, status="partial", score=1, max_score=4,
                          message="accuracy 0.70", hint="accuracy 0.70")
    report = _report(_ok("a"), partial)
    assert "PART t (1 of 4 points)" in format_report(report)
    assert ">PART<" in report_html(report) and not report.passed


def test_format_has_a_line_per_check_an_indented_message_and_a_summary() -> None:
    text = format_report(_report(
        _ok("test_vector"),
        _bad("test_large", "exp(1000) overflows: subtract max(x) first\nthe result holds nan"),
        _bad("test_rows", "rows must sum to one", max_score=1, score=0.5),
    ))
    lines = text.splitlines()
    assert lines[0] == "softmax: checked softmax.py"
    assert "PASS test_vector" in lines
    at = lines.index("FAIL test_large (2 points)")
    assert lines[at + 1] == "    exp(1000) overflows: subtract max(x) first"
    assert lines[at + 2] == "    the result holds nan"
    assert "FAIL test_rows (0.5 of 1 point)" in lines
    assert lines[-1] == "2 of 3 public checks failed."


def test_a_repeated_message_is_printed_once() -> None:
    message = "your code raised NotImplementedError: not written\nTraceback ..."
    text = format_report(_report(_bad("test_a", message), _bad("test_b", message)))
    assert text.count("Traceback ...") == 1
    assert "    not written yet: the stub still raises NotImplementedError (as in test_a)" in text


def test_problems_notes_and_printed_output_are_shown() -> None:
    report = _report(_ok("t"), problems=["softmax is not defined in a.ipynb"],
                     notes=["also found b.ipynb"], output="hello\n" * 30)
    text = format_report(report)
    assert "  softmax is not defined in a.ipynb" in text
    assert "note: also found b.ipynb" in text
    assert "your code printed (30 lines):" in text
    assert "... 10 more lines" in text


def test_hints_are_short_single_lines() -> None:
    assert hint_for("timeout", "").startswith("ran past the time limit")
    long = "x" * 300 + "\nsecond line"
    hint = hint_for("failed", long)
    assert "\n" not in hint and len(hint) <= 110 and hint.endswith("…")


def test_html_escapes_what_the_student_code_said() -> None:
    html = report_html(_report(_bad("test_x", "<script>alert(1)</script>")))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert ">FAIL<" in html


def test_records_round_trip_and_come_from_engine_results() -> None:
    result = AssignmentResult(
        assignment="softmax", score=1, max_score=2, status="graded",
        tests=[TestResult("test_a", 1, 1, "passed"),
               TestResult("test_b", 0, 1, "error", "your code raised X")],
        message="softmax.py: a note", output="printed")
    report = CheckReport.from_result(result, title="Softmax", checked=["mine.py"],
                                     sandbox="none")
    assert [t.passed for t in report.tests] == [True, False]
    assert report.problems == ["softmax.py: a note"]
    assert report.score == 1 and report.max_score == 2
    data = report.to_dict()
    assert data["passed"] is False
    assert CheckReport.from_dict(data) == report
    assert repr(report) == "CheckReport(softmax: 1 of 2 checks passed)"


def test_course_is_found_upwards_from_the_working_folder(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    (tmp_path / "assignments" / "softmax").mkdir(parents=True)
    (tmp_path / "assignments" / "softmax" / "assignment.toml").write_text(
        '[assignment]\nnames = ["softmax"]\nfiles = ["softmax.py"]\n')
    deep = tmp_path / "assignments" / "softmax"
    assert find_course(None, "softmax", deep) == Course(tmp_path.resolve())
    assert find_course(REPO, "softmax", deep) == Course(REPO.resolve())


def test_candidates_and_target_names(tmp_path: Path) -> None:
    config = Course(REPO).config("softmax")
    mine = tmp_path / "attempt.py"
    mine.write_text("x = 1")
    assert candidates(config, mine).files == [mine]
    assert target_name(config, mine) == "softmax.py"
    book = write_notebook(tmp_path / "nb.ipynb", SOLUTION.read_text())
    assert target_name(config, book) == "nb.ipynb"
    assert candidates(config, tmp_path).files == [book]
    write_notebook(tmp_path / "other.ipynb", SOLUTION.read_text())
    with pytest.raises(SubmissionError, match="2 notebooks"):
        candidates(config, tmp_path)
