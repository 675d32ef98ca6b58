"""Stable softmax that subtracts the max from the caller's own array (``x -= ...``).

Every value is right, but a float array passed in comes back changed: the README says
"Do not modify x".
"""

import numpy as np

EXPECTED_FAILURES = ["test_input_not_modified"]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    shift = np.max(x, axis=axis, keepdims=True)
    x -= np.where(np.isneginf(shift), np.zeros_like(shift), shift)
    exps = np.exp(x)
    totals = np.sum(exps, axis=axis, keepdims=True)
    out = np.full_like(exps, np.nan)
    np.divide(exps, totals, out=out, where=totals > 0)
    return out
