"""Reference solution of iris_classifier: the tutorial's network.

Three hidden layers of 16 ReLU units and a softmax over the three species, trained with Adam
on the categorical cross-entropy of one-hot labels, as in the lecture's tutorial. The four
features are lengths in centimetres of similar size, so no scaling layer is needed.
"""

from __future__ import annotations

import keras
import numpy as np

EPOCHS = 40
BATCH_SIZE = 8


def build_model(n_features: int = 4, n_classes: int = 3) -> keras.Model:
    """A compiled dense network: 16-16-16 ReLU, softmax over ``n_classes``."""
    model = keras.Sequential([keras.Input(shape=(n_features,))])
    for _ in range(3):
        model.add(keras.layers.Dense(16, activation="relu"))
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
          y_val: np.ndarray) -> keras.callbacks.History:
    """Fit on one-hot labels, watching the validation loss."""
    n_classes = int(model.output_shape[-1])
    return model.fit(
        np.asarray(X_train, dtype=np.float32),
        keras.utils.to_categorical(y_train, n_classes),
        validation_data=(np.asarray(X_val, dtype=np.float32),
                         keras.utils.to_categorical(y_val, n_classes)),
        epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0,
    )
