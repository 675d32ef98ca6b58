"""The Iris classifier through the real engine: the tutorial's network, trained in the
worker on the fixed split, graded on 30 held-out flowers with the confusion matrix on the
page, and flagged for review when its code mentions the loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
LEA = (REPO / "examples" / "submissions" / "lea_iris" / "iris_classifier.py").read_text()
LOADING = LEA + "\n\ndef _peek():\n    from sklearn.datasets import load_iris\n\n" \
                "    return load_iris\n"

pytestmark = [pytest.mark.tensorflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The tutorial's network with a mention of the loader: one training run (about a minute
    with TensorFlow's start-up) serves every test."""
    root = tmp_path_factory.mktemp("iris")
    folder = root / "submissions" / "lea"
    folder.mkdir(parents=True)
    (folder / "iris_classifier.py").write_text(LOADING)
    out = root / "results.json"
    grade.main(submissions_dir=root / "submissions", assignments=["iris_classifier"], db=None,
               out=None, json_path=out, jobs=1, course_dir=REPO)
    return json.loads(out.read_text())["students"][0]["assignments"][0]


def test_the_tutorial_network_gets_full_marks_and_a_confusion_matrix(graded: dict) -> None:
    assert graded["score"] == graded["max_score"] == 10.0, graded["tests"]
    confusion = graded["artifacts"]["confusion"]
    assert confusion["labels"] == ["setosa", "versicolor", "virginica"]
    assert all(abs(sum(row) - 1.0) < 1e-6 for row in confusion["matrix"])
    assert graded["artifacts"]["metrics"]["accuracy"] >= 0.9


def test_code_that_mentions_the_loader_is_flagged_and_keeps_its_score(graded: dict) -> None:
    tier = next(t for t in graded["tests"] if t["name"] == "test_accuracy_tier")
    assert tier["score"] == tier["max_score"]
    assert "mentions load_iris" in tier["message"] and "flagged for review" in tier["message"]
