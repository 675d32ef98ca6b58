"""The executed notebook, read into plain cells a template can show.

The notebook JSON was produced by running student code, so it is hostile input: any field
may be missing, of the wrong type, or huge. Reading never raises; what cannot be shown
becomes a short note. HTML, SVG and JavaScript outputs are shown as their text fallback,
never as markup, and PNG images only when the data really is base64.
nbconvert is not used: it would pull in a large stack to show what a few lines can.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from grader.report.text import terminal_text

IMAGE_LIMIT = 2_000_000
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


@dataclass
class OutputView:
    """One cell output: ``kind`` is stream, text, error, image or note."""

    kind: str
    text: str = ""
    name: str = ""
    image: str | None = None


@dataclass
class CellView:
    """One cell: its kind, source and (for code cells) execution count and outputs."""

    kind: str
    source: str
    execution_count: int | None = None
    outputs: list[OutputView] = field(default_factory=list)


@dataclass
class NotebookView:
    """The cells to show, or why the notebook could not be read."""

    cells: list[CellView] = field(default_factory=list)
    error: str = ""


def _text(value: Any) -> str:
    """nbformat stores multi-line strings as a string or a list of strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return ""


def _png(value: Any) -> str | None:
    data = re.sub(r"\s+", "", _text(value))
    if not data or len(data) > IMAGE_LIMIT or not _BASE64.fullmatch(data):
        return None
    return f"data:image/png;base64,{data}"


def _output(raw: Any) -> OutputView:
    if not isinstance(raw, dict):
        return OutputView(kind="note", text="(an output that is not a JSON object)")
    kind = raw.get("output_type")
    if kind == "stream":
        name = raw.get("name") if raw.get("name") in ("stdout", "stderr") else "stdout"
        return OutputView(kind="stream", name=str(name), text=terminal_text(_text(raw.get("text"))))
    if kind == "error":
        traceback = raw.get("traceback")
        if not isinstance(traceback, list):
            traceback = []
        lines = [line for line in traceback if isinstance(line, str)]
        heading = f"{_text(raw.get('ename'))}: {_text(raw.get('evalue'))}"
        return OutputView(kind="error", text=terminal_text("\n".join(lines) or heading))
    if kind in ("execute_result", "display_data"):
        data = raw.get("data")
        if not isinstance(data, dict):
            data = {}
        image = _png(data.get("image/png"))
        if image:
            return OutputView(kind="image", image=image)
        if "text/plain" in data:
            return OutputView(kind="text", text=terminal_text(_text(data["text/plain"])))
        shown = ", ".join(sorted(str(key) for key in data)) or "nothing"
        return OutputView(kind="note", text=f"(output of type {shown} not shown)")
    return OutputView(kind="note", text=f"(unknown output type {str(kind)[:40]!r})")


def _cell(raw: Any) -> CellView:
    if not isinstance(raw, dict):
        return CellView(kind="raw", source="(a cell that is not a JSON object)")
    kind = raw.get("cell_type")
    kind = kind if kind in ("code", "markdown", "raw") else "raw"
    source = terminal_text(_text(raw.get("source")))
    if kind != "code":
        return CellView(kind=kind, source=source)
    count = raw.get("execution_count")
    outputs = raw.get("outputs")
    if not isinstance(outputs, list):
        outputs = []
    return CellView(
        kind="code",
        source=source,
        execution_count=count if isinstance(count, int) else None,
        outputs=[_output(output) for output in outputs],
    )


def read_notebook(text: str) -> NotebookView:
    """The cells of an nbformat v4 notebook given as JSON text; never raises."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        return NotebookView(error=f"the executed notebook is not valid JSON ({error})")
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        return NotebookView(error="the executed notebook has no list of cells")
    if document.get("nbformat") != 4:
        return NotebookView(
            error=f"the executed notebook is nbformat {document.get('nbformat')!r}, not 4"
        )
    return NotebookView(cells=[_cell(cell) for cell in document["cells"]])
