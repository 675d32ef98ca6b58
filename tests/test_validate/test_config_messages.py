"""config.load_config: each mistake in assignment.toml is one message naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.config import load_config
from grader.errors import ConfigError


@pytest.mark.parametrize(("text", "match"), [
    ("[assignment\n", "cannot read"),
    ("[limitz]\n", r"unknown table\(s\) \['limitz'\]"),
    ("[assignment]\nnames = 'softmax'\n", r"\[assignment\] names must be a list of strings"),
    ("[assignment]\ntitel = 'x'\n", r"\[assignment\] unknown key\(s\) \['titel'\]"),
    ("[limits]\ncall_timout = 3\n", r"\[limits\]: unknown key 'call_timout' \(known: "),
    ("[limits]\ncall_timeout = 'ten'\n", r"\[limits\]: call_timeout must be a number, got 'ten'"),
    ("[late]\ndeadline = 'soon'\n", r"\[late\] deadline is not ISO 8601: 'soon'"),
    ("[late]\npenalty_per_dya = 0.1\n", r"\[late\]: unknown key 'penalty_per_dya'"),
    ("[rules]\nforbiden = []\n", r"\[rules\]: unknown key\(s\) \['forbiden'\]"),
    ("[rules]\nforbidden = 'scipy'\n", r"\[rules\]: forbidden must be a list of dotted names"),
    ("[rules]\nforbidden = ['scipy special']\n", r"forbidden must be a list of dotted names"),
])
def test_a_bad_assignment_toml_names_the_file_and_the_key(
        tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "softmax" / "assignment.toml"
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(ConfigError, match=match) as raised:
        load_config(path)
    assert str(raised.value).startswith(str(path))


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "assignment.toml")


def test_values_are_typed_and_defaults_kept(tmp_path: Path) -> None:
    path = tmp_path / "softmax" / "assignment.toml"
    path.parent.mkdir()
    path.write_text("[assignment]\nnames = ['softmax']\n[limits]\ncall_timeout = 3\n"
                    "cpu_seconds = 7.0\n")
    config = load_config(path)
    assert config.name == "softmax" and config.names == ("softmax",)
    assert config.limits.call_timeout == 3.0 and isinstance(config.limits.call_timeout, float)
    assert config.limits.cpu_seconds == 7 and isinstance(config.limits.cpu_seconds, int)
    assert config.limits.total_timeout == 120.0


def test_forbidden_names_are_read_as_declared(tmp_path: Path) -> None:
    path = tmp_path / "kfold" / "assignment.toml"
    path.parent.mkdir()
    path.write_text('[rules]\nforbidden = ["sklearn.model_selection.KFold", "grader", "grader"]\n')
    assert load_config(path).rules.forbidden == ("sklearn.model_selection.KFold", "grader")
    path.write_text("[assignment]\ntitle = 'k-fold'\n")
    assert load_config(path).rules.forbidden == ()
