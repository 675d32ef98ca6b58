"""Collecting outputs: what the cells print and display, as nbformat outputs under one budget.

Streams keep what a notebook frontend would show (progress bars collapsed, ANSI colours
stripped); display data keeps its mime bundle; everything counts against
``max_output_bytes`` for the whole notebook.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
import threading
from typing import Any

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text) if "\x1b" in text else text


def _nbytes(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "replace"))


def _collapse(segment: str) -> str:
    """What a notebook frontend shows for one line: text before a ``\\r`` is overwritten and
    a backspace removes the character before it (progress bars rely on both)."""
    if "\r" in segment:
        segment = segment[segment.rfind("\r") + 1 :]
    if "\b" in segment:
        kept: list[str] = []
        for ch in segment:
            if ch == "\b":
                if kept:
                    kept.pop()
            else:
                kept.append(ch)
        segment = "".join(kept)
    return segment


class _StreamBuf:
    """One stream output (stdout or stderr) being written, with progress bars collapsed.

    Finished lines go to ``done``; the unfinished last line stays in ``pending`` (as chunks,
    so a long line written piece by piece costs no quadratic copying).
    """

    __slots__ = ("done", "done_bytes", "name", "pending", "pending_bytes", "pending_cr")

    def __init__(self, name: str) -> None:
        self.name = name
        self.done: list[str] = []
        self.done_bytes = 0
        self.pending: list[str] = []
        self.pending_bytes = 0
        self.pending_cr = False  # the unfinished line ended with "\r"

    @property
    def size(self) -> int:
        return self.done_bytes + self.pending_bytes

    def feed(self, text: str) -> None:
        if not self.pending_cr and not any(ch in text for ch in "\n\r\b"):
            self.pending.append(text)
            self.pending_bytes += _nbytes(text)
            return
        text = "".join(self.pending) + ("\r" if self.pending_cr else "") + text
        if "\r" in text:
            text = re.sub(r"\r+\n", "\n", text)
        lines = text.split("\n")
        for line in lines[:-1]:
            line = _collapse(line) + "\n"
            self.done.append(line)
            self.done_bytes += _nbytes(line)
        last = lines[-1]
        self.pending_cr = last.endswith("\r")
        last = _collapse(last.rstrip("\r"))
        self.pending = [last] if last else []
        self.pending_bytes = _nbytes(last)

    def text(self) -> str:
        return "".join(self.done) + _collapse("".join(self.pending))

    def cut(self, nbytes: int) -> None:
        data = self.text().encode("utf-8", "replace")[: max(nbytes, 0)]
        kept = data.decode("utf-8", "ignore")
        self.done, self.done_bytes = [kept], _nbytes(kept)
        self.pending, self.pending_bytes, self.pending_cr = [], 0, False


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json")


def _clean_bundle(data: Any) -> dict:
    """A mime bundle as nbformat stores it: binary data base64, JSON types kept for JSON."""
    bundle: dict[str, Any] = {}
    if not isinstance(data, dict):
        return bundle
    for mime, value in data.items():
        if not isinstance(mime, str):
            continue
        if isinstance(value, bytes | bytearray):
            if mime.startswith("text/") or mime == "image/svg+xml":
                value = bytes(value).decode("utf-8", "replace")
            else:
                value = base64.b64encode(bytes(value)).decode("ascii")
        elif _is_json_mime(mime):
            try:
                value = json.loads(json.dumps(value, allow_nan=False))
            except (TypeError, ValueError):
                continue
        elif not isinstance(value, str):
            value = str(value)
        if mime == "text/plain":
            value = strip_ansi(value)
        bundle[mime] = value
    return bundle


def _jsonable(value: Any) -> dict:
    if not value:
        return {}
    try:
        out = json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return {}
    return out if isinstance(out, dict) else {}


def _bundle_size(bundle: dict) -> int:
    size = 0
    for value in bundle.values():
        size += _nbytes(value) if isinstance(value, str) else len(json.dumps(value))
    return size


class Outputs:
    """The outputs of the cell that is running, under one byte budget for the whole notebook."""

    def __init__(self, limit: int, notes: Notes) -> None:
        self.limit = max(int(limit), 0)
        self.notes = notes
        self.used = 0
        self.truncated = False
        self.truncated_in = 0  # the cell where the limit was reached
        self.cell = 0
        self.items: list[Any] = []  # dicts and _StreamBufs
        self.sizes: dict[int, int] = {}  # id(dict output) -> bytes counted
        self.dropped = False
        self.clear_pending = False
        self.display_ids: dict[str, list[dict]] = {}
        self.open = False
        self.lock = threading.RLock()

    def begin(self, cell: int) -> None:
        with self.lock:
            self.cell, self.items, self.sizes = cell, [], {}
            self.dropped = self.clear_pending = False
            self.open = True

    def finish(self) -> list[dict]:
        with self.lock:
            self.open = False
            outputs: list[dict] = []
            for item in self.items:
                if isinstance(item, _StreamBuf):
                    text = item.text()
                    if text:
                        outputs.append({"output_type": "stream", "name": item.name, "text": text})
                else:
                    outputs.append(item)
            if self.dropped:
                outputs.append(
                    _stream(
                        "stderr",
                        "[some output was omitted: the notebook's output limit was reached]\n",
                    )
                )
            self.items = []
            return outputs

    # -- writers --------------------------------------------------------------------------

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        with self.lock:
            if not self.open:
                return
            self._clear_if_pending()
            if self.truncated:
                self.dropped = self.dropped or self.cell != self.truncated_in
                return
            room = self.limit - self.used
            if len(text) > 4 * room + 4096:  # cannot fit: do not copy megabytes around
                text = text[: 4 * room + 4096]
            text = strip_ansi(text)
            last = self.items[-1] if self.items else None
            if not (isinstance(last, _StreamBuf) and last.name == name):
                last = _StreamBuf(name)
                self.items.append(last)
            before = last.size
            last.feed(text)
            self.used += last.size - before
            if self.used > self.limit:
                last.cut(last.size - (self.used - self.limit))
                self.used = self.limit
                self._truncate()

    def display(self, data: Any, metadata: Any, transient: Any, update: bool) -> None:
        bundle = _clean_bundle(data)
        if not bundle:
            return
        md = _jsonable(metadata)
        display_id = transient.get("display_id") if isinstance(transient, dict) else None
        with self.lock:
            if update:
                for out in self.display_ids.get(str(display_id), []):
                    grow = _bundle_size(bundle) - _bundle_size(out["data"])
                    if self.used + grow <= self.limit:
                        out["data"], out["metadata"] = bundle, md
                        self.used += grow
                return
            if not self.open:
                text = bundle.get("text/plain")
                if text:  # a display() from student code called after the run: plain print
                    print(text, file=sys.stdout)
                return
            out = {"output_type": "display_data", "data": bundle, "metadata": md}
            if self._add(out) and display_id is not None:
                self.display_ids.setdefault(str(display_id), []).append(out)

    def execute_result(self, data: Any, metadata: Any) -> None:
        bundle = _clean_bundle(data)
        with self.lock:
            if not bundle or not self.open:
                return
            self._add(
                {
                    "output_type": "execute_result",
                    "execution_count": self.cell,
                    "data": bundle,
                    "metadata": _jsonable(metadata),
                }
            )

    def error(self, ename: str, evalue: str, tb_lines: list[str]) -> None:
        """Errors are always kept (they are already short): the student needs them most."""
        with self.lock:
            self.items.append(
                {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": tb_lines}
            )

    def clear(self, wait: bool = False) -> None:
        with self.lock:
            if wait:
                self.clear_pending = True
            else:
                self._clear_now()

    # -- budget ---------------------------------------------------------------------------

    def _add(self, out: dict) -> bool:
        self._clear_if_pending()
        if self.truncated:
            self.dropped = self.dropped or self.cell != self.truncated_in
            return False
        size = _bundle_size(out["data"])
        room = self.limit - self.used
        if size > room:
            plain = out["data"].get("text/plain", "")
            if len(out["data"]) > (1 if plain else 0):
                # A figure or other rich output that does not fit: keep its plain-text form
                # and go on, so later (smaller) output still has room.
                self.dropped = True
                self.notes.add(
                    f"cell {self.cell}: an image or other rich output was left out of the "
                    f"executed notebook (output limit of {self.limit} bytes reached)"
                )
                out["data"], out["metadata"] = {"text/plain": plain} if plain else {}, {}
                size = _nbytes(plain)
            if not out["data"]:
                return False
            if size > room:  # plain text that does not fit: keep its first part, then stop
                plain = plain.encode("utf-8", "replace")[: max(room, 0)].decode("utf-8", "ignore")
                if plain:
                    out["data"] = {"text/plain": plain}
                    self._append(out, _nbytes(plain))
                self._truncate()
                return bool(plain)
        self._append(out, size)
        return True

    def _append(self, out: dict, size: int) -> None:
        self.items.append(out)
        self.sizes[id(out)] = size
        self.used += size

    def _truncate(self) -> None:
        if self.truncated:
            return
        self.truncated, self.truncated_in = True, self.cell
        self.items.append(
            _stream(
                "stderr",
                f"\n[output truncated: the grader keeps the first {self.limit} bytes of a "
                "notebook's output]\n",
            )
        )
        self.notes.add(
            f"cell {self.cell}: output truncated (the grader keeps the first {self.limit} bytes "
            "of output)"
        )

    def _clear_if_pending(self) -> None:
        if self.clear_pending:
            self.clear_pending = False
            self._clear_now()

    def _clear_now(self) -> None:
        for item in self.items:
            if isinstance(item, _StreamBuf):
                self.used -= item.size
            else:
                self.used -= self.sizes.pop(id(item), 0)
                for outs in self.display_ids.values():
                    outs[:] = [out for out in outs if out is not item]
        self.used = max(self.used, 0)
        self.items = []


def _stream(name: str, text: str) -> dict:
    return {"output_type": "stream", "name": name, "text": text}


class CellStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while the notebook runs.

    Once the run is over, a stale reference (a logging handler, a thread) writes through to
    whatever ``sys.stdout``/``sys.stderr`` is then.
    """

    def __init__(self, name: str, outputs: Outputs) -> None:
        super().__init__()
        self._name = name
        self._outputs = outputs

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: Any) -> int:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", "replace")
        elif not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._outputs.open:
            self._outputs.stream(self._name, text)
        else:
            current = getattr(sys, self._name, None)
            if current is not None and current is not self:
                current.write(text)
        return len(text)

    def flush(self) -> None:
        pass


class Notes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)

