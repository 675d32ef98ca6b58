"""Untrained: build_model returns a compiled network, but train never fits it.

The predictions are softmax outputs of random weights: valid probabilities, but they carry
no information about the jet class.
"""

import keras
import numpy as np

EXPECTED_FAILURES = ["test_model_learned", "test_accuracy_tier", "test_macro_auc_tier"]


def build_model(n_features=16, n_classes=5):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Normalization(axis=-1, name="scale")(inputs)
    for units in (64, 32, 32):
        x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def train(model, X_train, y_train, X_val, y_val):
    np.asarray(X_train)
    return None
