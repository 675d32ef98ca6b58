"""Jet classifier: a dense network that tells gluon, quark, top, W and Z jets apart.

Fill in build_model and train (see README.md for the exact contract), or train a model in
your own way and submit it saved as jet_model.keras instead.
"""

import keras  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def build_model(n_features=16, n_classes=5):
    """Return a compiled Keras model mapping (n, n_features) features to (n, n_classes)
    class probabilities (softmax output)."""
    raise NotImplementedError("build_model is not written yet")


def train(model, X_train, y_train, X_val, y_val):
    """Fit `model` on the raw float32 features X_train (scaling is up to you) and the
    integer labels y_train (0-4 = g, q, t, w, z); use X_val/y_val for early stopping.
    Return the keras History, a dict of loss lists, or None."""
    raise NotImplementedError("train is not written yet")
