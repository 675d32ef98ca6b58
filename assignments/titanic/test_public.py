"""Public checks for titanic: `grade check titanic titanic.py`.

They run your code on the public train.csv only (the held-out passengers are the grader's);
passing them does not guarantee full marks.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grader.tables import to_table
from grader.testing import check

TRAIN = pd.read_csv(Path(__file__).resolve().parent / "train.csv")


def _features(submission, frame):
    X = submission.preprocess(submission.grader_builtin("table_frame", to_table(frame)))
    return X, np.asarray(submission.grader_builtin("float_matrix", X))


@pytest.mark.points(1)
def test_features_are_finite_numbers(submission):
    _, values = _features(submission, TRAIN)
    check(values.shape[0] == len(TRAIN), f"expected {len(TRAIN)} rows, got {values.shape[0]}")
    check(bool(np.isfinite(values).all()),
          "the features hold NaN: fill missing Age and Embarked (and Fare: new passengers may "
          "lack it). pandas 3: df['Age'].fillna(v, inplace=True) does nothing, assign instead")


@pytest.mark.points(1)
def test_survived_is_not_used(submission):
    _, with_label = _features(submission, TRAIN.head(100))
    _, without = _features(submission, TRAIN.head(100).drop(columns=["Survived"]))
    check(with_label.shape == without.shape and np.array_equal(with_label, without),
          "the features change when Survived is dropped: it is the label, never a feature")


@pytest.mark.points(1)
def test_model_predicts_probabilities(submission):
    X, _ = _features(submission, TRAIN.iloc[:600])
    model = submission.train_model(X, TRAIN["Survived"].to_numpy()[:600])
    X_new, _ = _features(submission, TRAIN.iloc[600:].drop(columns=["Survived"]))
    probs = np.asarray(model.predict_proba(X_new))
    check(probs.shape == (len(TRAIN) - 600, 2), f"predict_proba gave shape {probs.shape}")
    accuracy = float(np.mean(np.asarray(model.predict(X_new)) == TRAIN["Survived"][600:]))
    check(accuracy > 0.7, f"accuracy {accuracy:.3f} on the last 112 rows of train.csv, when "
                          "trained on the first 600: below 0.70, look at Sex and Pclass")
