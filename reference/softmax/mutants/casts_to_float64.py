"""Softmax that converts every input to float64, so float32 input comes back as float64."""

import numpy as np

EXPECTED_FAILURES = ["test_output_dtype[float32]"]


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isneginf(shift), 0.0, shift)
    exps = np.exp(x - shift)
    totals = np.sum(exps, axis=axis, keepdims=True)
    out = np.full_like(exps, np.nan)
    np.divide(exps, totals, out=out, where=totals > 0)
    return out
