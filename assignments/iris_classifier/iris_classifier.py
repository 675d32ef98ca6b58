# %% [markdown]
# # Assignment: an Iris classifier in Keras (see README.md for the full task)
#
# Write `build_model` and `train`, or submit a saved `iris_model.keras` instead.

# %%
"""Assignment: an Iris classifier in Keras (see README.md for the full task)."""

import keras
import numpy as np


def build_model(n_features: int = 4, n_classes: int = 3) -> keras.Model:
    """Return a compiled Keras model mapping ``n_features`` measurements to ``n_classes``
    probabilities (a softmax output)."""
    raise NotImplementedError("build_model is not written yet")


def train(
    model: keras.Model,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
):
    """Fit ``model`` on ``X_train`` (float32, shape (n, 4)) and ``y_train`` (int64 labels
    0-2); ``X_val``/``y_val`` are for watching the validation loss. Return the History."""
    raise NotImplementedError("train is not written yet")
