import numpy as np


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 2 or k > n_samples:
        raise ValueError(f"k must be an integer between 2 and n_samples, got {k!r}")
    order = np.arange(n_samples)
    if shuffle:
        order = np.random.default_rng(seed).permutation(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    folds = []
    start = 0
    for size in sizes:
        val = order[start:start + size]
        train = np.concatenate([order[:start], order[start + size:]])
        folds.append((train, val))
        start += size
    return folds


def cross_val_score(fit_and_score, X, y, k):
    scores = []
    for train, val in kfold_indices(len(X), k):
        scores.append(float(fit_and_score(X[train], y[train], X[val], y[val])))
    return float(np.mean(scores)), scores
