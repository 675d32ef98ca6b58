"""k-fold where the last fold collects the remainder: sizes q, q, ..., q + r.

For n=10, k=3 this gives 3, 3, 4 instead of KFold's 4, 3, 3; for n=11, k=4 it gives 2, 2, 2, 5,
so sizes differ by more than one.
"""

import numbers

import numpy as np

EXPECTED_FAILURES = [
    "test_fold_sizes_match_kfold[remainder_one]",
    "test_fold_sizes_match_kfold[remainder_several]",
    "test_fold_sizes_match_kfold[many_samples]",
    "test_fold_sizes_match_kfold[two_folds_odd]",
    "test_no_shuffle_consecutive_in_order",
    "test_cross_val_score_passes_fold_slices",
    "test_cross_val_score_returns_mean_and_scores",
]


def _check_k(n_samples, k):
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError("k must be an integer")
    if k < 2 or k > n_samples:
        raise ValueError("need 2 <= k <= n_samples")


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    _check_k(n_samples, k)
    order = np.arange(n_samples)
    if shuffle:
        order = np.random.default_rng(seed).permutation(n_samples)
    size = n_samples // k
    folds = []
    for i in range(k):
        stop = n_samples if i == k - 1 else (i + 1) * size
        val = np.sort(order[i * size : stop])
        folds.append((np.setdiff1d(np.arange(n_samples), val), val))
    return folds


def cross_val_score(fit_and_score, X, y, k):
    X, y = np.asarray(X), np.asarray(y)
    scores = [
        float(fit_and_score(X[train], y[train], X[val], y[val]))
        for train, val in kfold_indices(len(X), k)
    ]
    return float(np.mean(scores)), scores
