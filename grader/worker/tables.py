"""Data frames for the student's code, built in the worker from a ``protocol.Table``.

pandas is imported here only when a table arrives, so the worker's boot and every other
assignment pay nothing for it. The frame is handed to the student's ``preprocess`` behind a
handle; ``float_matrix`` brings back the one thing the suite scores, the features as
float64, and refuses anything that is not a 2-D table of numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import protocol


def table_frame(table: protocol.Table) -> Any:
    """The ``pandas.DataFrame`` described by ``table``; missing entries are NaN."""
    import pandas as pd

    columns, dtypes = list(table["columns"]), list(table["dtypes"])
    values, missing = list(table["values"]), list(table["missing"])
    if not len(columns) == len(dtypes) == len(values) == len(missing):
        raise ValueError("a table needs one dtype, one array and one mask per column")
    data = {}
    for name, dtype, column, mask in zip(columns, dtypes, values, missing):
        if dtype not in protocol.TABLE_DTYPES:
            raise ValueError(f"column {name!r}: dtype {dtype!r} is not one a table carries")
        mask = np.asarray(mask, dtype=bool)
        series = pd.Series(np.asarray(column), dtype=dtype if dtype != "float64" else float)
        data[str(name)] = series.where(~mask) if mask.any() else series
    return pd.DataFrame(data)


def float_matrix(value: Any) -> np.ndarray:
    """``value`` (an array, a DataFrame, a sparse matrix) as a 2-D float64 array."""
    if hasattr(value, "toarray") and not isinstance(value, np.ndarray):
        value = value.toarray()
    try:
        matrix = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"the features must be numbers: {type(value).__name__} does not convert to floats "
            f"({exc}); encode text columns such as Sex and Embarked as numbers"
        ) from None
    if matrix.ndim != 2:
        raise ValueError(f"the features must be 2-D (rows x features), got shape {matrix.shape}")
    return matrix
