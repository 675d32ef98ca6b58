"""``check("softmax")`` from a running notebook: rebuild what ran, then check it.

The kernel's input history (``In``) holds every cell that ran, in the order it ran. Those
cells, minus empty ones and cut before any call of ``check`` itself, become a notebook that
the worker executes from the top in a fresh sandboxed kernel, exactly as a submitted
notebook would be. Nothing of the student's live kernel crosses over: only source text.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

HISTORY_NOTEBOOK = "notebook.ipynb"


def inside_worker() -> bool:
    """True when the grader's own worker is running this code (a submitted notebook that
    still calls ``check``): checking from there would start a grader inside the sandbox."""
    return "grader.worker.child" in sys.modules


def ipython_shell() -> Any:
    """The running IPython shell, or None outside IPython (never imports IPython itself)."""
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return None
    return get_ipython()


def is_check(value: Any) -> bool:
    """Whether ``value`` is the grader's check: ``grader.check`` or ``notebook_check``."""
    return callable(value) and (
        getattr(value, "__module__", None), getattr(value, "__name__", None)
    ) in (("grader", "check"), ("grader.checking", "notebook_check"))


def _calls_check(node: ast.AST, namespace: dict[str, Any]) -> bool:
    """Whether ``node`` calls the grader's check (``check(...)``, ``grader.check(...)``)."""
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Name) and is_check(namespace.get(func.id)):
            return True
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and is_check(getattr(namespace.get(func.value.id), func.attr, None))):
            return True
    return False


def _before_check(code: str, namespace: dict[str, Any]) -> str | None:
    """The part of a cell that ran before its first statement calling check; None when the
    cell never calls it. That part is what the kernel had run when check was called."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for statement in tree.body:
        if _calls_check(statement, namespace):
            return "".join(code.splitlines(keepends=True)[: statement.lineno - 1])
    return None


def history_cells(shell: Any) -> list[str]:
    """The sources of the cells that ran, in order, up to the call of check.

    Empty cells are left out, and a cell that calls check keeps only what comes before the
    call (so the running cell's definitions above ``check(...)`` count, and nothing after it
    runs without the report it needed). The raw history keeps magics as the student wrote
    them (the worker runs notebooks through IPython); the parsed history ``In`` is what is
    searched for check calls.
    """
    namespace: dict[str, Any] = shell.user_ns
    parsed: list[str] = list(namespace.get("In", []))
    raw: list[str] = list(getattr(shell.history_manager, "input_hist_raw", []) or [])
    if len(raw) != len(parsed):
        raw = parsed
    cells = []
    for index in range(1, len(parsed)):
        head = _before_check(parsed[index], namespace)
        source = raw[index] if head is None else head
        if source.strip():
            cells.append(source.rstrip("\n"))
    return cells


def write_history_notebook(cells: list[str], folder: Path) -> Path:
    """Write ``cells`` as a version 4 notebook and return its path."""
    import nbformat  # noqa: PLC0415

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = folder / HISTORY_NOTEBOOK
    nbformat.write(notebook, str(path))
    return path


def show(view: Any, shell: Any) -> None:
    """Display ``view`` as rich output in IPython, as text elsewhere."""
    if shell is not None:
        from IPython.display import display  # noqa: PLC0415

        display(view)
    else:
        print(repr(view))
