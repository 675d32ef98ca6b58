"""``disguise.unmask``: which values are numbers or arrays in disguise, without importing
the libraries they come from."""

from __future__ import annotations

import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np

from grader.worker.disguise import unmask


class GradTensor:
    """Behaves like a PyTorch tensor that records gradients: ``__array__`` refuses until
    it is detached and moved to the CPU."""

    __module__ = "torch"

    def __init__(self, values, attached=True):
        self.values, self.attached = values, attached

    def __array__(self, dtype=None, copy=None):
        if self.attached:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad")
        return np.asarray(self.values, dtype=dtype)

    def detach(self):
        return GradTensor(self.values, attached=False)

    def cpu(self):
        return self


def test_a_tensor_that_records_gradients_is_detached_first() -> None:
    plain = unmask(GradTensor([0.5, 1.5]))
    assert plain is not None and plain.kind == "torch GradTensor"
    assert type(plain.value) is np.ndarray and plain.value.tolist() == [0.5, 1.5]
    assert plain.graded_as == "numpy value"


def test_a_zero_dimensional_array_becomes_a_numpy_scalar() -> None:
    class Loss:
        def __array__(self, dtype=None, copy=None):
            return np.array(0.25, dtype=np.float32)

    plain = unmask(Loss())
    assert plain is not None and type(plain.value) is np.float32 and plain.value == 0.25


def test_numbers_in_disguise_and_what_is_none() -> None:
    assert unmask(Fraction(1, 4)) == (0.25, "fractions Fraction", "float value")
    assert unmask(Decimal("1.5")).value == 1.5  # type: ignore[union-attr]

    class Count:
        def __index__(self):
            return 7

    assert unmask(Count()).value == 7  # type: ignore[union-attr]
    # Classes, functions, modules and plain objects stay behind handles.
    for value in (np.ndarray, len, sys, object(), iter([1])):
        assert unmask(value) is None


def test_an_array_of_objects_is_not_plain_data() -> None:
    class Boxes:
        def __array__(self, dtype=None, copy=None):
            return np.array([object(), object()])

    assert unmask(Boxes()) is None
