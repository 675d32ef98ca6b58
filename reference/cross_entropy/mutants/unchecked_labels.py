"""Cross-entropy that indexes with the labels without checking them.

A label -1 silently selects the last class; a label C raises IndexError, not ValueError; float
labels raise IndexError too.
"""

import numpy as np

EXPECTED_FAILURES = [
    "test_bad_shapes_raise[label_out_of_range]",
    "test_bad_shapes_raise[negative_label]",
    "test_bad_shapes_raise[float_labels]",
]


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be 2-D")
    n, _ = y_pred.shape
    log_probs = np.log(np.clip(y_pred, eps, 1 - eps))
    if y_true.ndim == 1:
        if len(y_true) != n:
            raise ValueError("one label per row of y_pred")
        return float(np.mean(-log_probs[np.arange(n), y_true]))
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError("bad one-hot shape")
    return float(np.mean(-np.sum(y_true * log_probs, axis=1)))
