"""The code of one submission that serves one assignment, cut the same way from any file.

A script and a notebook are cut alike: the top-level definitions the assignment names
(``def softmax``, ``class EarlyStopping``) plus the top-level helpers and constants they use,
followed transitively, each kept as its own segment with the exact text the student wrote.
So a notebook copy of a script is compared like for like, and the demo cells, prints and
``if __name__ == "__main__":`` blocks around it, which differ between any two students, do
not dilute the match. When none of the names is defined at top level (a syntax error, a
missing function) the whole file is kept instead, so nothing handed in escapes comparison.

The bytes come from :meth:`StudentSubmission.files_for`, the one place that reads a
student's folder; nothing here opens a path inside it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..config import AssignmentConfig
from ..discover import StudentSubmission
from .scan import Scan, scan

MAX_SOURCE_CHARS = 200_000
"""A submission's code is cut here, all its files and cells together: no honest answer to
these assignments comes near it, and a huge one must not stall the comparison of the class."""

CODE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Segment:
    """One top-level definition (or a whole file), as the student wrote it."""

    origin: str
    """Where it came from, for the page: ``softmax.py, lines 5-20``."""
    source: str
    parsed: bool = True
    """False for a whole file or cell that is not valid Python."""
    first_line: int = 1
    """The line of its file (or cell) where ``source`` begins."""
    scan: Scan | None = None
    """What its syntax tree says, when the extractor has walked it already."""


@dataclass(frozen=True)
class Extract:
    """What of one student's submission is compared for one assignment."""

    student: str
    assignment: str
    segments: tuple[Segment, ...]
    own_attributes: frozenset[str] = frozenset()
    """Attribute names the code assigns (``self.wait = 0``): the student's own, renamable."""
    notes: tuple[str, ...] = ()


@dataclass
class _Cell:
    label: str
    source: str
    tree: ast.Module | None = None


@dataclass
class _Definition:
    node: ast.stmt
    cell: _Cell
    position: int
    first: int
    scan: Scan


def _strip_magics(source: str) -> str:
    """IPython ``%magic`` and ``!shell`` lines blanked, so the rest of a cell parses."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def notebook_cells(data: bytes) -> list[str]:
    """The code cells of notebook JSON, in order; none when it is not a notebook."""
    try:
        document = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError:
        return []
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return []
    out = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append("".join(map(str, source)) if isinstance(source, list) else str(source))
    return out


def _cells(files: dict[str, bytes]) -> tuple[list[_Cell], list[str]]:
    cells: list[_Cell] = []
    notes: list[str] = []
    budget = MAX_SOURCE_CHARS
    for name, data in sorted(files.items()):
        if not name.endswith(CODE_SUFFIXES):
            continue
        if name.endswith(".ipynb"):
            texts = [(f"{name}, cell {i + 1}", _strip_magics(text))
                     for i, text in enumerate(notebook_cells(data))]
        else:
            texts = [(name, data.decode("utf-8", errors="replace"))]
        for label, text in texts:
            if len(text) > budget:
                notes.append(f"{name} holds more than {MAX_SOURCE_CHARS} characters of code: "
                             f"only what comes before {label} ends is compared")
                cells.append(_Cell(label, text[:budget], _parse(text[:budget])))
                return cells, notes
            budget -= len(text)
            cells.append(_Cell(label, text, _parse(text)))
    return cells, notes


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def _first_line(node: ast.stmt) -> int:
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])


def _definitions(cells: list[_Cell]) -> dict[str, _Definition]:
    """Top-level name -> its last definition, as running the cells in order would leave it."""
    found: dict[str, _Definition] = {}
    position = 0
    for cell in cells:
        if cell.tree is None:
            continue
        lines = cell.source.split("\n")
        for node in cell.tree.body:
            position += 1
            names = _defined_names(node)
            if names:
                first = _first_line(node)
                definition = _Definition(node, cell, position, first, scan(node, lines, first))
                found.update(dict.fromkeys(names, definition))
    return found


def _needed(wanted: Iterable[str], definitions: dict[str, _Definition]) -> list[_Definition]:
    """The definitions of ``wanted`` and, transitively, of the top-level names they use."""
    seen: dict[int, _Definition] = {}
    todo = [name for name in wanted if name in definitions]
    while todo:
        definition = definitions[todo.pop()]
        if definition.position in seen:
            continue
        seen[definition.position] = definition
        todo.extend(name for name in definition.scan.uses if name in definitions)
    return [seen[key] for key in sorted(seen)]


def _segment(definition: _Definition) -> Segment:
    node, first = definition.node, definition.first
    last = node.end_lineno or node.lineno
    lines = definition.cell.source.split("\n")[first - 1:last]
    where = "line" if first == last else "lines"
    span = f"{first}" if first == last else f"{first}-{last}"
    return Segment(f"{definition.cell.label}, {where} {span}", "\n".join(lines),
                   first_line=first, scan=definition.scan)


def _whole(cell: _Cell) -> Segment:
    scanned = scan(cell.tree, cell.source.split("\n")) if cell.tree is not None else None
    return Segment(cell.label, cell.source, cell.tree is not None, scan=scanned)


def extract(submission: StudentSubmission, config: AssignmentConfig) -> Extract | None:
    """The code of ``submission`` that serves ``config``; None when it handed in no code."""
    # Only code is read: a saved model (jet_model.keras) can be large and is not compared.
    named = [f for f in submission.assignments.get(config.name, []) if f.endswith(CODE_SUFFIXES)]
    code = replace(submission, assignments={config.name: named})
    cells, notes = _cells(code.files_for(config.name))
    if not any(cell.source.strip() for cell in cells):
        return None
    definitions = _definitions(cells)
    needed = _needed(config.names, definitions)
    if needed:
        segments = tuple(_segment(d) for d in needed)
    else:
        notes.append(f"{', '.join(config.names)} not defined at top level: "
                     "the whole file is compared")
        segments = tuple(_whole(c) for c in cells if c.source.strip())
    own = frozenset().union(*(s.scan.attributes for s in segments if s.scan),
                            *(d.scan.attributes for d in definitions.values()))
    return Extract(submission.student, config.name, segments, own, tuple(notes))


def released_segments(files: Iterable[tuple[str, bytes]]) -> Iterator[Segment]:
    """Every piece of code in what students received: scripts, notebooks' code cells, and
    the fenced Python of READMEs, each whole (all of it is boilerplate)."""
    for name, data in files:
        if name.endswith(".py"):
            yield Segment(name, data.decode("utf-8", errors="replace"))
        elif name.endswith(".ipynb"):
            for i, text in enumerate(notebook_cells(data)):
                yield Segment(f"{name}, cell {i + 1}", _strip_magics(text))
        elif name.endswith(".md"):
            for i, block in enumerate(_fenced_python(data.decode("utf-8", errors="replace"))):
                yield Segment(f"{name}, code block {i + 1}", block)


def _fenced_python(markdown: str) -> Iterator[str]:
    block: list[str] | None = None
    for line in markdown.split("\n"):
        fence = line.strip()
        if block is None and fence.startswith("```") and fence[3:].strip() in ("python", "py"):
            block = []
        elif block is not None and fence.startswith("```"):
            yield "\n".join(block)
            block = None
        elif block is not None:
            block.append(line)
