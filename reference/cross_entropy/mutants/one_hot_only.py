"""Cross-entropy that only understands one-hot targets.

Integer labels of shape (N,) are multiplied into y_pred's columns by broadcasting: wrong numbers
when N equals C, a numpy broadcasting error otherwise.
"""

import numpy as np

EXPECTED_FAILURES = ["test_integer_labels", "test_one_hot_random_batch"]


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be 2-D")
    if y_true.ndim == 2 and y_true.shape != y_pred.shape:
        raise ValueError("bad one-hot shape")
    log_probs = np.log(np.clip(y_pred, eps, 1 - eps))
    return float(np.mean(-np.sum(y_true * log_probs, axis=1)))
