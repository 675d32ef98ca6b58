# %% [markdown]
# # Assignment: classifier metrics by hand (see README.md for the full task)
#
# Write the four functions below with numpy only; `sklearn.metrics` is not allowed.

# %%
"""Assignment: classifier metrics by hand (see README.md for the full task)."""

import numpy as np


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int, normalize: bool = False
) -> np.ndarray:
    """Return the ``(n_classes, n_classes)`` confusion matrix: row = true class, column = predicted.

    Counts (int64) by default; with ``normalize=True`` each row is divided by its sum (float64),
    and the row of a class that never occurs in ``y_true`` is all zeros.

    Raises
    ------
    ValueError
        If the two arrays differ in length or hold a label outside ``0 .. n_classes - 1``.
    """
    raise NotImplementedError("confusion_matrix is not written yet")


def binary_rates(y_true: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Count TP, TN, FP, FN for the rule ``score >= threshold`` means positive, and the rates.

    Returns a dict with the keys ``tp``, ``tn``, ``fp``, ``fn`` (int) and ``accuracy``,
    ``sensitivity``, ``specificity`` (float; NaN when the class it divides by is absent).
    """
    raise NotImplementedError("binary_rates is not written yet")


def roc_curve(
    y_true: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(fpr, tpr, thresholds)``: one point per distinct score, plus ``(0, 0)`` first.

    Raises
    ------
    ValueError
        If ``y_true`` holds only one class.
    """
    raise NotImplementedError("roc_curve is not written yet")


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under the curve through the points ``(fpr[i], tpr[i])``, by the trapezoid rule.

    Raises
    ------
    ValueError
        If the arrays differ in length, hold fewer than two points or ``fpr`` decreases.
    """
    raise NotImplementedError("auc is not written yet")
