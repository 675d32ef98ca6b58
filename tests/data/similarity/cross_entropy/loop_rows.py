import math

import numpy as np


def cross_entropy(y_true, y_pred, eps=1e-12):
    p = np.asarray(y_pred, dtype=float)
    t = np.asarray(y_true)
    if p.ndim != 2:
        raise ValueError("y_pred has to be a matrix of probabilities")
    rows, classes = p.shape
    if t.ndim == 1:
        if len(t) != rows or not np.issubdtype(t.dtype, np.integer):
            raise ValueError("need one integer label per row")
        onehot = np.zeros((rows, classes))
        for r, label in enumerate(t):
            if label < 0 or label >= classes:
                raise ValueError(f"label {label} out of range")
            onehot[r, label] = 1.0
        t = onehot
    elif t.shape != p.shape:
        raise ValueError("shape mismatch between y_true and y_pred")
    total = 0.0
    for r in range(rows):
        for c in range(classes):
            if t[r, c]:
                q = min(max(p[r, c], eps), 1 - eps)
                total -= t[r, c] * math.log(q)
    return total / rows
