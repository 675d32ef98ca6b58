"""Collecting outputs: what the cells print and display, as nbformat outputs, bounded per cell.

Streams keep what a notebook frontend would show (progress bars collapsed, ANSI colours
stripped), and of a long stream its first and last lines with the middle elided; display
data keeps its mime bundle. While a cell runs, its outputs are held to the notebook's whole
output budget (so memory stays bounded whatever the cell prints); once every cell ran,
``fit`` cuts the notebook to its budget, keeping what matters first.
"""

from __future__ import annotations

import base64
import collections
import io
import json
import re
import sys
import threading
from typing import Any

from .images import IMAGES, half_size

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text) if "\x1b" in text else text


def nbytes(text: str) -> int:
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

    Finished lines fill ``head`` up to half of ``cap`` bytes, then ``tail``, which keeps the
    last half: the lines in between are counted and elided, so a training loop of 10,000
    epochs shows its first and last epochs. The unfinished last line stays in ``pending``
    (as chunks, so a long line written piece by piece costs no quadratic copying).
    """

    __slots__ = ("elided_bytes", "elided_lines", "half", "head", "head_bytes", "in_tail", "name",
                 "pending", "pending_bytes", "pending_cr", "tail", "tail_bytes")

    def __init__(self, name: str, cap: int) -> None:
        self.name = name
        self.half = max(cap // 2, 16)
        self.head: list[str] = []
        self.head_bytes = 0
        self.tail: collections.deque[str] = collections.deque()
        self.tail_bytes = 0
        self.in_tail = False
        self.elided_lines = 0
        self.elided_bytes = 0
        self.pending: list[str] = []
        self.pending_bytes = 0
        self.pending_cr = False  # the unfinished line ended with "\r"

    @property
    def size(self) -> int:
        return self.head_bytes + self.tail_bytes + self.pending_bytes

    def feed(self, text: str) -> None:
        if not self.pending_cr and not any(ch in text for ch in "\n\r\b"):
            self.pending.append(text)
            self.pending_bytes += nbytes(text)
            if self.pending_bytes > 2 * self.half:  # a flood without newlines: its two ends
                line = self._ends(_collapse("".join(self.pending)))
                self.pending, self.pending_bytes = [line], nbytes(line)
            return
        text = "".join(self.pending) + ("\r" if self.pending_cr else "") + text
        if "\r" in text:
            text = re.sub(r"\r+\n", "\n", text)
        lines = text.split("\n")
        for line in lines[:-1]:
            self._line(_collapse(line) + "\n")
        last = lines[-1]
        self.pending_cr = last.endswith("\r")
        last = _collapse(last.rstrip("\r"))
        self.pending = [last] if last else []
        self.pending_bytes = nbytes(last)

    def _ends(self, line: str) -> str:
        """A line longer than half the cap: its two ends, the cut counted as elided."""
        size = nbytes(line)
        if size <= self.half:
            return line
        keep = max((self.half - 8) // 2, 1)
        kept = f"{line[:keep]} [...] {line[-keep:]}"
        self.elided_bytes += max(size - nbytes(kept), 0)
        return kept

    def _line(self, line: str) -> None:
        line = self._ends(line)
        size = nbytes(line)
        if not self.in_tail and self.head_bytes + size <= self.half:
            self.head.append(line)
            self.head_bytes += size
            return
        self.in_tail = True
        self.tail.append(line)
        self.tail_bytes += size
        while self.tail_bytes > self.half and len(self.tail) > 1:
            dropped = self.tail.popleft()
            self.tail_bytes -= nbytes(dropped)
            self.elided_lines += 1
            self.elided_bytes += nbytes(dropped)

    def elide(self, nbytes: int) -> None:
        """Count ``nbytes`` cut before they were fed (one write far larger than the cap)."""
        self.elided_bytes += nbytes

    def text(self) -> str:
        middle = ""
        if self.elided_bytes:
            lines = f"{self.elided_lines:,} lines, " if self.elided_lines else ""
            middle = (f"[... {lines}{self.elided_bytes:,} bytes elided: the grader keeps the "
                      f"first and last {self.half:,} bytes of a cell's {self.name} ...]\n")
        return "".join(self.head) + middle + "".join(self.tail) + _collapse("".join(self.pending))


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


def bundle_size(bundle: dict) -> int:
    size = 0
    for value in bundle.values():
        size += nbytes(value) if isinstance(value, str) else len(json.dumps(value))
    return size


class Outputs:
    """The outputs of the cell that is running.

    ``limit`` bounds one cell's rich outputs while it runs (a figure that does not fit keeps
    its plain-text form), ``stream_limit`` each of its streams (head and tail kept); what
    was left out is recorded in ``actions`` per cell, for ``fit`` to report with its own.
    """

    def __init__(self, limit: int, notes: Notes) -> None:
        self.limit = max(int(limit), 0)
        self.stream_limit = stream_limit(self.limit)
        self.notes = notes
        self.used = 0  # bytes of the running cell's rich outputs
        self.cell = 0
        self.items: list[Any] = []  # dicts and _StreamBufs
        self.sizes: dict[int, int] = {}  # id(dict output) -> bytes counted
        self.actions: dict[int, list[str]] = {}
        self.scales: dict[int, int] = {}  # id(output) -> how many times smaller its image is
        self.clear_pending = False
        self.display_ids: dict[str, list[dict]] = {}
        self.open = False
        self.lock = threading.RLock()

    def begin(self, cell: int) -> None:
        with self.lock:
            self.cell, self.items, self.sizes, self.used = cell, [], {}, 0
            self.clear_pending = False
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
                    if item.elided_bytes:
                        self.act(f"the middle of its {item.name} elided "
                                 f"({item.elided_bytes:,} bytes)")
                else:
                    outputs.append(item)
            self.items = []
            return outputs

    def act(self, what: str) -> None:
        """Record that the running cell lost some output (reported by ``fit``)."""
        self.actions.setdefault(self.cell, []).append(what)

    # -- writers --------------------------------------------------------------------------

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        with self.lock:
            if not self.open:
                return
            self._clear_if_pending()
            last = self.items[-1] if self.items else None
            if not (isinstance(last, _StreamBuf) and last.name == name):
                last = _StreamBuf(name, self.stream_limit)
                self.items.append(last)
            cap = 4 * self.stream_limit + 4096
            if len(text) > 2 * cap:  # one huge write: its ends, without copying it around
                last.elide(len(text) - 2 * cap)
                text = text[:cap] + text[-cap:]
            last.feed(strip_ansi(text))

    def display(self, data: Any, metadata: Any, transient: Any, update: bool) -> None:
        bundle = _clean_bundle(data)
        if not bundle:
            return
        md = _jsonable(metadata)
        display_id = transient.get("display_id") if isinstance(transient, dict) else None
        with self.lock:
            if update:
                for out in self.display_ids.get(str(display_id), []):
                    grow = bundle_size(bundle) - bundle_size(out["data"])
                    if self.used + grow <= self.limit:
                        out["data"], out["metadata"] = bundle, md
                        self.used += grow
                        self.sizes[id(out)] = self.sizes.get(id(out), 0) + grow
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

    # -- the running cell's bound ---------------------------------------------------------

    def _add(self, out: dict) -> bool:
        self._clear_if_pending()
        size = bundle_size(out["data"])
        room = self.limit - self.used
        if size > room:
            size = self._scale_to(out, room)
        if size > room:
            plain = out["data"].get("text/plain", "")
            if len(out["data"]) > (1 if plain else 0):
                # A figure or other rich output that does not fit: its plain-text form.
                self.act("an image or other rich output left out (the cell's output was "
                         "over the notebook's whole limit)")
                out["data"], out["metadata"] = {"text/plain": plain} if plain else {}, {}
                size = nbytes(plain)
            if not out["data"]:
                return False
            if size > room:  # plain text that does not fit: its two ends
                out["data"] = {"text/plain": head_and_tail(plain, max(room, 64) // 2)}
                self.act("the middle of a text result elided")
                size = nbytes(out["data"]["text/plain"])
        self._append(out, size)
        return True

    def _scale_to(self, out: dict, room: int) -> int:
        """Halve a figure that does not fit, up to three times; its size afterwards."""
        data = out["data"]
        for mime in IMAGES:
            halved = 0
            while halved < 3 and isinstance(data.get(mime), str) and bundle_size(data) > room:
                smaller = half_size(data[mime], mime)
                if smaller is None or len(smaller) >= len(data[mime]):
                    break
                data[mime], out["metadata"] = smaller, {}
                halved += 1
            if halved:
                self.act(scaled(2 ** halved))
                self.scales[id(out)] = 2 ** halved
        return bundle_size(data)

    def _append(self, out: dict, size: int) -> None:
        self.items.append(out)
        self.sizes[id(out)] = size
        self.used += size

    def _clear_if_pending(self) -> None:
        if self.clear_pending:
            self.clear_pending = False
            self._clear_now()

    def _clear_now(self) -> None:
        for item in self.items:
            if not isinstance(item, _StreamBuf):
                self.used -= self.sizes.pop(id(item), 0)
                for outs in self.display_ids.values():
                    outs[:] = [out for out in outs if out is not item]
        self.used = max(self.used, 0)
        self.items = []


def scaled(factor: int) -> str:
    return f"image scaled to 1/{factor} of its width and height"


def stream_limit(limit: int) -> int:
    """Bytes kept of one stream output: an eighth of the notebook's limit, at least 1 KB
    (never more than the limit)."""
    return max(min(limit, 1024), limit // 8)


def head_and_tail(text: str, keep: int) -> str:
    """``text`` with its middle elided when it holds more than twice ``keep`` characters."""
    if len(text) <= 2 * keep + 80:
        return text
    head, tail = text[:keep], text[-keep:]
    cut = len(text) - len(head) - len(tail)
    return f"{head}\n[... {cut:,} characters elided ...]\n{tail}"


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

