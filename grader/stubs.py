"""Recognising the released stub, so an untouched stub is never taken for a submission.

A student who completes ``homework.ipynb`` and leaves the bundle's ``softmax.py`` beside it
must not be graded on the stub. Files are compared by their code, not their bytes: the
syntax tree of a script or of a notebook's code cells joined, so a stub re-saved with
other line endings, other blank lines, changed comments, or opened and saved in Jupyter
(new metadata, outputs, cell ids) is still the stub, while one line of real code is not.
Code that does not parse (a notebook with ``%magic`` lines) is compared by its lines with
blanks and comments taken out.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from .notebook_json import notebook_source

MAX_STUB_BYTES = 4 << 20


def code_fingerprint(name: str, data: bytes) -> str:
    """A digest of the code of a script or notebook (its bytes ``data``); "" when empty."""
    text = notebook_source(data) if name.lower().endswith(".ipynb") else data.decode(
        "utf-8", errors="replace")
    try:
        shape = ast.dump(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        lines = (line.strip() for line in text.splitlines())
        shape = "\n".join(line for line in lines if line and not line.startswith("#"))
    if not shape or shape == "Module(body=[], type_ignores=[])":
        return ""
    return hashlib.sha256(shape.encode("utf-8", errors="replace")).hexdigest()


def stub_fingerprints(assignments_dir: Path, names: list[str]) -> dict[str, set[str]]:
    """assignment -> fingerprints of its released stubs (``assignments/<name>/*.py`` and
    ``*.ipynb``, its public tests left out)."""
    found: dict[str, set[str]] = {}
    for name in names:
        folder = Path(assignments_dir) / name
        prints = set()
        for path in sorted(folder.glob("*")):
            if path.suffix not in (".py", ".ipynb") or path.name.startswith("test_"):
                continue
            if path.is_file() and path.stat().st_size <= MAX_STUB_BYTES:
                prints.add(code_fingerprint(path.name, path.read_bytes()))
        found[name] = prints - {""}
    return found
