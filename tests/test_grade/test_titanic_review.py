"""Titanic through the real engine: held-out labels are public, so a submission that embeds
them is flagged on the page for a person to review (its score stands)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "reference" / "titanic" / "solution.py").read_text()
pytestmark = pytest.mark.slow


def _outcomes() -> dict[str, int]:
    frames = [pd.read_csv(REPO / "assignments" / "titanic" / "train.csv"),
              pd.read_csv(REPO / "reference" / "titanic" / "heldout.csv")]
    both = pd.concat(frames)
    return dict(zip(both["Name"], both["Survived"].astype(int)))


# Looks each passenger up by name: every held-out passenger right, and no long number run.
LOOKUP = f"""
import numpy as np
from sklearn.tree import DecisionTreeClassifier

OUTCOMES = {_outcomes()!r}


def preprocess(df):
    return np.array([[float(OUTCOMES.get(name, 0))] for name in df["Name"]])


def train_model(X, y):
    return DecisionTreeClassifier(random_state=0).fit(X, y)
"""

# An honest model beside a pasted table of 300 numbers.
NUMBERS = SOLUTION + "\nTABLE = [" + ", ".join(str(i % 2) for i in range(300)) + "]\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("titanic")
    for student, text in (("lookup", LOOKUP), ("numbers", NUMBERS), ("honest", SOLUTION)):
        folder = root / "submissions" / student
        folder.mkdir(parents=True)
        (folder / "titanic.py").write_text(text)
    out = root / "results.json"
    grade.main(submissions_dir=root / "submissions", assignments=["titanic"], db=None,
               out=None, json_path=out, jobs=1, course_dir=REPO)
    students = json.loads(out.read_text())["students"]
    return {s["student"]: s["assignments"][0] for s in students}


def _tier(result: dict, name: str) -> dict:
    return next(t for t in result["tests"] if t["name"] == name)


def test_an_implausibly_high_score_is_flagged(graded: dict[str, dict]) -> None:
    result = graded["lookup"]
    accuracy = _tier(result, "test_accuracy_tier")
    assert accuracy["score"] == accuracy["max_score"]
    assert "above 0.90" in accuracy["message"] and "flagged for review" in accuracy["message"]
    assert "flagged for review" in result["artifacts"]["metrics"]["review"]


def test_a_long_run_of_literal_numbers_is_flagged(graded: dict[str, dict]) -> None:
    message = _tier(graded["numbers"], "test_auc_tier")["message"]
    assert "200 or more literal numbers" in message and "above" not in message


def test_honest_work_is_not_flagged(graded: dict[str, dict]) -> None:
    result = graded["honest"]
    assert result["score"] == result["max_score"]
    assert "review" not in result["artifacts"].get("metrics", {})
