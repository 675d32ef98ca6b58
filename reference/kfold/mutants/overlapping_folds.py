"""k-fold whose validation blocks overlap: each block reaches one index into the next fold.

Some indices are validated twice, and train and validation no longer partition the indices in
the way KFold's do.
"""

import numbers

import numpy as np

EXPECTED_FAILURES = [
    "test_fold_sizes_match_kfold[remainder_one]",
    "test_fold_sizes_match_kfold[remainder_several]",
    "test_fold_sizes_match_kfold[many_samples]",
    "test_fold_sizes_match_kfold[divisible]",
    "test_folds_partition_indices",
    "test_no_shuffle_consecutive_in_order",
    "test_cross_val_score_passes_fold_slices",
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
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    start = 0
    folds = []
    for size in sizes:
        val = np.sort(order[start : start + size + 1])
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
