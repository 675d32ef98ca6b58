"""Cross-entropy that clips the caller's own array (``np.clip(..., out=y_pred)``).

Every loss is right, but the caller's exact 0s and 1s come back as eps and 1 - eps: the
README says "Do not modify y_true or y_pred".
"""

import numpy as np

EXPECTED_FAILURES = ["test_inputs_not_modified"]


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be 2-D")
    n, c = y_pred.shape
    log_probs = np.log(np.clip(y_pred, eps, 1 - eps, out=y_pred))
    if y_true.ndim == 1:
        if len(y_true) != n or not np.issubdtype(y_true.dtype, np.integer):
            raise ValueError("bad labels")
        if np.any((y_true < 0) | (y_true >= c)):
            raise ValueError("label out of range")
        return float(np.mean(-log_probs[np.arange(n), y_true]))
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError("bad one-hot shape")
    return float(np.mean(-np.sum(y_true * log_probs, axis=1)))
