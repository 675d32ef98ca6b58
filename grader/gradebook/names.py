"""How a student's name becomes a file name for reports and exports.

Student names are folder names chosen by whoever collected the submissions; most are safe
as they are and stay unchanged (``alice`` -> ``alice.html``). Anything that could escape
the output folder, hide itself or trouble a shell gets a cleaned name plus a short hash,
so two different students never share a file.
"""

from __future__ import annotations

import hashlib
import re

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+@-]{0,99}")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")


def student_filename(student: str) -> str:
    """A file-name stem for ``student``: the name itself when it is safe, else a clean copy."""
    if _SAFE.fullmatch(student):
        return student
    cleaned = _UNSAFE_RUN.sub("_", student).strip("._-")[:60] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned}-{digest}"
