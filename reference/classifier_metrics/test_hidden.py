"""Hidden suite of classifier_metrics (21 points).

Lecture idea: a score becomes a decision at a threshold (``score >= t`` is positive); counting
decisions against the truth gives TP/TN/FP/FN and the rates; sweeping the threshold gives the
ROC curve, whose area (trapezoid rule) is the AUC; the confusion matrix normalised per true
class shows which classes are confused.

Every case is drawn from ``rng`` (seeded per submission). Each family fixes the property it
tests by construction: a tie at the threshold between a positive and a negative, tied scores
of both classes on the ROC curve (a diagonal step), a class absent from ``y_true``, a
confusion matrix that is not symmetric. The expected answers come from the reference, which
the project's tests compare with scikit-learn.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader.testing import assert_close, check, check_written_yourself, rejects

TOL = 1e-9


def _labels(rng, n: int, n_classes: int) -> np.ndarray:
    """``n`` labels in which every class occurs (``n >= n_classes``)."""
    labels = np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)])
    return rng.permutation(labels).astype(rng.choice([np.int32, np.int64]))


def _asymmetric_pair(rng, n_classes: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Labels where true class ``a`` is often predicted as ``b`` but ``b`` never as ``a``."""
    n = int(rng.integers(20, 60))
    y_true = _labels(rng, n, n_classes)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, n_classes, n))
    a, b = (int(v) for v in rng.choice(n_classes, 2, replace=False))
    y_pred[(y_true == b) & (y_pred == a)] = b
    extra = int(rng.integers(2, 5))
    y_true = np.concatenate([y_true, np.full(extra, a, dtype=y_true.dtype)])
    y_pred = np.concatenate([y_pred, np.full(extra, b, dtype=y_pred.dtype)])
    order = rng.permutation(len(y_true))
    return y_true[order], y_pred[order].astype(y_true.dtype), a, b


def _draw_confusion(rng, case: str) -> tuple[np.ndarray, np.ndarray, int]:
    if case == "two_classes":
        n_classes = 2
    elif case == "several_classes":
        n_classes = int(rng.integers(3, 6))
    else:  # many_classes
        n_classes = int(rng.integers(6, 11))
    y_true, y_pred, _, _ = _asymmetric_pair(rng, n_classes)
    return y_true, y_pred, n_classes


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("case", ["two_classes", "several_classes", "many_classes"])
def test_confusion_counts(submission, reference, rng, case):
    y_true, y_pred, n_classes = _draw_confusion(rng, case)
    got = submission.confusion_matrix(y_true, y_pred, n_classes)
    got_arr = np.asarray(got)
    check(got_arr.shape == (n_classes, n_classes),
          f"confusion_matrix for {n_classes} classes returned shape {got_arr.shape}; expected "
          f"({n_classes}, {n_classes}), one row and one column per class")
    check(np.issubdtype(got_arr.dtype, np.integer),
          f"counts must have an integer dtype (int64), got {got_arr.dtype}")
    assert_close(got_arr, reference.confusion_matrix(y_true, y_pred, n_classes), rtol=0, atol=0,
                 msg=f"confusion counts for {len(y_true)} samples of {n_classes} classes: "
                     "cm[i, j] counts the samples of true class i predicted as class j")


@pytest.mark.points(1)
def test_confusion_rows_are_true_classes(submission, rng):
    n_classes = int(rng.integers(3, 6))
    y_true, y_pred, a, b = _asymmetric_pair(rng, n_classes)
    cm = np.asarray(submission.confusion_matrix(y_true, y_pred, n_classes))
    check(cm.shape == (n_classes, n_classes), f"expected shape ({n_classes}, {n_classes})")
    want = int(np.sum((y_true == a) & (y_pred == b)))
    check(int(cm[a, b]) == want and int(cm[b, a]) == 0,
          f"samples of true class {a} predicted as {b} belong in row {a}, column {b} "
          f"(expected cm[{a}, {b}] = {want} and cm[{b}, {a}] = 0, got {cm[a, b]} and "
          f"{cm[b, a]}): rows are the true class, columns the predicted class")


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("case", ["all_present", "absent_class"])
def test_confusion_normalized_per_true_class(submission, reference, rng, case):
    n_classes = int(rng.integers(3, 7))
    y_true, y_pred, _, _ = _asymmetric_pair(rng, n_classes)
    what = f"{n_classes} classes"
    if case == "absent_class":
        # One more class than y_true holds; y_pred names it, so its column is not empty.
        missing = n_classes
        n_classes += 1
        y_pred = y_pred.copy()
        y_pred[rng.choice(len(y_pred), 2, replace=False)] = missing
        what = f"{n_classes} classes where class {missing} never occurs in y_true"
    got = np.asarray(submission.confusion_matrix(y_true, y_pred, n_classes, normalize=True))
    check(got.shape == (n_classes, n_classes), f"expected shape ({n_classes}, {n_classes})")
    check(np.issubdtype(got.dtype, np.floating), f"normalised values are floats, got {got.dtype}")
    if case == "absent_class":
        check(bool(np.isfinite(got).all()) and not got[missing].any(),
              f"for {what} its row must be all zeros (the README's choice: 0/0 is no "
              "fraction), not NaN")
    assert_close(got, reference.confusion_matrix(y_true, y_pred, n_classes, normalize=True),
                 rtol=TOL, atol=TOL,
                 msg=f"normalised confusion matrix for {what}: divide each row by its own "
                     "sum, the number of samples of that TRUE class (normalised per true "
                     "class, each present row sums to 1), not by column sums or the total")


@pytest.mark.points(1)
def test_confusion_rejects_bad_labels(submission, reference, rng):
    n_classes = int(rng.integers(3, 6))
    y_true, y_pred, _, _ = _asymmetric_pair(rng, n_classes)
    bad = y_pred.copy()
    bad[int(rng.integers(0, len(bad)))] = n_classes
    want = reference.confusion_matrix(y_true, y_pred, n_classes)
    rejects(submission.confusion_matrix, ((y_true, bad, n_classes), {}),
            valid=((y_true, y_pred, n_classes), {}),
            judge=lambda got: assert_close(got, want, rtol=0, atol=0,
                                           msg="confusion counts of a valid input"),
            what=f"a predicted label equal to n_classes={n_classes}",
            hint=f"labels must lie in 0 .. {n_classes - 1}; raise ValueError otherwise")


def _scores_with_tie_at_threshold(rng) -> tuple[np.ndarray, np.ndarray, float]:
    """Scores on a coarse grid, and a threshold that a positive and a negative score equal."""
    n = int(rng.integers(20, 80))
    grid = np.round(np.linspace(0.05, 0.95, int(rng.integers(6, 12))), 6)
    y = rng.permutation(np.r_[0, 1, rng.integers(0, 2, n - 2)])
    scores = rng.choice(grid, n)
    threshold = float(rng.choice(grid[1:-1]))
    scores[np.flatnonzero(y == 0)[0]] = threshold
    scores[np.flatnonzero(y == 1)[0]] = threshold
    return y.astype(np.int64), scores.astype(np.float64), threshold


def _counts(rates) -> dict[str, int]:
    check(isinstance(rates, dict), f"binary_rates must return a dict, got {type(rates).__name__}")
    missing = {"tp", "tn", "fp", "fn", "accuracy", "sensitivity", "specificity"} - set(rates)
    check(not missing, f"the dict returned by binary_rates lacks the keys {sorted(missing)}")
    return {key: int(rates[key]) for key in ("tp", "tn", "fp", "fn")}


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("case", ["ties_at_threshold", "continuous_scores"])
def test_binary_counts(submission, reference, rng, case):
    y, scores, threshold = _scores_with_tie_at_threshold(rng)
    if case == "continuous_scores":
        scores = rng.random(len(y))
        threshold = float(rng.uniform(0.2, 0.8))
    got = _counts(submission.binary_rates(y, scores, threshold))
    want = {k: int(v) for k, v in reference.binary_rates(y, scores, threshold).items()
            if k in ("tp", "tn", "fp", "fn")}
    tie = " (some scores equal the threshold exactly)" if case == "ties_at_threshold" else ""
    check(got == want,
          f"at threshold {threshold:g}{tie}, {len(y)} samples: expected {want}, got {got}. "
          "A sample is positive when score >= threshold; TP are positives called positive, "
          "FP negatives called positive, FN positives called negative, TN the rest")


def _distinct_rates(rng, reference) -> tuple[np.ndarray, np.ndarray, float, dict]:
    """A draw whose sensitivity and specificity differ, so that swapping them shows.

    Redrawing depends only on the draw itself, never on anything the student's code returned.
    """
    while True:
        y, scores, threshold = _scores_with_tie_at_threshold(rng)
        want = reference.binary_rates(y, scores, threshold)
        if abs(want["sensitivity"] - want["specificity"]) > 0.05:
            return y, scores, threshold, want


@pytest.mark.points(2)
def test_binary_rates(submission, reference, rng):
    y, scores, threshold, want = _distinct_rates(rng, reference)
    got = submission.binary_rates(y, scores, threshold)
    _counts(got)
    for key, formula in (("accuracy", "(tp + tn) / n"),
                         ("sensitivity", "tp / (tp + fn), the signal efficiency"),
                         ("specificity", "tn / (tn + fp), the true-negative rate")):
        assert_close(float(got[key]), want[key], rtol=TOL, atol=TOL,
                     msg=f"{key} at threshold {threshold:g} should be {formula}")


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("absent", ["no_positive", "no_negative"])
def test_binary_absent_class(submission, reference, rng, absent):
    n = int(rng.integers(5, 30))
    y = np.full(n, 0 if absent == "no_positive" else 1, dtype=np.int64)
    scores = rng.random(n)
    threshold = float(np.median(scores))
    got = submission.binary_rates(y, scores, threshold)
    _counts(got)
    undefined, defined = (("sensitivity", "specificity") if absent == "no_positive"
                          else ("specificity", "sensitivity"))
    value = float(got[undefined])
    check(math.isnan(value),
          f"with {'no positive' if absent == 'no_positive' else 'no negative'} in y_true, "
          f"{undefined} is 0/0 and must be NaN (the README's choice), got {value}")
    want = reference.binary_rates(y, scores, threshold)
    assert_close(float(got[defined]), want[defined], rtol=TOL, atol=TOL,
                 msg=f"{defined} is still defined and computed as usual")
    assert_close(float(got["accuracy"]), want["accuracy"], rtol=TOL, atol=TOL,
                 msg="accuracy is still (tp + tn) / n")


def _roc_case(rng, case: str) -> tuple[np.ndarray, np.ndarray]:
    n = int(rng.integers(15, 120))
    y = rng.permutation(np.r_[0, 1, rng.integers(0, 2, n - 2)]).astype(np.int64)
    if case == "distinct_scores":
        return y, rng.permutation(np.linspace(-2.0, 3.0, n) + rng.uniform(0, 0.001))
    scores = np.round(rng.normal(0.5 * y, 1.0), 1)
    if case == "tied_scores":
        # A positive and a negative share a score: a diagonal step on the curve.
        scores[np.flatnonzero(y == 1)[0]] = scores[np.flatnonzero(y == 0)[0]]
    return y, scores


ROC_CASES = ["distinct_scores", "tied_scores", "coarse_scores"]


def _curve(result, n_points: int, what: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    check(isinstance(result, (tuple, list)) and len(result) == 3,
          f"roc_curve must return (fpr, tpr, thresholds); got {type(result).__name__}")
    fpr, tpr, thresholds = (np.asarray(a, dtype=np.float64) for a in result)
    for name, arr in (("fpr", fpr), ("tpr", tpr), ("thresholds", thresholds)):
        check(arr.shape == (n_points,),
              f"{name} for {what} has shape {arr.shape}; expected ({n_points},): one point "
              "for each distinct score, tied samples together, plus (0, 0) at threshold inf")
    return fpr, tpr, thresholds


@pytest.mark.points(3, shared=True)
@pytest.mark.parametrize("case", ROC_CASES)
def test_roc_matches_sklearn(submission, reference, rng, case):
    y, scores = _roc_case(rng, case)
    want_fpr, want_tpr, _ = reference.roc_curve(y, scores)
    what = f"{len(y)} samples with {len(np.unique(scores))} distinct scores"
    fpr, tpr, _ = _curve(submission.roc_curve(y, scores), len(want_fpr), what)
    check(fpr[0] == 0 and tpr[0] == 0, "the curve starts at (0, 0): nothing is positive")
    msg = (f"ROC curve for {what}: point k is (FP/N, TP/P) of the rule score >= thresholds[k], "
           "thresholds decreasing; as sklearn.metrics.roc_curve(..., drop_intermediate=False)")
    assert_close(fpr, want_fpr, rtol=TOL, atol=TOL, msg="fpr: " + msg)
    assert_close(tpr, want_tpr, rtol=TOL, atol=TOL, msg="tpr: " + msg)


@pytest.mark.points(1)
def test_roc_thresholds(submission, reference, rng):
    y, scores = _roc_case(rng, "coarse_scores")
    want = reference.roc_curve(y, scores)[2]
    _, _, thresholds = _curve(submission.roc_curve(y, scores), len(want), "coarse scores")
    check(thresholds[0] == np.inf, f"thresholds[0] must be inf (the point (0, 0)), got "
                                   f"{thresholds[0]}")
    assert_close(thresholds[1:], want[1:], rtol=0, atol=0,
                 msg="thresholds[1:] are the distinct scores in decreasing order")


@pytest.mark.points(1)
def test_roc_rejects_one_class(submission, reference, rng):
    y, scores = _roc_case(rng, "coarse_scores")
    one = np.full(len(y), int(rng.integers(0, 2)), dtype=np.int64)
    want_fpr, want_tpr, _ = reference.roc_curve(y, scores)

    def judge(result) -> None:
        fpr, tpr, _ = _curve(result, len(want_fpr), "a valid input")
        assert_close(fpr, want_fpr, rtol=TOL, atol=TOL, msg="fpr of a valid input")
        assert_close(tpr, want_tpr, rtol=TOL, atol=TOL, msg="tpr of a valid input")

    rejects(submission.roc_curve, ((one, scores), {}), valid=((y, scores), {}), judge=judge,
            what=f"y_true holding only class {one[0]}",
            hint="with one class, FP/N or TP/P divides by zero: raise ValueError")


def _auc_case(rng, case: str, reference) -> tuple[np.ndarray, np.ndarray]:
    if case == "increasing_curve":
        # Strictly increasing in both: trapezoids and rectangles always differ.
        m = int(rng.integers(4, 30))
        x = np.r_[0.0, np.sort(rng.uniform(0, 1, m - 2)), 1.0]
        x = np.unique(x)
        y = np.sort(rng.uniform(0, 1, len(x)))
        y = y + np.arange(len(x)) * 1e-3
        return x, y
    y_true, scores = _roc_case(rng, "distinct_scores" if case == "distinct_roc"
                               else "tied_scores")
    fpr, tpr, _ = reference.roc_curve(y_true, scores)
    return fpr, tpr


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("case", ["distinct_roc", "tied_roc", "increasing_curve"])
def test_auc_trapezoid(submission, reference, rng, case):
    fpr, tpr = _auc_case(rng, case, reference)
    got = submission.auc(fpr, tpr)
    check(np.ndim(got) == 0, f"auc must return one number, got shape {np.shape(got)}")
    assert_close(float(got), reference.auc(fpr, tpr), rtol=TOL, atol=TOL,
                 msg=f"area under {len(fpr)} points: add (fpr[k+1] - fpr[k]) * (tpr[k] + "
                     "tpr[k+1]) / 2 over consecutive points (trapezoids; a diagonal step "
                     "counts half its box, so rectangles are not enough)")


@pytest.mark.points(1)
def test_auc_rejects_decreasing_fpr(submission, reference, rng):
    fpr, tpr = _auc_case(rng, "increasing_curve", reference)
    bad = fpr.copy()
    k = int(rng.integers(1, len(bad) - 1))
    bad[k], bad[k + 1] = bad[k + 1], bad[k]
    want = reference.auc(fpr, tpr)
    rejects(submission.auc, ((bad, tpr), {}), valid=((fpr, tpr), {}),
            judge=lambda got: assert_close(float(got), want, rtol=TOL, atol=TOL,
                                           msg="area of a valid curve"),
            what="fpr that decreases between two points",
            hint="fpr must be non-decreasing; raise ValueError otherwise")


@pytest.mark.points(1)
def test_written_yourself(submission, reference, rng, credit):
    y_true = rng.permutation(np.r_[np.zeros(5, np.int64), np.ones(5, np.int64)])
    scores = rng.random(10)
    fpr, tpr, _ = _curve(submission.roc_curve(y_true, scores), len(np.unique(scores)) + 1,
                         "ten distinct scores")
    assert_close(fpr, reference.roc_curve(y_true, scores)[0], atol=TOL,
                 msg="fpr of the ROC curve: the false positives above each threshold / negatives")
    submission.auc(fpr, tpr)
    check_written_yourself(
        submission,
        "The README asks for the metrics written with numpy: sklearn.metrics (and the "
        "grader's own grader.jets.metrics) would answer the exercise for you.",
        credit)
