"""Hidden suite of titanic (15 points): features from a real table, a model scored on
held-out passengers.

The data is read here, on the trusted side: the public ``assignments/titanic/train.csv``
(712 passengers) and the held-out ``reference/titanic/heldout.csv`` (179, a fixed stratified
split of Kaggle's file, see ``reference/titanic/DATA.md``). A frame reaches the student's
``preprocess`` as a ``protocol.Table`` that the worker rebuilds (``table_frame``); what
``preprocess`` returns stays in the worker behind a handle, goes to ``train_model`` as it is,
and only its float64 values come back (``float_matrix``) for the tests that compare
features. The held-out labels never leave this process. Which rows are permuted, subset or
blanked is drawn from ``rng`` (seeded per submission); the held-out split is data and fixed.

One training run serves the scoring tests (``submission_cache``). Held-out labels are public
(Kaggle's file): a score above ``[review]`` in ``assignment.toml`` is flagged on the page for
a person to look at, and so is a submission holding a long run of literal numbers or code
that loads data (``grader.review``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from grader.config import load_config
from grader.errors import GradingAborted
from grader.jets.metrics import tier_credit
from grader.review import signs
from grader.tables import to_table
from grader.testing import assert_close, check

REFERENCE_DIR = Path(__file__).resolve().parent
PUBLIC_DIR = REFERENCE_DIR.parents[1] / "assignments" / "titanic"
TRAIN_CSV = PUBLIC_DIR / "train.csv"
HELDOUT_CSV = REFERENCE_DIR / "heldout.csv"
LABEL, ID = "Survived", "PassengerId"
COW_HINT = ("with pandas 3 (copy-on-write), df['Age'].fillna(value, inplace=True) changes a "
            "copy and leaves df as it was: write df['Age'] = df['Age'].fillna(value)")
LOADERS = ("sklearn.datasets", "fetch_openml", "read_csv", "open(")
"""Text that loads data: the graded file needs none (README "Rules")."""


@dataclass
class Data:
    train: pd.DataFrame
    heldout: pd.DataFrame
    thresholds: dict[str, Any]
    review: dict[str, Any]


@dataclass
class Run:
    error: str | None = None
    X_train: np.ndarray | None = None
    X_test: np.ndarray | None = None
    probs: np.ndarray | None = None
    preds: np.ndarray | None = None
    aborted: BaseException | None = None


_DATA: dict[str, Data] = {}


@pytest.fixture
def data() -> Data:
    if "titanic" not in _DATA:
        config = load_config(PUBLIC_DIR / "assignment.toml")
        _DATA["titanic"] = Data(pd.read_csv(TRAIN_CSV), pd.read_csv(HELDOUT_CSV),
                                config.thresholds.get("heldout", {}),
                                config.thresholds.get("review", {}))
    return _DATA["titanic"]


def _frame(submission: Any, frame: pd.DataFrame) -> Any:
    """A handle to ``frame`` rebuilt in the worker."""
    return submission.grader_builtin("table_frame", to_table(frame.reset_index(drop=True)))


def _features(submission: Any, frame: pd.DataFrame, what: str) -> tuple[Any, np.ndarray]:
    """``preprocess`` of ``frame``: what it returned (maybe a handle) and its float values."""
    try:
        X = submission.preprocess(_frame(submission, frame))
    except (AssertionError, GradingAborted):
        raise
    except Exception as exc:
        raise AssertionError(f"preprocess on {what} raised {_name(exc)}") from None
    try:
        values = np.asarray(submission.grader_builtin("float_matrix", X), dtype=np.float64)
    except Exception as exc:
        raise AssertionError(f"preprocess on {what} returned features that are not a 2-D "
                             f"table of numbers: {_name(exc)}") from None
    check(values.shape[0] == len(frame),
          f"preprocess on {what} ({len(frame)} rows) returned {values.shape[0]} rows: one row "
          "per passenger, in the order given (do not drop rows with missing values)")
    return X, values


def _finite(values: np.ndarray, what: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        cols = sorted({int(c) for c in np.nonzero(bad)[1]})[:5]
        raise AssertionError(
            f"the features of {what} hold NaN or inf ({int(bad.sum())} values, in feature "
            f"columns {cols}): fill every missing Age, Fare and Embarked; {COW_HINT}")


def _name(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1][:300]}" if text else type(exc).__name__


@pytest.fixture
def run(submission: Any, data: Data, submission_cache: dict[str, Any]) -> Run:
    result = submission_cache.get("titanic_run")
    if result is None:
        result = submission_cache["titanic_run"] = Run()
        try:
            _train_and_predict(submission, data, result)
        except GradingAborted as exc:
            result.aborted = exc
        except AssertionError as exc:
            result.error = str(exc)
    if result.aborted is not None:
        raise result.aborted
    return result


def _train_and_predict(submission: Any, data: Data, result: Run) -> None:
    X_train, result.X_train = _features(submission, data.train, "the training rows")
    y = data.train[LABEL].to_numpy(dtype=np.int64)
    try:
        model = submission.train_model(X_train, y)
    except Exception as exc:
        result.error = f"train_model(X, y) raised {_name(exc)}"
        return
    X_test, result.X_test = _features(submission, data.heldout.drop(columns=[LABEL]),
                                      "the held-out rows (no Survived column)")
    try:
        probs = np.asarray(model.predict_proba(X_test), dtype=np.float64)
        preds = np.asarray(model.predict(X_test))
    except Exception as exc:
        result.error = f"the model's predict or predict_proba on the held-out rows raised " \
                       f"{_name(exc)}"
        return
    result.probs, result.preds = probs, preds


def _require(run: Run, data: Data) -> tuple[np.ndarray, np.ndarray]:
    check(run.error is None, run.error or "")
    assert run.probs is not None and run.preds is not None
    n = len(data.heldout)
    check(run.probs.shape == (n, 2),
          f"predict_proba on {n} passengers returned shape {run.probs.shape}; expected ({n}, 2): "
          "the probabilities of classes 0 (died) and 1 (survived)")
    check(run.preds.shape == (n,), f"predict returned shape {run.preds.shape}; expected ({n},)")
    check(bool(np.isfinite(run.probs).all()), "predict_proba returned NaN or inf")
    return run.probs, run.preds.astype(np.float64)


def _sample(rng: np.random.Generator, frame: pd.DataFrame, low: int = 60,
            high: int = 200) -> pd.DataFrame:
    rows = np.sort(rng.choice(len(frame), int(rng.integers(low, high)), replace=False))
    return frame.iloc[rows].reset_index(drop=True)


@pytest.mark.points(1)
def test_features_are_numbers(run: Run, data: Data) -> None:
    check(run.X_train is not None, run.error or "preprocess gave no features")
    assert run.X_train is not None
    check(run.X_train.shape[1] >= 1, "preprocess returned no feature column")
    _finite(run.X_train, "the training rows")


@pytest.mark.points(1)
def test_heldout_features_match(run: Run, data: Data) -> None:
    check(run.X_test is not None, run.error or "preprocess gave no held-out features")
    assert run.X_train is not None and run.X_test is not None
    check(run.X_test.shape[1] == run.X_train.shape[1],
          f"preprocess gave {run.X_train.shape[1]} features for the training rows but "
          f"{run.X_test.shape[1]} for the held-out rows: the same transform must give the same "
          "columns for any rows (fix the categories, e.g. Embarked in S, C, Q, instead of "
          "pd.get_dummies on whatever the frame holds)")
    _finite(run.X_test, "the held-out rows")


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("change", ["dropped", "permuted"])
def test_survived_is_not_a_feature(submission: Any, data: Data, rng: Any, change: str) -> None:
    frame = _sample(rng, data.train)
    _, base = _features(submission, frame, "a sample of training rows")
    if change == "dropped":
        other = frame.drop(columns=[LABEL])
        what = "the same rows without the Survived column"
    else:
        other = frame.copy()
        other[LABEL] = rng.permutation(other[LABEL].to_numpy())
        while np.array_equal(other[LABEL].to_numpy(), frame[LABEL].to_numpy()):
            other[LABEL] = rng.permutation(other[LABEL].to_numpy())
        what = "the same rows with Survived shuffled"
    _, changed = _features(submission, other, what)
    check(changed.shape == base.shape,
          f"preprocess gave shape {changed.shape} for {what} but {base.shape} before: "
          "Survived is the label, never a feature (held-out passengers come without it)")
    assert_close(changed, base, rtol=1e-12, atol=1e-12,
                 msg=f"the features changed for {what}: Survived is the label, never a feature; "
                     "a model that sees it scores perfectly in training and fails on new "
                     "passengers")


@pytest.mark.points(1)
def test_passenger_id_is_not_a_feature(submission: Any, data: Data, rng: Any) -> None:
    frame = _sample(rng, data.train)
    _, base = _features(submission, frame, "a sample of training rows")
    other = frame.copy()
    other[ID] = rng.permutation(np.arange(1, 10_000))[: len(frame)]
    _, changed = _features(submission, other, "the same rows with new PassengerId values")
    check(changed.shape == base.shape, "the number of features depends on PassengerId")
    assert_close(changed, base, rtol=1e-12, atol=1e-12,
                 msg="the features changed when only PassengerId changed: it is a row number "
                     "given by Kaggle, not a property of the passenger; drop it")


def _subset_with_other_median(rng: np.random.Generator,
                              train: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Training rows holding missing ages, whose known ages have a median far from the whole
    file's: a fill value computed on the frame given differs from one fixed on train.csv."""
    missing = np.flatnonzero(train["Age"].isna().to_numpy())
    old = np.flatnonzero((train["Age"] >= 40).to_numpy())
    rows = np.r_[rng.choice(missing, int(rng.integers(3, 10)), replace=False),
                 rng.choice(old, int(rng.integers(8, 20)), replace=False)]
    return train.iloc[np.sort(rows)].reset_index(drop=True), rows


@pytest.mark.points(1)
def test_rows_are_transformed_alone(run: Run, submission: Any, data: Data, rng: Any) -> None:
    check(run.X_train is not None, run.error or "preprocess gave no features")
    assert run.X_train is not None
    frame, rows = _subset_with_other_median(rng, data.train)
    _, alone = _features(submission, frame, "a few training rows")
    want = run.X_train[np.sort(rows)]
    check(alone.shape == want.shape,
          f"preprocess gave {alone.shape[1]} features for a few rows but {want.shape[1]} for "
          "all of train.csv: the columns must not depend on which rows are given")
    assert_close(alone, want, rtol=1e-9, atol=1e-9,
                 msg="a passenger's features differ when preprocess sees a few rows instead "
                     "of all of train.csv: compute fill values (the median Age, Fare) once on "
                     "train.csv and write them into your code, so new passengers get the same "
                     "transform")


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize("column", ["Age", "Fare", "Embarked"])
def test_missing_values_are_filled(run: Run, submission: Any, data: Data, rng: Any,
                                   column: str) -> None:
    check(run.X_train is not None, run.error or "preprocess gave no features")
    assert run.X_train is not None
    frame = _sample(rng, data.train)
    frame[column] = frame[column].where(rng.random(len(frame)) > 0.3)
    frame.loc[int(rng.integers(0, len(frame))), column] = np.nan
    what = f"rows where {column} is missing"
    _, values = _features(submission, frame, what)
    check(values.shape[1] == run.X_train.shape[1],
          f"with missing {column} preprocess gave {values.shape[1]} features, not "
          f"{run.X_train.shape[1]}")
    _finite(values, what)


@pytest.mark.points(1)
def test_unseen_category(run: Run, submission: Any, data: Data, rng: Any) -> None:
    check(run.X_train is not None, run.error or "preprocess gave no features")
    assert run.X_train is not None
    frame = _sample(rng, data.train)
    port = str(rng.choice(["X", "Southampton", "B", "s"]))
    frame.loc[rng.random(len(frame)) < 0.3, "Embarked"] = port
    frame.loc[int(rng.integers(0, len(frame))), "Embarked"] = port
    what = f"rows where Embarked is {port!r}, a port train.csv never shows"
    _, values = _features(submission, frame, what)
    check(values.shape[1] == run.X_train.shape[1],
          f"for {what} preprocess gave {values.shape[1]} features, not {run.X_train.shape[1]}: "
          "fix the categories you encode (S, C, Q) and give an unseen one zeros")
    _finite(values, what)


@pytest.mark.points(1)
def test_model_outputs(run: Run, data: Data) -> None:
    probs, preds = _require(run, data)
    check(bool(((probs >= -1e-9) & (probs <= 1 + 1e-9)).all()) and
          bool(np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)),
          "predict_proba must give two probabilities per passenger that sum to 1")
    check(bool(np.isin(preds, (0, 1)).all()), "predict must give 0 (died) or 1 (survived)")
    y = data.heldout[LABEL].to_numpy()
    majority = max(float(np.mean(y)), 1 - float(np.mean(y)))
    check(float(np.mean(preds == y)) > majority + 0.02,
          f"held-out accuracy {np.mean(preds == y):.3f} is no better than predicting that "
          f"everyone died ({majority:.3f}): the model has learned nothing from the features")


def _review(submission: Any, data: Data, artifacts: Any, metric: str, value: float) -> str:
    """A note for a person when a score is implausible for honest work, or the code holds a
    long run of literal numbers (an embedded answer table); '' otherwise."""
    notes = []
    limit = data.review.get(metric)
    if limit is not None and value > float(limit):
        notes.append(f"held-out {metric} {value:.3f} is above {float(limit):.2f}, more than "
                     "any honest model measured on this data reaches")
    notes += signs(getattr(submission, "sources", {}), LOADERS)
    if not notes:
        return ""
    note = "; ".join(notes) + ": flagged for review (held-out labels are public data)"
    artifacts.setdefault("metrics", {})["review"] = note
    return note


def _tiered(value: float, metric: str, what: str, data: Data, credit: Any,
            submission: Any, artifacts: Any) -> None:
    tier = data.thresholds[metric]
    artifacts.setdefault("metrics", {})[metric] = round(value, 4)
    note = _review(submission, data, artifacts, metric, value)
    fraction = tier_credit(value, float(tier["full"]), float(tier["zero"]))
    text = (f"{what} {value:.4f} on the 179 held-out passengers; full credit from "
            f"{float(tier['full']):.2f}, none at {float(tier['zero']):.2f} or below")
    if note:
        credit.award(fraction, f"{text}. {note}")
        return
    if fraction >= 1.0:
        return
    if fraction > 0.0:
        credit.award(fraction, f"{text}: {fraction:.0%} of the points")
        return
    check(False, f"{text}. Sex and class matter most (women and first class survived "
                 "most often); a title from Name and a filled Age help")


@pytest.mark.points(3)
def test_accuracy_tier(run: Run, data: Data, credit: Any, submission: Any,
                       artifacts: Any) -> None:
    _, preds = _require(run, data)
    y = data.heldout[LABEL].to_numpy()
    _tiered(float(np.mean(preds == y)), "accuracy", "held-out accuracy", data, credit,
            submission, artifacts)


@pytest.mark.points(3)
def test_auc_tier(run: Run, data: Data, credit: Any, submission: Any, artifacts: Any) -> None:
    from sklearn.metrics import roc_auc_score

    probs, _ = _require(run, data)
    y = data.heldout[LABEL].to_numpy()
    _tiered(float(roc_auc_score(y, probs[:, 1])), "auc", "held-out ROC AUC", data, credit,
            submission, artifacts)
