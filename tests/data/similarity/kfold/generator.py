import numpy as np


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise ValueError("k must be an int")
    if k < 2 or k > n_samples:
        raise ValueError("k out of range")
    idx = np.arange(n_samples)
    if shuffle:
        rng = np.random.default_rng(seed)
        rng.shuffle(idx)
    base, extra = divmod(n_samples, k)
    start = 0
    for fold in range(k):
        size = base + (1 if fold < extra else 0)
        val = idx[start:start + size]
        train = np.concatenate([idx[:start], idx[start + size:]])
        yield np.sort(train), np.sort(val)
        start += size


def cross_val_score(fit_and_score, X, y, k):
    X = np.asarray(X)
    y = np.asarray(y)
    results = []
    for tr, va in kfold_indices(X.shape[0], k):
        results.append(float(fit_and_score(X[tr], y[tr], X[va], y[va])))
    return float(np.mean(results)), results
