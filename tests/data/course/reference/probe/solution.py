import numpy as np


def softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)
