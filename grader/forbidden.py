"""The source half of the forbidden-call rule: the submission read, on the trusted side, never run.

An assignment's ``[rules] forbidden`` (``config.Rules``) names what the student's code may not
use. This module parses each submitted script and each code cell of a notebook and finds
- the imports and the attribute chains that reach a forbidden name (``from scipy.special
  import softmax``, ``import sklearn.model_selection as ms; ms.KFold``), and
- what hides a name from any reader (``__import__``, ``importlib.import_module``, ``exec``,
  ``eval``, ``compile``): not a fault by itself, so it is flagged for a person to look at.

The worker's trap (``worker.trap``) sees the calls the source hides; a suite asks for both
through ``grader.testing.check_written_yourself``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import InvalidNotebookError
from .notebook_json import load_notebook
from .worker.trap import covers, exempt_below

DYNAMIC = {
    "__import__": "builds an import at run time",
    "import_module": "builds an import at run time",
    "exec": "runs code from a string",
    "eval": "runs code from a string",
    "compile": "compiles code from a string",
}
_MAGIC = re.compile(r"^\s*[%!]")


@dataclass(frozen=True)
class Finding:
    """One place in the submission: a forbidden name used, or a construct to look at."""

    where: str
    """``softmax.py, line 3`` or ``work.ipynb, cell 4, line 2``."""
    name: str
    why: str = ""

    def describe(self) -> str:
        return f"{self.where}: {self.name}" + (f" ({self.why})" if self.why else "")


@dataclass
class SourceReport:
    forbidden: list[Finding]
    review: list[Finding]


def _sources(files: dict[str, bytes]) -> Iterator[tuple[str, str]]:
    """(label, code) of each script and each notebook code cell; magics become blank."""
    for name, data in sorted(files.items()):
        if name.endswith(".py"):
            yield name, data.decode("utf-8", errors="replace")
        elif name.endswith(".ipynb"):
            try:
                cells = load_notebook(data).get("cells")
            except InvalidNotebookError:
                continue
            for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
                if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                    continue
                source = cell.get("source", "")
                text = "".join(s for s in source if isinstance(s, str)) \
                    if isinstance(source, list) else source if isinstance(source, str) else ""
                lines = ["" if _MAGIC.match(line) else line for line in text.splitlines()]
                yield f"{name}, cell {number}", "\n".join(lines)


def _public(name: str) -> str:
    """``scipy.special._logsumexp.softmax`` as ``scipy.special.softmax``: a private module
    that defines a name is the same name for the rule."""
    return ".".join(part for part in name.split(".") if not part.startswith("_"))


class _Reader(ast.NodeVisitor):
    """Follows the names bound by imports through attribute chains, in one pass."""

    def __init__(self, label: str, entries: tuple[str, ...]) -> None:
        self.label = label
        self.entries = entries
        self.aliases: dict[str, str] = {}
        self.found: list[Finding] = []
        self.review: list[Finding] = []

    def _where(self, node: ast.AST) -> str:
        return f"{self.label}, line {getattr(node, 'lineno', 0)}"

    def _hit(self, name: str, node: ast.AST, imported: bool) -> bool:
        public = _public(name)
        for entry in self.entries:
            if (covers(entry, name) or covers(entry, public)) and not (
                    imported and exempt_below(entry, name)):
                self.found.append(Finding(self._where(node), name))
                return True
        return False

    def _relevant(self, name: str) -> bool:
        return any(covers(e, name) or e.startswith(name + ".") for e in self.entries)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if self._hit(alias.name, node, imported=True):
                continue
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        for alias in node.names:
            full = f"{node.module}.{alias.name}" if alias.name != "*" else node.module
            if not self._hit(full, node, imported=True) and alias.name != "*":
                self.aliases[alias.asname or alias.name] = full

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain: list[str] = []
        inner: ast.expr = node
        while isinstance(inner, ast.Attribute):
            chain.append(inner.attr)
            inner = inner.value
        if isinstance(inner, ast.Name) and inner.id in self.aliases:
            base = self.aliases[inner.id]
            # The longest prefix decides: ``grader.check`` stays allowed, ``grader.cases`` not.
            for size in range(len(chain), 0, -1):
                full = ".".join([base, *reversed(chain)][: size + 1])
                if self._relevant(full) and self._hit(full, node, imported=False):
                    return
            return
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        base = self.aliases.get(node.id)
        if base is not None and isinstance(node.ctx, ast.Load):
            self._hit(base, node, imported=True)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if name in DYNAMIC:
            self.review.append(Finding(self._where(node), name, DYNAMIC[name]))
        self.generic_visit(node)


@dataclass
class RulesReport:
    """The forbidden-call rule for one submission: what its source and its calls showed."""

    used: list[str]
    """Each forbidden use, described (``softmax.py, line 2: scipy.special.softmax``)."""
    review: list[str]
    """Constructs that hide names from the source check, for a person to look at."""


def trapped_calls(records: object, forbidden: tuple[str, ...]) -> list[str]:
    """The worker trap's records (``worker.trap.Trap.report``) of this rule, described."""
    found = []
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            continue
        name = str(record.get("name", ""))
        if any(covers(entry, name) for entry in forbidden):
            count = record.get("count", 1)
            times = f", {count} calls" if isinstance(count, int) and count > 1 else ""
            found.append(f"{str(record.get('file', '?'))[:200]}, line {record.get('line', 0)}: "
                         f"{name[:200]} (called while your code ran{times})")
    return found


def read_source(files: dict[str, bytes], forbidden: tuple[str, ...]) -> SourceReport:
    """Every forbidden name the submission's code reaches, and every construct to look at."""
    report = SourceReport([], [])
    for label, code in _sources(files):
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # loading the file reports it; nothing here can be judged
        reader = _Reader(label, forbidden)
        try:
            reader.visit(tree)
        except RecursionError:
            report.review.append(Finding(label, "code nested too deep to read"))
        report.forbidden += reader.found
        report.review += reader.review
    return report
