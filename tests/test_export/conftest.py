"""A small class for the export tests: complete, partial, missing, errored, hostile."""

from __future__ import annotations

import pytest

from grader.results import AssignmentResult, StudentResult, TestResult

KFOLD_MISSING = (
    "not submitted: expected kfold.py or a notebook defining kfold_indices and cross_val_score"
)


def softmax(score: float, statuses: tuple[str, str, str]) -> AssignmentResult:
    points = (4.0, 3.5, 2.5)
    tests = [
        TestResult(name, points[i] if status == "passed" else 0.0, points[i], status, message, 0.1)
        for i, (name, status, message) in enumerate(
            zip(
                ("test_rows_sum_to_one", "test_large_inputs_do_not_overflow", "test_axis"),
                statuses,
                ("", "exp(1000) overflows: subtract max(x) first", "took longer than 5 s"),
            )
        )
    ]
    return AssignmentResult("softmax", score, 10.0, "graded", tests=tests, duration=0.3)


@pytest.fixture
def students() -> list[StudentResult]:
    alice = StudentResult(
        "alice",
        [
            softmax(10.0, ("passed", "passed", "passed")),
            AssignmentResult(
                "kfold",
                4.5,
                5.0,
                "graded",
                tests=[TestResult("test_folds", 4.5, 5.0, "partial", "fold sizes differ by 2")],
            ),
        ],
    )
    bob = StudentResult(
        "bob",
        [
            softmax(4.0, ("passed", "failed", "timeout")),
            # As grading stores it: every hidden test errored, one line says what was expected.
            AssignmentResult(
                "kfold", 0.0, 5.0, "missing", message=KFOLD_MISSING,
                tests=[TestResult(f"test_{i}", 0.0, 1.0, "error", "not submitted")
                       for i in range(5)],
            ),
        ],
    )
    carol = StudentResult(
        "=carol",
        [
            AssignmentResult(
                "softmax",
                0.0,
                10.0,
                "error",
                message='SyntaxError: invalid syntax \x1b[31m(line 3)\x1b[0m\x00 <tag> & "q"',
                output="\x07bell \x1b[1mbold\x1b[0m",
            )
        ],
    )
    return [bob, carol, alice]
