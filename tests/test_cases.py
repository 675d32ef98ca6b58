"""The edge-case families keep their property whatever the draw.

A hidden case is only fair if every student's draw tests the same thing: a row meant to
overflow the naive softmax overflows it, a curve meant to stop at epoch 7 stops there for a
correct stopper. Each family is drawn under many seeds here and checked against the
reference solutions; ``grade validate`` then checks the suites themselves under several
course secrets.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from grader.cases import FAR, Curve, far_rows, neg_inf_at_random, stopping_curve
from grader.testing import rejects

REPO = Path(__file__).resolve().parents[1]
SEEDS = range(300)


def _reference(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ref_{name}",
                                                  REPO / "reference" / name / "solution.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _naive(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)


def test_far_rows_break_the_naive_formula_in_every_far_row_and_only_there() -> None:
    softmax = _reference("softmax").softmax
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        x = far_rows(rng, int(rng.integers(2, 7)), (FAR, 0.0, -FAR), extra_rows=2)
        centres = np.round(x.mean(axis=1) / FAR)
        assert set(centres) == {-1.0, 0.0, 1.0}, "every centre has a row"
        naive_nan = np.isnan(_naive(x)).all(axis=1)
        assert np.array_equal(naive_nan, centres != 0), seed
        assert np.isfinite(softmax(x)).all()
        global_max = _naive(x - x.max())  # a shift by the whole array's max
        assert np.isnan(global_max).all(axis=1)[centres == -1].all(), seed


def test_neg_inf_at_random_leaves_a_finite_entry_in_each_row_unless_fully_masked() -> None:
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
        x = neg_inf_at_random(rng, rng.normal(size=shape), all_masked_rows=seed % 2)
        full = np.isneginf(x).all(axis=1)
        assert full.sum() == seed % 2
        some = np.isneginf(x[~full]).any(axis=1)
        assert some.all() and np.isfinite(x[~full]).any(axis=1).all(), seed


def _run(stopper_class: type, curve: Curve, **kwargs: object) -> tuple[int | None, int, float]:
    es = stopper_class(**kwargs)
    for value in curve.values:
        if es.step(value):
            break
    return es.stopped_epoch, es.best_epoch, es.best


@pytest.mark.parametrize("mode", ["min", "max"])
@pytest.mark.parametrize("min_delta", [0.0, 0.0625, 0.25])
@pytest.mark.parametrize("patience", [0, 1, 2, 3, 5])
def test_stopping_curves_stop_where_they_say(mode: str, min_delta: float, patience: int) -> None:
    stopper = _reference("early_stopping").EarlyStopping
    for seed in range(60):
        rng = np.random.default_rng(seed)
        curve = stopping_curve(rng, patience=patience, min_delta=min_delta, mode=mode,
                               pauses=seed % 3, flat=seed % 4 == 0, long_pauses=seed % 2 == 1)
        assert curve.stop is not None and curve.stop < len(curve.values) - 2, "goes on after"
        got = _run(stopper, curve, patience=patience, min_delta=min_delta, mode=mode)
        assert got == (curve.stop, curve.best_epoch, curve.best), (seed, curve)
        if patience >= 2 and seed % 2 == 1 and seed % 3 == 2:
            first, second = curve.pauses
            assert first[1] + second[1] >= patience, "two long pauses reach the patience"


def test_rejects_pays_only_beside_a_right_result() -> None:
    def refuse(*args: object) -> object:
        raise ValueError("no")

    def judge(result: object) -> None:
        assert result == 2, "wrong"

    with pytest.raises(AssertionError, match="on a valid input the call raised ValueError"):
        rejects(refuse, ((-1,), {}), valid=((1,), {}), judge=judge, what="-1", hint="")

    def double(x: int) -> int:
        if x < 0:
            raise ValueError("negative")
        return 2 * x

    rejects(double, ((-1,), {}), valid=((1,), {}), judge=judge, what="-1", hint="")
    with pytest.raises(AssertionError, match=re.escape(
            "-1: refuse it. (expected ValueError, but the call returned without raising)")):
        rejects(abs, ((-1,), {}), valid=((-2,), {}), judge=judge, what="-1", hint="")
