"""The worker's account of loading a student's files, made safe to read on the trusted side.

The student's code runs in the process that writes this account, so it may be any shape: an
entry without ``"file"``, a number where a list of names belongs, an error that is a list.
Every entry is brought to one shape here, once, where it crosses; the code that reads it
(messages, the summary, the ``callable`` check) can then index it without a guard, and a
malformed account costs the student their load, never the batch.
"""

from __future__ import annotations

from typing import Any

MAX_ENTRIES = 256
MAX_NAMES = 256
MAX_TEXT = 20_000


def clean_entries(raw: Any) -> list[dict[str, Any]]:
    """The ``files`` of a load report, each entry with the keys and types readers expect."""
    if not isinstance(raw, list):
        return []
    return [_entry(item) for item in raw[:MAX_ENTRIES]]


def _text(value: Any, default: str = "") -> str:
    if value is None:
        return default
    return (value if isinstance(value, str) else str(value))[:MAX_TEXT]


def _names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item for item in value[:MAX_NAMES] if isinstance(item, str)]


def _entry(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"file": "?", "ok": False, "defines": [], "callables": [], "notes": [],
                "cell_errors": [], "error": {"traceback": "the worker sent no load entry"}}
    error = item.get("error")
    if error is not None and not isinstance(error, dict):
        error = {"traceback": _text(error)}
    elif isinstance(error, dict):
        error = {str(k): _text(v) for k, v in error.items()}
    cells = item.get("cell_errors")
    return {
        "file": _text(item.get("file"), "?") or "?",
        "ok": bool(item.get("ok", error is None)),
        "error": error,
        "defines": _names(item.get("defines")),
        "callables": _names(item.get("callables")),
        "notes": [_text(n) for n in item.get("notes", [])[:MAX_NAMES]]
        if isinstance(item.get("notes"), list) else [],
        "cell_errors": [
            {"cell": _text(c.get("cell")), "ename": _text(c.get("ename")),
             "evalue": _text(c.get("evalue")), "traceback": _text(c.get("traceback"))}
            for c in cells[:MAX_NAMES] if isinstance(c, dict)
        ] if isinstance(cells, list) else [],
    }
