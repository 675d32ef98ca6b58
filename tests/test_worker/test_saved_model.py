"""Saved models are judged by their archive before Keras builds anything.

The config bomb is a small ``jet_model.keras`` whose ``config.json`` declares a hidden
``Dense(48_000_000)``: Keras would allocate its weights (gigabytes) before reading any. It
must be refused without Keras ever being imported (``sys.modules["keras"] = None`` makes any
``import keras`` fail, so reaching Keras would raise ImportError instead of the refusal).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from grader.worker.builtins import load_keras_model
from grader.worker.saved_model import (
    MAX_PARAMETERS,
    SavedModelRefused,
    check_keras_archive,
    declared_parameters,
)

REPO = Path(__file__).resolve().parents[2]
SAVED = REPO / "examples" / "submissions" / "hana_saved_model" / "jet_model.keras"


def rewrite(tmp_path: Path, change_config: object = None, extra: dict[str, bytes] | None = None,
            name: str = "jet_model.keras") -> Path:
    """A copy of the example model with its config (and members) changed."""
    target = tmp_path / name
    with zipfile.ZipFile(SAVED) as source, zipfile.ZipFile(target, "w") as out:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "config.json" and callable(change_config):
                data = json.dumps(change_config(json.loads(data))).encode()
            out.writestr(member.filename, data)
        for member_name, data in (extra or {}).items():
            out.writestr(member_name, data)
    return target


def hidden_dense(config: dict) -> dict:
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "Dense":
            layer["config"]["units"] = 48_000_000
            break
    return config


@pytest.fixture
def no_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keras", None)


def test_the_example_model_passes_with_its_real_size() -> None:
    parameters = check_keras_archive(str(SAVED))
    assert 16 * 64 <= parameters < 10_000


@pytest.mark.usefixtures("no_keras")
def test_the_config_bomb_is_refused_before_keras_is_reached(tmp_path: Path) -> None:
    bomb = rewrite(tmp_path, hidden_dense)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(SavedModelRefused, match="declare at least"):
        load_keras_model(str(bomb))


@pytest.mark.usefixtures("no_keras")
def test_more_weights_declared_than_the_weights_file_holds_is_refused(tmp_path: Path) -> None:
    def wide(config: dict) -> dict:  # under MAX_PARAMETERS, far over the 83 KB of weights
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "Dense":
                layer["config"]["units"] = 100_000
                break
        return config

    model = rewrite(tmp_path, wide)
    with pytest.raises(SavedModelRefused, match="holds only"):
        load_keras_model(str(model))


@pytest.mark.usefixtures("no_keras")
@pytest.mark.parametrize(
    "case", ["not_a_zip", "huge_member", "no_config", "deep_config", "deeper_config"]
)
def test_archives_that_are_no_model_are_refused(tmp_path: Path, case: str) -> None:
    path = tmp_path / "jet_model.keras"
    if case == "not_a_zip":
        path.write_bytes(b"not a zip at all")
    elif case == "huge_member":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.writestr("config.json", "{}")
            out.writestr("model.weights.h5", b"\0" * (65 << 20))
    elif case == "no_config":
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("model.weights.h5", b"")
    else:
        depth = 100 if case == "deep_config" else 100_000
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("config.json", "[" * depth + "]" * depth)
            out.writestr("model.weights.h5", b"")
    with pytest.raises(SavedModelRefused):
        load_keras_model(str(path))


def test_parameters_of_nested_and_recurrent_layers_are_counted() -> None:
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Bidirectional", "config": {"layer": {
            "class_name": "LSTM", "config": {"units": 1000},
            "build_config": {"input_shape": [None, 10, 2000]}}}},
        {"class_name": "Embedding", "config": {"input_dim": 10_000, "output_dim": 600}},
        {"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": [3, 3]},
         "build_config": {"input_shape": [None, 28, 28, 32]}},
    ]}}
    expected = 1000 * 2000 * 4 + 10_000 * 600 + 64 * 9 * 32
    assert declared_parameters(config) == expected > MAX_PARAMETERS
