"""Stub notebooks as students should receive them: no outputs, no history, no metadata.

An instructor's stub notebook carries whatever the instructor's kernel left in it: outputs
(which may show a solution's results), execution counts, widget state, cell tags, the
instructor's paths in metadata. Only what a student's Jupyter needs to open the notebook
with the right kernel survives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError

KEPT_METADATA = ("kernelspec", "language_info")


def strip_notebook(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the notebook ``data`` with outputs, counts and metadata removed."""
    cells = []
    for cell in data.get("cells", []):
        clean: dict[str, Any] = {"cell_type": cell.get("cell_type", "code")}
        if "id" in cell:
            clean["id"] = cell["id"]
        clean["metadata"] = {}
        clean["source"] = cell.get("source", "")
        if clean["cell_type"] == "code":
            clean["execution_count"] = None
            clean["outputs"] = []
        elif "attachments" in cell:
            clean["attachments"] = cell["attachments"]
        cells.append(clean)
    metadata = data.get("metadata", {}) if isinstance(data.get("metadata"), dict) else {}
    return {
        "cells": cells,
        "metadata": {key: metadata[key] for key in KEPT_METADATA if key in metadata},
        "nbformat": data.get("nbformat", 4),
        "nbformat_minor": data.get("nbformat_minor", 5),
    }


def write_stripped(source: Path, target: Path) -> None:
    """Copy the notebook ``source`` to ``target`` stripped.

    Raises:
        ConfigError: ``source`` is not notebook JSON.
    """
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{source}: not a readable notebook: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ConfigError(f"{source}: not a notebook (no list of cells)")
    text = json.dumps(strip_notebook(data), indent=1, ensure_ascii=False, sort_keys=True)
    target.write_text(text + "\n", encoding="utf-8")
