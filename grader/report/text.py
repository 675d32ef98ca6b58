"""Turning terminal text (colours, progress bars) into what a web page can show.

Tracebacks from IPython and Keras' progress bars are written for a terminal: ANSI colour
codes and carriage returns that redraw a line. In a page they are noise, so they are
removed, keeping what the terminal would finally have shown. Escaping is not done here:
the templates autoescape everything.
"""

from __future__ import annotations

import re

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TEXT_LIMIT = 50_000


def strip_ansi(text: str) -> str:
    """``text`` without ANSI escape sequences."""
    return _ANSI.sub("", text)


def terminal_text(text: str, *, limit: int = TEXT_LIMIT) -> str:
    """What a terminal would show for ``text``, at most ``limit`` characters.

    Each line keeps what follows its last carriage return (a redrawn progress bar shows
    its final state); backspaces and other control characters are dropped.
    """
    text = strip_ansi(text).replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            parts = [part for part in line.split("\r") if part]
            line = parts[-1] if parts else ""
        lines.append(_CONTROL.sub("", line))
    text = "\n".join(lines)
    if len(text) > limit:
        dropped = len(text) - limit
        text = f"{text[:limit]}\n… ({dropped} more characters not shown)"
    return text


def first_line(text: str, *, limit: int = 200) -> str:
    """The first non-empty line of ``text``, shortened to ``limit`` characters."""
    for line in strip_ansi(text).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""
