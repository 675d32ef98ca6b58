import numbers

import numpy as np


def _fold_sizes(n, k):
    sizes = [n // k] * k
    for i in range(n % k):
        sizes[i] += 1
    return sizes


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    """k (train, validation) index pairs."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError("k should be an integer")
    if not (2 <= k <= n_samples):
        raise ValueError("need 2 <= k <= n_samples")
    perm = np.random.RandomState(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    out = []
    pos = 0
    for size in _fold_sizes(n_samples, k):
        mask = np.zeros(n_samples, dtype=bool)
        mask[perm[pos:pos + size]] = True
        pos += size
        out.append((np.where(~mask)[0], np.where(mask)[0]))
    return out


def cross_val_score(fit_and_score, X, y, k):
    X, y = np.asarray(X), np.asarray(y)
    folds = kfold_indices(len(y), k)
    scores = [float(fit_and_score(X[a], y[a], X[b], y[b])) for a, b in folds]
    return sum(scores) / k, scores
