"""Reference solution: mean categorical cross-entropy with probabilities clipped to [eps, 1-eps]."""

import numpy as np


def cross_entropy(y_true: np.ndarray, y_pred: np.ndarray, eps: float = 1e-12) -> float:
    """Mean over the batch of ``-sum_c y_true[i, c] * log(clip(y_pred[i, c], eps, 1 - eps))``.

    ``y_true`` holds integer labels of shape ``(N,)`` or one-hot rows of shape ``(N, C)``.
    Clipping keeps every per-sample loss at most ``-log(eps)``, so exact zeros in ``y_pred``
    never produce ``inf`` or ``nan``.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_pred.ndim != 2:
        raise ValueError(f"y_pred must be 2-D (N, C), got {y_pred.ndim} dimension(s)")
    n_samples, n_classes = y_pred.shape
    log_probs = np.log(np.clip(y_pred, eps, 1.0 - eps))

    if y_true.ndim == 1:
        if y_true.shape[0] != n_samples:
            raise ValueError(f"{y_true.shape[0]} labels for {n_samples} predictions")
        if not np.issubdtype(y_true.dtype, np.integer):
            raise ValueError(f"integer labels expected, got dtype {y_true.dtype}")
        if np.any((y_true < 0) | (y_true >= n_classes)):
            raise ValueError(f"labels must lie in 0 .. {n_classes - 1}")
        per_sample = -log_probs[np.arange(n_samples), y_true]
    elif y_true.ndim == 2:
        if y_true.shape != y_pred.shape:
            raise ValueError(f"one-hot y_true has shape {y_true.shape}, y_pred {y_pred.shape}")
        per_sample = -np.sum(y_true * log_probs, axis=1)
    else:
        raise ValueError(f"y_true must be 1-D labels or 2-D one-hot, got {y_true.ndim}-D")
    return float(np.mean(per_sample))
