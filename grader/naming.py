"""How a student's name becomes a file name, for report pages and export folders alike.

Student names are folder names chosen by whoever collected the submissions; most are safe
as they are and stay unchanged (``alice`` -> ``alice.html``: links to them have been sent).
Anything that could escape the output folder, hide itself or trouble a shell gets a cleaned
name plus a short hash. Three rules keep two students from ever sharing a file, on file
systems that ignore case (macOS, Windows) too:

- a name that already looks like a cleaned one (``Jane_Doe-01332c87``) is cleaned again,
  so no folder can take the name another student's cleaning produced;
- names the output folder needs for itself (``index``, the class summary) or that Windows
  reserves (``con``, ``nul``, ``com1``...) are cleaned too;
- :class:`PageNames` looks at the whole class: where stems are equal but for case
  (``Alice`` and ``alice``), the all-lower-case name keeps its stem and the others get a
  longer hash of their exact name.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+@-]{0,99}")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_LOOKS_CLEANED = re.compile(r".*-[0-9a-f]{8,64}")
RESERVED = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
"""Stems a student never gets as they are: the summary's page and Windows device names."""


def _digest(student: str, length: int) -> str:
    return hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _keeps_name(student: str) -> bool:
    return (_SAFE.fullmatch(student) is not None
            and _LOOKS_CLEANED.fullmatch(student) is None
            and student.split(".")[0].casefold() not in RESERVED)


def student_filename(student: str) -> str:
    """A file-name stem for ``student`` alone: the name itself when it is safe, else a clean
    copy with a hash. Within a class use :class:`PageNames`, which also separates names
    that differ only in case."""
    if _keeps_name(student):
        return student
    cleaned = _UNSAFE_RUN.sub("_", student).strip("._-")[:60] or "student"
    if cleaned.split(".")[0].casefold() in RESERVED - {"index"}:
        cleaned = f"_{cleaned}"  # Windows reserves NUL.anything, not _NUL.anything
    return f"{cleaned}-{_digest(student, 8)}"


class PageNames:
    """File-name stems for every student of a class, no two equal when case is ignored."""

    def __init__(self, students: Iterable[str]) -> None:
        names = sorted(set(students))
        base = {name: student_filename(name) for name in names}
        shared = Counter(stem.casefold() for stem in base.values())
        self._stems: dict[str, str] = {}
        taken: set[str] = set()
        for name in names:
            stem = base[name]
            if shared[stem.casefold()] > 1 and not (stem == name == name.lower()):
                stem = f"{stem}-{_digest(name, 16)}"
            if stem.casefold() in taken:  # only a crafted hash collision gets here
                stem = f"{base[name]}-{_digest(name, 64)}"
            taken.add(stem.casefold())
            self._stems[name] = stem

    def stem(self, student: str) -> str:
        """The stem of ``student``'s files; a student not in the class is named alone."""
        return self._stems.get(student) or student_filename(student)

    def page(self, student: str) -> str:
        """The file name of ``student``'s report page."""
        return f"{self.stem(student)}.html"

    def href(self, student: str) -> str:
        """A relative link to ``student``'s page, percent-encoded for an href attribute."""
        return quote(self.page(student))
