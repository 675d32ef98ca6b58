"""A submitted ``.keras`` archive, judged by its table of contents before Keras sees it.

Keras builds every layer a saved model's ``config.json`` declares, allocating its weights,
before it reads a single weight: an 18 KB file declaring a hidden ``Dense(48_000_000)`` costs
gigabytes before it fails. So the archive is read here first, with the standard library only
(this runs in the sandboxed worker, beside student code): the zip's members and their sizes,
the config's size and depth, and a lower bound of the parameters its layers declare. A
model that declares more than ``MAX_PARAMETERS``, or more than its own weights file could
hold, is refused with a message; nothing of it is built.
"""

from __future__ import annotations

import json
import math
import zipfile
from typing import Any

MAX_MEMBERS = 16
MAX_MEMBER_BYTES = 64 << 20
MAX_CONFIG_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_PARAMETERS = 5_000_000
"""Far above any network this course asks for (the reference has about 3,600)."""
MIN_BYTES_PER_PARAMETER = 2  # float16 weights, the smallest Keras saves
WEIGHTS_SLACK = 1 << 20

_GATES = {"LSTM": 4, "LSTMCell": 4, "GRU": 3, "GRUCell": 3}


class SavedModelRefused(ValueError):
    """The archive is not a model this grader will build."""


def check_keras_archive(path: str) -> int:
    """Refuse an archive that would cost more to load than a model of this course needs.

    Returns:
        the lower bound of the parameters its config declares.

    Raises:
        SavedModelRefused: not a zip, too many or too large members, no or an oversized
            ``config.json``, or more parameters than allowed or than its weights can hold.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SavedModelRefused(f"{path} is not a Keras archive (a zip file): {exc}") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SavedModelRefused(f"{path} holds {len(members)} files; a model needs 3")
        sizes = {m.filename: m.file_size for m in members}
        big = [name for name, size in sizes.items() if size > MAX_MEMBER_BYTES]
        if big:
            raise SavedModelRefused(
                f"{path}: {big[0]} unpacks to {sizes[big[0]] >> 20} MiB, more than the "
                f"{MAX_MEMBER_BYTES >> 20} MiB allowed"
            )
        if "config.json" not in sizes:
            raise SavedModelRefused(f"{path} has no config.json: save with model.save(...)")
        if sizes["config.json"] > MAX_CONFIG_BYTES:
            raise SavedModelRefused(f"{path}: config.json is larger than 1 MiB")
        text = archive.read("config.json")
    try:
        config = json.loads(text)
    except (ValueError, RecursionError):
        raise SavedModelRefused(f"{path}: config.json is not valid JSON") from None
    _depth(config, path)
    parameters = declared_parameters(config)
    if parameters > MAX_PARAMETERS:
        raise SavedModelRefused(
            f"{path}: its layers declare at least {parameters:,} weights, more than the "
            f"{MAX_PARAMETERS:,} allowed: it was not loaded"
        )
    weights = sizes.get("model.weights.h5", 0)
    if parameters * MIN_BYTES_PER_PARAMETER > weights + WEIGHTS_SLACK:
        raise SavedModelRefused(
            f"{path}: its layers declare at least {parameters:,} weights but model.weights.h5 "
            f"holds only {weights:,} bytes: it was not loaded"
        )
    return parameters


def declared_parameters(config: Any) -> int:
    """A lower bound of the weights of every layer in a Keras config, nested models included."""
    total = 0
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("class_name"), str) and isinstance(node.get("config"), dict):
            total += _layer_parameters(node["class_name"], node["config"], node)
        stack.extend(node.values())
    return total


def _layer_parameters(kind: str, config: dict[str, Any], node: dict[str, Any]) -> int:
    fan_in = _fan_in(node)
    if kind == "Embedding":
        return _int(config.get("input_dim")) * _int(config.get("output_dim"))
    if "filters" in config:
        kernel = config.get("kernel_size", 1)
        cells = math.prod(_int(k) for k in kernel) if isinstance(kernel, list) else _int(kernel)
        return _int(config["filters"]) * max(cells, 1) * fan_in
    if "units" in config:
        return _int(config["units"]) * fan_in * _GATES.get(kind, 1)
    return 0


def _fan_in(node: dict[str, Any]) -> int:
    build = node.get("build_config")
    shape = build.get("input_shape") if isinstance(build, dict) else None
    if isinstance(shape, list) and shape and not isinstance(shape[-1], list):
        return max(_int(shape[-1]), 1)
    return 1


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _depth(config: Any, path: str) -> None:
    stack = [(config, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SavedModelRefused(f"{path}: config.json nests deeper than {MAX_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(
            node, list) else ()
        stack.extend((child, depth + 1) for child in children)
