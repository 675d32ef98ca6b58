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
