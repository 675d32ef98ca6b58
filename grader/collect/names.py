"""Turning a platform's name for a student into a folder name, and keeping names apart."""

from __future__ import annotations

import re
import unicodedata

from .model import Parsed


def folder_name(name: str) -> str:
    """A readable folder name: lower case, runs of anything but letters, digits, ``-`` and
    ``.`` made one ``_`` (``Zoë Müller`` -> ``zoë_müller``), never hidden, never empty."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    text = re.sub(r"[^\w.\-]+", "_", text).strip("_.")
    return text or "student"


def unique_key(parsed: Parsed, wanted: str, lms_id: str) -> str:
    """``wanted`` as a folder name, or with ``_<lms id>`` when another student holds it."""
    wanted = folder_name(wanted)
    held = parsed.entries.get(wanted)
    if held is None or held.lms_id == lms_id:
        return wanted
    return f"{wanted}_{lms_id}"
