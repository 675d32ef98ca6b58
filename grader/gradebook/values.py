"""Making student-controlled values storable on every backend.

Captured output, messages and notebooks are written by student code, and PostgreSQL refuses
what SQLite accepts: NUL characters in text and JSON, NaN and infinity in JSONB. Lone
surrogates (from undecodable bytes) cannot be encoded as UTF-8 anywhere. Cleaning the same
way for both backends keeps a gradebook's content independent of where it lives.
"""

from __future__ import annotations

import math
from typing import Any

REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` without NUL characters or lone surrogates (each becomes U+FFFD)."""
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(REPLACEMENT if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


def clean_json(value: Any) -> Any:
    """A JSON-ready copy of ``value``: strings cleaned, non-finite floats as None.

    Tuples become lists and non-string keys become strings, as ``json.dumps`` would make
    them; anything not JSON-like becomes its ``str`` so one odd artifact cannot lose a grade.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return clean_json(value.tolist())
    return clean_text(str(value))
