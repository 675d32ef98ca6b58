"""Correct alternative: treat log(clipped probabilities) as logits and apply log-softmax.

For rows that sum to one, log_softmax(log p) = log p. After clipping a row may sum to 1 +/- C*eps,
so this version renormalises where the reference does not; the difference is about C*eps, far
inside the suite's tolerance for small eps.
"""

import numpy as np


def _log_softmax(z):
    m = np.max(z, axis=1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))


def _targets(y_true, n_samples, n_classes):
    if y_true.ndim == 2:
        if y_true.shape != (n_samples, n_classes):
            raise ValueError("one-hot targets must have the shape of y_pred")
        return y_true.astype(np.float64)
    if y_true.ndim != 1:
        raise ValueError("y_true must be 1-D labels or 2-D one-hot rows")
    if y_true.dtype.kind not in "iu":
        raise ValueError("labels must be integers")
    if y_true.size != n_samples:
        raise ValueError("one label per sample")
    if y_true.size and (y_true.min() < 0 or y_true.max() >= n_classes):
        raise ValueError("labels must be class indices 0 .. C-1")
    return (y_true[:, None] == np.arange(n_classes)).astype(np.float64)


def cross_entropy(y_true, y_pred, eps=1e-12):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError("y_pred must have shape (N, C)")
    targets = _targets(np.asarray(y_true), *y_pred.shape)
    logits = np.log(np.clip(y_pred, eps, 1 - eps))
    return float(-np.einsum("nc,nc->", targets, _log_softmax(logits)) / len(targets))
