"""Softmax that always normalises along the last axis, whatever ``axis`` says."""

import numpy as np

EXPECTED_FAILURES = [
    "test_any_axis_any_shape[batch_axis0]",
    "test_any_axis_any_shape[3d_axis1]",
    "test_any_axis_any_shape[4d_axis_minus2]",
    "test_slices_sum_to_one[batch_axis0]",
    "test_slices_sum_to_one[3d_axis1]",
    "test_slices_sum_to_one[4d_axis_minus2]",
]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    shift = np.max(x, axis=-1, keepdims=True)
    shift = np.where(np.isneginf(shift), np.zeros_like(shift), shift)
    exps = np.exp(x - shift)
    totals = np.sum(exps, axis=-1, keepdims=True)
    out = np.full_like(exps, np.nan)
    np.divide(exps, totals, out=out, where=totals > 0)
    return out
