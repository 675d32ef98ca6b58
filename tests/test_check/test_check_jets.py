"""``grade check jet_classifier`` on a saved model: the training check is skipped, not failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import REPO, grade

SAVED = REPO / "examples" / "submissions" / "hana_saved_model" / "jet_model.keras"

pytestmark = [pytest.mark.tensorflow, pytest.mark.slow]


def test_a_good_saved_model_passes_its_self_check_with_exit_0(tmp_path: Path) -> None:
    shutil.copyfile(SAVED, tmp_path / "jet_model.keras")
    done = grade("check", "jet_classifier", "jet_model.keras", "--course", REPO, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "PASS test_model_maps_16_features_to_5_probabilities" in lines
    assert any(line.startswith("SKIP test_train_runs_on_a_small_sample: a saved") for line in lines)
    assert not any(line.startswith("FAIL") for line in lines)
    assert lines[-1].startswith("all 2 public checks passed (1 skipped as not applicable)")
    # TensorFlow's own log lines are not the student's output.
    assert "absl::InitializeLog" not in done.stdout and "I0000" not in done.stdout
    assert "your code printed" not in done.stdout


def test_a_saved_model_that_does_not_load_still_fails(tmp_path: Path) -> None:
    (tmp_path / "jet_model.keras").write_bytes(b"not a zip archive")
    done = grade("check", "jet_classifier", "jet_model.keras", "--course", REPO, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL test_submission_has_build_model_and_train_or_a_saved_model" in done.stdout
