"""Public checks for cross_entropy: run them with `grade check cross_entropy cross_entropy.py`.

They are a subset of what the hidden tests look at; passing them does not guarantee full marks.
"""

import numpy as np
import pytest

from grader.testing import assert_close, check, expect_raises

Y_PRED = np.array([[0.7, 0.2, 0.1], [0.25, 0.5, 0.25]])


@pytest.mark.points(1)
def test_readme_example_one_hot(submission):
    got = submission.cross_entropy(np.array([[1, 0, 0], [0, 1, 0]]), Y_PRED)
    check(np.ndim(got) == 0, "return a single number, the mean over the batch")
    assert_close(got, 0.5249110622493389, rtol=1e-9, msg="(-log 0.7 - log 0.5) / 2")


@pytest.mark.points(1)
def test_readme_example_integer_labels(submission):
    got = submission.cross_entropy(np.array([0, 1]), Y_PRED)
    assert_close(got, 0.5249110622493389, rtol=1e-9, msg="labels [0, 1] mean the same as one-hot")


@pytest.mark.points(1)
def test_zero_probability_is_clipped(submission):
    got = submission.cross_entropy(np.array([1]), np.array([[1.0, 0.0]]))
    check(np.isfinite(got), f"log(0) must not reach the result: clip y_pred first (got {got})")
    assert_close(got, 27.631021115928547, rtol=1e-9, msg="-log(eps) for eps = 1e-12")


@pytest.mark.points(1)
def test_mean_not_sum(submission):
    got = submission.cross_entropy(np.array([0, 0, 0, 0]), np.full((4, 2), 0.5))
    assert_close(got, np.log(2.0), rtol=1e-9, msg="four samples with loss log 2 each: mean log 2")


@pytest.mark.points(1)
def test_bad_label_raises(submission):
    with expect_raises(ValueError, "label 2 with only 2 classes (0 and 1) must raise "
                       "ValueError: check that every label lies in 0 .. C-1"):
        submission.cross_entropy(np.array([0, 2]), np.full((2, 2), 0.5))
