"""Writing the files a user asked for, with one clear error when the place refuses.

A read-only ``--out``, a ``--json`` inside a missing or unwritable folder, a full disk:
each becomes :class:`~grader.errors.OutputError` naming the path and the option to change,
instead of a traceback. Callers write the gradebook first, so a failed report loses no grade.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.errors import OutputError


@contextmanager
def writing(path: Path, option: str) -> Iterator[None]:
    """Turn an ``OSError`` raised while writing under ``path`` into OutputError."""
    try:
        yield
    except OSError as error:
        where = error.filename or path
        reason = error.strerror or str(error) or type(error).__name__
        raise OutputError(
            f"cannot write {where}: {reason}; pass a writable location with {option}"
        ) from error


def write_text(path: Path, text: str, *, option: str) -> Path:
    """Write ``text`` to ``path`` (its folder created), errors as OutputError."""
    path = Path(path)
    with writing(path, option):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path
