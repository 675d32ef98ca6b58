"""Softmax that allocates its output with ``np.empty_like(x)``: integer input stays integer.

The probabilities are truncated to 0 (or 1) when stored in an integer array.
"""

import numpy as np

EXPECTED_FAILURES = ["test_output_dtype[int64]", "test_output_dtype[list_of_ints]"]


def softmax(x, axis=-1):
    x = np.asarray(x)
    out = np.empty_like(x)
    shift = np.max(x, axis=axis, keepdims=True)
    exps = np.exp(x - shift)
    out[...] = exps / np.sum(exps, axis=axis, keepdims=True)
    return out
