"""The wire format between the trusted grader and the sandboxed worker.

One frame is a header, a table of blob sizes, a JSON document and the blobs::

    !IIQ  json_length, blob_count, blob_bytes (the blobs' total size)
    blob_count x !Q  each blob's size
    json bytes (UTF-8)
    the blobs, one after the other

so a reader knows the whole frame's size after the header and reads it in one go.

Values are encoded as *tagged* JSON so that nothing the student returns can be mistaken for
a control structure: every JSON object on the wire has exactly one tag key.

    {"n": null|bool|int|float|str}       a scalar
    {"l": [...]} / {"t": [...]}          list / tuple
    {"d": [[key, value], ...]}           dict (keys encoded like values)
    {"s": [...]}                         set or frozenset
    {"a": [i, dtype, shape]}             numpy array: blob i holds its C-ordered bytes
    {"g": [i, dtype, []]}                numpy scalar, the same way
    {"h": id, "type": name, "call": b}   handle to an object kept on the sending side
    {"c": id}                            a callable kept on the trusted side (callback)

An array crosses as raw bytes with its dtype string (``'<f8'``, ``'|b1'``, ``'<U5'``...):
only booleans, numbers, strings, bytes, dates and durations are accepted, so object arrays,
structured dtypes and anything pickled cannot cross in either direction, and the reader
checks that the bytes match the dtype and shape exactly before it builds the array.

This module runs on both sides of the boundary, so it imports only the standard library
and numpy.
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

HEADER = struct.Struct("!IIQ")
SIZE = struct.Struct("!Q")
MAX_FRAME_BYTES = 1 << 30
MAX_JSON_BYTES = 64 << 20
MAX_DEPTH = 64
MAX_DIMS = 32
_KINDS = "biufcSUMm"  # booleans, integers, floats, complex, bytes, str, dates, durations
# byte order, one of the accepted kinds, item size, and a time unit for dates and durations
_DTYPE = re.compile(rf"[<>|=][{_KINDS}][0-9]{{1,4}}(\[[0-9]*[a-zA-Z]{{1,2}}\])?")


class WireError(Exception):
    """A frame that breaks the format; the trusted side turns it into ProtocolError."""


class ChannelClosed(WireError):
    """The peer closed the channel (on the trusted side: the worker died)."""


class ChannelTimeout(WireError):
    """No complete frame arrived before the deadline."""


class FrameTooLarge(WireError):
    """A frame's header announces more than the reader allows; nothing of it was read."""


Blob = bytes | bytearray
"""A blob as sent (bytes) or as received (a bytearray, so arrays built on it are writable)."""
Encoder = Callable[[Any], dict[str, Any]]
Decoder = Callable[[dict[str, Any]], Any]


def encode(value: Any, fallback: Encoder, blobs: list[Blob], depth: int = 0) -> dict[str, Any]:
    """Encode ``value`` as tagged JSON, appending array blobs to ``blobs``.

    ``fallback`` handles whatever is not plain data (a handle or a callback reference).
    """
    if depth > MAX_DEPTH:
        raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | str):
        return {"n": value}
    if isinstance(value, int):
        return {"n": int(value)}
    if isinstance(value, float):
        return {"n": float(value)}
    if isinstance(value, np.ndarray):
        return {"a": _add_blob(np.asarray(value), blobs)}
    if isinstance(value, np.generic):
        return {"g": _add_blob(np.asarray(value), blobs)}
    if isinstance(value, list):
        return {"l": [encode(v, fallback, blobs, depth + 1) for v in value]}
    if isinstance(value, tuple):
        return {"t": [encode(v, fallback, blobs, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {
            "d": [
                [encode(k, fallback, blobs, depth + 1), encode(v, fallback, blobs, depth + 1)]
                for k, v in value.items()
            ]
        }
    if isinstance(value, set | frozenset):
        return {"s": [encode(v, fallback, blobs, depth + 1) for v in value]}
    return fallback(value)


def _add_blob(array: np.ndarray, blobs: list[Blob]) -> list[Any]:
    if array.dtype.hasobject:
        raise TypeError("arrays of Python objects (dtype=object) cannot be returned: use numbers")
    if array.dtype.kind not in _KINDS:
        raise TypeError(f"arrays of dtype {array.dtype} cannot be returned: use numbers")
    blobs.append(array.tobytes(order="C"))
    return [len(blobs) - 1, array.dtype.str, list(array.shape)]


def decode(node: Any, blobs: list[Blob], fallback: Decoder, depth: int = 0) -> Any:
    """Decode tagged JSON produced by :func:`encode`; anything malformed raises WireError."""
    if depth > MAX_DEPTH:
        raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
    if not isinstance(node, dict) or not node:
        raise WireError("malformed value on the wire")
    if "h" in node or "c" in node:
        return fallback(node)
    if len(node) != 1:
        raise WireError("malformed value on the wire")
    tag, body = next(iter(node.items()))
    if tag == "n":
        if body is not None and not isinstance(body, bool | int | float | str):
            raise WireError("malformed scalar on the wire")
        return body
    if tag in ("l", "t", "s"):
        if not isinstance(body, list):
            raise WireError("malformed sequence on the wire")
        items = [decode(v, blobs, fallback, depth + 1) for v in body]
        return items if tag == "l" else tuple(items) if tag == "t" else set(items)
    if tag == "d":
        if not isinstance(body, list) or not all(isinstance(p, list) and len(p) == 2 for p in body):
            raise WireError("malformed mapping on the wire")
        return {
            decode(k, blobs, fallback, depth + 1): decode(v, blobs, fallback, depth + 1)
            for k, v in body
        }
    if tag in ("a", "g"):
        array = _load_blob(blobs, body)
        return array if tag == "a" else array[()]
    raise WireError(f"unknown tag {tag!r} on the wire")


def _load_blob(blobs: list[Blob], body: Any) -> np.ndarray:
    """Rebuild an array from its raw bytes, after checking dtype, shape and size agree."""
    if not (isinstance(body, list) and len(body) == 3 and isinstance(body[0], int)
            and isinstance(body[1], str) and isinstance(body[2], list)):
        raise WireError("malformed array on the wire")
    index, descr, shape = body
    if not 0 <= index < len(blobs):
        raise WireError("array reference out of range")
    if not _DTYPE.fullmatch(descr):
        raise WireError(f"array refused: dtype {descr[:40]!r} is not plain data")
    try:
        dtype = np.dtype(descr)
    except TypeError as exc:
        raise WireError(f"array refused: {exc}") from exc
    if dtype.hasobject or dtype.kind not in _KINDS:
        raise WireError("array refused: object arrays cannot cross")
    if len(shape) > MAX_DIMS or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise WireError("array refused: malformed shape")
    blob = blobs[index]
    count = math.prod(shape)
    if count * dtype.itemsize != len(blob):
        raise WireError("array refused: its bytes do not match its dtype and shape")
    if dtype.itemsize == 0:
        return np.zeros(shape, dtype=dtype)
    # A bytearray blob gives a writable array without another copy.
    return np.frombuffer(blob, dtype=dtype, count=count).reshape(shape)


def _json_default(value: Any) -> Any:
    raise TypeError(f"not JSON: {type(value).__name__}")


def pack(message: Mapping[str, Any], blobs: list[Blob]) -> bytes:
    """One frame: header, blob sizes, JSON, blobs."""
    text = json.dumps(message, default=_json_default, allow_nan=True).encode()
    sizes = [len(blob) for blob in blobs]
    parts = [HEADER.pack(len(text), len(blobs), sum(sizes)),
             struct.pack(f"!{len(sizes)}Q", *sizes), text, *blobs]
    return b"".join(parts)


def send(sock: socket.socket, message: Mapping[str, Any],
         blobs: list[Blob] | None = None) -> None:
    sock.sendall(pack(message, blobs or []))


def recv(
    sock: socket.socket,
    deadline: float | None = None,
    max_bytes: int = MAX_FRAME_BYTES,
    max_json: int = MAX_JSON_BYTES,
    sizes: list[int] | None = None,
) -> tuple[dict[str, Any], list[Blob]]:
    """Read one frame; ``deadline`` is a ``time.monotonic()`` value or None for no limit.

    A frame over ``max_bytes`` (or a JSON part over ``max_json``) is refused from its header,
    before any of it is read. Each blob is read into a buffer of its own, so the frame is held
    once, never copied. The frame's size is appended to ``sizes`` when given.
    """
    json_len, count, blob_bytes = HEADER.unpack(_read_exact(sock, HEADER.size, deadline))
    if json_len > max_json or count > 1_000_000:
        raise FrameTooLarge(f"a frame of {json_len:,} bytes of JSON and {count:,} arrays, "
                            f"larger than the {max_json:,} bytes of JSON allowed")
    if json_len + blob_bytes > max_bytes:
        raise FrameTooLarge(f"a frame of {json_len + blob_bytes:,} bytes, larger than the "
                            f"{max_bytes:,} allowed")
    head = _read_exact(sock, SIZE.size * count + json_len, deadline)
    view = memoryview(head)
    blob_sizes = struct.unpack_from(f"!{count}Q", view)
    if sum(blob_sizes) != blob_bytes:
        raise WireError("frame header does not match its blob sizes")
    start = SIZE.size * count
    try:
        message = json.loads(bytes(view[start:start + json_len]), parse_constant=_constant)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"frame is not valid JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise WireError("frame is not a JSON object")
    blobs: list[Blob] = [_read_exact(sock, size, deadline) for size in blob_sizes]
    if sizes is not None:
        sizes.append(HEADER.size + len(head) + blob_bytes)
    return message, blobs


def _constant(name: str) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        if deadline is None:
            sock.settimeout(None)
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelTimeout("no answer before the deadline")
            sock.settimeout(remaining)
        try:
            count = sock.recv_into(view[got:], min(size - got, 1 << 22))
        except TimeoutError as exc:
            raise ChannelTimeout("no answer before the deadline") from exc
        except OSError as exc:
            raise ChannelClosed(f"channel broken: {exc}") from exc
        if not count:
            raise ChannelClosed("the peer closed the channel")
        got += count
    return buffer
