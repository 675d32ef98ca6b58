"""Grades back to an LMS: one assignment written into the LMS's own CSV, students matched
by the ids it knows them by, never by a guess.

The instructor downloads the LMS's sheet (Canvas: the gradebook export; Moodle: the
assignment's offline grading worksheet) and passes it as ``--template``. The sheet decides
everything the LMS checks on import: which columns identify a student, what the assignment
column is called, what the assignment is out of. We only write the adjusted score
(:mod:`grader.effective`, as every output) into the rows of students we can match
through the ingest manifest's ``lms_id``/``login`` or a ``--roster``; a student we cannot
match is listed with the reason and left out of the file. A template row we have no grade
for is left out too: a row absent from an import changes nothing in the LMS.

Scores are scaled to the template's points (Canvas ``Points Possible``, Moodle ``Maximum
Grade``) when the LMS assignment is out of another total than ours.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import ConfigError


@dataclass(frozen=True)
class Grade:
    """One student's adjusted grade for the exported assignment."""

    student: str
    score: float
    max_score: float
    status: str


@dataclass
class Sheet:
    """A CSV as the LMS wrote it: its header and its rows, cells as text."""

    path: Path
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> int:
        """The index of the column headed ``name``.

        Raises:
            ConfigError: the sheet has no such column (a sheet of another kind, or one
                downloaded in another language).
        """
        if name not in self.header:
            raise ConfigError(
                f"--template {self.path}: no column {name!r} (it has "
                f"{', '.join(self.header[:12])}); pass the sheet exactly as the LMS wrote it"
            )
        return self.header.index(name)


@dataclass
class LmsExport:
    """What an LMS export wrote, and whom it could not place."""

    path: Path
    matched: list[str] = field(default_factory=list)
    unmatched: dict[str, str] = field(default_factory=dict)
    """student -> why not: no id known for them, or no row of the template has their id."""


def read_sheet(path: Path) -> Sheet:
    """The template CSV (UTF-8, a byte-order mark allowed, as both LMSs write it).

    Raises:
        ConfigError: no such file, not UTF-8 text, or no header.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ConfigError(f"--template {path}: no such file; download the sheet from the "
                          "LMS and pass its path") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"--template {path}: cannot be read as UTF-8 text ({error})") from error
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    if not rows:
        raise ConfigError(f"--template {path}: the file is empty")
    width = len(rows[0])
    return Sheet(path, rows[0], [row + [""] * (width - len(row)) for row in rows[1:]])


def sheet_text(header: list[str], rows: list[list[str]]) -> str:
    """CSV text as both LMSs read it: comma-separated, every cell quoted, CRLF lines."""
    stream = io.StringIO()
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


def number(value: float) -> str:
    """A score as the LMS parses it: a plain decimal, no exponent, no trailing zeros."""
    text = f"{round(float(value), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def scaled(grade: Grade, points: str) -> float:
    """``grade.score`` out of the LMS's ``points`` when given, else as it is."""
    try:
        total = float(points)
    except ValueError:
        return grade.score
    if total <= 0 or grade.max_score <= 0 or total == grade.max_score:
        return grade.score
    return grade.score / grade.max_score * total


def match(grades: list[Grade], ids: dict[str, dict[str, str]],
          find: Callable[[dict[str, str]], int | None]) -> tuple[dict[int, Grade],
                                                                  dict[str, str]]:
    """Row index of the template for each grade that ``find`` places by the student's
    ids; every other student with the reason."""
    rows: dict[int, Grade] = {}
    unmatched: dict[str, str] = {}
    for grade in grades:
        known = {k: v for k, v in ids.get(grade.student, {}).items() if v}
        if not known:
            unmatched[grade.student] = "no lms_id or login known (manifest or --roster)"
            continue
        row = find(known)
        if row is None:
            shown = ", ".join(f"{k} {v}" for k, v in sorted(known.items()))
            unmatched[grade.student] = f"no row of the template has {shown}"
        elif row in rows:
            unmatched[grade.student] = (f"the same row as {rows[row].student}: their ids "
                                        "collide, fix the manifest or roster")
        else:
            rows[row] = grade
    return rows, unmatched
