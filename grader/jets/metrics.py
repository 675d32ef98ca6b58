"""Scores of a jet classifier, computed on the trusted side from the probabilities alone.

Everything here takes the true integer labels (kept on the trusted side) and the score matrix
that came back from the worker, and returns plain floats and lists: what the hidden suite
grades and what the report draws. Numpy and scikit-learn only; never TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from grader.jets.data import LABELS

MAX_ROC_POINTS = 200
MAX_EPOCHS = 1_000
"""Epochs of a training history kept for the report (the rest of a longer one is dropped)."""


def accuracy(y_true: Any, scores: Any) -> float:
    """Fraction of jets whose highest score is their true class."""
    y_true, scores = _check(y_true, scores)
    return float(np.mean(np.argmax(scores, axis=1) == y_true))


def auc_per_class(y_true: Any, scores: Any, labels: Sequence[str] = LABELS) -> dict[str, float]:
    """One-vs-rest ROC AUC of each class: that class against the four others.

    Scores need not be probabilities (logits rank the same). A class absent from
    ``y_true`` (or present alone) has no AUC and maps to NaN.
    """
    from sklearn.metrics import roc_auc_score

    y_true, scores = _check(y_true, scores, len(labels))
    out: dict[str, float] = {}
    for k, label in enumerate(labels):
        positive = y_true == k
        if positive.all() or not positive.any() or not np.isfinite(scores[:, k]).all():
            out[label] = math.nan
        else:
            out[label] = float(roc_auc_score(positive, scores[:, k]))
    return out


def macro_auc(y_true: Any, scores: Any, labels: Sequence[str] = LABELS) -> float:
    """Unweighted mean of the one-vs-rest AUCs (NaN when no class has one)."""
    values = [v for v in auc_per_class(y_true, scores, labels).values() if not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


def confusion(y_true: Any, scores: Any, n_classes: int = len(LABELS)) -> np.ndarray:
    """Row-normalised confusion matrix: row = true class, column = predicted class.

    Each row sums to one (a class absent from ``y_true`` gives a row of zeros).
    """
    y_true, scores = _check(y_true, scores, n_classes)
    predicted = np.argmax(scores, axis=1)
    counts = np.zeros((n_classes, n_classes), dtype=np.float64)
    np.add.at(counts, (y_true, predicted), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def roc_curves(
    y_true: Any,
    scores: Any,
    labels: Sequence[str] = LABELS,
    max_points: int = MAX_ROC_POINTS,
) -> dict[str, dict[str, list[float]]]:
    """One-vs-rest ROC curve of each class, at most ``max_points`` points each.

    The full curve of 166,000 test jets has tens of thousands of points; the report needs a
    line, so the points are thinned evenly along the curve, keeping both ends.
    """
    from sklearn.metrics import roc_curve

    y_true, scores = _check(y_true, scores, len(labels))
    curves: dict[str, dict[str, list[float]]] = {}
    for k, label in enumerate(labels):
        positive = y_true == k
        if positive.all() or not positive.any() or not np.isfinite(scores[:, k]).all():
            curves[label] = {"fpr": [], "tpr": []}
            continue
        fpr, tpr, _ = roc_curve(positive, scores[:, k])
        keep = _thin(len(fpr), max_points)
        curves[label] = {
            "fpr": [round(float(v), 6) for v in fpr[keep]],
            "tpr": [round(float(v), 6) for v in tpr[keep]],
        }
    return curves


def tier_credit(value: float, full: float, zero: float) -> float:
    """Linear partial credit: 1 at ``full`` or beyond, 0 at ``zero`` or beyond, linear between.

    Works in either direction (``full < zero`` for a quantity where lower is better, such
    as a loss or a time). NaN earns nothing.
    """
    if full == zero:
        raise ValueError("tier_credit needs full != zero")
    if value is None or not math.isfinite(value):
        return 0.0
    fraction = (value - zero) / (full - zero)
    return float(min(1.0, max(0.0, fraction)))


def make_artifacts(
    y_true: Any,
    scores: Any,
    history: Mapping[str, Sequence[float]] | None = None,
    labels: Sequence[str] = LABELS,
) -> dict[str, Any]:
    """Everything the report draws for one graded model, as plain JSON-ready data.

    ``{"metrics": {"accuracy", "macro_auc", "auc": {label: float}}, "roc": {label: {"fpr",
    "tpr"}}, "confusion": {"labels", "matrix"}}`` plus ``"history": {"loss", "val_loss"}``
    when a training history is given (training ran in the grader). Non-finite numbers
    become None so the result stays valid JSON.
    """
    aucs = auc_per_class(y_true, scores, labels)
    artifacts: dict[str, Any] = {
        "metrics": {
            "accuracy": _finite(accuracy(y_true, scores)),
            "macro_auc": _finite(macro_auc(y_true, scores, labels)),
            "auc": {label: _finite(v) for label, v in aucs.items()},
        },
        "roc": roc_curves(y_true, scores, labels),
        "confusion": {
            "labels": list(labels),
            "matrix": [
                [round(float(v), 6) for v in row] for row in confusion(y_true, scores, len(labels))
            ],
        },
    }
    if history is not None:
        # A history comes from student code: keep the first MAX_EPOCHS epochs, no more.
        artifacts["history"] = {
            key: [_finite(v) for v in _as_list(history.get(key), MAX_EPOCHS)]
            for key in ("loss", "val_loss")
        }
    return artifacts


def most_confused_pairs(
    matrix: Any, labels: Sequence[str] = LABELS, top: int = 3
) -> list[tuple[str, str, float]]:
    """Class pairs ranked by how often they are mistaken for each other (both directions)."""
    m = np.asarray(matrix, dtype=float)
    pairs = [
        (labels[i], labels[j], float(m[i, j] + m[j, i]))
        for i in range(len(labels))
        for j in range(i + 1, len(labels))
    ]
    return sorted(pairs, key=lambda p: -p[2])[:top]


def _check(y_true: Any, scores: Any, n_classes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true).astype(np.int64).ravel()
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] != y.shape[0]:
        raise ValueError(f"scores must have shape ({y.shape[0]}, n_classes), got {s.shape}")
    if n_classes is not None and s.shape[1] != n_classes:
        raise ValueError(f"scores must have {n_classes} columns, got {s.shape[1]}")
    return y, s


def _thin(n: int, max_points: int) -> np.ndarray:
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, max_points)).astype(np.int64))


def _finite(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _as_list(values: Any, limit: int) -> list[Any]:
    if values is None:
        return []
    try:
        if isinstance(values, list | tuple):
            values = values[:limit]
        return list(np.asarray(values, dtype=float).ravel()[:limit])
    except (TypeError, ValueError):
        return []
