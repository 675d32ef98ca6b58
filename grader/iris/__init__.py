"""The Iris split the iris_classifier suite grades on: fixed data, not drawn cases.

``sklearn.datasets.load_iris()`` ships inside scikit-learn (150 flowers, 50 per species), so
the assignment works offline. The held-out part is a fixed stratified fifth (30 flowers, 10
per species) and the validation part a fixed stratified fifth of the rest; every student,
every regrade and every secret meets the same split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPECIES = ("setosa", "versicolor", "virginica")
SPLIT_SEED = 2026
HELDOUT_FRACTION = 0.2
VALIDATION_FRACTION = 0.2


@dataclass(frozen=True)
class IrisSplit:
    """Training, validation and held-out parts; ``y_test`` stays on the trusted side."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def iris_split() -> IrisSplit:
    """The fixed split (float32 features in cm, int64 labels 0-2 in ``SPECIES`` order)."""
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True)
    X, y = X.astype(np.float32), y.astype(np.int64)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=HELDOUT_FRACTION, stratify=y, random_state=SPLIT_SEED)
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=VALIDATION_FRACTION, stratify=y_rest, random_state=SPLIT_SEED)
    return IrisSplit(*(np.ascontiguousarray(a) for a in
                       (X_train, y_train, X_val, y_val, X_test, y_test)))
