"""Right folds and scores, but cross_val_score standardises the caller's X in place first.

The scorer still sees the right rows (column order and row order are kept), yet the caller's
X comes back changed: the README says "Do not modify X or y".
"""

import numpy as np

EXPECTED_FAILURES = ["test_inputs_not_modified"]


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError("k must be an integer")
    if k < 2 or k > n_samples:
        raise ValueError("need 2 <= k <= n_samples")
    order = np.random.default_rng(seed).permutation(n_samples) if shuffle \
        else np.arange(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    start = 0
    folds = []
    for size in sizes:
        val = np.sort(order[start:start + size])
        folds.append((np.setdiff1d(np.arange(n_samples), val), val))
        start += size
    return folds


def cross_val_score(fit_and_score, X, y, k):
    X, y = np.asarray(X), np.asarray(y)
    folds = kfold_indices(len(X), k)
    scores = [float(fit_and_score(X[tr], y[tr], X[va], y[va])) for tr, va in folds]
    if X.ndim == 2 and X.shape[1] > 1 and np.issubdtype(X.dtype, np.floating):
        X[:, 1:] -= X[:, 1:].mean(axis=0)  # "for the next model": the caller's features change
    return float(np.mean(scores)), scores
