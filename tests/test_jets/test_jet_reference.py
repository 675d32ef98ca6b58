"""The reference network trains on a small surrogate; a saved model loads in the worker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.course import Course
from grader.jets.data import encode_labels, load_jets, split_jets
from grader.jets.metrics import accuracy, macro_auc

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.tensorflow


def _reference():
    return Course(REPO).load_solution("jet_classifier")


def test_reference_trains_to_a_sane_accuracy(tmp_path: Path) -> None:
    from sklearn.model_selection import train_test_split

    from grader.worker.builtins import load_keras_model, seed_everything

    X, y = load_jets("surrogate", n_samples=20_000, seed=0)
    X_rest, X_test, y_rest, y_test = split_jets(X.to_numpy(np.float32), encode_labels(y))
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.1, random_state=0)
    solution = _reference()
    seed_everything(1234)
    model = solution.build_model(16, 5)
    history = solution.train(model, X_train, y_train, X_val, y_val)
    assert {"loss", "val_loss"} <= set(history.history)
    probs = model.predict(X_test, verbose=0)

    assert probs.shape == (4_000, 5)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    assert accuracy(y_test, probs) > 0.68
    assert macro_auc(y_test, probs) > 0.9

    saved = tmp_path / "jet_model.keras"
    model.save(saved)
    loaded = load_keras_model(str(saved))
    np.testing.assert_allclose(loaded.predict(X_test[:64], verbose=0), probs[:64], atol=1e-5)


def test_load_keras_model_refuses_a_missing_file(tmp_path: Path) -> None:
    from grader.worker.builtins import load_keras_model

    with pytest.raises(FileNotFoundError):
        load_keras_model(str(tmp_path / "jet_model.keras"))


def test_seed_everything_makes_weights_repeat() -> None:
    from grader.worker.builtins import seed_everything

    solution = _reference()
    seed_everything(7)
    first = solution.build_model(16, 5).get_weights()
    seed_everything(7)
    second = solution.build_model(16, 5).get_weights()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
