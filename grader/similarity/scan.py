"""What one walk over a syntax tree tells both the extractor and the normaliser.

Walking a tree is the costly part of comparing a class (``ast.walk`` is pure Python), so each
top-level definition is walked once, for everything: the names it uses (to follow helpers),
the names and attributes it binds (the student's own, renamed freely), and where its
docstrings, bare strings and type annotations lie (dropped before comparing).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

Span = tuple[int, int, int, int]
"""(first line, first column, last line, end column) in characters, lines from 1."""


@dataclass(frozen=True)
class Scan:
    uses: frozenset[str]
    bound: frozenset[str]
    """Bare names the code assigns to (a builtin so rebound is the student's own name)."""
    attributes: frozenset[str]
    """Attribute names the code assigns (``self.wait = 0``)."""
    ignored: tuple[Span, ...]
    """Docstrings, bare string statements and annotations, lines counted from ``first``."""


def _column(line: str, byte_offset: int) -> int:
    """ast counts columns in UTF-8 bytes, the tokenizer in characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _span(node: ast.expr | ast.stmt, lines: list[str], first: int) -> Span:
    start, end = node.lineno, node.end_lineno or node.lineno
    return (start - first + 1, _column(lines[start - 1], node.col_offset),
            end - first + 1, _column(lines[end - 1], node.end_col_offset or 0))


def scan(node: ast.AST, lines: list[str], first: int = 1) -> Scan:
    """Everything above about ``node``; ``lines`` are its file's, ``first`` the line its
    segment starts at (spans are given relative to it)."""
    uses: set[str] = set()
    bound: set[str] = set()
    attributes: set[str] = set()
    ignored: list[Span] = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            uses.add(child.id)
            if isinstance(child.ctx, ast.Store):
                bound.add(child.id)
        elif isinstance(child, ast.Attribute) and isinstance(child.ctx, ast.Store):
            attributes.add(child.attr)
        elif (isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)
              and isinstance(child.value.value, str)):
            ignored.append(_span(child, lines, first))
        elif isinstance(child, ast.arg) and child.annotation is not None:
            ignored.append(_span(child.annotation, lines, first))
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and child.returns:
            ignored.append(_span(child.returns, lines, first))
        elif isinstance(child, ast.AnnAssign):
            ignored.append(_span(child.annotation, lines, first))
    return Scan(frozenset(uses), frozenset(bound), frozenset(attributes), tuple(ignored))
