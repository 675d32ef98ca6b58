"""Assignment: categorical cross-entropy with clipping (see README.md for the full task)."""

import numpy as np


def cross_entropy(y_true: np.ndarray, y_pred: np.ndarray, eps: float = 1e-12) -> float:
    """Mean categorical cross-entropy of a batch.

    Parameters
    ----------
    y_true : array_like
        Integer labels of shape ``(N,)`` with values in ``0 .. C-1``, or one-hot rows of shape
        ``(N, C)``.
    y_pred : array_like, shape (N, C)
        Predicted probabilities; rows sum to one, entries may be exactly 0 or 1.
    eps : float, default 1e-12
        ``y_pred`` is clipped into ``[eps, 1 - eps]`` before the logarithm.

    Returns
    -------
    float
        ``mean_i(-sum_c y_true[i, c] * log(clip(y_pred[i, c])))``: a single finite number.

    Raises
    ------
    ValueError
        For shapes that do not fit together and labels outside ``0 .. C-1``.
    """
    yp = np.asarray(y_pred, float)
    yt = np.asarray(y_true)
    if yp.ndim != 2:
        raise ValueError("y_pred must be 2D")
    n, c = yp.shape
    yp = np.minimum(np.maximum(yp, eps), 1 - eps)
    if yt.ndim == 2:
        if yt.shape != (n, c):
            raise ValueError("one-hot shape differs")
        return float(np.mean(-np.sum(yt * np.log(yp), axis=-1)))
    if yt.shape != (n,) or not np.issubdtype(yt.dtype, np.integer):
        raise ValueError("labels must be integers, one per sample")
    if (yt < 0).any() or (yt >= c).any():
        raise ValueError("label out of range")
    picked = yp[np.arange(n), yt]
    return float(-np.log(picked).mean())
