"""Softmax that divides by the sum over the whole array instead of the sum along ``axis``.

Only correct for a 1-D input: in a batch the rows no longer sum to one each.
"""

import numpy as np

EXPECTED_FAILURES = [
    "test_known_values",
    "test_any_axis_any_shape[batch_last_axis]",
    "test_any_axis_any_shape[batch_axis0]",
    "test_any_axis_any_shape[3d_axis1]",
    "test_any_axis_any_shape[4d_axis_minus2]",
    "test_slices_sum_to_one",
]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isneginf(shift), np.zeros_like(shift), shift)
    exps = np.exp(x - shift)
    with np.errstate(invalid="ignore"):
        return exps / np.sum(exps)
