"""One assignment into Moodle's offline grading worksheet, ready for "Upload grading
worksheet".

Moodle's importer (``mod/assign/feedback/offline/importgradeslib.php``, docs/lms.md) finds
three columns by their headers, ``Identifier``, ``Grade`` and ``Last modified (grade)``, and
refuses a sheet without any of them; an identifier is ``Participant `` followed by the
participant number Moodle shows in that assignment (the number in the folder names of its
"Download all submissions", which the ingest manifest keeps as ``lms_id``). A row is imported
only where the grade in Moodle was not changed after that row's ``Last modified (grade)``,
so we keep every column of the downloaded worksheet as it was and write only ``Grade``.
"""

from __future__ import annotations

from grader.errors import ConfigError
from grader.export.lms import Grade, LmsExport, Sheet, match, number, scaled

IDENTIFIER, GRADE, MODIFIED = "Identifier", "Grade", "Last modified (grade)"
MAXIMUM = "Maximum Grade"
PARTICIPANT = "Participant "


def fill_moodle(sheet: Sheet, grades: list[Grade],
                ids: dict[str, dict[str, str]]) -> tuple[list[str], list[list[str]], LmsExport]:
    """The worksheet's header and the rows of the matched students, grades filled.

    Raises:
        ConfigError: the template is not a grading worksheet (a column Moodle needs is
            missing) or an identifier is not ``Participant N``.
    """
    ident, grade_col = sheet.column(IDENTIFIER), sheet.column(GRADE)
    sheet.column(MODIFIED)
    maximum = sheet.header.index(MAXIMUM) if MAXIMUM in sheet.header else None
    by_id: dict[str, int] = {}
    for index, row in enumerate(sheet.rows):
        value = row[ident].strip()
        if not value.startswith(PARTICIPANT) or not value[len(PARTICIPANT):].isdigit():
            raise ConfigError(
                f"--template {sheet.path}, line {index + 2}: identifier {value[:40]!r} is not "
                f"'{PARTICIPANT}N'; pass the worksheet exactly as Moodle wrote it")
        by_id[value[len(PARTICIPANT):]] = index

    def find(known: dict[str, str]) -> int | None:
        number_id = known.get("lms_id", "").removeprefix(PARTICIPANT).strip()
        return by_id.get(number_id)

    placed, unmatched = match(grades, ids, find)
    rows = []
    for index in sorted(placed):
        row = list(sheet.rows[index])
        points = row[maximum] if maximum is not None else ""
        row[grade_col] = number(scaled(placed[index], points))
        rows.append(row)
    result = LmsExport(sheet.path, sorted(g.student for g in placed.values()), unmatched)
    return sheet.header, rows, result
