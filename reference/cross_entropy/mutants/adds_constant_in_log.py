"""Cross-entropy as many tutorials write it: -log(y_pred + 1e-9), no clipping.

On ordinary probabilities this differs from the README's formula by about 1e-9 / p, within
the tolerance of the tests on them (the README says so). It is not clipping: an exact 0
costs -log(1e-9) = 20.72 instead of -log(eps), and eps is ignored.
"""

import numpy as np

EXPECTED_FAILURES = ["test_probabilities_zero_and_one", "test_clipping_uses_eps"]


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be 2-D")
    n, c = y_pred.shape
    log_probs = np.log(y_pred + 1e-9)
    if y_true.ndim == 1:
        if len(y_true) != n or not np.issubdtype(y_true.dtype, np.integer):
            raise ValueError("bad labels")
        if np.any((y_true < 0) | (y_true >= c)):
            raise ValueError("label out of range")
        return float(np.mean(-log_probs[np.arange(n), y_true]))
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError("bad one-hot shape")
    return float(np.mean(-np.sum(y_true * log_probs, axis=1)))
