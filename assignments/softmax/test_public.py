"""Public checks for softmax: run them with `grade check softmax softmax.py`.

They are a subset of what the hidden tests look at; passing them does not guarantee full marks.
"""

import numpy as np
import pytest

from grader.testing import assert_close, check


@pytest.mark.points(1)
def test_vector(submission):
    got = np.asarray(submission.softmax(np.array([1.0, 2.0, 3.0])))
    assert_close(
        got,
        [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
        rtol=1e-9,
        msg="softmax([1, 2, 3]) should be [0.0900, 0.2447, 0.6652]",
    )


@pytest.mark.points(1)
def test_columns_sum_to_one_with_axis0(submission):
    x = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, 3.0]])
    got = np.asarray(submission.softmax(x, axis=0))
    check(got.shape == (2, 3), f"expected shape (2, 3), got {got.shape}")
    assert_close(
        got,
        [[0.5, 0.8807970779778823, 0.5], [0.5, 0.11920292202211755, 0.5]],
        rtol=1e-9,
        msg="softmax(x, axis=0) normalises each column",
    )


@pytest.mark.points(1)
def test_large_inputs(submission):
    got = np.asarray(submission.softmax(np.array([[1000.0, 1000.0], [-1000.0, -1000.0]])))
    assert_close(
        got,
        [[0.5, 0.5], [0.5, 0.5]],
        msg="softmax([1000, 1000]) and softmax([-1000, -1000]) are both [0.5, 0.5]; "
        "exp(1000) overflows and exp(-1000) underflows: subtract max(x) first",
    )


@pytest.mark.points(1)
def test_float32_stays_float32(submission):
    got = np.asarray(submission.softmax(np.array([0.0, np.log(3.0)], dtype=np.float32)))
    check(got.dtype == np.float32, f"float32 input must give float32 output, got {got.dtype}")
    assert_close(got, [0.25, 0.75], rtol=1e-6, msg="softmax([0, ln 3]) should be [0.25, 0.75]")


@pytest.mark.points(1)
def test_negative_infinity(submission):
    got = np.asarray(submission.softmax(np.array([[0.0, -np.inf], [-np.inf, -np.inf]])))
    assert_close(got[0], [1.0, 0.0], msg="softmax([0, -inf]) should be [1, 0]")
    check(bool(np.all(np.isnan(got[1]))), "a row of all -inf gives nan in every entry")
