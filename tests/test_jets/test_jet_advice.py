"""Advice at partial credit: what the loss curves say, and the tier message that carries it."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from grader.engine.plugin import Credit
from grader.jets.advice import curve_advice
from grader.jets.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO / "reference" / "jet_classifier" / "test_hidden.py"
TOML = REPO / "assignments" / "jet_classifier" / "assignment.toml"

STILL_FALLING = {"loss": [1.20, 1.00, 0.95, 0.91], "val_loss": [1.10, 0.99, 0.94, 0.90]}
DIVERGING = {"loss": [0.90, 0.80, 0.70, 0.60, 0.50], "val_loss": [0.80, 0.72, 0.76, 0.80, 0.86]}
FLAT = {"loss": [1.501, 1.500, 1.500, 1.499], "val_loss": [1.500, 1.499, 1.499, 1.498]}
LEVELLED = {"loss": [1.0, 0.8, 0.75, 0.74, 0.74], "val_loss": [0.9, 0.76, 0.74, 0.73, 0.7301]}


@pytest.mark.parametrize(("history", "words"), [
    (STILL_FALLING, "still falling at the last epoch"),
    (DIVERGING, "overfitting"),
    (FLAT, "not learning"),
    (LEVELLED, "levelled off"),
    ({"loss": [1.0]}, "single epoch"),
])
def test_each_shape_of_the_curves_gets_its_advice(history: dict, words: str) -> None:
    assert words in curve_advice(history)


def test_the_advice_names_the_epochs_and_losses_of_the_students_curve() -> None:
    assert "epoch 2 (0.7200)" in curve_advice(DIVERGING)
    assert "0.9400 -> 0.9000 at epoch 4 of 4" in curve_advice(STILL_FALLING)


def test_training_loss_stands_in_without_a_validation_loss() -> None:
    advice = curve_advice({"loss": STILL_FALLING["loss"]})
    assert "training loss was still falling" in advice


@pytest.mark.parametrize("history", [None, {}, {"loss": []}, {"loss": "nope"},
                                     {"loss": [float("nan")]}, [1.0, 0.5]])
def test_no_usable_curve_gives_no_advice(history: object) -> None:
    assert curve_advice(history) == ""


def test_a_curve_that_turns_nan_is_read_up_to_the_nan() -> None:
    assert "single epoch" in curve_advice({"loss": [1.0, float("nan"), 0.5]})


@pytest.fixture(scope="module")
def suite():
    """The hidden suite's helpers (registered, as its dataclasses need a module)."""
    spec = importlib.util.spec_from_file_location("jet_hidden_suite_under_test", SUITE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        with warnings.catch_warnings():  # its points marker is the grading plugin's
            warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
            spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _tier_message(suite, value: float, history: dict | None, mode: str = "trained") -> Credit:
    settings = load_settings(TOML)
    data = suite.JetData("surrogate", settings, *(np.zeros(1) for _ in range(6)))
    run = suite.Run(mode=mode, history=history)
    credit = Credit()
    suite._tiered(value, "accuracy", "test accuracy", run, data, credit)
    return credit


def test_partial_credit_says_what_was_reached_where_full_credit_starts_and_what_to_do(
        suite) -> None:
    credit = _tier_message(suite, 0.6891, STILL_FALLING)
    assert 0 < credit.fraction < 1
    assert "test accuracy 0.6891 on the surrogate data" in credit.message
    assert "full credit from 0.74" in credit.message
    assert f"{credit.fraction:.0%} of the points" in credit.message
    assert "train for more epochs" in credit.message


def test_partial_credit_of_a_saved_model_asks_how_it_was_trained(suite) -> None:
    credit = _tier_message(suite, 0.70, None, mode="saved")
    assert 0 < credit.fraction < 1 and "saved model" in credit.message


def test_no_credit_carries_the_curve_advice_too(suite) -> None:
    with pytest.raises(AssertionError, match="overfitting"):
        _tier_message(suite, 0.60, DIVERGING)


def test_full_credit_says_nothing(suite) -> None:
    credit = _tier_message(suite, 0.75, STILL_FALLING)
    assert credit.fraction == 1.0 and credit.message == ""

