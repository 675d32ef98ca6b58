"""Reference solution: k-fold index sets (sklearn KFold's fold sizes) and cross-validation."""

import itertools
import numbers
from collections.abc import Callable

import numpy as np


def _check_k(n_samples: int, k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k must be an integer, got {k!r} of type {type(k).__name__}")
    if k < 2:
        raise ValueError(f"k must be at least 2, got {k}")
    if k > n_samples:
        raise ValueError(f"k={k} folds cannot be made from {n_samples} samples")


def kfold_indices(
    n_samples: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``k`` pairs ``(train_idx, val_idx)``; the first ``n_samples % k`` folds are larger.

    Without shuffling, validation sets are consecutive blocks in order; with shuffling the
    indices are permuted by ``np.random.default_rng(seed)`` before being cut into blocks.
    Both arrays of a fold are returned sorted.
    """
    _check_k(n_samples, k)
    order = np.arange(n_samples)
    if shuffle:
        order = np.random.default_rng(seed).permutation(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    bounds = np.concatenate(([0], np.cumsum(sizes)))

    folds = []
    for start, stop in itertools.pairwise(bounds):
        in_val = np.zeros(n_samples, dtype=bool)
        in_val[order[start:stop]] = True
        folds.append((np.flatnonzero(~in_val), np.flatnonzero(in_val)))
    return folds


def cross_val_score(
    fit_and_score: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], float],
    X: np.ndarray,
    y: np.ndarray,
    k: int,
) -> tuple[float, list[float]]:
    """Call ``fit_and_score`` once per unshuffled fold; return the mean and the k scores."""
    X, y = np.asarray(X), np.asarray(y)
    scores = [
        float(fit_and_score(X[train], y[train], X[val], y[val]))
        for train, val in kfold_indices(len(X), k)
    ]
    return float(np.mean(scores)), scores
