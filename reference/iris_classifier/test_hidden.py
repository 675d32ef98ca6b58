"""Hidden suite of iris_classifier (10 points): the tutorial's network, trained in the worker.

The split is fixed data (``grader.iris``: 96 training, 24 validation and 30 held-out flowers,
stratified); the worker receives the training and validation parts and the held-out
features, never the held-out labels. The student's model stays in the worker behind a
handle; one training run, seeded with ``seed_everything`` so that a regrade trains the same
weights, serves every test (``submission_cache``). Held-out accuracy is graded in tiers;
the confusion matrix, ROC curves and the loss curves go to the page.

Held-out labels are public (``load_iris`` ships with scikit-learn): code that mentions the
loader or holds a long run of literal numbers is flagged for a person to review.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.config import load_config
from grader.errors import GradingAborted
from grader.iris import SPECIES, IrisSplit, iris_split
from grader.jets.metrics import accuracy, make_artifacts, tier_credit
from grader.review import signs
from grader.testing import check

SEED = 1234
MODEL_FILE = "iris_model.keras"
TOML = Path(__file__).resolve().parents[2] / "assignments" / "iris_classifier" / "assignment.toml"
LOADERS = ("load_iris", "sklearn.datasets", "fetch_openml", "open(")


@dataclass
class Settings:
    full: float
    zero: float
    train_seconds: float


@dataclass
class Run:
    mode: str = "missing"  # "trained" in the grader, "saved" iris_model.keras, or "missing"
    error: str | None = None
    probs: np.ndarray | None = None
    history: dict[str, Any] | None = None
    train_seconds: float | None = None
    weights_changed: bool | None = None
    aborted: BaseException | None = None


_CACHE: dict[str, Any] = {}


@pytest.fixture
def iris() -> IrisSplit:
    if "split" not in _CACHE:
        _CACHE["split"] = iris_split()
    return _CACHE["split"]


@pytest.fixture
def settings() -> Settings:
    config = load_config(TOML)
    tier = config.thresholds["heldout"]["accuracy"]
    return Settings(float(tier["full"]), float(tier["zero"]),
                    float(config.budget.get("train_seconds", 120)))


@pytest.fixture
def iris_run(submission: Any, iris: IrisSplit, submission_cache: dict[str, Any]) -> Run:
    result = submission_cache.get("iris_run")
    if result is None:
        result = submission_cache["iris_run"] = Run()
        try:
            _train_and_predict(submission, iris, result)
        except GradingAborted as exc:
            result.aborted = exc
    if result.aborted is not None:
        raise result.aborted
    return result


def _train_and_predict(submission: Any, data: IrisSplit, result: Run) -> None:
    submission.grader_builtin("seed_everything", SEED)
    if "build_model" in submission:
        if "train" not in submission:
            result.error = ("build_model is defined but train is not: define "
                            "train(model, X_train, y_train, X_val, y_val), or submit a saved "
                            f"{MODEL_FILE}")
            return
        start = time.monotonic()
        try:
            model = submission.build_model(4, 3)
        except Exception as exc:
            result.error = f"build_model(4, 3) raised {_name(exc)}"
            return
        before = _weights(model)
        try:
            returned = submission.train(model, data.X_train, data.y_train, data.X_val,
                                        data.y_val)
        except Exception as exc:
            result.error = f"train(model, X_train, y_train, X_val, y_val) raised {_name(exc)}"
            return
        result.mode = "trained"
        after = _weights(model)
        if before is not None and after is not None:
            result.weights_changed = len(before) != len(after) or any(
                b.shape != a.shape or not np.array_equal(b, a) for b, a in zip(before, after))
        result.history = _history(returned)
    else:
        try:
            model = submission.grader_builtin("load_keras_model", MODEL_FILE)
        except Exception as exc:
            result.error = ("found neither build_model/train in iris_classifier.py nor a "
                            f"loadable {MODEL_FILE} ({_name(exc)})")
            return
        result.mode = "saved"
    try:
        probs = model.predict(data.X_test, verbose=0)
    except Exception as exc:
        result.error = f"model.predict(X_test) raised {_name(exc)}"
        return
    if result.mode == "trained":
        result.train_seconds = time.monotonic() - start
    try:
        result.probs = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError):
        result.error = f"model.predict returned {type(probs).__name__}, not an array of numbers"


def _name(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1][:300]}" if text else type(exc).__name__


def _weights(model: Any) -> list[np.ndarray] | None:
    try:
        return [np.array(w) for w in model.get_weights() if np.ndim(w) == 2]
    except Exception:
        return None


def _history(returned: Any) -> dict[str, Any] | None:
    if returned is None:
        return None
    history = returned
    if not isinstance(returned, dict):
        try:
            history = returned.history
        except Exception:
            return None
    return history if isinstance(history, dict) and "loss" in history else None


def _require_probs(run: Run, data: IrisSplit) -> np.ndarray:
    check(run.error is None, run.error or "")
    check(run.probs is not None, "the model produced no predictions")
    assert run.probs is not None
    n = len(data.y_test)
    check(run.probs.shape == (n, len(SPECIES)),
          f"model.predict on {n} flowers returned shape {run.probs.shape}; expected ({n}, 3): "
          "one score per species setosa, versicolor, virginica")
    check(bool(np.isfinite(run.probs).all()),
          "the predictions hold NaN or inf: check the learning rate")
    return run.probs


def _better_than_chance(probs: np.ndarray, data: IrisSplit) -> None:
    value = accuracy(data.y_test, probs)
    check(value > 0.5,
          f"held-out accuracy {value:.3f}: no better than guessing (0.333 per species) by a "
          "wide margin, so the outputs earn no points for their form. Are the labels in "
          "the order of y_train (0 setosa, 1 versicolor, 2 virginica)?")


def _record(artifacts: Any, run: Run, data: IrisSplit) -> None:
    if run.probs is None or run.probs.shape != (len(data.y_test), len(SPECIES)):
        return
    if not np.isfinite(run.probs).all():
        return
    history = run.history if run.mode == "trained" else None
    artifacts.update(make_artifacts(data.y_test, run.probs, history, labels=SPECIES))


@pytest.mark.points(2)
def test_outputs_are_probabilities(iris_run: Run, iris: IrisSplit, artifacts: Any) -> None:
    probs = _require_probs(iris_run, iris)
    _record(artifacts, iris_run, iris)
    _better_than_chance(probs, iris)
    check(bool(((probs >= -1e-6) & (probs <= 1 + 1e-6)).all()),
          "some outputs lie outside [0, 1]: they are not probabilities. The last layer needs "
          "activation='softmax'")
    worst = float(np.abs(probs.sum(axis=1) - 1.0).max())
    check(worst <= 1e-3, f"the three species probabilities of a flower must sum to 1 (off by "
                         f"up to {worst:.4f}): end the network with a softmax layer")


@pytest.mark.points(1)
def test_model_learned(iris_run: Run, iris: IrisSplit) -> None:
    probs = _require_probs(iris_run, iris)
    if iris_run.mode == "trained":
        check(iris_run.weights_changed is not False,
              "train() returned without changing the model's weights: call model.fit on "
              "X_train and (one-hot) y_train inside train")
    check(len(np.unique(np.argmax(probs, axis=1))) > 1,
          "the model names the same species for every flower: it has learned nothing from "
          "the measurements")
    _better_than_chance(probs, iris)


@pytest.mark.points(6)
def test_accuracy_tier(iris_run: Run, iris: IrisSplit, settings: Settings, artifacts: Any,
                       credit: Any, submission: Any) -> None:
    probs = _require_probs(iris_run, iris)
    _record(artifacts, iris_run, iris)
    value = accuracy(iris.y_test, probs)
    right = int(round(value * len(iris.y_test)))
    fraction = tier_credit(value, settings.full, settings.zero)
    text = (f"held-out accuracy {value:.3f} ({right} of {len(iris.y_test)} flowers); full "
            f"credit from {settings.full:.3f}, none at {settings.zero:.3f} or below")
    notes = signs(getattr(submission, "sources", {}), LOADERS)
    if notes:
        note = "; ".join(notes) + ": flagged for review (held-out labels are public data)"
        artifacts.setdefault("metrics", {})["review"] = note
        credit.award(fraction, f"{text}. {note}")
        return
    if fraction >= 1.0:
        return
    if fraction > 0.0:
        credit.award(fraction, f"{text}: {fraction:.0%} of the points")
        return
    check(False, f"{text}. Versicolor and virginica overlap: train for more epochs (watch "
                 "the validation loss), with one-hot labels and categorical_crossentropy")


@pytest.mark.points(1)
def test_training_within_budget(iris_run: Run, iris: IrisSplit, settings: Settings) -> None:
    _better_than_chance(_require_probs(iris_run, iris), iris)
    if iris_run.mode == "saved":
        return
    assert iris_run.train_seconds is not None
    check(iris_run.train_seconds <= settings.train_seconds,
          f"build_model, train and predict took {iris_run.train_seconds:.0f} s together; the "
          f"budget is {settings.train_seconds:.0f} s. 96 flowers need no more than a few "
          "hundred epochs")
