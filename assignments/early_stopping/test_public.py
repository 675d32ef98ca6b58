"""Public checks for early_stopping: run them with `grade check early_stopping early_stopping.py`.

They are a subset of what the hidden tests look at; passing them does not guarantee full marks.
"""

import math

import numpy as np
import pytest

from grader.testing import assert_close, check, expect_raises


@pytest.mark.points(1)
def test_initial_state(submission):
    es = submission.EarlyStopping()
    check(float(es.best) == math.inf, "best starts at inf in mode 'min'")
    check(es.best_epoch is None and es.stopped_epoch is None, "no epoch seen yet: None")
    check(es.best_weights is None, "no weights seen yet: None")


@pytest.mark.points(1)
def test_readme_example(submission):
    es = submission.EarlyStopping(patience=2)
    returned = [bool(es.step(v)) for v in [1.0, 0.8, 0.9, 0.8, 0.1]]
    check(
        returned == [False, False, False, True, True],
        f"expected [False, False, False, True, True] (README table), got {returned}",
    )
    check(es.best_epoch == 1 and es.stopped_epoch == 3, "best_epoch 1, stopped_epoch 3")
    assert_close(float(es.best), 0.8, msg="best is 0.8")


@pytest.mark.points(1)
def test_mode_max(submission):
    es = submission.EarlyStopping(patience=1, mode="max")
    returned = [bool(es.step(v)) for v in [0.5, 0.7, 0.6]]
    check(returned == [False, False, True], f"expected [False, False, True], got {returned}")
    assert_close(float(es.best), 0.7, msg="in mode 'max' the largest value is best")


@pytest.mark.points(1)
def test_best_weights(submission):
    es = submission.EarlyStopping(patience=1)
    for epoch, value in enumerate([1.0, 0.5, 0.9]):
        es.step(value, weights=[np.full(2, float(epoch))])
    kept = es.best_weights
    check(isinstance(kept, (list, tuple)) and len(kept) == 1, "best_weights is the list passed")
    assert_close(kept[0], [1.0, 1.0], msg="the weights of epoch 1, the best epoch")


@pytest.mark.points(1)
def test_bad_mode_raises(submission):
    with expect_raises(ValueError, "EarlyStopping(mode='best') must raise ValueError: mode "
                       "is 'min' or 'max', checked in __init__"):
        submission.EarlyStopping(mode="best")
