"""The wire format between the trusted grader and the sandboxed worker.

One frame is a JSON document plus zero or more binary blobs::

    !II  json_length, blob_count
    json bytes (UTF-8)
    for each blob:  !Q length, bytes

Values are encoded as *tagged* JSON so that nothing the student returns can be mistaken for
a control structure: every JSON object on the wire has exactly one tag key.

    {"n": null|bool|int|float|str}       a scalar
    {"l": [...]} / {"t": [...]}          list / tuple
    {"d": [[key, value], ...]}           dict (keys encoded like values)
    {"s": [...]}                         set or frozenset
    {"a": i}                             numpy array, blob i in .npy format (no pickle)
    {"g": i}                             numpy scalar, blob i holds a 0-d array
    {"h": id, "type": name, "call": b}   handle to an object kept on the sending side
    {"c": id}                            a callable kept on the trusted side (callback)

Arrays are written with ``np.save(allow_pickle=False)`` and read with
``np.load(allow_pickle=False)``: object arrays cannot cross in either direction.

This module runs on both sides of the boundary, so it imports only the standard library
and numpy.
"""

from __future__ import annotations

import io
import json
import math
import socket
import struct
import time
from collections.abc import Callable
from typing import Any

import numpy as np

HEADER = struct.Struct("!II")
BLOB = struct.Struct("!Q")
MAX_FRAME_BYTES = 1 << 30
MAX_JSON_BYTES = 64 << 20
MAX_DEPTH = 64


class WireError(Exception):
    """A frame that breaks the format; the trusted side turns it into ProtocolError."""


class ChannelClosed(WireError):
    """The peer closed the channel (on the trusted side: the worker died)."""


class ChannelTimeout(WireError):
    """No complete frame arrived before the deadline."""


Encoder = Callable[[Any], dict[str, Any]]
Decoder = Callable[[dict[str, Any]], Any]


def encode(value: Any, fallback: Encoder, blobs: list[bytes], depth: int = 0) -> dict[str, Any]:
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


def _add_blob(array: np.ndarray, blobs: list[bytes]) -> int:
    if array.dtype.hasobject:
        raise TypeError("arrays of Python objects (dtype=object) cannot be returned: use numbers")
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    blobs.append(buf.getvalue())
    return len(blobs) - 1


def decode(node: Any, blobs: list[bytes], fallback: Decoder, depth: int = 0) -> Any:
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


def _load_blob(blobs: list[bytes], index: Any) -> np.ndarray:
    if not isinstance(index, int) or not 0 <= index < len(blobs):
        raise WireError("array reference out of range")
    try:
        array = np.load(io.BytesIO(blobs[index]), allow_pickle=False)
    except ValueError as exc:
        raise WireError(f"array refused: {exc}") from exc
    if not isinstance(array, np.ndarray) or array.dtype.hasobject:
        raise WireError("array refused: object arrays cannot cross")
    return array


def _json_default(value: Any) -> Any:
    raise TypeError(f"not JSON: {type(value).__name__}")


def pack(message: dict[str, Any], blobs: list[bytes]) -> bytes:
    """One frame: header, JSON, blobs."""
    text = json.dumps(message, default=_json_default, allow_nan=True).encode()
    parts = [HEADER.pack(len(text), len(blobs)), text]
    for blob in blobs:
        parts.append(BLOB.pack(len(blob)))
        parts.append(blob)
    return b"".join(parts)


def send(sock: socket.socket, message: dict[str, Any], blobs: list[bytes] | None = None) -> None:
    sock.sendall(pack(message, blobs or []))


def recv(
    sock: socket.socket,
    deadline: float | None = None,
    max_bytes: int = MAX_FRAME_BYTES,
) -> tuple[dict[str, Any], list[bytes]]:
    """Read one frame; ``deadline`` is a ``time.monotonic()`` value or None for no limit."""
    json_len, count = HEADER.unpack(_read_exact(sock, HEADER.size, deadline))
    if json_len > MAX_JSON_BYTES or count > 1_000_000:
        raise WireError(f"frame header out of bounds ({json_len} bytes of JSON, {count} blobs)")
    total = json_len
    try:
        message = json.loads(_read_exact(sock, json_len, deadline), parse_constant=_constant)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"frame is not valid JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise WireError("frame is not a JSON object")
    blobs = []
    for _ in range(count):
        (size,) = BLOB.unpack(_read_exact(sock, BLOB.size, deadline))
        total += size
        if total > max_bytes:
            raise WireError(f"frame larger than {max_bytes >> 20} MiB")
        blobs.append(_read_exact(sock, size, deadline))
    return message, blobs


def _constant(name: str) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        if deadline is None:
            sock.settimeout(None)
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelTimeout("no answer before the deadline")
            sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(size - len(chunks), 1 << 20))
        except TimeoutError as exc:
            raise ChannelTimeout("no answer before the deadline") from exc
        except OSError as exc:
            raise ChannelClosed(f"channel broken: {exc}") from exc
        if not chunk:
            raise ChannelClosed("the peer closed the channel")
        chunks += chunk
    return bytes(chunks)
