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
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("iris")
    for student, text in (("lea", LEA), ("peeker", LOADING)):
        folder = root / "submissions" / student
        folder.mkdir(parents=True)
        (folder / "iris_classifier.py").write_text(text)
    out = root / "results.json"
    grade.main(submissions_dir=root / "submissions", assignments=["iris_classifier"], db=None,
               out=None, json_path=out, jobs=1, course_dir=REPO)
    return {s["student"]: s["assignments"][0] for s in json.loads(out.read_text())["students"]}


def test_the_tutorial_network_gets_full_marks_and_a_confusion_matrix(
        graded: dict[str, dict]) -> None:
    result = graded["lea"]
    assert result["score"] == result["max_score"] == 10.0, result["tests"]
    confusion = result["artifacts"]["confusion"]
    assert confusion["labels"] == ["setosa", "versicolor", "virginica"]
    assert all(abs(sum(row) - 1.0) < 1e-6 for row in confusion["matrix"])
    assert result["artifacts"]["metrics"]["accuracy"] >= 0.9
    assert "review" not in result["artifacts"]["metrics"]


def test_code_that_mentions_the_loader_is_flagged(graded: dict[str, dict]) -> None:
    tier = next(t for t in graded["peeker"]["tests"] if t["name"] == "test_accuracy_tier")
    assert "mentions load_iris" in tier["message"] and "flagged for review" in tier["message"]
