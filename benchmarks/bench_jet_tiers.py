"""Where the jet classifier's credit tiers put the models the README talks about.

Trains each model the README's "Grading" section names on the generated surrogate, with the
grader's split (``split_jets``, then 10% of the rest as validation) and seed, and prints its
test accuracy, macro AUC, training time and the points the surrogate tiers of
``assignments/jet_classifier/assignment.toml`` give it (accuracy out of 4, AUC out of 2):

- ``reference``: the reference solution (Normalization, 64-32-32, Adam, early stopping);
- ``unscaled``: the same network and training without the Normalization layer;
- ``sgd_4_epochs``: the reference network with plain SGD (learning rate 0.01) for 4 epochs;
- ``unscaled_sgd_4_epochs``: the same without the Normalization layer;
- ``logistic``: Normalization and one softmax layer (multinomial logistic regression), Adam;
- ``500_jets``: the reference network and training on 500 training jets;
- ``mass_multiplicity``: scikit-learn's logistic regression on mass and multiplicity alone.

All figures are on the surrogate (generated data), never the real OpenML jets. A model a
run names in ``--only`` is the only one trained; training is the slow part (the reference
takes one to two minutes on 2 cores), so keep runs few.

    python benchmarks/bench_jet_tiers.py                      # every model, all 830,000 jets
    python benchmarks/bench_jet_tiers.py --n-samples 60000 --only unscaled --only logistic
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

from grader.jets.data import N_JETS, encode_labels, load_jets, split_jets  # noqa: E402
from grader.jets.metrics import accuracy, macro_auc  # noqa: E402
from grader.jets.settings import load_settings  # noqa: E402

TOML = REPO / "assignments" / "jet_classifier" / "assignment.toml"
MASS, MULTIPLICITY = 14, 15
Split = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _network(scaled: bool, optimizer: str, hidden: tuple[int, ...] = (64, 32, 32)) -> Any:
    import keras

    inputs = keras.Input(shape=(16,))
    x = keras.layers.Normalization(axis=-1, name="scale")(inputs) if scaled else inputs
    for units in hidden:
        x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(5, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    chosen = (keras.optimizers.Adam(learning_rate=3e-3) if optimizer == "adam"
              else keras.optimizers.SGD(learning_rate=0.01))
    model.compile(optimizer=chosen, loss="sparse_categorical_crossentropy")
    return model


def _fit(model: Any, X: np.ndarray, y: np.ndarray, X_val: np.ndarray, y_val: np.ndarray,
         *, epochs: int, early: bool) -> None:
    import keras

    if any(layer.name == "scale" for layer in model.layers):
        model.get_layer("scale").adapt(X)
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, min_delta=1e-4,
                                               restore_best_weights=True),
                 keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3,
                                                   patience=1)] if early else []
    model.fit(X, y, validation_data=(X_val, y_val), epochs=epochs, batch_size=1024,
              callbacks=callbacks, verbose=0)


def _keras(scaled: bool, optimizer: str, epochs: int, early: bool,
           hidden: tuple[int, ...] = (64, 32, 32), n_train: int | None = None
           ) -> Callable[[Split], np.ndarray]:
    def run(split: Split) -> np.ndarray:
        X, y, X_val, y_val, X_test = split
        model = _network(scaled, optimizer, hidden)
        _fit(model, X[:n_train], y[:n_train], X_val, y_val, epochs=epochs, early=early)
        return np.asarray(model.predict(X_test, batch_size=4096, verbose=0))
    return run


def _mass_multiplicity(split: Split) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, _, _, X_test = split
    columns = [MASS, MULTIPLICITY]
    fit = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    fit.fit(X[:, columns], y)
    return np.asarray(fit.predict_proba(X_test[:, columns]))


def _reference(split: Split) -> np.ndarray:
    from grader.course import load_solution_file

    solution = load_solution_file(REPO / "reference" / "jet_classifier" / "solution.py")
    X, y, X_val, y_val, X_test = split
    model = solution.build_model(16, 5)
    solution.train(model, X, y, X_val, y_val)
    return np.asarray(model.predict(X_test, batch_size=4096, verbose=0))


MODELS: dict[str, Callable[[Split], np.ndarray]] = {
    "reference": _reference,
    "unscaled": _keras(False, "adam", 30, True),
    "sgd_4_epochs": _keras(True, "sgd", 4, False),
    "unscaled_sgd_4_epochs": _keras(False, "sgd", 4, False),
    "logistic": _keras(True, "adam", 30, True, hidden=()),
    "500_jets": _keras(True, "adam", 30, True, n_train=500),
    "mass_multiplicity": _mass_multiplicity,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=N_JETS, help="surrogate jets")
    parser.add_argument("--seed", type=int, default=0, help="surrogate seed")
    parser.add_argument("--only", action="append", choices=sorted(MODELS),
                        help="train only these models (repeatable)")
    args = parser.parse_args(argv)
    from sklearn.model_selection import train_test_split

    from grader.worker.builtins import seed_everything

    X, labels = load_jets("surrogate", n_samples=args.n_samples, seed=args.seed)
    X_rest, X_test, y_rest, y_test = split_jets(X.to_numpy(np.float32), encode_labels(labels))
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.1,
                                                      random_state=args.seed)
    split: Split = (X_train, y_train.astype(np.int64), X_val, y_val.astype(np.int64), X_test)
    settings = load_settings(TOML)
    tiers = settings.tier("surrogate", "accuracy"), settings.tier("surrogate", "macro_auc")
    print(f"surrogate seed {args.seed}: {args.n_samples:,} jets, {len(X_train):,} training, "
          f"{len(X_test):,} test; tiers accuracy {tiers[0].zero}->{tiers[0].full}, "
          f"macro AUC {tiers[1].zero}->{tiers[1].full}")
    print(f"{'model':24} {'accuracy':>8} {'AUC':>6} {'acc pts':>7} {'AUC pts':>7} {'train s':>7}")
    for name in args.only or list(MODELS):
        seed_everything(1234)
        start = time.perf_counter()
        probs = MODELS[name](split)
        seconds = time.perf_counter() - start
        acc, auc = accuracy(y_test, probs), macro_auc(y_test, probs)
        points = 4 * tiers[0].credit(acc), 2 * tiers[1].credit(auc)
        print(f"{name:24} {acc:8.4f} {auc:6.4f} {points[0]:7.2f} {points[1]:7.2f} "
              f"{seconds:7.1f}", flush=True)


if __name__ == "__main__":
    main()
