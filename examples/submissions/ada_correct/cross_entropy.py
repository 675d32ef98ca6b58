import numpy as np


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be a 2-D array of shape (n_samples, n_classes)")
    n, n_classes = y_pred.shape
    if y_true.ndim == 1:
        if not np.issubdtype(y_true.dtype, np.integer):
            raise ValueError("integer labels are required")
        if len(y_true) != n or y_true.min() < 0 or y_true.max() >= n_classes:
            raise ValueError("labels must be one per row, in 0 .. n_classes - 1")
        y_true = np.eye(n_classes)[y_true]
    elif y_true.shape != y_pred.shape:
        raise ValueError("one-hot labels must have the shape of y_pred")
    y_pred = np.clip(y_pred, eps, 1.0 - eps)
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))
