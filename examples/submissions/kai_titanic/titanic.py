"""Kai's Titanic: a sound model, but Age is filled with the median of whatever frame comes
in, so a few passengers alone get other features than in train.csv (one hidden test)."""

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def preprocess(df):
    df = df.copy()
    df["Age"] = df["Age"].fillna(df["Age"].median() if df["Age"].notna().any() else 28.0)
    df["Fare"] = df["Fare"].fillna(14.5)
    df["Sex"] = (df["Sex"] == "female").astype(float)
    for port in ["S", "C", "Q"]:
        df["from_" + port] = (df["Embarked"] == port).astype(float)
    columns = ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "from_S", "from_C", "from_Q"]
    return df[columns].to_numpy(dtype=np.float64)


def train_model(X, y):
    forest = RandomForestClassifier(n_estimators=200, max_depth=5, random_state=1)
    forest.fit(X, y)
    return forest
