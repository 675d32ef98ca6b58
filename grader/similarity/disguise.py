"""Disguised copies of a program, made the way a student hides one, for calibration and tests.

The thresholds in ``assignment.toml`` are set on positives made here from the reference and
the mutants: every local name, parameter and helper renamed (the names the assignment
requires stay, or grading would fail), docstrings and comments replaced, top-level functions
put in another order, blank lines and formatting changed. Deterministic for a seed.
"""

from __future__ import annotations

import ast
import builtins
import json
import random

_WORDS = ("value", "data", "item", "arr", "tmp", "res", "acc", "buf", "cur", "out", "vec",
          "num", "part", "elem", "thing", "stuff", "foo", "bar", "q", "z")
_COMMENTS = ("# compute the result", "# main step here", "# TODO tidy up", "# helper",
             "# see lecture notes", "# works for the examples", "# loop over everything")


class _Renamer(ast.NodeTransformer):
    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self.mapping.get(node.arg, node.arg)
        self.generic_visit(node)
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.AST:
        self.generic_visit(node)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node


def _own_names(tree: ast.Module, keep: set[str]) -> list[str]:
    """Names the program binds itself (not the required API, not keyword-argument names)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    # Parameters are renamed only where no caller passes them by keyword.
    keywords = {k.arg for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names.update(a.arg for a in [*node.args.args, *node.args.kwonlyargs]
                         if a.arg not in keywords and a.arg not in ("self", "cls"))
    return sorted(names - keep - set(dir(builtins)))


def _strip_docstrings(tree: ast.Module) -> None:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            body.pop(0)
            if not body:
                body.append(ast.Pass())


def disguise(source: str, keep: set[str], seed: int) -> str:
    """``source`` renamed, recommented and reordered; ``keep`` holds the names that stay."""
    rng = random.Random(seed)
    tree = ast.parse(source)
    _strip_docstrings(tree)
    names = _own_names(tree, keep)
    mapping = {name: f"{rng.choice(_WORDS)}_{i}" for i, name in enumerate(names)}
    tree = _Renamer(mapping).visit(tree)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    others = [n for n in tree.body if n not in functions]
    rng.shuffle(functions)
    tree.body = others + functions
    lines: list[str] = [f"# {rng.choice(('my', 'our', 'the'))} solution"]
    for line in ast.unparse(tree).split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() and rng.random() < 0.15:
            lines.append(indent + rng.choice(_COMMENTS))
        lines.append(line)
        if rng.random() < 0.2:
            lines.append("")
    return "\n".join(lines) + "\n"


def as_notebook(source: str, demo: str = "") -> str:
    """``source`` as notebook JSON: imports in one cell, each definition in its own, a demo."""
    tree = ast.parse(source)
    lines = source.split("\n")
    cells: list[dict] = [_markdown("# My homework")]
    imports: list[str] = []
    for node in tree.body:
        text = "\n".join(lines[node.lineno - 1:node.end_lineno])
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(text)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            cells.append(_code(text))
    cells.insert(1, _code("\n".join(imports)))
    if demo:
        cells.append(_code(demo))
    document = {"cells": cells, "metadata": {"kernelspec": {"name": "python3",
                "display_name": "Python 3", "language": "python"}},
                "nbformat": 4, "nbformat_minor": 4}
    return json.dumps(document, indent=1)


def _code(text: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": text}


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}
