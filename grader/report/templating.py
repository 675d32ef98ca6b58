"""The Jinja2 environment of the reports and the one way pages are written to disk.

Templates ship inside the package (``grader/report/templates``) so an installed grader
renders without the source tree. Autoescaping is always on: every string from a
submission (output, messages, notebook cells, even test names) is hostile text.
Only the plots, which we draw ourselves, are marked safe.
"""

from __future__ import annotations

import math
import os
import tempfile
from functools import cache
from pathlib import Path

import jinja2


def format_score(value: float | None) -> str:
    """A score as people write it: ``9``, ``41.5``, ``7.33``; a dash when absent."""
    if value is None or not math.isfinite(value):
        return "\u2013"
    return f"{round(value, 2):g}"


def percent(score: float, max_score: float) -> float:
    """``score`` as a percentage of ``max_score``; 0 when nothing could be earned."""
    if max_score <= 0 or not math.isfinite(score):
        return 0.0
    return max(0.0, min(100.0, 100.0 * score / max_score))


@cache
def environment() -> jinja2.Environment:
    """The shared, cached environment: templates compile once per process."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("grader.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = format_score
    env.globals["percent"] = percent
    return env


def write_page(path: Path, html: str) -> Path:
    """Write ``html`` to ``path`` atomically: a browser reloading never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(html)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
