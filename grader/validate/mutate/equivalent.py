"""Mutants an instructor marks equivalent: ``reference/<name>/equivalent_mutants.toml``.

```toml
[equivalent]
"drop_call:13:20cf60b0" = "np.asarray(x) -> x: every hidden test passes an array"
```

A mark needs a reason: it takes a mutant out of the marked score, so the file says why no
test could kill it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ...errors import ConfigError

EQUIVALENT_FILE = "equivalent_mutants.toml"


def read_marks(path: Path) -> dict[str, str]:
    """mutant id -> reason; empty when the file is absent.

    Raises:
        ConfigError: the file does not parse, has another table, or a mark without a reason.
    """
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    unknown = sorted(set(data) - {"equivalent"})
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {unknown}; only [equivalent] is read")
    marks = data.get("equivalent", {})
    if not isinstance(marks, dict):
        raise ConfigError(f"{path}: [equivalent] must be a table of id = \"reason\"")
    bad = sorted(k for k, v in marks.items() if not isinstance(v, str) or not v.strip())
    if bad:
        raise ConfigError(f"{path} [equivalent]: {', '.join(bad)} needs a reason "
                          "(a non-empty string saying why no test can kill it)")
    return {str(k): str(v) for k, v in marks.items()}
