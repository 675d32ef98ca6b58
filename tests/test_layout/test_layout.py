"""The code base's shape: short modules, and the engine-worker protocol spelled in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.worker import protocol

GRADER = Path(__file__).resolve().parents[2] / "grader"
PROTOCOL = GRADER / "worker" / "protocol.py"
MAX_LINES = 650

# Strings that equal an op name but are not the protocol's: pytest's name for a test's call
# phase, and multiprocessing's start method.
NOT_PROTOCOL = {
    ("engine/plugin.py", "call"),
    ("grade/executor.py", "spawn"),
    ("validate/mutate/__init__.py", "spawn"),
}


def _modules() -> list[Path]:
    return sorted(GRADER.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(GRADER).as_posix())
def test_no_module_is_longer_than_650_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, (
        f"grader/{path.relative_to(GRADER)} has {lines} lines (at most {MAX_LINES}): split it "
        "by job")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (of modules, classes, functions)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    # A string statement after an attribute (its docstring) is no code either.
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
    return found


def protocol_strings(source: str, where: str) -> list[str]:
    """The op names (and the ``"op"`` key) spelled as string literals in ``source``'s code."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    wanted = set(protocol.OPS) | {"op"}
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and node.value in wanted and id(node) not in docstrings
                and (where, node.value) not in NOT_PROTOCOL):
            text = f"grader/{where}:{node.lineno}: {node.value!r}"
            found.append((node.lineno, node.col_offset, text))
    return [text for _, _, text in sorted(found)]


def test_op_strings_of_the_protocol_appear_only_in_the_protocol_module() -> None:
    found = []
    for path in _modules():
        if path != PROTOCOL:
            found += protocol_strings(path.read_text(), path.relative_to(GRADER).as_posix())
    assert found == [], "build or read messages with grader.worker.protocol:\n" + "\n".join(found)


def test_the_check_finds_a_hand_spelled_message() -> None:
    source = 'def ask(sock):\n    """Send a get."""\n    return {"op": "get", "ref": {}}\n'
    assert protocol_strings(source, "engine/new.py") == [
        "grader/engine/new.py:3: 'op'", "grader/engine/new.py:3: 'get'"]
    assert protocol_strings('if message.get("op") == "load":\n    pass\n', "worker/x.py") == [
        "grader/worker/x.py:1: 'op'", "grader/worker/x.py:1: 'load'"]


def test_every_op_is_served_by_a_side() -> None:
    assert protocol.OPS == protocol.CHILD_OPS | protocol.ZYGOTE_OPS
    assert not protocol.CHILD_OPS & protocol.ZYGOTE_OPS
