"""Hidden suite of the jet classifier: train in the worker, score on the trusted side.

The data is loaded here, on the trusted side; the worker receives the training and
validation parts and the test features, never the test labels. The student's model stays in
the worker behind a handle: the suite asks it to train and to predict, and scores the
probabilities that come back. One training run serves every test: it is kept in the
``submission_cache`` of the student, and the data is cached per set of options.

Options (``grader_options``, dict-like): ``jet_data`` ("surrogate", "openml" or a file
path), ``jet_data_path``, ``jet_cache_dir``, ``jet_n_samples``, ``assignment_toml``. The
environment variable ``GRADER_JET_N_SAMPLES`` shrinks the data for quick runs.

The surrogate, the subsample of real data and the validation split are drawn from the course
secret (``reference/course-secret``): the generator ships to students, its seed does not.
The held-out split is the usual one of that data, fixed for a given secret.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.errors import GradingAborted
from grader.jets.advice import curve_advice
from grader.jets.data import (
    FEATURES,
    LABELS,
    encode_labels,
    load_jets,
    split_jets,
    surrogate_seed,
)
from grader.jets.metrics import accuracy, macro_auc, make_artifacts
from grader.jets.settings import JetSettings, load_settings
from grader.seeds import course_secret
from grader.testing import check

SEED = 1234
REFERENCE_DIR = Path(__file__).resolve().parents[1]
MODEL_FILE = "jet_model.keras"
N_SAMPLES_ENV = "GRADER_JET_N_SAMPLES"
PREDICT_BATCH = 4096
DEFAULT_TOML = (
    Path(__file__).resolve().parents[2] / "assignments" / "jet_classifier" / ("assignment.toml")
)


@dataclass
class JetData:
    """One split of the jets; ``y_test`` never leaves this process."""

    kind: str
    settings: JetSettings
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def where(self) -> str:
        return "on the surrogate data" if self.kind == "surrogate" else "on the real jet data"


@dataclass
class Run:
    """What one submission's model did: how it came to be, what it predicted."""

    mode: str = "missing"  # "trained" in the grader, "saved" jet_model.keras, or "missing"
    error: str | None = None
    probs: np.ndarray | None = None
    history: dict[str, Any] | None = None
    train_seconds: float | None = None
    weights_changed: bool | None = None
    aborted: BaseException | None = None


_DATA: dict[tuple[Any, ...], JetData] = {}


def _option(options: Any, key: str, default: Any = None) -> Any:
    if options is None:
        return default
    try:
        value = options.get(key, default)
    except AttributeError:
        value = getattr(options, key, default)
    return default if value is None else value


@pytest.fixture
def jet_data(grader_options: Any) -> JetData:
    toml = Path(_option(grader_options, "assignment_toml", DEFAULT_TOML))
    settings = load_settings(toml)
    source = str(_option(grader_options, "jet_data", "surrogate"))
    n_samples = _option(grader_options, "jet_n_samples") or os.environ.get(N_SAMPLES_ENV)
    n_samples = int(n_samples) if n_samples else settings.n_samples
    data_path = _option(grader_options, "jet_data_path")
    cache_dir = _option(grader_options, "jet_cache_dir")
    seed = surrogate_seed(course_secret(REFERENCE_DIR))
    key = (str(toml), source, n_samples, data_path, cache_dir, seed)
    if key not in _DATA:
        _DATA[key] = _load(settings, source, n_samples, data_path, cache_dir, seed)
    return _DATA[key]


def _load(
    settings: JetSettings, source: str, n_samples: int | None, data_path: Any, cache_dir: Any,
    seed: int,
) -> JetData:
    from sklearn.model_selection import train_test_split

    X, y = load_jets(
        source, data_path=data_path, cache_dir=cache_dir, seed=seed, n_samples=n_samples
    )
    kind = source if source in ("surrogate", "openml") else "file"
    features = np.ascontiguousarray(X.to_numpy(dtype=np.float32))
    X_rest, X_test, y_rest, y_test = split_jets(features, encode_labels(y))
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=settings.validation_fraction, random_state=seed % 2**32
    )
    return JetData(
        kind=kind,
        settings=settings,
        X_train=np.ascontiguousarray(X_train),
        y_train=y_train.astype(np.int64),
        X_val=np.ascontiguousarray(X_val),
        y_val=y_val.astype(np.int64),
        X_test=np.ascontiguousarray(X_test),
        y_test=y_test.astype(np.int64),
    )


@pytest.fixture
def jet_run(submission: Any, jet_data: JetData, submission_cache: dict[str, Any]) -> Run:
    """One training run per student, shared by every test (``submission_cache``)."""
    result = submission_cache.get("jet_run")
    if result is None:
        result = submission_cache["jet_run"] = Run()
        try:
            _train_and_predict(submission, jet_data, result)
        except GradingAborted as exc:
            result.aborted = exc
    if result.aborted is not None:
        raise result.aborted
    return result


def _train_and_predict(submission: Any, data: JetData, result: Run) -> None:
    submission.grader_builtin("seed_everything", SEED)
    if "build_model" in submission:
        if "train" not in submission:
            result.error = (
                "build_model is defined but train is not: define "
                "train(model, X_train, y_train, X_val, y_val), or submit a saved jet_model.keras"
            )
            return
        # The budget runs from build_model to the return of predict: work left to a thread or
        # a child process by train() and waited for in predict() is inside it.
        start = time.monotonic()
        try:
            model = submission.build_model(len(FEATURES), len(LABELS))
        except Exception as exc:
            result.error = f"build_model(16, 5) raised {_name(exc)}"
            return
        before = _weight_matrices(model)
        try:
            returned = submission.train(model, data.X_train, data.y_train, data.X_val, data.y_val)
        except Exception as exc:
            result.error = f"train(model, X_train, y_train, X_val, y_val) raised {_name(exc)}"
            return
        result.mode = "trained"
        after = _weight_matrices(model)
        if before is not None and after is not None:
            result.weights_changed = len(before) != len(after) or any(
                b.shape != a.shape or not np.array_equal(b, a) for b, a in zip(before, after)
            )
        result.history = _history(returned)
    else:
        try:
            model = submission.grader_builtin("load_keras_model", MODEL_FILE)
        except Exception as exc:
            result.error = (
                "found neither build_model/train in jet_classifier.py nor a loadable "
                f"{MODEL_FILE} ({_name(exc)})"
            )
            return
        result.mode = "saved"
    try:
        probs = model.predict(data.X_test, batch_size=PREDICT_BATCH, verbose=0)
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


def _weight_matrices(model: Any) -> list[np.ndarray] | None:
    """The model's 2-D weights (layer kernels), or None if it cannot list them."""
    try:
        weights = model.get_weights()
        return [np.array(w) for w in weights if np.ndim(w) == 2]
    except Exception:
        return None


def _history(returned: Any) -> dict[str, Any] | None:
    """The loss lists of whatever train returned: a keras History, a dict, or None."""
    if returned is None:
        return None
    history = returned
    if not isinstance(returned, dict):
        try:
            history = returned.history
        except Exception:
            return None
    if not isinstance(history, dict) or "loss" not in history:
        return None
    return history


def _require_probs(run: Run, data: JetData) -> np.ndarray:
    check(run.error is None, run.error or "")
    check(run.probs is not None, "the model produced no predictions")
    assert run.probs is not None
    n = len(data.y_test)
    check(
        run.probs.shape == (n, len(LABELS)),
        f"model.predict on {n} jets returned shape {run.probs.shape}; expected ({n}, 5): "
        "one score per class g, q, t, w, z",
    )
    check(
        bool(np.isfinite(run.probs).all()),
        "the predictions hold NaN or inf: check the scaling of the inputs and the learning rate",
    )
    return run.probs


def _require_better_than_chance(probs: np.ndarray, data: JetData) -> None:
    """Nothing for form alone: a model no better than always naming the commonest class."""
    chance = float(np.bincount(data.y_test, minlength=len(LABELS)).max() / len(data.y_test))
    value = accuracy(data.y_test, probs)
    check(
        value > chance + 0.02,
        f"test accuracy {value:.3f} is no better than guessing ({chance:.3f}): the model has "
        "not learned to tell the classes apart, so its outputs earn no points for their form",
    )


def _record(artifacts: Any, run: Run, data: JetData) -> None:
    if run.probs is None or run.probs.shape != (len(data.y_test), len(LABELS)):
        return
    if not np.isfinite(run.probs).all():
        return
    history = run.history if run.mode == "trained" else None
    artifacts.update(make_artifacts(data.y_test, run.probs, history))


def _tiered(value: float, metric: str, what: str, run: Run, data: JetData, credit: Any) -> None:
    tier = data.settings.tier(data.kind, metric)
    fraction = tier.credit(value)
    text = (
        f"{what} {value:.4f} {data.where}; full credit from {tier.full:.2f}, "
        f"none at {tier.zero:.2f} or below"
    )
    if fraction >= 1.0:
        return
    if fraction > 0.0:
        credit.award(fraction, f"{text}: {fraction:.0%} of the points. {_hint(run)}")
        return
    check(False, f"{text}. {_hint(run)}")


def _hint(run: Run) -> str:
    """What to change, from the student's own loss curves when ``train`` returned them."""
    if run.mode == "saved":
        return ("Was the saved model trained on all of the training data, with the scaling "
                "inside it?")
    return curve_advice(run.history) or (
        "Scale the features (mass is in GeV, multiplicity in counts, the ratios below 1), "
        "train on all of X_train for several epochs, and watch the validation loss "
        "(return the History of model.fit from train, and your report draws it)."
    )


@pytest.mark.points(2)
def test_outputs_are_probabilities(jet_run: Run, jet_data: JetData, artifacts: Any) -> None:
    probs = _require_probs(jet_run, jet_data)
    _record(artifacts, jet_run, jet_data)
    _require_better_than_chance(probs, jet_data)
    check(
        bool(((probs >= -1e-6) & (probs <= 1 + 1e-6)).all()),
        "some outputs lie outside [0, 1]: they are not probabilities. "
        "The last layer needs activation='softmax'",
    )
    sums = probs.sum(axis=1)
    worst = float(np.abs(sums - 1.0).max())
    check(
        worst <= 1e-3,
        f"the five class probabilities of a jet must sum to 1 (worst row sums to "
        f"{sums[np.argmax(np.abs(sums - 1.0))]:.4f}): end the network with a softmax layer",
    )


@pytest.mark.points(1)
def test_model_learned(jet_run: Run, jet_data: JetData) -> None:
    probs = _require_probs(jet_run, jet_data)
    _require_better_than_chance(probs, jet_data)
    if jet_run.mode == "trained":
        check(
            jet_run.weights_changed is not False,
            "train() returned without changing the model's weights: call model.fit on "
            "X_train and y_train inside train",
        )
    spread = float(probs.std(axis=0).max())
    check(
        spread > 1e-3,
        "the model gives (nearly) the same output for every jet: it has not learned "
        "anything from the features",
    )
    classes = len(np.unique(np.argmax(probs, axis=1)))
    check(
        classes > 1,
        "the model predicts the same class for every jet: it has learned the class "
        "balance but nothing from the features",
    )


@pytest.mark.points(4)
def test_accuracy_tier(jet_run: Run, jet_data: JetData, artifacts: Any, credit: Any) -> None:
    probs = _require_probs(jet_run, jet_data)
    _record(artifacts, jet_run, jet_data)
    value = accuracy(jet_data.y_test, probs)
    _tiered(value, "accuracy", "test accuracy", jet_run, jet_data, credit)


@pytest.mark.points(2)
def test_macro_auc_tier(jet_run: Run, jet_data: JetData, artifacts: Any, credit: Any) -> None:
    probs = _require_probs(jet_run, jet_data)
    _record(artifacts, jet_run, jet_data)
    _tiered(
        macro_auc(jet_data.y_test, probs),
        "macro_auc",
        "mean one-vs-rest ROC AUC",
        jet_run,
        jet_data,
        credit,
    )


@pytest.mark.points(1)
def test_training_within_budget(jet_run: Run, jet_data: JetData) -> None:
    _require_better_than_chance(_require_probs(jet_run, jet_data), jet_data)
    if jet_run.mode == "saved":
        return
    budget = jet_data.settings.train_seconds
    assert jet_run.train_seconds is not None
    check(
        jet_run.train_seconds <= budget,
        f"build_model, train and predict took {jet_run.train_seconds:.0f} s together (work "
        f"left running in a thread or process counts until predict returns); the budget is "
        f"{budget:.0f} s. Use a larger batch size (1024) or fewer epochs with early stopping",
    )
