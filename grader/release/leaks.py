"""Proof that a bundle holds nothing of ``reference/``: paths, files, or lines.

A line of a reference file (solution, hidden suite, mutant, or a row of held-out data such
as ``reference/titanic/heldout.csv``) is *distinctive* when it is
longer than ``MIN_LENGTH`` characters once stripped, is not boilerplate any module may
share (an import, an ``except (TypeError, ValueError):``), and does not also occur in
``assignments/`` as released (a stub's signature or docstring is shared on purpose; a
notebook's outputs and metadata are not released, so they do not count) or in the grader
package the bundle ships (its code is public by design: a correct alternative's
``with warnings.catch_warnings():`` gives nothing away; ``already_public`` names each such
line and where the package holds it, so an instructor sees it was let through and why). A
bundle leaks
when one of its files contains a distinctive line anywhere, also inside a notebook's JSON
(its sources, outputs and metadata are decoded first, so escaping hides nothing), or is a
byte-for-byte copy of a reference file, or sits under a ``reference`` folder, or holds the
course secret (``reference/course-secret``, or ``$GRADER_COURSE_SECRET`` when set) that seeds
the hidden cases: with it a student could compute every hidden input ahead of grading.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..seeds import SECRET_FILE, course_secret

MIN_LENGTH = 30
DATA_SUFFIXES = (".py", ".csv")
"""Reference files whose lines count: code, and held-out rows (a CSV's rows are long and unique)."""
GRADER_PACKAGE = Path(__file__).resolve().parents[1]
_TRIVIAL = re.compile(r"(?:import\s|from\s+\S+\s+import\s|except\b[^:]*:$)")


@dataclass(frozen=True)
class Leak:
    path: str
    """The bundle file, relative to the bundle."""
    what: str
    """What leaked, and from which reference file."""

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def trivial(line: str) -> bool:
    """Boilerplate any Python file may share: imports, ``except`` clauses, no-word lines."""
    return bool(_TRIVIAL.match(line)) or not any(ch.isalnum() for ch in line)


def _package_lines() -> dict[str, str]:
    """Every stripped line of the grader package's code, mapped to its first place."""
    found: dict[str, str] = {}
    for path in sorted(GRADER_PACKAGE.rglob("*.py")):
        where = path.relative_to(GRADER_PACKAGE.parent).as_posix()
        for number, line in enumerate(_lines(path), 1):
            found.setdefault(line.strip(), f"{where}:{number}")
    return found


def _candidates(reference_dir: Path, assignments_dir: Path) -> Iterator[tuple[str, str]]:
    """(line, origin) for each line of ``reference_dir``'s code and data files
    (``DATA_SUFFIXES``) long and particular enough to count, that ``assignments/`` does not
    already publish."""
    public = "\n".join(published_text(path) for path in _files(assignments_dir))
    for path in sorted(p for p in _files(reference_dir) if p.suffix in DATA_SUFFIXES):
        for number, line in enumerate(_lines(path), 1):
            text = line.strip()
            if len(text) > MIN_LENGTH and not trivial(text) and text not in public:
                yield text, f"{path.relative_to(reference_dir.parent)}:{number}"


def distinctive_lines(reference_dir: Path, assignments_dir: Path) -> dict[str, str]:
    """Every distinctive line of ``reference_dir``'s code and data, mapped to its origin."""
    package = _package_lines()
    package_text = "\n".join(package)
    found: dict[str, str] = {}
    for text, origin in _candidates(reference_dir, assignments_dir):
        if text not in package and text not in package_text:
            found.setdefault(text, origin)
    return found


@dataclass(frozen=True)
class PublicLine:
    """A line of ``reference/`` that the shipped grader package holds too: public, no leak."""

    origin: str
    """Where the reference holds it (``reference/<name>/solution.py:12``)."""
    public: str
    """Where the grader package holds it (``grader/jets/metrics.py:40``), or ``grader/``."""
    line: str

    def __str__(self) -> str:
        return (f"{self.origin} is also {self.public} (public in the grader package, "
                f"not a leak): {self.line[:80]}")


def already_public(reference_dir: Path, assignments_dir: Path) -> list[PublicLine]:
    """The lines of ``reference_dir`` the leak check lets through because the grader package
    the bundle ships already holds them; each once, at its first place."""
    if not reference_dir.is_dir():
        return []
    package = _package_lines()
    package_text = "\n".join(package)
    seen: set[str] = set()
    shared: list[PublicLine] = []
    for text, origin in _candidates(reference_dir, assignments_dir):
        if text in seen:
            continue
        if text in package:
            shared.append(PublicLine(origin, package[text], text))
        elif text in package_text:
            shared.append(PublicLine(origin, "grader/", text))
        seen.add(text)
    return shared


def _strings(node: Any) -> list[str]:
    """Every string in decoded JSON; a list of strings also joined, as notebooks split lines."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (key, *_strings(value))]
    if isinstance(node, list):
        parts = [s for item in node for s in _strings(item)]
        if node and all(isinstance(item, str) for item in node):
            parts.append("".join(node))
        return parts
    return []


def searchable_text(path: Path) -> str:
    """The file's text, and for JSON files (notebooks) every decoded string too."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix in (".ipynb", ".json"):
        try:
            text += "\n" + "\n".join(_strings(json.loads(text)))
        except ValueError:
            pass
    return text


def published_text(path: Path) -> str:
    """What a file of ``assignments/`` publishes: a notebook's cell sources, else the text.

    A stub notebook's outputs and metadata are stripped on release, so they do not make a
    line public: a solution's line that shows up there still counts as distinctive.
    """
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return text
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return text
    return "\n".join("".join(c["source"]) if isinstance(c.get("source"), list)
                     else str(c.get("source", "")) for c in cells if isinstance(c, dict))


def _secrets(reference_dir: Path) -> list[str]:
    """The course secrets a bundle must not hold: the file's and the environment's."""
    found = []
    file = reference_dir / SECRET_FILE
    if file.is_file():
        found.append(file.read_bytes().decode("utf-8", errors="replace").strip())
    try:
        found.append(course_secret(reference_dir).decode("utf-8", errors="replace"))
    except ConfigError:
        pass
    return sorted({s for s in found if s})


def find_leaks(bundle: Path, reference_dir: Path, assignments_dir: Path) -> list[Leak]:
    """Everything of ``reference_dir`` that ``bundle`` gives away; empty when nothing."""
    if not reference_dir.is_dir():
        return []
    lines = distinctive_lines(reference_dir, assignments_dir)
    secrets = _secrets(reference_dir)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in _files(reference_dir)}
    leaks: list[Leak] = []
    for path in _files(bundle):
        relative = path.relative_to(bundle)
        if "reference" in relative.parts[:-1]:
            leaks.append(Leak(str(relative), "sits under a reference/ folder"))
        source = digests.get(hashlib.sha256(path.read_bytes()).hexdigest())
        if source is not None and path.stat().st_size > 0:
            leaks.append(Leak(str(relative),
                              f"is a copy of {source.relative_to(reference_dir.parent)}"))
        text = searchable_text(path)
        if any(secret in text for secret in secrets):
            leaks.append(Leak(str(relative), "holds the course secret that seeds the hidden "
                                             f"cases (reference/{SECRET_FILE})"))
        for line, origin in lines.items():
            if line in text:
                leaks.append(Leak(str(relative), f"contains line {origin}, which nothing public "
                                                 f"holds (a leak): {line[:80]}"))
    return leaks
