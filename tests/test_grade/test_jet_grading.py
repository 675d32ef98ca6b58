"""The jet classifier through the real engine: a saved model, and training in the worker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
SAVED = REPO / "examples" / "submissions" / "hana_saved_model" / "jet_model.keras"

pytestmark = [pytest.mark.tensorflow, pytest.mark.slow]


def grade_one(tmp_path: Path, files: dict[str, Path], **options: object) -> dict:
    folder = tmp_path / "submissions" / "student"
    folder.mkdir(parents=True)
    for name, source in files.items():
        shutil.copyfile(source, folder / name)
    out = tmp_path / "results.json"
    grade.main(submissions_dir=tmp_path / "submissions", assignments=["jet_classifier"],
               db=None, out=None, json_path=out, jobs=1, course_dir=REPO,
               options={"jet_data": "surrogate", **options})
    return json.loads(out.read_text())["students"][0]["assignments"][0]


def test_a_saved_model_is_loaded_in_safe_mode_and_scored_on_the_trusted_side(
    tmp_path: Path,
) -> None:
    result = grade_one(tmp_path, {"jet_model.keras": SAVED})
    assert result["score"] == result["max_score"] == 10.0, result["tests"]
    metrics = result["artifacts"]["metrics"]
    assert metrics["accuracy"] > 0.74 and metrics["macro_auc"] > 0.92
    assert set(result["artifacts"]["roc"]) == {"g", "q", "t", "w", "z"}
    assert "history" not in result["artifacts"]
    assert "not defined" not in result["message"]


def test_training_in_the_worker_records_the_loss_curves(tmp_path: Path) -> None:
    solution = REPO / "reference" / "jet_classifier" / "solution.py"
    result = grade_one(tmp_path, {"jet_classifier.py": solution}, jet_n_samples=20_000)
    assert result["status"] == "graded"
    passed = {t["name"] for t in result["tests"] if t["status"] == "passed"}
    assert {"test_outputs_are_probabilities", "test_model_learned"} <= passed
    history = result["artifacts"]["history"]
    assert len(history["loss"]) >= 2 and history["loss"][-1] < history["loss"][0]
