"""Naive softmax: exp(x) / sum(exp(x)) without subtracting the max.

exp(1000) overflows to inf (inf / inf = nan) and exp(-1000) underflows to 0 (0 / 0 = nan).
"""

import numpy as np

EXPECTED_FAILURES = [
    "test_large_inputs_do_not_overflow",
    "test_huge_negative_inputs",
    "test_negative_infinity_entries[some_entries]",
]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        exps = np.exp(x)
        return exps / np.sum(exps, axis=axis, keepdims=True)
