"""Softmax that returns a uniform distribution for a slice of all -inf.

The README specifies nan for such a slice (0/0 has no value), not 1/C.
"""

import numpy as np

EXPECTED_FAILURES = ["test_negative_infinity_entries[all_entries_row]"]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    all_masked = np.all(np.isneginf(x), axis=axis, keepdims=True)
    x = np.where(all_masked, np.zeros_like(x), x)
    exps = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return exps / np.sum(exps, axis=axis, keepdims=True)
