import numpy as np


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_pred = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1.0 - eps)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        picked = y_pred[np.arange(len(y_true)), y_true.astype(int)]
        return float(-np.mean(np.log(picked)))
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))
