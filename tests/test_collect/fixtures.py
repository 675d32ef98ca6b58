"""Downloads as the platforms hand them over, built in the tests from their real naming
(docs/collect-*.md cite where each naming comes from)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from grader import grade

REPO = Path(__file__).resolve().parents[2]
CORRECT = (REPO / "reference" / "softmax" / "alternatives" / "log_sum_exp.py").read_bytes()
STUB = (REPO / "assignments" / "softmax" / "softmax.py").read_bytes()
STUB_NOTEBOOK = (REPO / "assignments" / "softmax" / "softmax.ipynb").read_bytes()


def zip_bytes(members: dict[str, bytes], *, utf8_flag: bool = True) -> bytes:
    """A zip of ``members``; without ``utf8_flag`` the names are stored as UTF-8 bytes with
    the flag bit cleared, as some zip tools write them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, data in members.items():
            handle.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 1, 12, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    if utf8_flag:
        return raw
    return _clear_utf8_flag(raw)


def _clear_utf8_flag(raw: bytes) -> bytes:
    """The same zip with bit 11 cleared in every local and central header."""
    data = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            flags = int.from_bytes(data[found + offset:found + offset + 2], "little")
            data[found + offset:found + offset + 2] = (flags & ~0x800).to_bytes(2, "little")
            start = found + 4
    return bytes(data)


def grade_softmax(submissions: Path) -> dict[str, Any]:
    """student -> their softmax result (JSON shape), graded without a gradebook."""
    run = grade.main(submissions_dir=submissions, assignments=["softmax"], out=None, db=None,
                     jobs=1, sandbox="none", course_dir=REPO)
    return {s.student: s.assignments[0].to_dict() for s in run.students}
