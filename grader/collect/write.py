"""Writing one student's folder in our layout: ``OUT/<student>/<file>``, flat.

The student's scripts, notebooks and saved models are written at the top of the folder
under their own base names, wherever they lay (``assignments/softmax/softmax.py`` in a
checkout, ``hw3/softmax.py`` in a zip); an archive handed in is unpacked in memory under the
caps of :mod:`grader.archives` (a bomb is refused and said so: the rest of the class is
collected as usual). Whatever is left out is named with the reason. Names are not judged
here beyond Canvas's own ``-N``: choosing which file serves which assignment is discovery's
job, at grading time, by one stated rule.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..archives import JUNK, ArchiveRefused, is_archive, unpack
from .model import Entry, StudentOutcome

CODE_SUFFIXES = (".py", ".ipynb", ".keras")
_DEDUP = re.compile(r"^(?P<stem>.+)-(?P<n>\d+)(?P<suffix>\.[A-Za-z0-9]+)$")
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def write_student(out: Path, entry: Entry, *, dedup_suffix: bool) -> StudentOutcome:
    """Write ``entry``'s files into ``out/<student>/`` (created) and say what was done."""
    outcome = StudentOutcome(student=entry.student)
    outcome.ignored.update(entry.ignored)
    folder = out / entry.student
    folder.mkdir(parents=True, exist_ok=False)
    members: list[tuple[str, bytes]] = []
    for handed in entry.files:
        if any(part in JUNK for part in handed.name.split("/")):
            outcome.ignored[handed.name] = "macOS metadata: dropped"
        elif is_archive(handed.name):
            try:
                unpacked = unpack(handed.name, handed.data)
            except ArchiveRefused as error:
                outcome.ignored[handed.name] = f"refused: {error}"
                continue
            outcome.unpacked.append(handed.name)
            outcome.ignored.update({f"{handed.name}/{d}": "macOS metadata: dropped"
                                    for d in unpacked.dropped})
            members += [(f"{handed.name}/{path}", data) for path, data in unpacked.files.items()]
        else:
            members.append((handed.name, handed.data))
    if entry.files and not members and outcome.ignored:
        outcome.status = "refused"
    names = {m[0].rsplit("/", 1)[-1] for m in members}
    written: dict[str, str] = {}
    for original, data in sorted(members, key=lambda m: (m[0].count("/"), m[0])):
        base = original.rsplit("/", 1)[-1]
        if not base.lower().endswith(CODE_SUFFIXES):
            outcome.ignored[original] = "not a script, notebook or saved model: left out"
            continue
        target, reason = base, ""
        dedup = _DEDUP.match(base) if dedup_suffix else None
        if dedup and f"{dedup['stem']}{dedup['suffix']}" not in names:
            target = f"{dedup['stem']}{dedup['suffix']}"
            reason = f"Canvas adds -{dedup['n']} to a name it has seen"
        if target in written:
            outcome.ignored[original] = f"another {target} was taken ({written[target]})"
            continue
        if target in ("", ".", "..") or "\0" in target:
            outcome.ignored[original] = "a name that cannot be a file: left out"
            continue
        fd = os.open(folder / target, _FLAGS, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        written[target] = original
        outcome.taken.append(target)
        if target != original:
            outcome.renamed[original] = (f"{target} ({reason})" if reason else target)
    return outcome
