"""k-fold without validation of k: k=1 (and k=0, floats, k > n) are not rejected.

With k=1 the single fold validates on everything and trains on nothing.
"""

import numpy as np

EXPECTED_FAILURES = [
    "test_bad_k_raises[k1]",
    "test_bad_k_raises[k_above_n]",
    "test_bad_k_raises[k_whole_float]",
    "test_bad_k_raises[cross_val_score_k1]",
]


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    k = int(k)
    order = np.arange(n_samples)
    if shuffle:
        order = np.random.default_rng(seed).permutation(n_samples)
    sizes = np.full(max(k, 0), n_samples // max(k, 1))
    sizes[: n_samples % max(k, 1)] += 1
    start = 0
    folds = []
    for size in sizes:
        val = np.sort(order[start : start + size])
        start += size
        folds.append((np.setdiff1d(np.arange(n_samples), val), val))
    return folds


def cross_val_score(fit_and_score, X, y, k):
    X, y = np.asarray(X), np.asarray(y)
    scores = [
        float(fit_and_score(X[train], y[train], X[val], y[val]))
        for train, val in kfold_indices(len(X), k)
    ]
    return float(np.mean(scores)), scores
