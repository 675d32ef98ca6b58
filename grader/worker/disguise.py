"""Numbers and arrays in disguise, turned into the plain data they stand for before they cross.

A loss that ends in ``tf.reduce_mean(...)`` or ``torch.mean(...)`` returns a tensor, a
``Fraction`` or a ``Decimal`` is a number, a pandas ``Series`` is an array: none of them is
plain data, so without this each would stay in the worker behind a handle and fail every
numeric check on the trusted side. Only values that the wire cannot carry as they are come
here (``wire.encode`` calls its fallback for those alone), so a plain float or numpy array
pays nothing.

Everything is duck typing: the protocols numpy itself uses (``__array__``), the number
protocols (``__index__``, ``__float__``) and, for a tensor that refuses ``__array__``
because it records gradients, ``detach()``. TensorFlow and PyTorch are never imported here;
a value of theirs exists only if the student's code imported them already.
"""

from __future__ import annotations

import operator
from typing import Any, NamedTuple

import numpy as np

from .wire import _KINDS  # what an array on the wire may hold


class Unmasked(NamedTuple):
    value: Any
    """Plain data: a numpy array or scalar, an int or a float."""
    kind: str
    """What the value was, in words: "tensorflow EagerTensor", "fractions Fraction"."""
    graded_as: str
    """What it is graded as: "numpy value", "float value", "integer value"."""


def type_words(value: Any) -> str:
    """The type of ``value`` as a student would name it: its package and its class."""
    kind = type(value)
    package = str(getattr(kind, "__module__", "") or "").split(".")[0]
    name = str(getattr(kind, "__qualname__", kind.__name__))
    if package in ("", "builtins", "__main__"):
        return name[:80]
    return f"{package} {name}"[:80]


def unmask(value: Any) -> Unmasked | None:
    """The plain data ``value`` stands for, or None when it is no number or array.

    Classes themselves, functions and modules are never converted (their *type* would have
    to provide the protocol, and ``type``, ``function`` and ``module`` do not).
    """
    kind = type(value)
    if getattr(kind, "__array__", None) is not None:
        array = _as_array(value)
        if array is None:
            return None
        plain = array[()] if array.ndim == 0 else array
        return Unmasked(plain, type_words(value), "numpy value")
    if getattr(kind, "__index__", None) is not None:
        try:
            return Unmasked(int(operator.index(value)), type_words(value), "integer value")
        except Exception:  # noqa: BLE001 - the student's __index__ may raise anything
            return None
    if getattr(kind, "__float__", None) is not None:
        try:
            return Unmasked(float(value), type_words(value), "float value")
        except Exception:  # noqa: BLE001 - the student's __float__ may raise anything
            return None
    return None


def _as_array(value: Any) -> np.ndarray | None:
    """``np.asarray(value)`` when that gives plain numbers; a tensor that records gradients
    (PyTorch refuses ``__array__`` then) is detached and moved to the CPU first."""
    for attempt in (_direct, _detached):
        try:
            array = attempt(value)
        except Exception:  # noqa: BLE001 - the student's __array__ may raise anything
            continue
        if isinstance(array, np.ndarray) and array.dtype.kind in _KINDS:
            return array
    return None


def _direct(value: Any) -> Any:
    return np.asarray(value)


def _detached(value: Any) -> Any:
    detached = value.detach()
    cpu = getattr(detached, "cpu", None)
    return np.asarray(cpu() if callable(cpu) else detached)
