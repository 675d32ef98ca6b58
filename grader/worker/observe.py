"""An observed call: the warnings it raised and the arguments it changed, seen in the child.

Arguments reach the child as fresh copies decoded from the wire, so the trusted side can
never see the student's code write into them; the comparison has to happen here, after the
call, against a copy taken before it. Copying costs, so only a call the test asks to observe
(``protocol.Call.observe``) pays for it; every other call is made as it always was.

This module runs in the sandboxed worker and imports only the standard library and numpy.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import protocol

_SCALARS = (type(None), bool, int, float, complex, str, bytes)


def _snapshot(value: Any, depth: int = 0) -> Any:
    """A copy of plain data (arrays, lists, tuples, dicts); None for anything else."""
    if depth > 16:
        return None
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list | tuple):
        return type(value)(_snapshot(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return {k: _snapshot(v, depth + 1) for k, v in value.items()}
    return value if isinstance(value, (*_SCALARS, np.generic)) else None


def _same(before: Any, after: Any, depth: int = 0) -> bool:
    """Whether ``after`` still equals the snapshot ``before`` (None: nothing was copied)."""
    if depth > 16 or before is None:
        return True
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or before.shape != after.shape or \
                before.dtype != after.dtype:
            return False
        if before.dtype.kind in "fc":
            return bool(np.array_equal(before, after, equal_nan=True))
        return bool(np.array_equal(before, after))
    if isinstance(before, list | tuple):
        return (isinstance(after, type(before)) and len(before) == len(after)
                and all(_same(b, a, depth + 1) for b, a in zip(before, after)))
    if isinstance(before, dict):
        return (isinstance(after, dict) and before.keys() == after.keys()
                and all(_same(v, after[k], depth + 1) for k, v in before.items()))
    try:
        return bool(before == after) or bool(before != before and after != after)  # nan
    except Exception:  # noqa: BLE001 - an odd scalar cannot have been written into
        return True


def _warning(caught: warnings.WarningMessage) -> protocol.WarningInfo:
    return {"category": caught.category.__name__, "message": str(caught.message)[:500],
            "file": str(caught.filename).rsplit("/", 1)[-1][:200], "line": int(caught.lineno)}


def observed_call(function: Callable[..., Any], args: list[Any],
                  kwargs: dict[str, Any]) -> tuple[Any, protocol.Observed]:
    """Call ``function(*args, **kwargs)``, recording every warning and each argument changed."""
    before = [_snapshot(a) for a in args]
    before_kw = {k: _snapshot(v) for k, v in kwargs.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    modified = [f"argument {i + 1}" for i, (b, a) in enumerate(zip(before, args))
                if not _same(b, a)]
    modified += [f"keyword {k}" for k, b in before_kw.items() if not _same(b, kwargs[k])]
    return result, protocol.observed([_warning(w) for w in caught[:protocol.MAX_WARNINGS]],
                                     modified)
