"""Scaled outside the model: train standardises X_train itself, the model never learns how.

The network fits well on the scaled features, but the grader predicts on the raw test
features (mass in GeV, multiplicity in counts), which the model has never seen at that
scale: the README's rule that the scaling must live inside the model, made visible.
"""

import keras
import numpy as np

EXPECTED_FAILURES = ["test_accuracy_tier", "test_macro_auc_tier"]


def build_model(n_features=16, n_classes=5):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    for units in (64, 32, 32):
        x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="sparse_categorical_crossentropy")
    return model


def train(model, X_train, y_train, X_val, y_val):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-6
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                         restore_best_weights=True)
    return model.fit((X_train - mean) / std, np.asarray(y_train),
                     validation_data=((X_val - mean) / std, np.asarray(y_val)),
                     epochs=10, batch_size=1024, callbacks=[stop], verbose=0)
