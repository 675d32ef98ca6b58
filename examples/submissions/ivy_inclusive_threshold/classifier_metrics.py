"""Ivy's classifier metrics: right almost everywhere, but a score equal to the threshold is
counted as negative (`>` where the lecture says `>=`), which the hidden tests catch."""

import numpy as np


def confusion_matrix(y_true, y_pred, n_classes, normalize=False):
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred must have the same length")
    if len(y_true) and (y_true.min() < 0 or y_pred.min() < 0
                        or y_true.max() >= n_classes or y_pred.max() >= n_classes):
        raise ValueError("labels must be between 0 and n_classes - 1")
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    if normalize:
        totals = cm.sum(axis=1, keepdims=True)
        return np.where(totals > 0, cm / np.maximum(totals, 1), 0.0)
    return cm


def binary_rates(y_true, scores, threshold):
    predicted = scores > threshold
    tp = int(np.sum(predicted & (y_true == 1)))
    tn = int(np.sum(~predicted & (y_true == 0)))
    fp = int(np.sum(predicted & (y_true == 0)))
    fn = int(np.sum(~predicted & (y_true == 1)))
    return {
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
        "accuracy": (tp + tn) / len(y_true),
        "sensitivity": tp / (tp + fn) if tp + fn else float("nan"),
        "specificity": tn / (tn + fp) if tn + fp else float("nan"),
    }


def roc_curve(y_true, scores):
    if len(np.unique(y_true)) < 2:
        raise ValueError("need both classes")
    thresholds = np.concatenate([[np.inf], np.unique(scores)[::-1]])
    n_pos, n_neg = np.sum(y_true == 1), np.sum(y_true == 0)
    tpr = np.array([np.sum((scores >= t) & (y_true == 1)) / n_pos for t in thresholds])
    fpr = np.array([np.sum((scores >= t) & (y_true == 0)) / n_neg for t in thresholds])
    return fpr, tpr, thresholds


def auc(fpr, tpr):
    if len(fpr) != len(tpr) or len(fpr) < 2 or np.any(np.diff(fpr) < 0):
        raise ValueError("bad curve")
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2))
