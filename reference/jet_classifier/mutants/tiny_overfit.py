"""Tiny overfit: 400 epochs on the first 500 training jets, no validation, no early stopping.

The network memorises its 500 jets (training accuracy near 100%) and generalises poorly:
what a lecture on overfitting warns about.
"""

import keras
import numpy as np

EXPECTED_FAILURES = ["test_accuracy_tier", "test_macro_auc_tier"]


def build_model(n_features=16, n_classes=5):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Normalization(axis=-1, name="scale")(inputs)
    for units in (256, 256, 256):
        x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def train(model, X_train, y_train, X_val, y_val):
    X_small = np.asarray(X_train, dtype=np.float32)[:500]
    y_small = np.asarray(y_train)[:500]
    model.get_layer("scale").adapt(X_small)
    return model.fit(X_small, y_small, epochs=400, batch_size=32, verbose=0)
