"""Correct alternative: plain Python loops, the ROC curve one threshold at a time.

Slow (quadratic in the number of samples) but exactly the lecture's definitions: for each
distinct score, from high to low, count the rates of ``score >= t``. Labels arrive as numpy
integers, validated by hand; the absent-class rates come back as ``math.nan``.
"""

import math

import numpy as np


def confusion_matrix(y_true, y_pred, n_classes, normalize=False):
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    cm = [[0] * n_classes for _ in range(n_classes)]
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if not (0 <= t < n_classes and 0 <= p < n_classes):
            raise ValueError("label out of range")
        cm[t][p] += 1
    if not normalize:
        return np.array(cm, dtype=np.int64)
    out = []
    for row in cm:
        total = sum(row)
        out.append([c / total if total else 0.0 for c in row])
    return np.array(out, dtype=np.float64)


def binary_rates(y_true, scores, threshold):
    tp = tn = fp = fn = 0
    for t, s in zip(y_true.tolist(), scores.tolist()):
        positive = s >= threshold
        if t == 1 and positive:
            tp += 1
        elif t == 1:
            fn += 1
        elif positive:
            fp += 1
        else:
            tn += 1
    n = tp + tn + fp + fn
    return {
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": (tp + tn) / n,
        "sensitivity": tp / (tp + fn) if tp + fn > 0 else math.nan,
        "specificity": tn / (tn + fp) if tn + fp > 0 else math.nan,
    }


def roc_curve(y_true, scores):
    labels = y_true.tolist()
    if len(set(labels)) < 2:
        raise ValueError("roc_curve needs positives and negatives")
    fpr, tpr, thresholds = [0.0], [0.0], [math.inf]
    for t in sorted(set(scores.tolist()), reverse=True):
        rates = binary_rates(y_true, scores, t)
        fpr.append(rates["fp"] / (rates["fp"] + rates["tn"]))
        tpr.append(rates["tp"] / (rates["tp"] + rates["fn"]))
        thresholds.append(t)
    return np.array(fpr), np.array(tpr), np.array(thresholds)


def auc(fpr, tpr):
    if len(fpr) != len(tpr) or len(fpr) < 2:
        raise ValueError("need two curves of the same length, at least 2 points")
    area = 0.0
    for k in range(len(fpr) - 1):
        if fpr[k + 1] < fpr[k]:
            raise ValueError("fpr decreases")
        area += (fpr[k + 1] - fpr[k]) * (tpr[k] + tpr[k + 1]) / 2
    return area
