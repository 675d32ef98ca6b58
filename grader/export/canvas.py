"""One assignment into the course's Canvas gradebook export, ready for Canvas's import.

Canvas reads an imported gradebook CSV by its columns (docs/lms.md cites the guides):
``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID`` and ``Section`` identify the student
(``ID`` is the Canvas user id), each assignment column is headed ``Name (assignment id)``,
and the export's second row, ``Points Possible``, is no student. We keep those columns of
the template, add the one assignment column taken from it verbatim, and write the rows of
the students matched by ``ID`` or ``SIS User ID`` (the manifest's ``lms_id``) or ``SIS Login
ID`` (its ``login``).
"""

from __future__ import annotations

import re

from grader.errors import ConfigError
from grader.export.lms import Grade, LmsExport, Sheet, match, number, scaled

IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
REQUIRED = ("Student", "ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
_ASSIGNMENT = re.compile(r"^(?P<name>.+?) \((?P<id>\d+)\)$")


def assignment_column(sheet: Sheet, names: tuple[str, ...]) -> int:
    """The template's column for the assignment: the one headed ``Name (id)`` whose name is
    one of ``names`` (the assignment's name or title, case and spacing aside).

    Raises:
        ConfigError: no such column, or more than one.
    """
    wanted = {" ".join(n.split()).casefold() for n in names if n}
    found = [i for i, head in enumerate(sheet.header)
             if (m := _ASSIGNMENT.match(head.strip()))
             and " ".join(m["name"].split()).casefold() in wanted]
    if len(found) != 1:
        columns = [h for h in sheet.header if _ASSIGNMENT.match(h.strip())]
        what = "no column" if not found else "more than one column"
        raise ConfigError(
            f"--template {sheet.path}: {what} for {' / '.join(names)} among the assignment "
            f"columns ({', '.join(columns) or 'none'}); name the Canvas assignment like ours "
            "(or like its title in assignment.toml) and export the gradebook again"
        )
    return found[0]


def fill_canvas(sheet: Sheet, grades: list[Grade], ids: dict[str, dict[str, str]],
                names: tuple[str, ...]) -> tuple[list[str], list[list[str]], LmsExport]:
    """The header and rows to import, and who was matched or not.

    Raises:
        ConfigError: the template lacks a column Canvas needs, or the assignment column.
    """
    for name in REQUIRED:
        sheet.column(name)
    keep = [sheet.header.index(n) for n in IDENTITY if n in sheet.header]
    target = assignment_column(sheet, names)
    student_col = sheet.column("Student")
    points = next((row[target] for row in sheet.rows
                   if row[student_col].strip() == POINTS_POSSIBLE), "")
    by_key: dict[tuple[str, str], int] = {}
    for index, row in enumerate(sheet.rows):
        if row[student_col].strip() == POINTS_POSSIBLE:
            continue
        for column, key in (("ID", "lms_id"), ("SIS User ID", "lms_id"),
                            ("SIS Login ID", "login")):
            if column in sheet.header and (value := row[sheet.header.index(column)].strip()):
                by_key.setdefault((key, value), index)

    def find(known: dict[str, str]) -> int | None:
        for key in ("lms_id", "login"):
            if key in known and (key, known[key]) in by_key:
                return by_key[(key, known[key])]
        return None

    placed, unmatched = match(grades, ids, find)
    header = [sheet.header[i] for i in keep] + [sheet.header[target]]
    rows = []
    if points:
        rows.append([POINTS_POSSIBLE if i == student_col else "" for i in keep] + [points])
    for index in sorted(placed):
        row = sheet.rows[index]
        rows.append([row[i] for i in keep] + [number(scaled(placed[index], points))])
    result = LmsExport(sheet.path, sorted(g.student for g in placed.values()), unmatched)
    return header, rows, result
