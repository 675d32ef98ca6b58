"""The jet tables of assignment.toml, the mutants' declarations, and the import boundary."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from grader.errors import ConfigError
from grader.jets.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
TOML = REPO / "assignments" / "jet_classifier" / "assignment.toml"
SUITE = REPO / "reference" / "jet_classifier" / "test_hidden.py"


def test_shipped_settings_load() -> None:
    settings = load_settings(TOML)
    for dataset in ("surrogate", "openml", "file"):
        accuracy = settings.tier(dataset, "accuracy")
        auc = settings.tier(dataset, "macro_auc")
        assert 0.2 < accuracy.zero < accuracy.full < 1
        assert 0.5 < auc.zero < auc.full < 1
    assert settings.train_seconds > 0
    assert settings.n_samples is None
    assert 0 < settings.validation_fraction < 0.5


def test_tier_credit_from_settings() -> None:
    tier = load_settings(TOML).tier("surrogate", "accuracy")
    assert tier.credit(tier.full) == 1.0
    assert tier.credit(tier.zero) == 0.0
    assert tier.credit((tier.full + tier.zero) / 2) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "needs \\[thresholds"),
        ("[thresholds.kaggle]\n", "dataset must be one of"),
        ("[thresholds.surrogate]\naccuracy = 0.7\n", "must be a table"),
        (
            "[thresholds.surrogate]\naccuracy = {full = 0.7, zero = 0.5}\n"
            "macro_auc = {full = 0.9, zero = 0.9}\n",
            "must differ",
        ),
        (
            "[thresholds.surrogate]\naccuracy = {full = 0.7, zero = 0.5}\n"
            "macro_auc = {full = 0.9, zero = 0.8}\nf1 = {full = 1, zero = 0}\n",
            "unknown keys",
        ),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "assignment.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_settings(path)


def test_missing_dataset_tier_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "assignment.toml"
    path.write_text(
        "[thresholds.surrogate]\naccuracy = {full = 0.7, zero = 0.5}\n"
        "macro_auc = {full = 0.9, zero = 0.8}\n"
    )
    with pytest.raises(ConfigError, match=r"thresholds\.openml"):
        load_settings(path).tier("file", "accuracy")


def test_mutants_name_tests_of_the_hidden_suite() -> None:
    tests = {
        node.name
        for node in ast.parse(SUITE.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    mutants = sorted((SUITE.parent / "mutants").glob("*.py"))
    expected = {"untrained", "no_softmax", "shuffled_labels", "tiny_overfit", "scaled_outside"}
    assert {m.stem for m in mutants} >= expected
    for mutant in mutants:
        tree = ast.parse(mutant.read_text())
        assert ast.get_docstring(tree), f"{mutant.name} needs a docstring"
        declared = next(
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "EXPECTED_FAILURES" for t in node.targets)
        )
        assert declared and set(declared) <= tests, mutant.name


def test_trusted_side_modules_do_not_import_tensorflow() -> None:
    code = (
        "import sys\n"
        "import grader.jets.data, grader.jets.metrics, grader.jets.settings\n"
        "import grader.worker.builtins\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"


def test_the_tier_benchmark_prints_a_row_per_model(tmp_path: Path) -> None:
    """The command behind the README's tier figures runs (here its one fast model)."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_jet_tiers.py"), "--n-samples",
         "5000", "--only", "mass_multiplicity"],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("surrogate seed 0: 5,000 jets") and "tiers accuracy" in lines[0]
    name, acc, auc, acc_points, auc_points, _ = lines[2].split()
    assert name == "mass_multiplicity" and 0.3 < float(acc) < 0.74 and 0.5 < float(auc) < 1
    assert 0.0 <= float(acc_points) <= 4 and 0.0 <= float(auc_points) <= 2
