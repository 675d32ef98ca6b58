"""Metrics of the jet suite: AUCs, confusion, ROC thinning, tier credit, the artifacts."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from grader.jets.metrics import (
    accuracy,
    auc_per_class,
    confusion,
    macro_auc,
    make_artifacts,
    most_confused_pairs,
    roc_curves,
    tier_credit,
)

LABELS = ["g", "q", "t", "w", "z"]


@pytest.fixture
def labels() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 5, 5_000)


def test_perfect_classifier(labels: np.ndarray) -> None:
    probs = np.eye(5)[labels]
    assert accuracy(labels, probs) == 1.0
    assert auc_per_class(labels, probs) == dict.fromkeys(LABELS, 1.0)
    assert macro_auc(labels, probs) == 1.0
    np.testing.assert_array_equal(confusion(labels, probs), np.eye(5))


def test_random_classifier_scores_chance(labels: np.ndarray) -> None:
    probs = np.random.default_rng(1).dirichlet(np.ones(5), len(labels))
    assert abs(accuracy(labels, probs) - 0.2) < 0.03
    for value in auc_per_class(labels, probs).values():
        assert abs(value - 0.5) < 0.04
    assert abs(macro_auc(labels, probs) - 0.5) < 0.02


def test_inverted_scores_give_auc_zero(labels: np.ndarray) -> None:
    assert macro_auc(labels, 1.0 - np.eye(5)[labels]) == 0.0


def test_logits_rank_like_probabilities(labels: np.ndarray) -> None:
    logits = np.random.default_rng(2).normal(size=(len(labels), 5)) + 2 * np.eye(5)[labels]
    assert accuracy(labels, logits) == accuracy(labels, np.exp(logits))


def test_confusion_rows_are_normalised() -> None:
    y = np.array([0, 0, 0, 0, 1, 1, 2])
    predicted = np.array([0, 0, 0, 3, 1, 2, 2])
    m = confusion(y, np.eye(5)[predicted])
    np.testing.assert_allclose(m[0], [0.75, 0, 0, 0.25, 0])
    np.testing.assert_allclose(m[1], [0, 0.5, 0.5, 0, 0])
    np.testing.assert_allclose(m.sum(axis=1), [1, 1, 1, 0, 0])


def test_missing_class_has_no_auc() -> None:
    y = np.array([0, 1, 2, 3, 0, 1])
    aucs = auc_per_class(y, np.eye(5)[y])
    assert math.isnan(aucs["z"])
    assert macro_auc(y, np.eye(5)[y]) == 1.0


def test_shape_mismatch_is_an_error(labels: np.ndarray) -> None:
    with pytest.raises(ValueError, match="shape"):
        accuracy(labels, np.ones((3, 5)))
    with pytest.raises(ValueError, match="5 columns"):
        auc_per_class(labels, np.ones((len(labels), 4)))


def test_roc_curves_are_thinned_keeping_the_ends(labels: np.ndarray) -> None:
    scores = np.random.default_rng(3).random((len(labels), 5)) + 0.5 * np.eye(5)[labels]
    curves = roc_curves(labels, scores)
    assert list(curves) == LABELS
    for curve in curves.values():
        assert 2 < len(curve["fpr"]) <= 200
        assert len(curve["fpr"]) == len(curve["tpr"])
        assert curve["fpr"][0] == 0.0 and curve["fpr"][-1] == 1.0
        assert curve["tpr"][-1] == 1.0
        assert np.all(np.diff(curve["fpr"]) >= 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.80, 1.0), (0.74, 1.0), (0.70, 0.5), (0.66, 0.0), (0.2, 0.0), (float("nan"), 0.0)],
)
def test_tier_credit_is_linear_between_zero_and_full(value: float, expected: float) -> None:
    assert tier_credit(value, full=0.74, zero=0.66) == pytest.approx(expected)


def test_tier_credit_where_lower_is_better() -> None:
    assert tier_credit(100, full=120, zero=300) == 1.0
    assert tier_credit(210, full=120, zero=300) == pytest.approx(0.5)
    assert tier_credit(400, full=120, zero=300) == 0.0
    with pytest.raises(ValueError):
        tier_credit(1.0, full=0.5, zero=0.5)


def test_artifacts_have_the_report_shape(labels: np.ndarray) -> None:
    probs = np.random.default_rng(4).dirichlet(np.ones(5), len(labels))
    history = {"loss": [1.2, 0.9, np.float32(0.8)], "val_loss": [1.3, 1.0, 0.95], "accuracy": [0.5]}
    art = make_artifacts(labels, probs, history)
    assert set(art) == {"metrics", "roc", "confusion", "history"}
    assert set(art["metrics"]) == {"accuracy", "macro_auc", "auc"}
    assert list(art["metrics"]["auc"]) == LABELS
    assert set(art["roc"]) == set(LABELS)
    assert art["confusion"]["labels"] == LABELS
    assert len(art["confusion"]["matrix"]) == 5
    assert art["history"] == {"loss": [1.2, 0.9, pytest.approx(0.8)], "val_loss": [1.3, 1.0, 0.95]}
    json.dumps(art, allow_nan=False)
    assert "history" not in make_artifacts(labels, probs)


def test_artifacts_replace_nan_with_none() -> None:
    y = np.array([0, 1, 0, 1])
    art = make_artifacts(y, np.eye(5)[y], {"loss": [float("nan")]})
    assert art["metrics"]["auc"]["z"] is None
    assert art["history"] == {"loss": [None], "val_loss": []}
    json.dumps(art, allow_nan=False)


def test_most_confused_pairs() -> None:
    m = np.eye(5) * 0.6
    m[3, 4] = m[4, 3] = 0.2
    m[0, 1] = 0.1
    assert most_confused_pairs(m, top=2) == [("w", "z", pytest.approx(0.4)), ("g", "q", 0.1)]
