"""Held-out accuracy and ROC AUC of the Titanic reference and of weaker models.

The figures of ``assignments/titanic/README.md`` and the tiers of its ``assignment.toml``:
each model is trained on the public ``train.csv`` (712 passengers) and scored on the 179
held-out ones, in this process (scikit-learn is deterministic with a fixed random_state).

    PYTHONPATH=. .venv/bin/python benchmarks/titanic_tiers.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

REPO = Path(__file__).resolve().parents[1]
TRAIN = pd.read_csv(REPO / "assignments" / "titanic" / "train.csv")
HELDOUT = pd.read_csv(REPO / "reference" / "titanic" / "heldout.csv")


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"titanic_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(name: str, model, features) -> None:
    model.fit(features(TRAIN), TRAIN["Survived"])
    X = features(HELDOUT.drop(columns=["Survived"]))
    y = HELDOUT["Survived"].to_numpy()
    accuracy = float(np.mean(model.predict(X) == y))
    auc = float(roc_auc_score(y, model.predict_proba(X)[:, 1]))
    print(f"{name:44s} accuracy {accuracy:.3f}  auc {auc:.3f}")


def main() -> None:
    reference = _load(REPO / "reference" / "titanic" / "solution.py")

    def sex(df):
        return pd.DataFrame({"female": (df["Sex"] == "female").astype(float)})

    def sex_class(df):
        return sex(df).assign(pclass=df["Pclass"].astype(float))

    _score("everyone died", DummyClassifier(strategy="most_frequent"), sex)
    _score("logistic regression, Sex", LogisticRegression(), sex)
    _score("logistic regression, Sex + Pclass", LogisticRegression(), sex_class)
    _score("unpruned tree, reference features", DecisionTreeClassifier(random_state=0),
           reference.preprocess)
    _score("depth-4 tree, reference features",
           DecisionTreeClassifier(max_depth=4, random_state=0), reference.preprocess)
    folder = REPO / "reference" / "titanic"
    for path in [*sorted(folder.glob("*/*.py")), folder / "solution.py"]:
        module = _load(path)
        try:
            _score(f"{path.parent.name}/{path.stem}", _Student(module), module.preprocess)
        except Exception as exc:  # a mutant that cannot train at all
            print(f"{path.parent.name}/{path.stem:33s} fails: {type(exc).__name__}")


class _Student:
    """A variant's own train_model behind the fit/predict interface ``_score`` uses."""

    def __init__(self, module) -> None:
        self.module = module

    def fit(self, X, y):
        self.model = self.module.train_model(X, np.asarray(y, dtype=np.int64))
        return self

    def predict(self, X):
        return self.model.predict(X)

    def predict_proba(self, X):
        return self.model.predict_proba(X)


if __name__ == "__main__":
    main()
