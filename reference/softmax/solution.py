"""Reference solution: numerically stable softmax along any axis."""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax of ``x`` along ``axis``, evaluated at ``x - max(x)`` so that nothing overflows.

    Floating inputs keep their dtype, everything else becomes float64. ``-inf`` entries give
    exactly 0; a slice that is ``-inf`` everywhere has no softmax and gives ``nan``, without a
    warning.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    shift = np.max(x, axis=axis, keepdims=True)
    # An all -inf slice has max -inf; shifting by it would compute -inf - (-inf) = nan with a
    # warning. Shift such slices by 0 instead: their exps are all 0 and are handled below.
    shift = np.where(np.isneginf(shift), np.zeros_like(shift), shift)
    exps = np.exp(x - shift)
    totals = np.sum(exps, axis=axis, keepdims=True)
    out = np.full_like(exps, np.nan)
    np.divide(exps, totals, out=out, where=totals > 0)
    return out
