"""``grade collect SOURCE OUT --from canvas|moodle|classroom|pattern``: a platform's
download into our layout.

OUT gets one folder per student (``OUT/<student>/softmax.py``) and the manifest
``OUT/submissions.csv`` (:mod:`grader.manifest`): the one source of submission times, the
platform's ids and logins, and the original file names. Each platform's naming is read by
its own module (``canvas``, ``moodle``, ``classroom``, ``pattern``, each citing what it
follows); reading SOURCE, writing a student's folder and the closing table are shared.
Nothing here prints: the records come back and the CLI shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import ConfigError, OutputError
from ..manifest import MANIFEST, ManifestRow, manifest_text
from . import canvas, classroom, moodle, pattern
from .model import Entry, Parsed, StudentOutcome
from .roster import read_roster
from .source import read_source
from .times import read_times
from .write import write_student

PLATFORMS = ("canvas", "moodle", "classroom", "pattern")


@dataclass
class CollectRun:
    """What ``main`` wrote: per student the outcome, and what belongs to no student."""

    out: Path
    students: list[StudentOutcome] = field(default_factory=list)
    unmatched: dict[str, str] = field(default_factory=dict)
    late: dict[str, bool | None] = field(default_factory=dict)
    times: dict[str, datetime | None] = field(default_factory=dict)
    manifest: Path | None = None


def main(*, source: Path, out: Path, platform: str, pattern_text: str | None = None,
         prefix: str | None = None, roster: Path | None = None,
         times: Path | None = None) -> CollectRun:
    """Collect the platform's download ``source`` into ``out``.

    Args:
        source: the download as the platform hands it over (a folder or a zip).
        out: a new (or empty) folder for the student folders and the manifest.
        platform: one of :data:`PLATFORMS`.
        pattern_text: the ``--pattern`` expression (``pattern`` only).
        prefix: the assignment prefix of GitHub Classroom's ``<prefix>-<login>``.
        roster: a roster CSV (:mod:`grader.collect.roster`).
        times: a CSV of submission times (:mod:`grader.collect.times`).

    Returns:
        CollectRun, one outcome per student sorted by name.

    Raises:
        ConfigError: a bad option, roster, times file or SOURCE (exit 2).
        OutputError: OUT exists and is not empty, or cannot be written (exit 2).
    """
    if platform not in PLATFORMS:
        raise ConfigError(f"--from {platform!r}: choose one of {', '.join(PLATFORMS)}")
    compiled = pattern.compile_pattern(pattern_text) if platform == "pattern" else None
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out} exists and is not an empty folder: collect into a new folder")
    names = read_roster(roster)
    merged = read_times(times)
    found = read_source(Path(source))
    if platform == "canvas":
        parsed = canvas.parse(found, names)
    elif platform == "moodle":
        parsed = moodle.parse(found, names)
    elif platform == "classroom":
        parsed = classroom.parse(found, names, prefix)
    else:
        assert compiled is not None
        parsed = pattern.parse(found, names, compiled)
    _add_roster_students(parsed, names.students)
    unmatched = {**found.refused, **parsed.unmatched}
    run = CollectRun(out=out, unmatched={path: why for path, why in unmatched.items()
                                         if path not in parsed.consumed})
    rows = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for key in sorted(parsed.entries):
            entry = parsed.entries[key]
            if merged is not None:
                merged.apply(entry)
            outcome = write_student(out, entry, dedup_suffix=parsed.dedup_suffix)
            if not outcome.taken and outcome.status == "collected":
                outcome.status = "nothing submitted"
            run.students.append(outcome)
            run.late[key] = entry.late
            run.times[key] = entry.submitted_at
            rows.append(ManifestRow(student=key, submitted_at=entry.submitted_at,
                                    late=entry.late, lms_id=entry.lms_id, login=entry.login,
                                    files=[f.name for f in entry.files]))
        run.manifest = out / MANIFEST
        run.manifest.write_text(manifest_text(rows), encoding="utf-8")
    except OSError as error:
        raise OutputError(f"{out}: cannot be written ({error.strerror or error})") from error
    return run


def _add_roster_students(parsed: Parsed, roster: dict[str, tuple[str, str]]) -> None:
    """A roster student with nothing in the download: an empty folder, graded as missing."""
    for student, (login, lms_id) in roster.items():
        if student not in parsed.entries:
            parsed.entries[student] = Entry(student=student, login=login, lms_id=lms_id)


__all__ = ["PLATFORMS", "CollectRun", "main"]
