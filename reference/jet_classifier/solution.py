"""Reference solution of the jet classifier: the hls4ml baseline dense network.

Three hidden layers (64, 32, 32, ReLU) and a softmax over the five classes, as in the
hls4ml jet-tagging baseline. The raw features span very different scales (mass in GeV,
multiplicity in counts, ratios below one), so a ``Normalization`` layer inside the model is
adapted to the training features in ``train``: the scaling travels with the model, also into
a saved ``jet_model.keras``.
"""

from __future__ import annotations

import keras
import numpy as np

EPOCHS = 30
BATCH_SIZE = 1024
PATIENCE = 3


def build_model(n_features: int = 16, n_classes: int = 5) -> keras.Model:
    """A compiled dense network: Normalization, 64-32-32 ReLU, softmax over ``n_classes``."""
    inputs = keras.Input(shape=(n_features,), name="features")
    x = keras.layers.Normalization(axis=-1, name="scale")(inputs)
    for i, units in enumerate((64, 32, 32)):
        x = keras.layers.Dense(units, activation="relu", name=f"dense_{i}")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="classes")(x)
    model = keras.Model(inputs, outputs, name="jet_dnn")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train(
    model: keras.Model,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
) -> keras.callbacks.History:
    """Adapt the scaling to ``X_train``, then fit with early stopping on the validation loss."""
    keras.utils.set_random_seed(0)
    X_train = np.asarray(X_train, dtype=np.float32)
    X_val = np.asarray(X_val, dtype=np.float32)
    model.get_layer("scale").adapt(X_train)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=PATIENCE, min_delta=1e-4, restore_best_weights=True
    )
    shrink = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=1)
    return model.fit(
        X_train,
        np.asarray(y_train),
        validation_data=(X_val, np.asarray(y_val)),
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        callbacks=[stop, shrink],
        verbose=0,
    )
