import numpy as np


def _to_one_hot(labels, n_classes):
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError("labels outside 0..C-1")
    return np.eye(n_classes)[labels]


def cross_entropy(y_true, y_pred, eps=1e-12):
    probs = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    target = np.asarray(y_true)
    if probs.ndim != 2:
        raise ValueError("y_pred should be (N, C)")
    if target.ndim == 1:
        if target.dtype.kind not in "iu" or target.shape[0] != probs.shape[0]:
            raise ValueError("bad labels")
        target = _to_one_hot(target, probs.shape[1])
    if target.shape != probs.shape:
        raise ValueError("y_true and y_pred do not match")
    losses = -(target * np.log(probs)).sum(axis=1)
    return float(losses.mean())
