"""The student's page: scores, messages, escaped output, notebook, plots, nothing fetched."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from grader.report import render_student
from grader.report.student import not_submitted_line
from grader.results import AssignmentResult, StudentResult, TestResult

from .external import external_references


def page(student: StudentResult, tmp_path: Path) -> str:
    path = render_student(student, tmp_path)
    assert path == tmp_path / f"{student.student}.html"
    return path.read_text(encoding="utf-8")


def test_the_page_shows_the_total_and_each_assignment(alice: StudentResult, tmp_path: Path) -> None:
    html = page(alice, tmp_path)
    assert "Total score: <strong>41.5 / 50</strong>" in html
    assert "jet_classifier: 35 / 40" in html
    assert "softmax: 6.5 / 10" in html


def test_every_test_shows_status_points_and_teaching_message(
    alice: StudentResult, tmp_path: Path
) -> None:
    html = page(alice, tmp_path)
    for name in ("test_rows_sum_to_one", "test_large_inputs_do_not_overflow", "test_auc_per_class"):
        assert f"<code>{name}</code>" in html
    assert "exp(1000) overflows, subtract max(x) first" in html
    assert "0 / 3.5" in html and "15 / 20" in html
    assert 'class="status status-failed">failed<' in html
    assert 'class="status status-error">error<' in html
    assert "RemoteException: ValueError: shapes (16,) and (15,) do not align" in html


def test_partial_credit_reads_as_partial_not_failed(tmp_path: Path) -> None:
    tests = [TestResult("test_accuracy_tier", 1.44, 4.0, "partial",
                        "test accuracy 0.6891 on the surrogate data; full credit from 0.74", 1.0),
             TestResult("test_model_learned", 1.0, 1.0, "passed", "", 1.0)]
    student = StudentResult("dana", [AssignmentResult("jet_classifier", 2.44, 5.0, "graded",
                                                      tests=tests)])
    html = page(student, tmp_path)
    assert 'class="status status-partial">partial credit<' in html
    assert "1 partial, 1 passed" in html and 'class="status status-failed"' not in html
    assert "1.44 / 4" in html and "full credit from 0.74" in html
    assert ".status-partial" in html and ".status-skipped" in html  # the inlined style sheet


def test_cell_errors_that_cost_nothing_are_said_to_cost_nothing(
        alice: StudentResult, tmp_path: Path) -> None:
    softmax = next(a for a in alice.assignments if a.assignment == "softmax")
    assert softmax.score < softmax.max_score
    assert "the grader runs offline" not in page(alice, tmp_path)  # they may have cost points
    full = replace(softmax, score=7.0, max_score=10.0, raw_score=10.0,
                   tests=[TestResult("test_rows_sum_to_one", 10.0, 10.0, "passed")])
    html = page(replace(alice, assignments=[full]), tmp_path)
    assert "the grader runs offline" in html and "These cells failed and were not needed" in html
    clean = replace(full, notebook=None)
    assert "the grader runs offline" not in page(replace(alice, assignments=[clean]), tmp_path)


def test_the_assignment_message_is_shown(alice: StudentResult, tmp_path: Path) -> None:
    html = page(alice, tmp_path)
    assert "graded softmax.ipynb\nsubmitted 1 day late: -10%" in html


def test_student_text_is_escaped_everywhere(alice: StudentResult, tmp_path: Path) -> None:
    html = page(alice, tmp_path)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert '<img src="https://evil.example' not in html
    assert external_references(html) == []


def test_output_is_collapsible_and_cleaned_of_terminal_codes(
    alice: StudentResult, tmp_path: Path
) -> None:
    html = page(alice, tmp_path)
    output = re.search(r'<details class="output">(.*?)</details>', html, re.DOTALL)
    assert output is not None
    assert "Captured output" in output.group(1)
    assert "\x1b" not in html
    assert "coloured" in output.group(1)
    assert "100%" in output.group(1) and "50%" not in output.group(1), "progress bar redrawn"


def test_the_notebook_is_shown_cell_by_cell(alice: StudentResult, tmp_path: Path) -> None:
    html = page(alice, tmp_path)
    notebook = re.search(r'<details class="notebook">(.*?)</details>', html, re.DOTALL)
    assert notebook is not None
    body = notebook.group(1)
    assert "(4 cells)" in body
    assert "In [1]:" in body and "print(&#39;hello from the notebook&#39;)" in body
    assert "hello from the notebook\n" in body
    assert "ZeroDivisionError: division by zero" in body
    assert "----&gt; 1 1 / 0" in body
    assert "   a  b\n0  1  2" in body, "HTML output falls back to its text"
    assert 'src="data:image/png;base64,' in body


def test_jet_artifacts_become_metrics_and_inline_plots(
    alice: StudentResult, tmp_path: Path
) -> None:
    html = page(alice, tmp_path)
    assert "0.7512" in html and "AUC w" in html
    for title in ("ROC curves", "Confusion matrix", "Loss per epoch"):
        assert f"<figcaption>{title}" in html
    assert html.count("<svg ") == 3
    assert "could not draw" not in html


def test_broken_artifacts_and_notebooks_do_not_lose_the_page(
    alice: StudentResult, tmp_path: Path
) -> None:
    jets, softmax = alice.assignments
    broken = StudentResult(
        student="alice",
        assignments=[
            replace(jets, artifacts={"confusion": {"labels": ["g"], "matrix": [[1, 2]]}}),
            replace(softmax, notebook="{not json"),
        ],
    )
    html = page(broken, tmp_path)
    assert "could not draw this plot" in html
    assert "not valid JSON" in html
    assert "Total score" in html


def test_a_hostile_student_name_is_escaped_and_cannot_escape_the_folder(tmp_path: Path) -> None:
    student = StudentResult(student="../<b>mallory</b>", assignments=[])
    path = render_student(student, tmp_path / "reports")
    assert path.parent == tmp_path / "reports"
    html = path.read_text()
    assert "<b>mallory" not in html and "&lt;b&gt;mallory&lt;/b&gt;" in html


def test_the_page_forbids_fetching_anything(alice: StudentResult, tmp_path: Path) -> None:
    html = page(alice, tmp_path)
    assert "default-src 'none'" in html


def test_missing_assignments_read_as_not_submitted(bob: StudentResult, tmp_path: Path) -> None:
    html = page(bob, tmp_path)
    assert "not submitted" in html
    assert "took longer than 10 s" in html
    assert "the submission ran past its 60 s wall time" in html


def test_each_assignment_not_handed_in_is_one_line_after_the_feedback(
    bob: StudentResult, tmp_path: Path
) -> None:
    """As grading stores it: every test of the missing assignment errored "not submitted"."""
    not_run = [TestResult(f"test_case_{i}", 0.0, 1.0, "error", "not submitted")
               for i in range(14)]
    line = ("not submitted: expected kfold.py or a notebook defining kfold_indices and "
            "cross_val_score")
    kfold = AssignmentResult("kfold", 0.0, 14.0, "missing", tests=not_run, message=line)
    html = page(replace(bob, assignments=[*bob.assignments, kfold]), tmp_path)
    assert "test_case_" not in html
    assert html.count(line) == 1
    assert "<strong>jet_classifier</strong> (0 / 40): not submitted" in html
    section = html.index('id="not-submitted"')
    assert html.index("took longer than 10 s") < section
    assert html.count("not submitted") == 2  # one line per assignment, nothing else


def test_a_result_stored_with_the_older_wording_still_reads_as_one_line() -> None:
    stored = AssignmentResult("softmax", 0.0, 10.0, "missing",
                              message="nothing submitted for softmax: expected softmax.py")
    assert not_submitted_line(stored) == "not submitted: expected softmax.py"
    assert not_submitted_line(replace(stored, message="")) == "not submitted"
