"""Run a student's notebook top to bottom inside the worker, the way Jupyter would.

The worker that later answers the hidden tests' calls must be the process that holds the
notebook's namespace, so there is no kernel and no zmq here: a fresh IPython
``InteractiveShell`` runs the code cells in this process.  IPython's own machinery handles
magics (``%matplotlib inline``, ``%timeit``, ``%%time``), ``display()`` and ``!shell`` lines;
this module only redirects where their results go:

* stdout/stderr, ``display()`` and the value of a cell's last expression become nbformat
  outputs of that cell, capped at ``max_output_bytes`` for the whole notebook;
* an exception becomes a :class:`CellError` (and an ``error`` output) and the next cell runs;
* a cell that runs past ``cell_timeout`` seconds is interrupted by ``SIGALRM`` with
  :class:`CellTimeoutError`, a ``BaseException``, so ``except Exception`` does not swallow it;
* what cannot work in the grader fails soft with a note instead of an error: ``google.colab``
  (a stub whose calls do nothing), ``%pip``/``!pip install`` (skipped), ``input()`` (raises
  ``EOFError`` at once instead of waiting for a person who never comes).

Everything the run changes in the process (``sys.std*``, ``sys.argv``, ``sys.path``, the
working directory, ``builtins.input``, environment variables, the ``SIGALRM`` handler,
``sys.modules['__main__']``) is put back when :func:`run_notebook` returns; what student code
imported or created stays, the namespace first of all.  Three things stay on purpose, because
the worker goes on calling the notebook's functions: the shell remains IPython's singleton (so
``display()`` inside those functions works), the matplotlib backend stays inline, and warnings
from the cells keep saying "Cell N, line L" (:func:`format_traceback` does the same for
errors).  Not thread-safe: one run at a time.

This module runs beside untrusted code, so it imports nothing from the rest of ``grader``;
IPython and nbformat are imported on first use (call :func:`preload` in a zygote to pay that
once).
"""

from __future__ import annotations

import base64
import builtins
import codecs
import contextlib
import functools
import importlib
import importlib.abc
import importlib.machinery
import io
import json
import linecache
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
import types
import warnings
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CellError",
    "CellTimeoutError",
    "NotebookError",
    "NotebookRun",
    "format_traceback",
    "preload",
    "run_notebook",
]

PROVIDED_PACKAGES = "numpy, scipy, scikit-learn, matplotlib"
INSTALLS_DISABLED = (
    "package installs are disabled in the grader; the grader provides " + PROVIDED_PACKAGES
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_MAX_TRACEBACK_LINES = 120
_MAX_ERROR_TEXT = 8_000
_MISSING = object()

# Environment while a notebook runs: pip run from code fails at once instead of retrying the
# network, and a forgotten breakpoint() does not wait for a debugger command.
_RUN_ENV = {
    "PIP_NO_INDEX": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
    "PYTHONBREAKPOINT": "0",
}


class NotebookError(Exception):
    """The file is not a notebook we can run (message says why and what to do)."""


class CellTimeoutError(BaseException):
    """Raised inside a cell that ran past its time limit.

    A ``BaseException`` so that a student's ``except Exception`` around a slow call does not
    swallow it.
    """


@dataclass
class CellError:
    cell: int  # 1-based index among code cells
    ename: str
    evalue: str
    traceback: str  # plain text, ANSI stripped, trimmed to the student's own frames


@dataclass
class NotebookRun:
    namespace: dict  # the notebook's global namespace after all cells ran
    notebook: dict  # the executed notebook as nbformat v4 JSON-able dict
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # soft notes for the student


def preload() -> None:
    """Import IPython and nbformat and compile the notebook schema, once per process.

    For a zygote that forks one worker per submission: after this, :func:`run_notebook` pays
    only for its own notebook.  Call it after importing ``matplotlib.pyplot``, if the zygote
    does, so that the inline backend is imported too.
    """
    nbformat = _nbformat()
    nbformat.validator.get_validator(version=4, version_minor=nbformat.current_nbformat_minor)
    _ipython_classes()
    names = list(_LAZY_IMPORTS)  # what the first shell and the first cell would import
    if "matplotlib" in sys.modules:  # then every run switches to the inline backend
        names += ["matplotlib_inline.backend_inline", "IPython.core.pylabtools"]
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    registry = sys.modules.get("matplotlib.backends.registry")
    if registry is not None:  # "inline" is found by scanning entry points: do that once here
        with contextlib.suppress(Exception):
            registry.backend_registry.is_valid_backend("inline")


_LAZY_IMPORTS = (
    "IPython.core.application",
    "IPython.core.logger",
    "IPython.core.magics",
    "IPython.core.oinspect",
    "IPython.core.profiledir",
    "IPython.utils.wildcard",
    "bdb",
    "getpass",
    "glob",
    "hashlib",
)


# --------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------


def _nbformat():
    import nbformat
    import nbformat.reader
    import nbformat.validator

    return nbformat


_FOREIGN_FORMATS = (
    ("<!doctype html", "an HTML export of a notebook, not the notebook itself"),
    ("<html", "an HTML export of a notebook, not the notebook itself"),
    ("%pdf", "a PDF, not a notebook"),
    ("pk\x03\x04", "a zip archive, not a notebook"),
)


def _load_notebook(path: str) -> Any:
    name = os.path.basename(path)
    redo = f"open it in Jupyter (or Colab) and save it again as {name}"
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise NotebookError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        head = raw[:8].decode("latin-1").lower()
        for magic, what in _FOREIGN_FORMATS:
            if head.startswith(magic):
                raise NotebookError(
                    f"{name} is {what}; submit the .ipynb file saved by Jupyter"
                ) from None
        raise NotebookError(f"{name} is not UTF-8 text, so it is not a notebook; {redo}") from None
    if not text.strip():
        raise NotebookError(f"{name} is empty; {redo}")
    lead = text.lstrip()
    if not lead.startswith("{"):
        for magic, what in _FOREIGN_FORMATS:
            if lead[: len(magic)].lower() == magic:
                raise NotebookError(f"{name} is {what}; submit the .ipynb file saved by Jupyter")
        if _looks_like_python(text):
            stem = os.path.splitext(name)[0]
            raise NotebookError(
                f"{name} is a Python script renamed to .ipynb, not a notebook (a notebook is "
                f"JSON); submit it as {stem}.py, or paste the code into a notebook and save that"
            )
        raise NotebookError(f"{name} is not a Jupyter notebook (a notebook is JSON); {redo}")
    nbformat = _nbformat()
    try:
        nb = nbformat.reader.reads(text)
    except nbformat.reader.NotJSONError:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        else:  # pragma: no cover - nbformat and json disagree
            where = "nbformat could not parse it"
        raise NotebookError(
            f"{name} is not valid JSON ({where}); the file is damaged, perhaps cut short or "
            f"edited by hand: {redo}"
        ) from None
    except Exception as exc:  # NBFormatError, missing/odd "nbformat" field, ...
        raise NotebookError(f"{name} is JSON but not a Jupyter notebook ({exc}); {redo}") from None
    major = nb.get("nbformat")
    if not isinstance(major, int) or isinstance(major, bool):
        raise NotebookError(
            f'{name} is JSON but not a Jupyter notebook (it has no "nbformat" version); {redo}'
        )
    if major != 4:
        if major < 4:
            raise NotebookError(
                f"{name} is saved in notebook format v{major}; open it in a current Jupyter and "
                "save it again (that writes format v4)"
            )
        raise NotebookError(
            f"{name} is saved in notebook format v{major}, which the grader does not read; "
            "save it from Jupyter as a v4 notebook"
        )
    if not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{name} has no list of cells; {redo}")
    language = _notebook_language(nb)
    if language and language != "python":
        raise NotebookError(
            f"{name} is a {language} notebook; the grader runs Python notebooks only"
        )
    code = [c for c in nb.cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    if not code:
        raise NotebookError(
            f"{name} has no code cells, so there is nothing to run; put your code in code "
            "cells (not Markdown cells) and save the notebook again"
        )
    for cell in code:
        if not isinstance(cell.get("source", ""), str):
            raise NotebookError(f"{name} has a code cell whose source is not text; {redo}")
    if not any(cell.get("source", "").strip() for cell in code):
        raise NotebookError(
            f"{name} has only empty code cells, so there is nothing to run; did you save the "
            "notebook after writing your code?"
        )
    nb.setdefault("metadata", {})
    return nb


def _notebook_language(nb: Any) -> str:
    meta = nb.get("metadata")
    if not isinstance(meta, dict):
        return ""
    for key, sub in (("language_info", "name"), ("kernelspec", "language")):
        value = meta.get(key)
        if isinstance(value, dict) and isinstance(value.get(sub), str):
            return value[sub].strip().lower()
    return ""


def _looks_like_python(text: str) -> bool:
    try:
        compile(text, "<submission>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        pass
    else:
        return True
    return bool(re.search(r"^\s*(import \w|from \w+ import|def \w+\(|class \w+|# %%)", text, re.M))


def _schema_note(nb: Any, name: str) -> str | None:
    nbformat = _nbformat()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"{name} does not follow the notebook schema ({first[:200]}); it was run anyway, "
            "but save it again from Jupyter to be safe"
        )
    except Exception:  # a validator crash is not the student's problem
        return None
    return None


# --------------------------------------------------------------------------------------------
# Collecting outputs
# --------------------------------------------------------------------------------------------


def _strip_ansi(text: str) -> str:
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
            value = _strip_ansi(value)
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


class _Outputs:
    """The outputs of the cell that is running, under one byte budget for the whole notebook."""

    def __init__(self, limit: int, notes: _Notes) -> None:
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
            text = _strip_ansi(text)
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


class _CellStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while the notebook runs.

    Once the run is over, a stale reference (a logging handler, a thread) writes through to
    whatever ``sys.stdout``/``sys.stderr`` is then.
    """

    def __init__(self, name: str, outputs: _Outputs) -> None:
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


class _Notes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)


# --------------------------------------------------------------------------------------------
# Tracebacks
# --------------------------------------------------------------------------------------------


class _Places:
    """Which code is the student's: the cells (by IPython's cache file name) and ``.py`` files
    in the notebook's folder."""

    def __init__(self, folder: str) -> None:
        self.folders = tuple(
            dict.fromkeys(os.path.join(f, "") for f in (folder, os.path.realpath(folder)))
        )
        self.cells: dict[str, int] = {}
        self.raw: dict[str, list[str]] = {}  # a cell's own lines, where %magic lines differ

    def add_cell(self, filename: str, number: int, raw: str | None, code: str) -> None:
        self.cells[filename] = number
        if raw is not None and raw != code:
            raw_lines = raw.splitlines()
            if len(raw_lines) == len(code.splitlines()):
                self.raw[filename] = raw_lines

    def source_line(self, filename: str, lineno: int, frame_globals: Any) -> str:
        raw = self.raw.get(filename)
        if raw is not None and 0 < lineno <= len(raw):
            return raw[lineno - 1].strip()
        return linecache.getline(filename, lineno, frame_globals).strip()

    def label(self, filename: str, lineno: int | None) -> str | None:
        line = f", line {lineno}" if lineno else ""
        cell = self.cells.get(filename)
        if cell is not None:
            return f"Cell {cell}{line}"
        folder = self._folder_of(filename)
        if folder is not None:
            return f'File "{filename[len(folder) :]}"{line}'
        return None

    def is_student(self, filename: str) -> bool:
        return filename in self.cells or self._folder_of(filename) is not None

    def _folder_of(self, filename: str) -> str | None:
        if not filename.endswith(".py") or "-packages" + os.sep in filename:
            return None
        for folder in self.folders:
            if filename.startswith(folder):
                return folder
        return None


def _frame_module(frame: types.FrameType) -> str:
    name = frame.f_globals.get("__name__")
    if isinstance(name, str) and name:
        return name.split(".")[0]
    return os.path.basename(frame.f_code.co_filename) or "?"


def _format_frames(tb: types.TracebackType | None, places: _Places) -> list[str]:
    lines: list[str] = []
    others: list[str] = []
    last_key: tuple | None = None
    repeats = 0

    def flush_others() -> None:
        if others:
            mods = ", ".join(dict.fromkeys(others))
            n = len(others)
            lines.append(f"  ... {n} frame{'s' if n > 1 else ''} in {mods}")
            others.clear()

    def flush_repeats() -> None:
        if repeats > 2:
            lines.append(f"  [Previous line repeated {repeats - 2} more times]")

    seen_student = False
    while tb is not None:
        frame, lineno = tb.tb_frame, tb.tb_lineno
        filename = frame.f_code.co_filename
        tb = tb.tb_next
        if filename == __file__:
            continue
        label = places.label(filename, lineno)
        if label is None:
            if seen_student:  # frames before the first cell frame are IPython's own
                others.append(_frame_module(frame))
            continue
        seen_student = True
        key = (filename, lineno, frame.f_code.co_name)
        if key == last_key:
            repeats += 1
            if repeats > 2:
                continue
        else:
            flush_repeats()
            repeats = 0
        flush_others()
        last_key = key
        lines.append(f"  {label}, in {frame.f_code.co_name}")
        source = places.source_line(filename, lineno, frame.f_globals)
        if source:
            lines.append(f"    {source}")
    flush_repeats()
    flush_others()
    return lines


def _exception_only(exc: BaseException, places: _Places) -> list[str]:
    if isinstance(exc, CellTimeoutError):
        return [f"CellTimeoutError: {_safe_str(exc)}"]
    try:
        text = "".join(traceback.format_exception_only(type(exc), exc))
    except Exception:
        text = f"{type(exc).__name__}: <exception message could not be shown>\n"
    if isinstance(exc, SyntaxError):
        for filename, cell in places.cells.items():
            if filename in text:
                text = text.replace(f'File "{filename}", line', f"Cell {cell}, line")
    return _strip_ansi(text).rstrip("\n").splitlines()


def _format_traceback(exc: BaseException, places: _Places) -> str:
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link: str | None = None
    while current is not None and id(current) not in seen and len(chain) < 4:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = (
                current.__cause__,
                ("The above exception was the direct cause of the following exception:"),
            )
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = (
                current.__context__,
                ("During handling of the above exception, another exception occurred:"),
            )
        else:
            current = None
    lines: list[str] = []
    for item, item_link in reversed(chain):
        frames = _format_frames(item.__traceback__, places)
        if frames:
            lines.append("Traceback (most recent call last):")
            lines.extend(frames)
        lines.extend(_exception_only(item, places))
        if item_link:
            lines.extend(["", item_link, ""])
    if len(lines) > _MAX_TRACEBACK_LINES:
        half = _MAX_TRACEBACK_LINES // 2
        cut = len(lines) - 2 * half
        lines = [*lines[:half], f"  ... {cut} lines omitted ...", *lines[-half:]]
    text = "\n".join(lines)
    if len(text) > _MAX_ERROR_TEXT:
        half = _MAX_ERROR_TEXT // 2
        text = f"{text[:half]}\n  ... (shortened) ...\n{text[-half:]}"
    return text


def _safe_str(exc: BaseException) -> str:
    try:
        return _strip_ansi(str(exc))
    except Exception:
        return f"<{type(exc).__name__} message could not be shown>"


_last_places: _Places | None = None  # the cells of the latest run, for code called later
_previous_formatwarning: Any = None


def format_traceback(exc: BaseException) -> str:
    """Format an exception from the notebook's code the way cell errors are formatted.

    For the worker, when a function the notebook defined raises while a hidden test calls it:
    plain text, the student's frames only, as "Cell N, line L".
    """
    return _format_traceback(exc, _last_places or _Places(os.getcwd()))


def _format_warning(message: Any, category: Any, filename: Any, lineno: Any, line: Any = None):
    """A warning raised in a cell says "Cell 3, line 2", not IPython's cache file name."""
    places = _last_places
    label = places.label(str(filename), lineno) if places is not None else None
    if label is None or places is None:
        return _previous_formatwarning(message, category, filename, lineno, line)
    if line is None:
        line = places.source_line(str(filename), lineno, None)
    text = f"{label}: {category.__name__}: {message}\n"
    return text + (f"  {line.strip()}\n" if line and line.strip() else "")


def _install_warning_format() -> None:
    """Stays installed after the run: the notebook's functions warn during the calls too."""
    global _previous_formatwarning
    if warnings.formatwarning is not _format_warning:
        _previous_formatwarning = warnings.formatwarning
        warnings.formatwarning = _format_warning


# --------------------------------------------------------------------------------------------
# Soft failures: google.colab, package installs, input()
# --------------------------------------------------------------------------------------------

_state: _Run | None = None  # the run in progress, for the stubs below


def _note(text: str) -> None:
    run = _state
    if run is not None:
        run.notes.add(f"cell {run.outputs.cell}: {text}" if run.outputs.cell else text)


class _ColabStub:
    """Anything reached from ``google.colab``: calling it does nothing and leaves a note."""

    _returns = {"files.upload": {}, "userdata.get": ""}

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):  # dunders, and IPython's _repr_*_ probes
            raise AttributeError(attr)
        return _ColabStub(f"{self._name}.{attr}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _note(f"google.colab is not available in the grader; {self._name} skipped")
        value = self._returns.get(self._name)
        return type(value)() if value is not None else None

    def __repr__(self) -> str:
        return f"<google.colab stub {self._name}>"


class _ColabModule(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        prefix = self.__name__[len("google.colab") :].lstrip(".")
        return _ColabStub(f"{prefix}.{attr}" if prefix else attr)


class _ColabFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``google.colab`` (and its submodules) as stubs while a notebook runs."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "google.colab" or fullname.startswith("google.colab."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        if fullname == "google" and importlib.machinery.PathFinder.find_spec("google") is None:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        self.made.append(spec.name)
        if spec.name == "google":
            return types.ModuleType("google")
        return _ColabModule(spec.name, "Stand-in for google.colab: its functions do nothing here.")

    def exec_module(self, module: types.ModuleType) -> None:
        pass

    def remove(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        for name in self.made:
            module = sys.modules.get(name)
            spec = getattr(module, "__spec__", None)
            if spec is not None and getattr(spec, "loader", None) is self:
                del sys.modules[name]
        parent = sys.modules.get("google")
        if parent is not None and isinstance(getattr(parent, "colab", None), _ColabModule):
            with contextlib.suppress(AttributeError):
                delattr(parent, "colab")


_PIP = re.compile(r"pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?$")
_SEGMENTS = re.compile(r"&&|\|\||[;|\n]")


def _is_install(command: str) -> bool:
    """Does a shell line install packages (pip, conda, mamba, uv, apt)?"""
    for segment in _SEGMENTS.split(command):
        try:
            words = shlex.split(segment)
        except ValueError:
            words = segment.split()
        while words and (words[0] == "sudo" or ("=" in words[0] and words[0][0] != "-")):
            words = words[1:]
        if not words:
            continue
        prog = os.path.basename(words[0])
        args = words[1:]
        if _PYTHON.match(prog) and "-m" in args:
            i = args.index("-m")
            if i + 1 < len(args) and args[i + 1] == "pip":
                prog, args = "pip", args[i + 2 :]
        if prog == "uv" and args[:1] == ["pip"]:
            prog, args = "pip", args[1:]
        subcommands = [a for a in args if not a.startswith("-")]
        if _PIP.match(prog) and subcommands[:1] in (["install"], ["uninstall"], ["download"]):
            return True
        if prog in ("conda", "mamba", "micromamba") and subcommands[:1] in (
            ["install"],
            ["create"],
            ["update"],
            ["upgrade"],
            ["remove"],
        ):
            return True
        if prog == "uv" and subcommands[:1] in (["add"], ["sync"]):
            return True
        if prog in ("apt", "apt-get") and "install" in subcommands:
            return True
    return False


def _installs_disabled(what: str) -> None:
    print(f"[{INSTALLS_DISABLED}: {what} skipped]")
    _note(f"{INSTALLS_DISABLED} ({what} skipped)")


def _install_magic(name: str) -> Any:
    def magic(line: str) -> None:
        _installs_disabled(f"%{name} {line}".strip())

    return magic


def _no_input(prompt: Any = "") -> str:
    if prompt:
        print(prompt, end="")
    raise EOFError(
        "input() cannot be answered while the grader runs your notebook; "
        "set the value in the code instead"
    )


def _no_getpass(prompt: str = "Password: ", stream: Any = None) -> str:
    raise EOFError(
        "getpass() cannot be answered while the grader runs your notebook; "
        "set the value in the code instead"
    )


# --------------------------------------------------------------------------------------------
# The IPython shell
# --------------------------------------------------------------------------------------------


@functools.cache
def _ipython_dir() -> str:
    """One scratch IPython directory per process, so nothing is written under ``~``."""
    import atexit
    import shutil

    configured = os.environ.get("IPYTHONDIR")
    if configured:
        # The grader's worker names one inside its scratch folder, wiped with it.
        os.makedirs(configured, exist_ok=True)
        return configured
    path = tempfile.mkdtemp(prefix="grader-ipython-")
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def _profile_dir() -> Any:
    from IPython.core.profiledir import ProfileDir

    return ProfileDir.create_profile_dir_by_name(_ipython_dir(), "default")


@functools.cache
def _ipython_classes() -> types.SimpleNamespace:
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class GraderDisplayPublisher(DisplayPublisher):
        def publish(  # type: ignore[override]
            self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs
        ):
            self.shell._grader_outputs.display(data, metadata, transient, update)

        def clear_output(self, wait=False):
            self.shell._grader_outputs.clear(wait)

    class GraderDisplayHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self.shell._grader_outputs.execute_result(format_dict, md_dict)

        def log_output(self, format_dict):
            pass

        def finish_displayhook(self):
            self._is_active = False

    class GraderShell(InteractiveShell):
        """An InteractiveShell whose outputs, errors and side doors go to the grader."""

        display_pub_class = GraderDisplayPublisher
        displayhook_class = GraderDisplayHook

        def __init__(self, *args, **kwargs):
            self._grader_outputs = kwargs.pop("grader_outputs")
            self._grader_shown: list[BaseException] = []
            self._grader_exit_code: int | None = None
            super().__init__(*args, **kwargs)

        # -- quieter, cheaper set-up --------------------------------------------------------
        def init_virtualenv(self):
            pass

        def init_completer(self):
            self.Completer = None

        @contextlib.contextmanager
        def _tee(self, channel):  # IPython 9 keeps every output in memory for %history
            yield

        def _format_exception_for_storage(self, exception, *args, **kwargs):
            return {
                "ename": type(exception).__name__,
                "evalue": _safe_str(exception),
                "traceback": [],
            }

        # -- errors are recorded, the grader formats them ----------------------------------
        def _record(self, exc_tuple=None):
            try:
                value = self._get_exc_info(exc_tuple)[1]
            except ValueError:
                return
            if value is not None and not any(value is seen for seen in self._grader_shown):
                self._grader_shown.append(value)

        def showtraceback(
            self,
            exc_tuple=None,
            filename=None,
            tb_offset=None,
            exception_only=False,
            running_compiled_code=False,
        ):
            self._record(exc_tuple)

        def showsyntaxerror(self, filename=None, running_compiled_code=False):
            self._record()

        def showindentationerror(self):
            self._record()

        def show_usage_error(self, exc):
            if not any(exc is seen for seen in self._grader_shown):
                self._grader_shown.append(exc)

        # -- matplotlib: always inline -----------------------------------------------------
        def enable_gui(self, gui=None):
            pass

        def enable_matplotlib(self, gui=None):
            if gui not in (None, "auto", "inline", "agg"):
                _note(
                    f"matplotlib backend {gui!r} is not available in the grader; "
                    "figures are shown inline"
                )
            _use_inline(self)
            return "inline", INLINE_BACKEND

        def ask_exit(self):
            _note("exit() does not stop the grader; the remaining cells still ran")

        # -- shell commands ----------------------------------------------------------------
        def system_piped(self, cmd):
            cmd = self.var_expand(cmd, depth=1)
            if _is_install(cmd):
                _installs_disabled(f"!{cmd.strip()}")
                self.user_ns["_exit_code"] = self._grader_exit_code = 0
                return
            self.user_ns["_exit_code"] = self._grader_exit_code = _run_shell(cmd)

        system = system_piped
        system_raw = system_piped

        def getoutput(self, cmd, split=True, depth=0):
            expanded = self.var_expand(cmd, depth=depth + 1)
            if _is_install(expanded):
                _installs_disabled(f"!{expanded.strip()}")
                return super().getoutput("true", split=split)
            return super().getoutput(cmd, split=split, depth=depth + 1)

    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.warn_venv = False

    return types.SimpleNamespace(
        Shell=GraderShell, InteractiveShell=InteractiveShell, config=config, UsageError=UsageError
    )


def _shell_executable() -> str | None:
    for candidate in ("/bin/bash", "/usr/bin/bash"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _run_shell(cmd: str) -> int:
    """``!cmd``: run it in a shell, its output (stdout and stderr merged, as in Jupyter) into
    the cell's stdout.  A failure says so; the per-cell timeout ends the process group."""
    if cmd.rstrip().endswith("&"):
        print("[background shell commands are not supported in the grader]", file=sys.stderr)
        return 1
    try:
        proc = subprocess.Popen(
            cmd,
            shell=True,
            executable=_shell_executable(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        print(f"[shell command could not start: {exc}]", file=sys.stderr)
        return 127
    try:
        assert proc.stdout is not None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        while True:
            chunk = proc.stdout.read1(65536)  # type: ignore[attr-defined]
            text = decoder.decode(chunk, final=not chunk)
            if text:
                sys.stdout.write(text)
            if not chunk:
                break
        code = proc.wait()
    finally:
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    if code != 0:
        status = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        print(f"[shell command `{cmd.strip()}` {status}]", file=sys.stderr)
    return code


def _prepare_matplotlib(shell: Any, run: _Run) -> None:
    """Inline figures, as in Jupyter, without importing matplotlib for notebooks that never
    plot: if it is not imported yet, ``MPLBACKEND`` picks the inline backend when it is (and
    the backend module then configures the shell itself)."""
    if "matplotlib" not in sys.modules:
        run.set_env("MPLBACKEND", INLINE_BACKEND)
        return
    try:
        _use_inline(shell)
    except Exception as exc:  # plotting trouble must not stop the run
        _note(f"inline figures could not be set up ({type(exc).__name__}: {exc})")


def _use_inline(shell: Any) -> None:
    """Switch matplotlib to the inline backend for ``shell``.

    Does what ``InteractiveShell.enable_matplotlib("inline")`` does, minus the backend-name
    resolution that scans every installed package's entry points (tens of milliseconds).
    """
    import matplotlib
    from matplotlib_inline import backend_inline

    # A previous run in this process left the inline backend configured for its own shell.
    with contextlib.suppress(AttributeError):
        del backend_inline.configure_inline_support.current_backend  # type: ignore[attr-defined]
    backend_inline.show._to_draw = []  # type: ignore[attr-defined]
    backend_inline.show._draw_called = False  # type: ignore[attr-defined]
    if "matplotlib.pyplot" in sys.modules:
        from IPython.core.pylabtools import activate_matplotlib

        sys.modules["matplotlib.pyplot"].close("all")
        activate_matplotlib(INLINE_BACKEND)
    else:  # pyplot, when imported, loads the backend named here
        matplotlib.interactive(True)
        matplotlib.rcParams["backend"] = INLINE_BACKEND
    backend_inline.configure_inline_support(shell, INLINE_BACKEND)


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


class _Timer:
    """Per-cell wall-clock limit with SIGALRM.

    After the first alarm it keeps firing every second, but raises again only while a
    student frame is on the stack: a bare ``except:`` cannot keep the cell alive, and the
    grader's own code after the cell is never interrupted.
    """

    def __init__(self, seconds: float, places: _Places) -> None:
        self.seconds = seconds
        self.places = places
        self.armed = False
        self.fired = False
        self.cell = 0

    def arm(self, cell: int) -> None:
        self.cell, self.fired, self.armed = cell, False, True
        signal.signal(signal.SIGALRM, self.on_alarm)  # again: a cell may have replaced it
        signal.setitimer(signal.ITIMER_REAL, self.seconds, min(1.0, self.seconds))

    def disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def message(self) -> str:
        return f"cell {self.cell} ran past its {self.seconds:g} s limit"

    def on_alarm(self, signum: int, frame: types.FrameType | None) -> None:
        if not self.armed:
            return
        if self.fired and not self._student_running(frame):
            return
        self.fired = True
        raise CellTimeoutError(self.message())

    def _student_running(self, frame: types.FrameType | None) -> bool:
        while frame is not None:
            if self.places.is_student(frame.f_code.co_filename):
                return True
            frame = frame.f_back
        return False


class _Run:
    def __init__(self, path: str, cell_timeout: float | None, max_output_bytes: int) -> None:
        self.path = path
        self.folder = os.path.dirname(path)
        self.name = os.path.basename(path)
        self.notes = _Notes()
        self.outputs = _Outputs(max_output_bytes, self.notes)
        self.places = _Places(self.folder)
        self.errors: list[CellError] = []
        self.timer: _Timer | None = None
        if cell_timeout is not None and 0 < cell_timeout < 1e9:
            self.timer = _Timer(float(cell_timeout), self.places)
        self.saved_env: dict[str, str | None] = {}
        self.stdout = _CellStream("stdout", self.outputs)
        self.stderr = _CellStream("stderr", self.outputs)

    # -- process state -------------------------------------------------------------------

    def set_env(self, key: str, value: str) -> None:
        """Set an environment variable for the run; ``process_state`` puts it back."""
        self.saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    @contextlib.contextmanager
    def process_state(self):
        """Set up what the notebook sees, and put back everything afterwards."""
        import getpass

        saved_sys = {
            name: getattr(sys, name, _MISSING)
            for name in (
                "stdin",
                "stdout",
                "stderr",
                "displayhook",
                "excepthook",
                "argv",
                "ps1",
                "ps2",
                "ps3",
            )
        }
        saved_path = list(sys.path)
        saved_main = sys.modules.get("__main__")
        saved_cwd = os.getcwd()
        saved_input, saved_getpass = builtins.input, getpass.getpass
        colab = _ColabFinder()
        self.saved_env = {}
        old_handler = None
        old_timer = (0.0, 0.0)
        timer_installed = False
        exit_filter = None
        try:
            os.chdir(self.folder)
            if self.folder not in sys.path:
                sys.path.insert(0, self.folder)
            sys.argv = [self.path]
            sys.stdin = io.StringIO()
            builtins.input = _no_input
            getpass.getpass = _no_getpass
            sys.meta_path.insert(0, colab)
            # IPython warns "To exit: use 'exit', ..." after sys.exit(): noise in a notebook.
            warnings.filterwarnings("ignore", message="To exit: use", category=UserWarning)
            exit_filter = warnings.filters[0]
            _install_warning_format()
            for name in [n for n in sys.modules if n.split(".")[:2] == ["google", "colab"]]:
                del sys.modules[name]
            if self.timer is not None:
                if threading.current_thread() is threading.main_thread():
                    old_timer = signal.setitimer(signal.ITIMER_REAL, 0)
                    old_handler = signal.signal(signal.SIGALRM, self.timer.on_alarm)
                    timer_installed = True
                else:
                    self.notes.add(
                        "the per-cell time limit was not applied (not run in the main thread)"
                    )
                    self.timer = None
            for key, value in _RUN_ENV.items():
                self.set_env(key, value)
            yield
        finally:
            if timer_installed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old_handler)
                if old_timer[0] > 0:
                    signal.setitimer(signal.ITIMER_REAL, old_timer[0], old_timer[1])
            colab.remove()
            if exit_filter in warnings.filters:
                warnings.filters.remove(exit_filter)
                getattr(warnings, "_filters_mutated", lambda: None)()
            getpass.getpass = saved_getpass
            builtins.input = saved_input
            for name, value in saved_sys.items():
                if value is _MISSING:
                    with contextlib.suppress(AttributeError):
                        delattr(sys, name)
                else:
                    setattr(sys, name, value)
            sys.path[:] = saved_path
            if saved_main is not None:
                sys.modules["__main__"] = saved_main
            with contextlib.suppress(OSError):
                os.chdir(saved_cwd)
            for key, value in self.saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    # -- cells ---------------------------------------------------------------------------

    def run_cell(self, shell: Any, number: int, source: str, cell_id: Any) -> list[dict]:
        self.outputs.begin(number)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        shell.execution_count = number
        shell._grader_shown = []
        escaped: BaseException | None = None
        result = None
        timer = self.timer
        try:
            if timer is not None:
                timer.arm(number)
            try:
                if not isinstance(cell_id, str):
                    cell_id = None
                result = shell.run_cell(source, store_history=True, cell_id=cell_id)
            finally:
                if timer is not None:
                    timer.disarm()
        except BaseException as exc:  # a timeout or an error that got past IPython
            escaped = exc
        if timer is not None:
            timer.disarm()

        errors = list(shell._grader_shown)
        for found in (
            getattr(result, "error_before_exec", None),
            getattr(result, "error_in_exec", None),
            escaped,
        ):
            if found is not None and not any(found is seen for seen in errors):
                errors.append(found)
        if timer is not None and timer.fired and not any(
            isinstance(e, CellTimeoutError) for e in errors
        ):
            errors.append(CellTimeoutError(timer.message()))  # swallowed by the student's code
        for error in errors:
            self._record_error(number, error)
        return self.outputs.finish()

    def _record_error(self, number: int, exc: BaseException) -> None:
        classes = _ipython_classes()
        ename = type(exc).__name__
        evalue = _safe_str(exc)
        if isinstance(exc, classes.UsageError):
            text = f"UsageError: {evalue}"
        else:
            text = _format_traceback(exc, self.places)
        self.errors.append(CellError(cell=number, ename=ename, evalue=evalue, traceback=text))
        self.outputs.error(ename, evalue, text.splitlines())


def _new_shell(run: _Run) -> tuple[Any, Any]:
    classes = _ipython_classes()
    base = classes.InteractiveShell
    previous = base._instance if base.initialized() else None
    shell = classes.Shell(
        config=classes.config,
        ipython_dir=_ipython_dir(),
        profile_dir=_profile_dir(),
        user_ns={"__name__": "__main__"},
        grader_outputs=run.outputs,
    )
    import atexit

    atexit.unregister(shell.atexit_operations)
    # display() and get_ipython() look for the singleton; point them at this shell.
    classes.Shell._instance = shell
    base._instance = shell
    for name in ("pip", "conda", "mamba", "micromamba", "uv"):
        shell.register_magic_function(_install_magic(name), "line", name)
    orig_cache = shell.compile.cache

    def cache(transformed_code, number=0, raw_code=None):
        name = orig_cache(transformed_code, number, raw_code)
        run.places.add_cell(name, run.outputs.cell, raw_code, transformed_code)
        return name

    shell.compile.cache = cache
    return shell, previous


def _release_shell(shell: Any, previous: Any) -> None:
    """Leave this shell as the singleton (so ``display()`` in student functions keeps working
    when the worker calls them), unless it displaced somebody else's shell."""
    classes = _ipython_classes()
    if previous is not None and not isinstance(previous, classes.Shell):
        classes.Shell._instance = None
        classes.InteractiveShell._instance = previous


_UNDERSCORE = re.compile(r"_i{0,3}$|_i?\d+$|_{2,3}$")


def _strip_ipython_names(shell: Any) -> dict:
    """The namespace as the student's code left it, without IPython's bookkeeping names."""
    ns = shell.user_ns
    hidden = shell.user_ns_hidden
    for key in list(ns):
        if key in hidden and ns[key] is hidden[key] and key not in ("__name__", "__builtins__"):
            del ns[key]
    if ns.get("__builtin__") is builtins:
        del ns["__builtin__"]
    code = getattr(shell, "_grader_exit_code", None)
    if code is not None and ns.get("_exit_code") is code:
        del ns["_exit_code"]
    out_cache = getattr(shell.history_manager, "output_hist", {})
    inputs = getattr(shell.history_manager, "input_hist_raw", [])
    hm = shell.history_manager
    dh = shell.displayhook
    for key in [k for k in ns if _UNDERSCORE.match(k)]:
        value = ns[key]
        owned = False
        if key in ("_", "__", "___"):
            owned = value is getattr(dh, key, object())
        elif key in ("_i", "_ii", "_iii"):
            owned = value == getattr(hm, key, object())
        elif key.startswith("_i"):
            idx = int(key[2:])
            owned = idx < len(inputs) and value == inputs[idx]
        else:
            idx = int(key[1:])
            owned = out_cache.get(idx, object()) is value
        if owned:
            del ns[key]
    return ns


def run_notebook(
    path: str, *, cell_timeout: float | None = 30.0, max_output_bytes: int = 64_000
) -> NotebookRun:
    """Execute the notebook at ``path`` top to bottom in this process.

    Raises :class:`NotebookError` when the file is not a notebook we can run (the message
    names the file and says what to do); anything that goes wrong inside a cell is recorded
    in the result instead, and the remaining cells still run.
    """
    global _state, _last_places
    path = os.path.abspath(os.fspath(path))
    nb = _load_notebook(path)
    run = _Run(path, cell_timeout, max_output_bytes)
    _last_places = run.places
    schema_note = _schema_note(nb, run.name)
    if schema_note:
        run.notes.add(schema_note)
    cells_out: list[dict] = []
    _state = run
    try:
        with run.process_state():
            shell, previous = _new_shell(run)
            try:
                _prepare_matplotlib(shell, run)
                number = 0
                for cell in nb.cells:
                    if not isinstance(cell, dict):
                        continue
                    if cell.get("cell_type") != "code":
                        cells_out.append(_plain(cell))
                        continue
                    number += 1
                    outputs = run.run_cell(shell, number, cell.get("source", ""), cell.get("id"))
                    out = {k: _plain(v) for k, v in cell.items() if k != "outputs"}
                    out["execution_count"] = number
                    out["outputs"] = outputs
                    out.setdefault("metadata", {})
                    cells_out.append(out)
            finally:
                _release_shell(shell, previous)
        namespace = _strip_ipython_names(shell)
    finally:
        _state = None
    notebook = {
        "nbformat": 4,
        "nbformat_minor": nb.get("nbformat_minor", 5),
        "metadata": _plain(nb.get("metadata", {})),
        "cells": cells_out,
    }
    return NotebookRun(
        namespace=namespace, notebook=notebook, errors=run.errors, notes=list(run.notes.items)
    )


def _plain(value: Any) -> Any:
    """NotebookNode -> plain dicts and lists (JSON-able)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
