"""Reference solution of classifier_metrics: the lecture's metrics written with numpy.

The ROC curve sorts the scores once, in decreasing order, and keeps the last sample of each
run of equal scores: every distinct score is one threshold, so tied samples become positive
together, exactly as ``sklearn.metrics.roc_curve(..., drop_intermediate=False)`` counts them.
"""

from __future__ import annotations

import numpy as np


def _labels(y: object, name: str) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def confusion_matrix(y_true, y_pred, n_classes, normalize=False):
    """Counts ``cm[i, j]`` of samples of true class ``i`` predicted as ``j``."""
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if len(t) != len(p):
        raise ValueError(f"y_true has {len(t)} labels but y_pred has {len(p)}")
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1")
    for name, arr in (("y_true", t), ("y_pred", p)):
        if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
            raise ValueError(f"{name} holds a label outside 0 .. {n_classes - 1}")
    cm = np.bincount(t * n_classes + p, minlength=n_classes * n_classes)
    cm = cm.reshape(n_classes, n_classes).astype(np.int64)
    if not normalize:
        return cm
    rows = cm.sum(axis=1, keepdims=True)
    return np.divide(cm, rows, out=np.zeros(cm.shape, dtype=np.float64), where=rows > 0)


def _binary(y_true: object, scores: object) -> tuple[np.ndarray, np.ndarray]:
    t = _labels(y_true, "y_true")
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1 or len(s) != len(t):
        raise ValueError("scores must be 1-D and as long as y_true")
    if t.size == 0:
        raise ValueError("no samples")
    if not np.isin(t, (0, 1)).all():
        raise ValueError("y_true must hold only 0 and 1")
    return t, s


def binary_rates(y_true, scores, threshold):
    """TP, TN, FP, FN and the rates of the rule ``score >= threshold`` means positive."""
    t, s = _binary(y_true, scores)
    pred = s >= threshold
    tp = int(np.sum(pred & (t == 1)))
    fp = int(np.sum(pred & (t == 0)))
    fn = int(np.sum(~pred & (t == 1)))
    tn = int(np.sum(~pred & (t == 0)))
    return {
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": (tp + tn) / len(t),
        "sensitivity": tp / (tp + fn) if tp + fn else float("nan"),
        "specificity": tn / (tn + fp) if tn + fp else float("nan"),
    }


def roc_curve(y_true, scores):
    """``(fpr, tpr, thresholds)``: one point per distinct score, from (0, 0) to (1, 1)."""
    t, s = _binary(y_true, scores)
    n_pos = int(t.sum())
    n_neg = len(t) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("the ROC curve needs both classes in y_true")
    order = np.argsort(-s, kind="stable")
    s, t = s[order], t[order]
    last_of_run = np.r_[s[1:] != s[:-1], True]
    tps = np.cumsum(t)[last_of_run]
    fps = np.cumsum(1 - t)[last_of_run]
    fpr = np.r_[0.0, fps / n_neg]
    tpr = np.r_[0.0, tps / n_pos]
    thresholds = np.r_[np.inf, s[last_of_run]]
    return fpr, tpr, thresholds


def auc(fpr, tpr):
    """Area under the curve through the points ``(fpr[i], tpr[i])`` by the trapezoid rule."""
    x = np.asarray(fpr, dtype=np.float64)
    y = np.asarray(tpr, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
        raise ValueError("fpr and tpr must be 1-D, of the same length, with at least 2 points")
    if np.any(np.diff(x) < 0):
        raise ValueError("fpr must be non-decreasing")
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))
