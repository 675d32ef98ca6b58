"""The ``[similarity]`` table of assignment.toml: typed, checked, named in every error."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.config import load_config
from grader.errors import ConfigError

HEAD = '[assignment]\nnames = ["softmax"]\nfiles = ["softmax.py"]\n'


def config_with(tmp_path: Path, table: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "softmax" / "assignment.toml"
    path.parent.mkdir()
    path.write_text(HEAD + "[similarity]\n" + table)
    return load_config(path)


def test_the_table_is_read_with_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    settings = config_with(tmp_path, "threshold = 0.45\n").similarity
    assert (settings.threshold, settings.floor, settings.min_fingerprints,
            settings.common_share) == (0.45, 0.2, 15, 0.2)


@pytest.mark.parametrize(("table", "message"), [
    ("treshold = 0.5\n", "unknown key 'treshold'"),
    ("threshold = 1.5\n", "threshold must be between 0 and 1"),
    ("common_share = -0.1\n", "common_share must be between 0 and 1"),
    ("min_fingerprints = 0\n", "min_fingerprints must be at least 1"),
    ('threshold = "high"\n', "threshold must be a number"),
])
def test_a_bad_value_names_the_file_and_the_key(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        config_with(tmp_path, table)
    assert "assignment.toml [similarity]" in str(caught.value)


def test_the_course_sets_a_threshold_for_each_numeric_assignment() -> None:
    repo = Path(__file__).resolve().parents[2]
    thresholds = {name: load_config(repo / "assignments" / name / "assignment.toml")
                  .similarity.threshold
                  for name in ("softmax", "cross_entropy", "kfold", "early_stopping")}
    assert thresholds == {"softmax": 0.6, "cross_entropy": 0.45, "kfold": 0.5,
                          "early_stopping": 0.6}
