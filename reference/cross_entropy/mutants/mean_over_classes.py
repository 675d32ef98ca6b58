"""Cross-entropy averaged over samples and classes (np.mean of y * log y_hat): C times too small."""

import numpy as np

EXPECTED_FAILURES = [
    "test_known_values",
    "test_one_hot_random_batch",
    "test_probabilities_zero_and_one[confidently_wrong]",
    "test_probabilities_zero_and_one[mixed_one_hot]",
    "test_mean_over_batch_not_sum",
]


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must be 2-D")
    n, c = y_pred.shape
    if y_true.ndim == 1:
        if len(y_true) != n or not np.issubdtype(y_true.dtype, np.integer):
            raise ValueError("bad labels")
        if np.any((y_true < 0) | (y_true >= c)):
            raise ValueError("label out of range")
        y_true = np.eye(c)[y_true]
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError("bad one-hot shape")
    return float(-np.mean(y_true * np.log(np.clip(y_pred, eps, 1 - eps))))
