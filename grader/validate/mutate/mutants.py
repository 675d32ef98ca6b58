"""Automatic mutants of a solution file: the operators' edits applied, named, deduplicated.

A mutant's id is ``operator:line:hash``: the operator, the line it changes and the first
hex digits of a hash of the changed line before and after. It stays the same while that
line and the lines above it stay, so an instructor's mark (``equivalent.py``) keeps
pointing at the same mutant across edits elsewhere in the file.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
from dataclasses import dataclass

from .operators import Edit, edits


@dataclass(frozen=True)
class Mutant:
    id: str
    operator: str
    line: int
    source: str
    """The whole mutated solution."""
    diff: str
    """The change, as a unified diff against the reference."""


def _offset(lines: list[str], line: int, column: int) -> int:
    """The character offset of ``ast``'s (line, UTF-8 byte column) in ``"".join(lines)``."""
    before = sum(len(text) for text in lines[:line - 1])
    return before + len(lines[line - 1].encode("utf-8")[:column].decode("utf-8"))


def _apply(source: str, lines: list[str], edit: Edit) -> str:
    node = edit.node
    start_line = node.lineno  # type: ignore[attr-defined]
    end_line = node.end_lineno  # type: ignore[attr-defined]
    if edit.whole_lines:
        first = lines[start_line - 1]
        indent = first[:len(first) - len(first.lstrip())]
        start = _offset(lines, start_line, 0)
        end = _offset(lines, end_line, len(lines[end_line - 1].rstrip("\r\n").encode()))
        return source[:start] + indent + edit.text + source[end:]
    start = _offset(lines, start_line, node.col_offset)  # type: ignore[attr-defined]
    end = _offset(lines, end_line, node.end_col_offset)  # type: ignore[attr-defined]
    return source[:start] + edit.text + source[end:]


def _changed_line(original: list[str], mutated: list[str]) -> tuple[int, str, str]:
    """(line number, old line, new line) of the first line the mutation changed."""
    for number, (old, new) in enumerate(zip(original, mutated), 1):
        if old != new:
            return number, old, new
    # Only lines at the end went (a multi-line statement became ``pass``): the first of them.
    number = min(len(original), len(mutated)) + 1
    return number, (original[number - 1:] or [""])[0], (mutated[number - 1:] or [""])[0]


def make_mutants(source: str, filename: str = "solution.py") -> list[Mutant]:
    """Every mutant of ``source`` that still compiles and differs from it, once each."""
    tree = ast.parse(source, filename=filename)
    lines = source.splitlines(keepends=True)
    original = source.splitlines()
    seen = {source}
    mutants: list[Mutant] = []
    for edit in edits(tree):
        mutated = _apply(source, lines, edit)
        if mutated in seen:
            continue
        seen.add(mutated)
        try:
            ast.parse(mutated)
        except SyntaxError:
            continue
        new_lines = mutated.splitlines()
        line, old, new = _changed_line(original, new_lines)
        digest = hashlib.sha256(f"{old.strip()}\n{new.strip()}".encode()).hexdigest()[:8]
        mutant_id = f"{edit.operator}:{line}:{digest}"
        diff = "".join(difflib.unified_diff(
            [f"{text}\n" for text in original], [f"{text}\n" for text in new_lines],
            fromfile=filename, tofile=f"mutant {mutant_id}", n=0))
        mutants.append(Mutant(mutant_id, edit.operator, line, mutated, diff))
    return mutants
