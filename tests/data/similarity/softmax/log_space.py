import numpy as np


def softmax(x, axis=-1):
    # work in log space: log p = x - max - log(sum(exp(x - max)))
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    peak = np.amax(x, axis=axis, keepdims=True)
    safe_peak = np.where(np.isneginf(peak), 0.0, peak).astype(x.dtype)
    shifted = x - safe_peak
    with np.errstate(divide="ignore"):
        log_norm = np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    with np.errstate(invalid="ignore"):
        out = np.exp(shifted - log_norm)
    return out.astype(x.dtype)
