"""Tracebacks and warnings that name the student's cells ("Cell 3, line 2"), not IPython's."""

from __future__ import annotations

import linecache
import os
import traceback
import types
import warnings
from typing import Any

from .outputs import strip_ansi
from .records import CellTimeoutError
from .state import current

_MAX_TRACEBACK_LINES = 120
_MAX_ERROR_TEXT = 8_000
# Frames of this package are the grader's, never the student's: they are left out.
_PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")


class Places:
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


def _format_frames(tb: types.TracebackType | None, places: Places) -> list[str]:
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
        if filename.startswith(_PACKAGE):
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


def _exception_only(exc: BaseException, places: Places) -> list[str]:
    if isinstance(exc, CellTimeoutError):
        return [f"CellTimeoutError: {safe_str(exc)}"]
    try:
        text = "".join(traceback.format_exception_only(type(exc), exc))
    except Exception:
        text = f"{type(exc).__name__}: <exception message could not be shown>\n"
    if isinstance(exc, SyntaxError):
        for filename, cell in places.cells.items():
            if filename in text:
                text = text.replace(f'File "{filename}", line', f"Cell {cell}, line")
    return strip_ansi(text).rstrip("\n").splitlines()


def format_cell_traceback(exc: BaseException, places: Places) -> str:
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


def safe_str(exc: BaseException) -> str:
    try:
        return strip_ansi(str(exc))
    except Exception:
        return f"<{type(exc).__name__} message could not be shown>"


_previous_formatwarning: Any = None


def format_traceback(exc: BaseException) -> str:
    """Format an exception from the notebook's code the way cell errors are formatted.

    For the worker, when a function the notebook defined raises while a hidden test calls it:
    plain text, the student's frames only, as "Cell N, line L".
    """
    return format_cell_traceback(exc, current().places or Places(os.getcwd()))


def _format_warning(message: Any, category: Any, filename: Any, lineno: Any, line: Any = None):
    """A warning raised in a cell says "Cell 3, line 2", not IPython's cache file name."""
    places = current().places
    label = places.label(str(filename), lineno) if places is not None else None
    if label is None or places is None:
        return _previous_formatwarning(message, category, filename, lineno, line)
    if line is None:
        line = places.source_line(str(filename), lineno, None)
    text = f"{label}: {category.__name__}: {message}\n"
    return text + (f"  {line.strip()}\n" if line and line.strip() else "")


def install_warning_format() -> None:
    """Stays installed after the run: the notebook's functions warn during the calls too."""
    global _previous_formatwarning
    if warnings.formatwarning is not _format_warning:
        _previous_formatwarning = warnings.formatwarning
        warnings.formatwarning = _format_warning

