"""Public checks for kfold: run them with `grade check kfold kfold.py`.

They are a subset of what the hidden tests look at; passing them does not guarantee full marks.
"""

import numpy as np
import pytest

from grader.testing import assert_close, check, expect_raises


@pytest.mark.points(1)
def test_readme_example(submission):
    folds = list(submission.kfold_indices(5, 2))
    check(len(folds) == 2, f"expected 2 folds, got {len(folds)}")
    (train0, val0), (train1, val1) = folds
    check(list(val0) == [0, 1, 2] and list(train0) == [3, 4], "fold 0 validates 0, 1, 2")
    check(list(val1) == [3, 4] and list(train1) == [0, 1, 2], "fold 1 validates 3, 4")


@pytest.mark.points(1)
def test_first_folds_are_larger(submission):
    sizes = [len(val) for _, val in submission.kfold_indices(10, 3)]
    check(sizes == [4, 3, 3], f"n=10, k=3 must give sizes [4, 3, 3], got {sizes}")


@pytest.mark.points(1)
def test_same_seed_same_folds(submission):
    a = [sorted(val) for _, val in submission.kfold_indices(30, 3, shuffle=True, seed=1)]
    b = [sorted(val) for _, val in submission.kfold_indices(30, 3, shuffle=True, seed=1)]
    check(a == b, "the same seed must give the same folds")


@pytest.mark.points(1)
def test_k_equal_one_raises(submission):
    with expect_raises(ValueError, "kfold_indices(10, 1) must raise ValueError: one fold "
                       "leaves nothing to train on (2 <= k <= n_samples)"):
        list(submission.kfold_indices(10, 1))


@pytest.mark.points(1)
def test_cross_val_score_averages(submission):
    calls = []

    def fit_and_score(X_train, y_train, X_val, y_val):
        calls.append(len(X_val))
        return float(np.sum(y_val))

    X = np.arange(12, dtype=float).reshape(6, 2)
    mean, scores = submission.cross_val_score(fit_and_score, X, np.arange(6.0), 3)
    check(calls == [2, 2, 2], f"expected 3 calls with 2 validation rows each, got {calls}")
    assert_close(scores, [1.0, 5.0, 9.0], msg="scores of folds {0,1}, {2,3}, {4,5}")
    assert_close(mean, 5.0, msg="the mean of the three scores")
