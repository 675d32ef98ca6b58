"""Softmax that subtracts the maximum of the whole array instead of each slice's maximum.

Fine when all rows have the same scale; a row far below the global maximum underflows to 0/0.
"""

import numpy as np

EXPECTED_FAILURES = ["test_large_inputs_do_not_overflow"]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    exps = np.exp(x - np.max(x))
    with np.errstate(invalid="ignore"):
        return exps / np.sum(exps, axis=axis, keepdims=True)
