import numpy as np


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    if type(k) is bool or not np.issubdtype(type(k), np.integer):
        raise ValueError("k has to be an integer")
    if k < 2:
        raise ValueError("k too small")
    if k > n_samples:
        raise ValueError("k larger than the number of samples")
    everything = np.arange(n_samples)
    if shuffle:
        everything = np.random.default_rng(seed).permutation(everything)
    edges = np.linspace(0, n_samples, k + 1)
    sizes = np.diff(np.floor(edges)).astype(int)
    sizes = np.sort(sizes)[::-1]
    ends = np.cumsum(sizes)
    folds = []
    for end, size in zip(ends, sizes):
        validation = np.sort(everything[end - size:end])
        training = np.setdiff1d(np.arange(n_samples), validation)
        folds.append((training, validation))
    return folds


def cross_val_score(fit_and_score, X, y, k):
    data, target = np.asarray(X), np.asarray(y)
    fold_scores = []
    for train_part, val_part in kfold_indices(len(data), k):
        fold_scores.append(float(fit_and_score(data[train_part], target[train_part],
                                               data[val_part], target[val_part])))
    return float(np.average(fold_scores)), fold_scores
