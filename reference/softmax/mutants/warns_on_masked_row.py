"""Stable softmax whose all -inf slice gives its nan with a RuntimeWarning.

x - max(x) is -inf - (-inf) = nan for such a slice: the values are the README's, but the
caller sees "invalid value encountered in subtract", which the README's rules forbid.
"""

import numpy as np

EXPECTED_FAILURES = ["test_no_warnings"]


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    exps = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return exps / np.sum(exps, axis=axis, keepdims=True)
