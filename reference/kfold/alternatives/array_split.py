"""Correct alternative: np.array_split already makes the first n % k parts one longer."""

import operator

import numpy as np


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    try:
        k = operator.index(k)  # accepts int and numpy integers, refuses 3.0 and 2.5
    except TypeError:
        raise ValueError(f"k must be an integer, got {k!r}") from None
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must satisfy 2 <= k <= n_samples={n_samples}, got {k}")
    indices = np.arange(n_samples)
    if shuffle:
        indices = np.random.RandomState(seed).permutation(n_samples)
    parts = np.array_split(indices, k)
    return [(np.concatenate(parts[:i] + parts[i + 1 :]), part) for i, part in enumerate(parts)]


def cross_val_score(fit_and_score, X, y, k):
    X, y = np.asarray(X), np.asarray(y)
    per_fold = []
    for train_idx, val_idx in kfold_indices(len(X), k):
        per_fold.append(float(fit_and_score(X[train_idx], y[train_idx], X[val_idx], y[val_idx])))
    return sum(per_fold) / len(per_fold), per_fold
