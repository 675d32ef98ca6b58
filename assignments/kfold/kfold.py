# %% [markdown]
# # Assignment: k-fold cross-validation
#
# One train/validation split gives one noisy estimate of how well a model generalises. k-fold
# cross-validation cuts the `n` samples into `k` parts of (nearly) equal size; each part is the
# validation set exactly once while the model is trained on the other `k - 1` parts, and the `k`
# validation scores are averaged. Every sample is used for validation exactly once and for
# training `k - 1` times.
#
# You write two functions: one that produces the index sets, and one that runs a model-fitting
# function on each of them and averages the scores.
#
# The full task, with every input, edge case and error, is in `README.md`: it is the contract your code is graded against.

# %%
"""Assignment: k-fold cross-validation (see README.md for the full task)."""

from collections.abc import Callable, Iterable

import numpy as np


def kfold_indices(
    n_samples: int, k: int, shuffle: bool = False, seed: int | None = None
) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    """Return (or yield) the ``k`` pairs ``(train_idx, val_idx)`` of k-fold cross-validation.

    The first ``n_samples % k`` folds have one validation index more than the others. Without
    ``shuffle`` the validation sets are consecutive blocks in index order; with ``shuffle`` the
    indices are permuted first, reproducibly for a given ``seed``.

    Raises
    ------
    ValueError
        If ``k`` is not an integer, ``k < 2`` or ``k > n_samples``.
    """
    raise NotImplementedError("kfold_indices is not written yet")


def cross_val_score(
    fit_and_score: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], float],
    X: np.ndarray,
    y: np.ndarray,
    k: int,
) -> tuple[float, list[float]]:
    """Score ``fit_and_score`` on each of the ``k`` unshuffled folds of ``X`` and ``y``.

    Calls ``fit_and_score(X_train, y_train, X_val, y_val)`` exactly once per fold, in fold
    order, and returns ``(mean_score, per_fold_scores)``.
    """
    raise NotImplementedError("cross_val_score is not written yet")

# %% [markdown]
# Write your solution in the cell above, replacing each `raise NotImplementedError`. Keep the names and signatures. The notebook is run from top to bottom when it is graded, so do not leave cells that fail or wait for input.
#
# Self-check before you submit: `grade check kfold kfold.ipynb`
