# %% [markdown]
# # Assignment: categorical cross-entropy that never returns inf or nan
#
# A classifier that outputs class probabilities `y_hat` (for instance after a softmax) is trained
# by minimising the categorical cross-entropy between the true labels `y` and `y_hat`, averaged
# over the batch:
#
#     L = (1/N) * sum_i ( - sum_c y[i, c] * log(y_hat[i, c]) )
#
# For one sample whose true class is `t` this is simply `-log(y_hat[i, t])`: the loss is small when
# the model gives the true class a high probability and grows without bound as that probability
# goes to zero. In floating point "without bound" becomes a problem: `log(0)` is `-inf`, and
# `0 * log(0)` is `nan`, which poisons a whole training run. The lecture's fix, used by Keras
# itself, is to clip the probabilities into `[eps, 1 - eps]` before taking the logarithm, so the
# loss of a single sample is at most `-log(eps)` (about 27.63 for `eps = 1e-12`).
#
# The full task, with every input, edge case and error, is in `README.md`: it is the contract your code is graded against.

# %%
"""Assignment: categorical cross-entropy with clipping (see README.md for the full task)."""

import numpy as np


def cross_entropy(y_true: np.ndarray, y_pred: np.ndarray, eps: float = 1e-12) -> float:
    """Mean categorical cross-entropy of a batch.

    Parameters
    ----------
    y_true : array_like
        Integer labels of shape ``(N,)`` with values in ``0 .. C-1``, or one-hot rows of shape
        ``(N, C)``.
    y_pred : array_like, shape (N, C)
        Predicted probabilities; rows sum to one, entries may be exactly 0 or 1.
    eps : float, default 1e-12
        ``y_pred`` is clipped into ``[eps, 1 - eps]`` before the logarithm.

    Returns
    -------
    float
        ``mean_i(-sum_c y_true[i, c] * log(clip(y_pred[i, c])))``: a single finite number.

    Raises
    ------
    ValueError
        For shapes that do not fit together and labels outside ``0 .. C-1``.
    """
    raise NotImplementedError("cross_entropy is not written yet")

# %% [markdown]
# Write your solution in the cell above, replacing each `raise NotImplementedError`. Keep the names and signatures. The notebook is run from top to bottom when it is graded, so do not leave cells that fail or wait for input.
#
# Self-check before you submit: `grade check cross_entropy cross_entropy.ipynb`
