"""Caps on a submitted notebook: how large it may be, how many cells run, what is kept.

Checked in the child before the notebook runs (a 7 MB notebook of a thousand cells costs the
grader far more than the student), and again on the executed notebook that travels back for
the report: one whose outputs make it too large comes back without them, with a note.
Standard library only: this runs beside the student's code.
"""

from __future__ import annotations

import json
import os
from typing import Any

DEFAULT_MAX_BYTES = 4 << 20
DEFAULT_MAX_CELLS = 400


class NotebookTooLarge(Exception):
    """The submitted notebook is over the assignment's caps; it is not run."""


def check_file(path: str, max_bytes: int, max_cells: int) -> None:
    """Refuse a notebook file over ``max_bytes`` or with more than ``max_cells`` cells."""
    name = os.path.basename(path)
    size = os.path.getsize(path)
    if size > max_bytes:
        raise NotebookTooLarge(
            f"{name} is {size / (1 << 20):.1f} MiB; at most {max_bytes / (1 << 20):g} MiB are "
            "graded: clear the outputs (Kernel > Restart & Clear Output) and remove large "
            "images, then submit again")
    try:
        with open(path, "rb") as handle:
            cells = json.load(handle).get("cells", [])
    except (ValueError, AttributeError):
        return  # not a notebook: the notebook runner says so, with its own message
    if isinstance(cells, list) and len(cells) > max_cells:
        raise NotebookTooLarge(
            f"{name} has {len(cells)} cells; at most {max_cells} are graded: merge or remove "
            "cells, then submit again")


def kept_text(notebook: dict[str, Any], max_bytes: int) -> tuple[str, str | None]:
    """The executed notebook as JSON text for the report, and a note if outputs were left out."""
    text = json.dumps(notebook)
    if len(text) <= max_bytes:
        return text, None
    bare = {**notebook, "cells": [
        {**cell, "outputs": []} if cell.get("cell_type") == "code" else cell
        for cell in notebook.get("cells", []) if isinstance(cell, dict)
    ]}
    text = json.dumps(bare)
    note = (f"the executed notebook's outputs were left out of the report: with them it is "
            f"larger than {max_bytes / (1 << 20):g} MiB")
    if len(text) > max_bytes:
        return json.dumps({**notebook, "cells": []}), note.replace("outputs", "cells")
    return text, note
