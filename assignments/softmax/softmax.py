# %% [markdown]
# # Assignment: a numerically stable softmax
#
# The softmax turns a vector of real scores (logits) into a probability distribution:
#
#     softmax(x)_i = exp(x_i) / sum_j exp(x_j)
#
# Written like that it breaks on a computer. `exp(1000)` overflows to `inf`, and `inf / inf` is
# `nan`; `exp(-1000)` underflows to `0`, and `0 / 0` is `nan` too. The lecture's fix: softmax does
# not change when the same constant is subtracted from every entry, so evaluate it at
# `z = x - max(x)`. The largest entry of `z` is then `0`, `exp` never overflows, and the
# denominator is at least `1`.
#
# The full task, with every input, edge case and error, is in `README.md`: it is the contract your code is graded against.

# %%
"""Assignment: a numerically stable softmax (see README.md for the full task)."""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Return the softmax of ``x`` along ``axis``.

    Parameters
    ----------
    x : array_like
        Scores of any shape with at least one entry along ``axis``.
    axis : int, default -1
        The axis along which the output sums to one.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``; same dtype for floating ``x``, ``float64`` otherwise.
        Entries ``-inf`` give exactly 0; a slice that is ``-inf`` everywhere gives ``nan``.

    Hint: ``exp(1000)`` overflows. Subtract the maximum along ``axis`` first.
    """
    raise NotImplementedError("softmax is not written yet")

# %% [markdown]
# Write your solution in the cell above, replacing each `raise NotImplementedError`. Keep the names and signatures. The notebook is run from top to bottom when it is graded, so do not leave cells that fail or wait for input.
#
# Self-check before you submit: `grade check softmax softmax.ipynb`
