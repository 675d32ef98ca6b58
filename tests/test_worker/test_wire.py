"""The wire format: plain data round-trips, nothing else gets through."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from grader.worker import wire


def roundtrip(value: object) -> object:
    blobs: list[bytes] = []
    node = wire.encode(value, lambda v: pytest.fail(f"not plain: {v!r}"), blobs)
    a, b = socket.socketpair()
    with a, b:
        wire.send(a, {"value": node}, blobs)
        message, got = wire.recv(b, deadline=None)
    return wire.decode(message["value"], got, lambda n: pytest.fail("no handles expected"))


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -2.5, "text", [1, 2], (1, "a"), {"a": [1.0]}, {1: "int key"},
     {frozenset({1, 2}).__class__.__name__: 1}],
)
def test_plain_values_round_trip(value: object) -> None:
    assert roundtrip(value) == value


def test_tuples_stay_tuples_and_floats_keep_nan() -> None:
    got = roundtrip((float("nan"), float("inf")))
    assert isinstance(got, tuple) and np.isnan(got[0]) and got[1] == float("inf")


def test_arrays_keep_dtype_shape_and_values() -> None:
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    got = roundtrip(array)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    np.testing.assert_array_equal(got, array)


def test_numpy_scalars_stay_numpy_scalars() -> None:
    got = roundtrip(np.float32(1.5))
    assert isinstance(got, np.float32) and got == 1.5


def test_ndarray_subclass_arrives_as_plain_ndarray() -> None:
    class Sneaky(np.ndarray):
        def __eq__(self, other: object) -> bool:  # type: ignore[override]
            return True

    got = roundtrip(np.zeros(3).view(Sneaky))
    assert type(got) is np.ndarray


def test_object_arrays_are_refused() -> None:
    with pytest.raises(TypeError, match="dtype=object"):
        wire.encode(np.array([object()]), lambda v: {}, [])


def test_pickled_array_blob_is_refused() -> None:
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    blob = buffer.getvalue()
    with pytest.raises(wire.WireError, match="refused"):
        wire.decode({"a": [0, "|O8", [1]]}, [blob], lambda n: None)
    with pytest.raises(wire.WireError, match="refused"):
        wire.decode({"a": [0, "|u1", [len(blob) + 1]]}, [blob], lambda n: None)


@pytest.mark.parametrize(
    "descr", ["|O8", "O", "|V16", "[('a', '<f8')]", "<f8,<f8", "<M8[ns]]", "=i4 ", "<f8\x00"]
)
def test_dtypes_other_than_plain_data_are_refused(descr: str) -> None:
    with pytest.raises(wire.WireError, match="refused"):
        wire.decode({"a": [0, descr, [2]]}, [bytearray(16)], lambda n: None)


@pytest.mark.parametrize("shape", [[3], [2, 2], [-2, -1], [2.0], [1] * 40])
def test_bytes_that_do_not_match_dtype_and_shape_are_refused(shape: list) -> None:
    with pytest.raises(wire.WireError, match="refused"):
        wire.decode({"a": [0, "<f8", shape]}, [bytearray(16)], lambda n: None)


@pytest.mark.parametrize(
    "array",
    [np.arange(6, dtype=">i2").reshape(2, 3), np.array(["ab", "c"]), np.array([b"x", b"yz"]),
     np.array(["2026-11-26"], dtype="datetime64[D]"), np.zeros((0, 4)), np.array([True]),
     np.arange(12.0).reshape(3, 4).T, np.array([1 + 2j], dtype=np.complex64),
     np.array("", dtype="<U0")],
    ids=lambda a: f"{a.dtype}-{a.shape}",
)
def test_plain_arrays_of_every_kind_round_trip(array: np.ndarray) -> None:
    got = roundtrip(array)
    assert isinstance(got, np.ndarray) and got.dtype == array.dtype and got.shape == array.shape
    np.testing.assert_array_equal(got, array)


def test_received_arrays_are_writable() -> None:
    got = roundtrip(np.zeros(3))
    assert isinstance(got, np.ndarray)
    got[0] = 1.0
    assert got[0] == 1.0


@pytest.mark.parametrize(
    "node",
    [{"n": [1]}, {"l": 5}, {"d": [[1]]}, {"a": 3}, {"a": [0, "<f8", [1]]}, {"zz": 1},
     {"n": 1, "l": []}, [], "x"],
)
def test_malformed_values_raise_wire_error(node: object) -> None:
    with pytest.raises(wire.WireError):
        wire.decode(node, [], lambda n: None)


def test_handles_and_callbacks_go_to_the_fallback() -> None:
    seen = []
    wire.decode({"l": [{"h": 4, "type": "x", "call": False}, {"c": 2}]}, [],
                lambda n: seen.append(n))
    assert seen == [{"h": 4, "type": "x", "call": False}, {"c": 2}]


def test_oversized_frame_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        wire.send(a, {"x": 1}, [b"y" * 2048])
        with pytest.raises(wire.WireError, match="larger"):
            wire.recv(b, deadline=None, max_bytes=1024)


def test_garbage_header_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"\xff" * 16)
        with pytest.raises(wire.WireError):
            wire.recv(b, deadline=None)


def test_deep_nesting_is_refused() -> None:
    value: list = []
    for _ in range(100):
        value = [value]
    with pytest.raises(wire.WireError, match="deeper"):
        wire.encode(value, lambda v: {}, [])
