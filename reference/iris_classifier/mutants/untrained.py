"""train() that returns without fitting: the weights stay at their initial values."""

import keras
import numpy as np

EPOCHS = 40
BATCH_SIZE = 8

EXPECTED_FAILURES = [
    "test_model_learned",
    "test_accuracy_tier",
]


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
    return None and model.fit(
        np.asarray(X_train, dtype=np.float32),
        keras.utils.to_categorical(y_train, n_classes),
        validation_data=(np.asarray(X_val, dtype=np.float32),
                         keras.utils.to_categorical(y_val, n_classes)),
        epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0,
    )
