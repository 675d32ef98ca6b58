"""Probe suite. HIDDEN-SUITE-CANARY-7f3a9: this text must never reach a student's output."""

import numpy as np
import pytest

from grader.testing import assert_close, check

CASES = {"small": np.array([1.0, 2.0, 3.0]), "large": np.array([1000.0, 1000.0, 999.0])}


@pytest.mark.points(2)
@pytest.mark.parametrize("case", sorted(CASES))
def test_values(submission, reference, case):
    got = submission.softmax(CASES[case])
    check(type(got) is np.ndarray, f"softmax must return a numpy array, got {type(got).__name__}")
    assert_close(got, reference.softmax(CASES[case]), msg=f"softmax of the {case} case is wrong")


@pytest.mark.points(1)
def test_equality(submission, reference):
    x = np.array([0.0, 1.0])
    got = submission.softmax(x)
    check(isinstance(got, np.ndarray) and np.allclose(got, reference.softmax(x)),
          "softmax([0, 1]) is wrong")


@pytest.mark.points(1)
def test_callback_sees_data(submission):
    seen = []

    def score(values):
        seen.append(np.asarray(values).copy())
        return float(np.sum(values))

    check("apply" in submission, "define apply(score, values)")
    total = submission.apply(score, np.arange(3.0))
    check(len(seen) == 1 and total == 3.0, "apply must call score once with the values")
