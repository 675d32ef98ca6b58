"""``grade stub NAME``: the stub notebook, written from the stub script, its one source.

``assignments/<name>/<name>.py`` is written in the *percent* format (the one Jupytext, VS
Code and Spyder read as cells): a line ``# %%`` starts a code cell, ``# %% [markdown]`` a
markdown cell whose lines are comments (``# text``; a bare ``#`` is an empty line). Anything
after the marker (a title) is ignored; text before the first marker is a code cell, and a
script without markers is one code cell. The script stays a plain Python file: the grader
grades it, the student may submit it, and its comments change nothing.

``<name>.ipynb`` is that script cut into cells, nothing else (no outputs, no execution
counts, cell ids ``<name>-1``, ``<name>-2``, ...), so writing it twice gives the same
bytes. ``grade validate`` fails when the notebook no longer matches its script
(``stale``): a fix made to one would otherwise reach only half of the students.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..course import Course
from ..errors import ConfigError

_MARKER = re.compile(r"^# %%(?P<rest>.*)$")
_MARKDOWN = re.compile(r"^\s*\[markdown\]")


@dataclass(frozen=True)
class Cell:
    kind: str
    """``code`` or ``markdown``."""
    source: str


def _trimmed(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _markdown_line(line: str) -> str:
    if line.startswith("# "):
        return line[2:]
    return "" if line.strip() in ("", "#") else line.removeprefix("#")


def parse_percent(text: str) -> list[Cell]:
    """The cells of a percent-format script; empty cells are dropped."""
    cells: list[Cell] = []
    kind, lines = "code", []
    for line in text.splitlines():
        marker = _MARKER.match(line)
        if marker is None:
            lines.append(_markdown_line(line) if kind == "markdown" else line)
            continue
        if _trimmed([*lines]):
            cells.append(Cell(kind, _trimmed(lines)))
        kind = "markdown" if _MARKDOWN.match(marker.group("rest")) else "code"
        lines = []
    if _trimmed([*lines]):
        cells.append(Cell(kind, _trimmed(lines)))
    return cells


def notebook(cells: list[Cell], stem: str) -> dict[str, Any]:
    """An nbformat 4.5 notebook of ``cells``, as a student receives it (nothing run)."""
    built: list[dict[str, Any]] = []
    for number, cell in enumerate(cells, 1):
        entry: dict[str, Any] = {"cell_type": cell.kind, "id": f"{stem}-{number}",
                                 "metadata": {},
                                 "source": cell.source.splitlines(keepends=True)}
        if cell.kind == "code":
            entry.update(execution_count=None, outputs=[])
        built.append(entry)
    return {"cells": built,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def render(script: Path) -> str:
    """The notebook text ``script`` makes (what ``grade stub`` writes)."""
    text = script.read_text(encoding="utf-8")
    return json.dumps(notebook(parse_percent(text), script.stem), indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"


def _cells_of(path: Path) -> list[tuple[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list)
                 else c["source"]) for c in data["cells"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not a notebook ({error}); rewrite it with grade stub "
                          f"{path.stem}") from error


def stale(folder: Path, name: str) -> str:
    """Why ``<name>.ipynb`` does not match ``<name>.py``; empty when it does, or when there is
    no pair to compare (a course may hand out scripts only, or a notebook only). Cells are
    compared by kind and source: outputs or metadata a notebook editor adds are no difference."""
    script, book = folder / f"{name}.py", folder / f"{name}.ipynb"
    if not script.is_file() or not book.is_file():
        return ""
    want = [(c.kind, c.source) for c in parse_percent(script.read_text(encoding="utf-8"))]
    have = _cells_of(book)
    if have == want:
        return ""
    differ = next((i for i, (a, b) in enumerate(zip(have, want)) if a != b),
                  min(len(have), len(want)))
    return (f"{book.name} is stale: cell {differ + 1} differs from {script.name} "
            f"({len(have)} cells against {len(want)}): run grade stub {name}")


def main(*, assignment: str, course_dir: Path | None = None) -> Path:
    """Write ``assignments/<assignment>/<assignment>.ipynb`` from its stub script.

    Returns:
        The notebook's path.

    Raises:
        ConfigError: an unknown assignment, or one without ``<assignment>.py``.
    """
    course = Course.find(course_dir)
    (name,) = course.check_names([assignment])
    script = course.assignments_dir / name / f"{name}.py"
    if not script.is_file():
        raise ConfigError(f"{name}: {script} is missing; the notebook is written from it")
    target = script.with_suffix(".ipynb")
    target.write_text(render(script), encoding="utf-8")
    return target
