"""Public checks for classifier_metrics: `grade check classifier_metrics classifier_metrics.py`.

They are the README's examples; passing them does not guarantee full marks.
"""

import math

import numpy as np
import pytest

from grader.testing import assert_close, check


@pytest.mark.points(1)
def test_readme_confusion_matrix(submission):
    y_true, y_pred = np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1])
    cm = submission.confusion_matrix(y_true, y_pred, 3)
    assert_close(cm, [[1, 1, 0], [0, 1, 0], [0, 1, 0]],
                 msg="rows are the true class, columns the predicted class")
    norm = submission.confusion_matrix(y_true, y_pred, 3, normalize=True)
    assert_close(norm[0], [0.5, 0.5, 0.0], msg="each row divided by its sum")


@pytest.mark.points(1)
def test_threshold_is_inclusive(submission):
    rates = submission.binary_rates(np.array([0, 1, 1, 0]), np.array([0.2, 0.5, 0.9, 0.5]), 0.5)
    got = {key: rates[key] for key in ("tp", "tn", "fp", "fn")}
    check(got == {"tp": 2, "tn": 1, "fp": 1, "fn": 0},
          f"score >= 0.5 is positive: expected tp=2, tn=1, fp=1, fn=0, got {got}")
    assert_close(rates["accuracy"], 0.75, msg="accuracy = (tp + tn) / n")


@pytest.mark.points(1)
def test_no_positive_gives_nan_sensitivity(submission):
    rates = submission.binary_rates(np.array([0, 0, 0]), np.array([0.1, 0.6, 0.9]), 0.5)
    check(math.isnan(rates["sensitivity"]), "without positives sensitivity is 0/0: NaN")
    assert_close(rates["specificity"], 1 / 3, msg="one of three negatives is below 0.5")


@pytest.mark.points(1)
def test_roc_with_a_tie(submission):
    fpr, tpr, thresholds = submission.roc_curve(np.array([0, 1, 0, 1]),
                                                np.array([0.1, 0.4, 0.4, 0.8]))
    assert_close(fpr, [0.0, 0.0, 0.5, 1.0], msg="fpr: the tied pair at 0.4 is one point")
    assert_close(tpr, [0.0, 0.5, 1.0, 1.0], msg="tpr: the tied pair at 0.4 is one point")
    check(thresholds[0] == np.inf, "thresholds[0] is inf: the point (0, 0)")


@pytest.mark.points(1)
def test_auc_trapezoid(submission):
    assert_close(submission.auc(np.array([0.0, 0.0, 0.5, 1.0]), np.array([0.0, 0.5, 1.0, 1.0])),
                 0.875, msg="the diagonal step from (0, 0.5) to (0.5, 1) counts half its box")
