import numpy as np


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    if k < 2 or k > n_samples:
        raise ValueError("bad k")
    idx = np.arange(n_samples)
    if shuffle:
        np.random.default_rng(seed).shuffle(idx)
    size = int(np.ceil(n_samples / k))
    folds = []
    for i in range(k):
        # the last folds reuse samples from the previous ones
        start = min(i * size, n_samples - size)
        val = idx[start:start + size]
        train = np.setdiff1d(idx, val)
        folds.append((train, val))
    return folds


def cross_val_score(fit_and_score, X, y, k):
    scores = [fit_and_score(X[t], y[t], X[v], y[v]) for t, v in kfold_indices(len(X), k)]
    return float(np.mean(scores)), scores
