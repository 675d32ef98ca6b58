"""The classifier_metrics reference agrees with scikit-learn, which its README names as the
contract, over many draws of the hidden suite's own case families."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sklearn import metrics

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "classifier_metrics"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"cm_{name}", REFERENCE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():  # the suite's `points` marker belongs to the grader plugin
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        spec.loader.exec_module(module)
    return module


SOLUTION = _load("solution")
SUITE = _load("test_hidden")


@pytest.mark.parametrize("case", ["distinct_scores", "tied_scores", "coarse_scores"])
def test_roc_and_auc_match_sklearn(case: str) -> None:
    for seed in range(200):
        y, scores = SUITE._roc_case(np.random.default_rng(seed), case)
        fpr, tpr, thresholds = SOLUTION.roc_curve(y, scores)
        want_fpr, want_tpr, want_thr = metrics.roc_curve(y, scores, drop_intermediate=False)
        np.testing.assert_allclose(fpr, want_fpr, atol=1e-12)
        np.testing.assert_allclose(tpr, want_tpr, atol=1e-12)
        np.testing.assert_array_equal(thresholds[1:], want_thr[1:])
        assert SOLUTION.auc(fpr, tpr) == pytest.approx(metrics.roc_auc_score(y, scores), abs=1e-12)


def test_confusion_matrix_matches_sklearn() -> None:
    for seed in range(200):
        rng = np.random.default_rng(seed)
        n_classes = int(rng.integers(2, 8))
        y_true, y_pred, _, _ = SUITE._asymmetric_pair(rng, n_classes)
        labels = list(range(n_classes + 1))  # one class absent from y_true
        np.testing.assert_array_equal(SOLUTION.confusion_matrix(y_true, y_pred, n_classes),
                                      metrics.confusion_matrix(y_true, y_pred))
        got = SOLUTION.confusion_matrix(y_true, y_pred, n_classes + 1, normalize=True)
        want = metrics.confusion_matrix(y_true, y_pred, labels=labels, normalize="true")
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_case_families_keep_their_property() -> None:
    for seed in range(500):
        rng = np.random.default_rng(seed)
        y, scores, threshold = SUITE._scores_with_tie_at_threshold(rng)
        at = scores == threshold
        assert (y[at] == 0).any() and (y[at] == 1).any()
        y, scores = SUITE._roc_case(rng, "tied_scores")
        shared = np.intersect1d(scores[y == 0], scores[y == 1])
        assert shared.size > 0  # a diagonal step on the curve
        y_true, y_pred, a, b = SUITE._asymmetric_pair(rng, int(rng.integers(2, 8)))
        assert ((y_true == a) & (y_pred == b)).sum() >= 2
        assert not ((y_true == b) & (y_pred == a)).any()
        fpr, tpr = SUITE._auc_case(rng, "increasing_curve", SOLUTION)
        assert (np.diff(fpr) > 0).all() and (np.diff(tpr) > 0).all()


def test_binary_rates_match_sklearn() -> None:
    for seed in range(200):
        y, scores, threshold = SUITE._scores_with_tie_at_threshold(np.random.default_rng(seed))
        rates = SOLUTION.binary_rates(y, scores, threshold)
        tn, fp, fn, tp = metrics.confusion_matrix(y, (scores >= threshold).astype(int)).ravel()
        assert (rates["tp"], rates["tn"], rates["fp"], rates["fn"]) == (tp, tn, fp, fn)
        assert rates["sensitivity"] == pytest.approx(metrics.recall_score(y, scores >= threshold))
