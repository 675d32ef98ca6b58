"""``--from pattern --pattern REGEX``: any other platform, named by a regular expression.

The expression is matched against each file's path in SOURCE (``/``-separated) as a whole.
Its named groups say what the path holds: ``student`` (required), ``file`` (required: the
student's own name for the file) and ``time`` (optional: ISO 8601 with a time zone, such as
``2025-03-01T23:59:00+01:00``; ``Z`` for UTC). Files it does not match are listed as ignored.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import ConfigError
from .model import Handed, Parsed
from .names import folder_name
from .roster import Roster
from .source import Source


def compile_pattern(text: str | None) -> re.Pattern[str]:
    """The ``--pattern`` expression, checked for its groups.

    Raises:
        ConfigError: no expression, a broken one, or one without ``student`` and ``file``.
    """
    if not text:
        raise ConfigError("--from pattern needs --pattern REGEX with the named groups "
                          "(?P<student>...) and (?P<file>...)")
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise ConfigError(f"--pattern {text!r} is not a regular expression: {error}") from error
    missing = [g for g in ("student", "file") if g not in pattern.groupindex]
    if missing:
        raise ConfigError(f"--pattern {text!r} has no group {', '.join(missing)}: name them "
                          "(?P<student>...) and (?P<file>...)")
    return pattern


def parse(source: Source, roster: Roster, pattern: re.Pattern[str]) -> Parsed:
    parsed = Parsed()
    for path, data in sorted(source.files.items()):
        match = pattern.fullmatch(path)
        if match is None or not match["student"] or not match["file"]:
            parsed.unmatched[path] = "does not match --pattern"
            continue
        when = None
        if "time" in pattern.groupindex and match["time"]:
            when = _time(match["time"])
            if when is None:
                parsed.unmatched[path] = (f"its time {match['time']!r} is not ISO 8601 with a "
                                          "time zone")
                continue
        named = match["student"]
        key = (roster.student_for(lms_id=named) or roster.student_for(login=named)
               or folder_name(named))
        entry = parsed.entry(key, login=roster.login_for(key),
                             lms_id=roster.students.get(key, ("", ""))[1])
        if when is not None and (entry.submitted_at is None or when > entry.submitted_at):
            entry.submitted_at = when
        entry.files.append(Handed(source=path, name=match["file"], data=data))
    return parsed


def _time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
