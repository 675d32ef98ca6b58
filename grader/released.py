"""What a course has released: ``course.toml`` at the course root.

```toml
[course]
released = ["softmax", "cross_entropy"]
```

An explicit list, not dates, so that a total never depends on the clock on which it is
read: an assignment counts (in totals, pages, the summary and the exports) from the moment
the instructor released it, whenever a report is drawn again. A course without the file,
or whose ``[course]`` table has no ``released`` key, releases every assignment it holds
(what a course did before the file existed).

``grade release -a NAME`` adds to the list; the first such release of a course without the
file starts the list with exactly the assignments shipped, so from then on an assignment
that is added to the course (half written, say) counts only once it is released.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from .errors import ConfigError

COURSE_FILE = "course.toml"
_RELEASED = re.compile(r"^released\s*=\s*\[[^\]]*\][^\n]*", re.MULTILINE)
_TABLE = re.compile(r"^\[course\][^\n]*\n?", re.MULTILINE)
_HEADER = (
    "# What this course has released: only these assignments count in totals, student pages,\n"
    "# the class summary and the exports, and `grade` grades them by default.\n"
    "# `grade release OUT -a NAME` ships NAME and adds it here.\n"
)


def course_file(root: Path) -> Path:
    return Path(root) / COURSE_FILE


def read_released(root: Path) -> list[str] | None:
    """The ``released`` list of ``root/course.toml``, in its order; None when the course
    declares none (no file, or no ``released`` key), which releases everything.

    Raises:
        ConfigError: the file is not TOML, or ``released`` is not a list of names.
    """
    path = course_file(root)
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}; fix the file or remove it") from error
    table = data.get("course", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [course] must be a table holding released = [...]")
    if "released" not in table:
        return None
    released = table["released"]
    if not isinstance(released, list) or not all(isinstance(n, str) for n in released):
        raise ConfigError(
            f"{path} [course]: released must be a list of assignment names, such as "
            'released = ["softmax", "kfold"]'
        )
    return list(dict.fromkeys(released))


def write_released(root: Path, names: Iterable[str]) -> Path:
    """Set ``released`` in ``root/course.toml`` to ``names``, keeping the rest of the file
    (comments, other keys) as it was; the file is created when there is none."""
    path = course_file(root)
    line = "released = " + json.dumps(list(dict.fromkeys(names)))
    text = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    if _RELEASED.search(text):
        text = _RELEASED.sub(lambda _: line, text, count=1)
    elif (table := _TABLE.search(text)) is not None:
        text = text[: table.end()] + line + "\n" + text[table.end():]
    else:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + f"[course]\n{line}\n"
    path.write_text(text, encoding="utf-8")
    return path
