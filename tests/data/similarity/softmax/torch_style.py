import numpy as np


def _stable_shift(values, dim):
    hi = np.max(values, axis=dim, keepdims=True)
    hi = np.nan_to_num(hi, neginf=0.0)
    return values - hi


def softmax(x, axis=-1):
    values = np.asarray(x)
    values = values if values.dtype.kind == "f" else values.astype("float64")
    exps = np.exp(_stable_shift(values, axis))
    sums = np.sum(exps, axis=axis, keepdims=True)
    probs = np.divide(exps, sums, out=np.full(exps.shape, np.nan, dtype=exps.dtype),
                      where=sums != 0)
    return probs
