"""``grade export --format canvas|moodle``: one assignment's grades into the LMS's sheet."""

from __future__ import annotations

from pathlib import Path

from grader.course import Course
from grader.errors import ConfigError
from grader.export.canvas import fill_canvas
from grader.export.ids import Ids, read_roster
from grader.export.lms import Grade, LmsExport, read_sheet, sheet_text
from grader.export.moodle import fill_moodle
from grader.gradebook import DEFAULT_URL, Gradebook
from grader.manifest import read_ids
from grader.outputs import write_text

LMS_FORMATS = ("canvas", "moodle")


def _ids(roster: Path | None, submissions: Path | None, gradebook: Gradebook) -> Ids:
    """The roster when given, else the manifest of ``submissions`` or of the folder the
    gradebook's newest run graded.

    Raises:
        ConfigError: neither gives any id.
    """
    if roster is not None:
        return read_roster(roster)
    folder = submissions
    if folder is None:
        graded = [run.submissions_dir for run in gradebook.runs() if run.submissions_dir]
        folder = Path(graded[-1]) if graded else None
    ids = read_ids(folder) if folder is not None else {}
    if not ids:
        where = f"{folder}/submissions.csv" if folder is not None else "no graded folder"
        raise ConfigError(
            f"no LMS ids: {where} gives no lms_id or login (or is missing); pass --roster "
            "FILE (columns student,login,lms_id) or --submissions DIR"
        )
    return ids


def main(*, fmt: str, template: Path, assignment: str, db: str = DEFAULT_URL,
         out: Path = Path("exports"), course_dir: Path | None = None,
         roster: Path | None = None, submissions: Path | None = None) -> LmsExport:
    """Write ``out/<fmt>-<assignment>.csv``: ``template`` (the LMS's own sheet) with the
    adjusted grades of ``assignment`` for every student matched by id.

    Args:
        fmt: ``canvas`` (the gradebook export) or ``moodle`` (the assignment's offline
            grading worksheet).
        template: the sheet as downloaded from the LMS.
        assignment: a released assignment of the course.
        roster / submissions: where the students' ``lms_id``/``login`` come from (default:
            the manifest of the folder the gradebook's newest run graded).

    Returns:
        The file written, the students matched, and those not matched with the reason.

    Raises:
        ConfigError: an unknown format, an unreleased assignment, a template that is not
            the LMS's sheet, or no ids to match with.
        GradebookNotFound, GradebookError, OutputError: as for the other formats.
    """
    if fmt not in LMS_FORMATS:
        raise ConfigError(f"unknown LMS format {fmt!r}: choose one of {', '.join(LMS_FORMATS)}")
    course = Course.find(course_dir)
    [name] = course.check_names([assignment])
    if name not in course.released():
        raise ConfigError(f"-a {name}: not released (course.toml), so it has no grade to "
                          f"export; release it first: grade release OUT -a {name}")
    sheet = read_sheet(template)
    with Gradebook(db, create=False) as gradebook:
        course.check_gradebook(gradebook.course(), db)
        ids = _ids(roster, submissions, gradebook)
        grades = [Grade(s.student, a.score, a.max_score, a.status)
                  for s in gradebook.iter_students(evidence=False)
                  for a in s.assignments if a.assignment == name]
    if fmt == "canvas":
        header, rows, result = fill_canvas(sheet, grades, ids, (name, course.config(name).title))
    else:
        header, rows, result = fill_moodle(sheet, grades, ids)
    result.path = write_text(Path(out) / f"{fmt}-{name}.csv", sheet_text(header, rows),
                             option="--out")
    return result
