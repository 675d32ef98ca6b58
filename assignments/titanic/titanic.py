# %% [markdown]
# # Assignment: Titanic (see README.md for the full task)
#
# Write `preprocess` and `train_model`. Explore `train.csv` in a notebook of your own; this
# file (or notebook) is graded and must not read files.

# %%
"""Assignment: Titanic, features from a real table and a model (see README.md)."""

import pandas as pd


def preprocess(df: pd.DataFrame):
    """Turn the passengers of ``df`` into numeric features, one row per passenger.

    ``df`` has Kaggle's columns (``Survived`` may be absent). Return a 2-D numpy array or a
    DataFrame of numbers, without missing values, with the same columns whatever rows it is
    given. Never use ``Survived`` or ``PassengerId``.
    """
    raise NotImplementedError("preprocess is not written yet")


def train_model(X, y):
    """Fit and return a classifier with ``predict`` and ``predict_proba`` on ``X``, ``y``.

    ``X`` is what ``preprocess`` returned for the training rows, ``y`` their ``Survived``
    (int64 0/1).
    """
    raise NotImplementedError("train_model is not written yet")
