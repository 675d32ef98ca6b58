import math

import numpy as np


def softmax(x, axis=-1):
    """Softmax: move the axis to the end and do each slice by hand."""
    x = np.asarray(x)
    kind = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype("float64")
    moved = np.moveaxis(x.astype(kind), axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    result = np.empty_like(flat)
    for r in range(flat.shape[0]):
        biggest = max(flat[r])
        if math.isinf(biggest) and biggest < 0:
            result[r] = np.nan
            continue
        weights = [math.exp(v - biggest) for v in flat[r]]
        total = sum(weights)
        result[r] = [w / total for w in weights]
    return np.moveaxis(result.reshape(moved.shape), -1, axis)
