"""Shuffled labels: the network is fitted to a random permutation of y_train.

Features and labels no longer belong together, so the best the network can learn is the
class balance: accuracy near 20%, AUCs near 0.5.
"""

import keras
import numpy as np

EXPECTED_FAILURES = ["test_accuracy_tier", "test_macro_auc_tier"]


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
    X_train = np.asarray(X_train, dtype=np.float32)
    model.get_layer("scale").adapt(X_train)
    y_shuffled = np.random.default_rng(0).permutation(np.asarray(y_train))
    return model.fit(X_train, y_shuffled, epochs=3, batch_size=1024, verbose=0)
