"""A notebook's JSON as the trusted side reads it: depth bounded, cells of any shape.

Discovery reads a notebook only to learn which assignments it serves (the names its code
cells define); it never runs it. The file is the student's, so its JSON may nest 100,000
deep, hold a number where a line of source belongs, or repeat ``softmax:`` for megabytes:
each of these is bounded here (depth, types, a name finder linear in the text).
"""

from __future__ import annotations

import json
import re

from .errors import InvalidNotebookError, NotebookTooDeepError


def defined_names(source: str, names: set[str]) -> set[str]:
    r"""Which of ``names`` a line of ``source`` starts defining (``def``, ``class``, ``=``).

    One pass for all the names: the search goes on from each find without the names found
    so far, and stops once each is found. Every part of the pattern
    stays on its line (``[ \t]``, ``[^=\n]``), so an attempt, which starts only at a line's
    beginning, ends at that line's end: the search is linear in the text. (``\s`` and
    ``[^=]`` ran to the end of the text from every line: a notebook of ``softmax:`` lines
    took quadratic time.)
    """
    found: set[str] = set()
    position = 0
    while names - found:
        alternatives = "|".join(re.escape(n) for n in sorted(names - found, key=len,
                                                               reverse=True))
        pattern = re.compile(rf"^(?:(?:def|class)[ \t]+({alternatives})\b|({alternatives})"
                             rf"[ \t]*(?::[^=\n]*)?=)", flags=re.MULTILINE)
        match = pattern.search(source, position)
        if match is None:
            break
        found.add(match.group(1) or match.group(2))
        position = match.end()
    return found


MAX_NOTEBOOK_DEPTH = 64
"""JSON nesting a notebook may have; nbformat needs about 8, output bundles a few more."""


def load_notebook(data: bytes) -> dict[str, object]:
    """A notebook's JSON, parsed with its depth bounded (size is bounded by discovery).

    Raises:
        InvalidNotebookError: not JSON or not an object.
        NotebookTooDeepError: nested deeper than MAX_NOTEBOOK_DEPTH.
    """
    try:
        notebook = json.loads(data.decode("utf-8", errors="replace"))
    except RecursionError as error:
        raise NotebookTooDeepError(f"nested deeper than {MAX_NOTEBOOK_DEPTH} levels") from error
    except ValueError as error:
        raise InvalidNotebookError(f"not JSON ({error})") from error
    if not _shallow(notebook, MAX_NOTEBOOK_DEPTH):
        raise NotebookTooDeepError(f"nested deeper than {MAX_NOTEBOOK_DEPTH} levels")
    if not isinstance(notebook, dict):
        raise InvalidNotebookError("not a JSON object")
    return notebook


def _shallow(value: object, limit: int) -> bool:
    """Whether ``value`` nests at most ``limit`` containers deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children
                         if isinstance(child, dict | list))
    return True


def notebook_source(data: bytes) -> str:
    """The code cells of a notebook's bytes as one text; '' when it is not notebook JSON.

    A cell's ``source`` may be anything the student wrote into the file: only its strings
    count.
    """
    try:
        return code_of(load_notebook(data))
    except InvalidNotebookError:
        return ""


def code_of(notebook: dict[str, object]) -> str:
    """The code cells of a parsed notebook as one text; only the strings of a ``source``."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        return ""
    parts = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                parts.append("".join(line for line in source if isinstance(line, str)))
            elif isinstance(source, str):
                parts.append(source)
    return "\n".join(parts)
