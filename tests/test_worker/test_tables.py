"""A data frame crosses to the worker as a ``protocol.Table`` and is rebuilt exactly; only
numbers come back (``float_matrix``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grader.tables import to_table
from grader.worker import wire
from grader.worker.tables import float_matrix, table_frame

TRAIN = Path(__file__).resolve().parents[2] / "assignments" / "titanic" / "train.csv"


def _over_the_wire(table: dict) -> dict:
    """Encode and decode as a request's argument would be (arrays as blobs, no pickle)."""
    blobs: list[wire.Blob] = []
    node = wire.encode(table, lambda v: (_ for _ in ()).throw(TypeError(type(v))), blobs)
    return wire.decode(node, [bytearray(b) for b in blobs], lambda n: None)


def test_the_kaggle_frame_is_rebuilt_exactly() -> None:
    frame = pd.read_csv(TRAIN)
    rebuilt = table_frame(_over_the_wire(to_table(frame)))
    pd.testing.assert_frame_equal(rebuilt, frame, check_dtype=True)
    assert int(rebuilt["Age"].isna().sum()) == 150
    assert rebuilt["Embarked"].isna().sum() == 1


def test_missing_entries_of_every_kind_stay_missing() -> None:
    frame = pd.DataFrame({"n": [1.5, np.nan, 3.0], "s": ["a", None, "c"], "i": [1, 2, 3],
                          "b": [True, False, True]})
    rebuilt = table_frame(to_table(frame))
    assert rebuilt["n"].isna().tolist() == [False, True, False]
    assert rebuilt["s"].isna().tolist() == [False, True, False]
    assert rebuilt["i"].dtype == np.int64 and rebuilt["b"].dtype == bool


def test_a_table_naming_another_dtype_is_refused() -> None:
    table = to_table(pd.DataFrame({"x": [1, 2]}))
    table["dtypes"] = ["object"]
    with pytest.raises(ValueError, match="dtype 'object'"):
        table_frame(table)
    table["dtypes"] = []
    with pytest.raises(ValueError, match="one dtype"):
        table_frame(table)


def test_a_column_of_objects_is_not_sent() -> None:
    with pytest.raises(TypeError, match="cannot be sent"):
        to_table(pd.DataFrame({"when": pd.to_datetime(["2026-01-01"])}))


def test_features_come_back_as_floats_or_a_clear_error() -> None:
    assert float_matrix(pd.DataFrame({"a": [1, 2], "b": [True, False]})).dtype == np.float64
    with pytest.raises(TypeError, match="encode text columns"):
        float_matrix(pd.DataFrame({"Sex": ["male", "female"]}))
    with pytest.raises(ValueError, match="2-D"):
        float_matrix(np.arange(3.0))
