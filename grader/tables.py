"""Data frames as ``protocol.Table``: what the trusted side sends for the worker to rebuild.

Only the columns' arrays, dtype names and missing masks cross; the worker builds the frame
(``grader.worker.tables.table_frame``) and keeps it, and whatever the student derives from
it, behind handles.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .worker import protocol


def to_table(frame: Any) -> protocol.Table:
    """Encode a ``pandas.DataFrame`` of numbers, booleans and strings column by column."""
    import pandas as pd

    columns, dtypes, values, missing = [], [], [], []
    for name in frame.columns:
        series = frame[name]
        mask = series.isna().to_numpy(dtype=bool)
        if pd.api.types.is_bool_dtype(series) and not mask.any():
            dtype, array = "bool", series.to_numpy(dtype=bool)
        elif pd.api.types.is_integer_dtype(series) and not mask.any():
            dtype, array = "int64", series.to_numpy(dtype=np.int64)
        elif pd.api.types.is_numeric_dtype(series):
            dtype, array = "float64", series.to_numpy(dtype=np.float64, na_value=np.nan)
        elif pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series):
            dtype = "str"
            array = np.array(["" if m else str(v) for v, m in zip(series.tolist(), mask)],
                             dtype=str)
        else:
            raise TypeError(f"column {name!r} of dtype {series.dtype} cannot be sent as a table")
        columns.append(str(name))
        dtypes.append(dtype)
        values.append(array)
        missing.append(mask)
    return {"columns": columns, "dtypes": dtypes, "values": values, "missing": missing}
