"""The ``grade`` command line: the only module that imports click; each command forwards.

Exit codes: 0 when the command ran (whatever the scores), 1 when ``check``/``validate`` found
failures, 2 on usage errors (missing folder, unknown assignment, bad config), 3 on
infrastructure errors (sandbox required but missing, gradebook unreachable). Each
``GraderError`` carries its code (``errors.py``); the group turns one into its line on stderr
and its exit code in one place, ``_Grade.invoke``, so the commands only forward.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import EXIT_FAILURES, GraderError

DEFAULT_DB = "sqlite:///gradebook.db"


class _Grade(click.Group):
    """The ``grade`` group: ``grade DIR`` means ``grade run DIR`` (the contract's short
    form), and a ``GraderError`` from any command ends it with its one line and exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraderError as exc:
            click.echo(f"grade: error: {exc}", err=True)
            sys.exit(exc.exit_code)


# Options more than one command takes, declared once.
_db = click.option("--db", default=DEFAULT_DB, show_default=True,
                   help="Gradebook URL (sqlite:///FILE or postgresql://...).")
_course = click.option("--course", "course_dir", type=click.Path(path_type=Path),
                       help="Course folder holding assignments/ and reference/.")


def _out(default: str, what: str) -> Any:
    return click.option("--out", type=click.Path(path_type=Path), default=Path(default),
                        show_default=True, help=f"Folder for the {what}.")


@click.group(cls=_Grade, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grade")
def main() -> None:
    """Grade ML-course submissions with hidden tests, student code sandboxed.

    \b
      grade collect SOURCE OUT --from canvas|moodle|classroom|pattern
                                     instructors: a platform's download into OUT/<student>/
      grade SUBMISSIONS_DIR          grade every SUBMISSIONS_DIR/<student>/
      grade check ASSIGNMENT [PATH]  students: run the public tests on your file
      grade check --all [FOLDER]     ... of every assignment found in the folder
      grade validate                 instructors: check every suite against its reference,
                                     stub, mutants and alternatives
      grade new NAME                 instructors: a new assignment to edit (not released)
      grade stub NAME                write NAME.ipynb from the stub script NAME.py
      grade release OUT [-a NAME]    build the student bundle (-a: release NAME)
      grade report / export / override   (export --format canvas|moodle: docs/lms.md)
      grade similarity SUBMISSIONS_DIR   instructors: alike code across the class
    """


@main.command("run")
@click.argument("submissions_dir", type=click.Path(path_type=Path))
@click.option("--assignment", "-a", "assignments", multiple=True,
              help="Grade this assignment, released or not (repeatable). "
                   "Default: the released ones (course.toml).")
@_out("reports", "HTML reports")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Write the results JSON here.")
@click.option("--junit", "junit_path", type=click.Path(path_type=Path),
              help="Write JUnit XML here (for CI).")
@_db
@click.option("--jobs", "-j", type=int, default=None,
              help="Processes grading in parallel. Default: number of cores.")
@click.option("--no-sandbox", is_flag=True, help="Run student code without bubblewrap.")
@click.option("--require-sandbox", is_flag=True,
              help="Refuse to grade unless the bubblewrap sandbox works.")
@click.option("--force", is_flag=True, help="Regrade even what the gradebook already holds.")
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:8786) instead of local.")
@click.option("--data", "jet_data", default="surrogate", show_default=True,
              help="Jet data: surrogate, openml, or a parquet/csv file.")
@_course
@click.option("--no-reports", is_flag=True, help="Write no HTML reports (grade report can later).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or table.")
def run_command(submissions_dir: Path, assignments: tuple[str, ...], out: Path,
                json_path: Path | None, junit_path: Path | None, db: str, jobs: int | None,
                no_sandbox: bool, require_sandbox: bool, force: bool, scheduler: str | None,
                jet_data: str, course_dir: Path | None, no_reports: bool, quiet: bool) -> None:
    """Grade every SUBMISSIONS_DIR/<student>/ folder."""
    from . import grade  # noqa: PLC0415
    from .terminal import GradeDisplay  # noqa: PLC0415

    display = GradeDisplay(enabled=not quiet)
    with display:
        result = grade.main(
            submissions_dir=submissions_dir, assignments=list(assignments),
            out=None if no_reports else out,
            json_path=json_path, junit_path=junit_path, db=db, jobs=jobs,
            sandbox="none" if no_sandbox else "auto", require_sandbox=require_sandbox,
            force=force, scheduler=scheduler, course_dir=course_dir,
            options={"jet_data": jet_data}, progress=display.advance,
            on_start=display.start,
        )
    display.summary(result)


@main.command("collect")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--from", "platform", required=True,
              type=click.Choice(["canvas", "moodle", "classroom", "pattern"]),
              help="Where SOURCE comes from (its naming).")
@click.option("--pattern", "pattern_text",
              help="With --from pattern: a regex over each path with the named groups "
                   "student, file and optionally time.")
@click.option("--prefix", help="GitHub Classroom: the assignment prefix of <prefix>-<login>.")
@click.option("--roster", type=click.Path(path_type=Path),
              help="CSV student,login,lms_id (or the platform's own roster export).")
@click.option("--times", type=click.Path(path_type=Path),
              help="CSV with lms_id|login|student and submitted_at (ISO 8601 with a zone).")
def collect_command(source: Path, out: Path, platform: str, pattern_text: str | None,
                    prefix: str | None, roster: Path | None, times: Path | None) -> None:
    """Turn a Canvas, Moodle or GitHub Classroom download into OUT/<student>/ folders and
    the manifest OUT/submissions.csv."""
    from rich.console import Console  # noqa: PLC0415

    from . import collect  # noqa: PLC0415
    from .collect.summary import summary_table, unmatched_lines  # noqa: PLC0415

    run = collect.main(source=source, out=out, platform=platform, pattern_text=pattern_text,
                       prefix=prefix, roster=roster, times=times)
    console = Console()
    console.print(summary_table(run))
    for line in unmatched_lines(run):
        console.print(line, markup=False, highlight=False)
    click.echo(f"wrote {run.manifest}; next: grade {out}")


@main.command("check")
@click.argument("assignment", required=False)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--all", "every", is_flag=True,
              help="Check every assignment of the course found in PATH (default: here).")
@_course
def check_command(assignment: str | None, path: Path | None, every: bool,
                  course_dir: Path | None) -> None:
    """Run ASSIGNMENT's public tests on PATH (default: ./ASSIGNMENT.py or a notebook here),
    or with --all those of every assignment found in the folder PATH."""
    if every:
        from .checking.every import format_every, main_all  # noqa: PLC0415

        if assignment is not None and path is not None:
            raise click.UsageError("grade check --all takes at most one FOLDER")
        folder = Path(assignment) if assignment is not None else path
        found = main_all(path=folder, course_dir=course_dir)
        click.echo(format_every(found))
        sys.exit(0 if found.passed else EXIT_FAILURES)
    if assignment is None:
        raise click.UsageError("name the ASSIGNMENT to check, or pass --all")
    from .checking import format_report  # noqa: PLC0415
    from .checking import main as check_main  # noqa: PLC0415

    report = check_main(assignment=assignment, path=path, course_dir=course_dir)
    click.echo(format_report(report))
    sys.exit(0 if report.passed else EXIT_FAILURES)


@main.command("validate")
@click.option("--assignment", "-a", "assignments", multiple=True)
@click.option("--no-sandbox", is_flag=True)
@_course
@click.option("--secrets", type=click.IntRange(min=1), default=None,
              help="Judge under this many course secrets: the course's, then ones derived "
                   "from it. Default: 5.")
@click.option("--mutate", is_flag=True,
              help="Instead: grade automatic mutants of each reference with its hidden suite "
                   "and print the mutation score (default: the fast assignments).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="With --mutate: engines grading mutants in parallel. Default: cores.")
@click.option("--max-mutants", type=click.IntRange(min=1), default=None,
              help="With --mutate: at most this many mutants per assignment "
                   "(default: all; 10 for a slow, model assignment).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None,
              help="With --mutate: fail below this marked score, in percent. Default: 80.")
def validate_command(assignments: tuple[str, ...], no_sandbox: bool,
                     course_dir: Path | None, secrets: int | None, mutate: bool,
                     jobs: int | None, max_mutants: int | None,
                     min_score: float | None) -> None:
    """Grade every reference, stub, mutant and alternative; fail on any miss."""
    if mutate:
        from .validate import mutate as mutation  # noqa: PLC0415

        reports = mutation.main(assignments=list(assignments), course_dir=course_dir,
                                sandbox="none" if no_sandbox else "auto", jobs=jobs,
                                max_mutants=max_mutants)
        click.echo(mutation.format_reports(reports))
        floor = mutation.DEFAULT_MIN_SCORE if min_score is None else min_score
        sys.exit(0 if mutation.passed(reports, floor) else EXIT_FAILURES)
    from . import validate  # noqa: PLC0415

    report = validate.main(assignments=list(assignments), course_dir=course_dir,
                           sandbox="none" if no_sandbox else "auto",
                           secrets=secrets or validate.DEFAULT_SECRETS)
    click.echo(validate.format_report(report))
    sys.exit(0 if report.ok else EXIT_FAILURES)


@main.command("new")
@click.argument("name")
@click.option("--course", "course_dir", type=click.Path(path_type=Path),
              help="Course folder to add it to. Default: the current folder.")
def new_command(name: str, course_dir: Path | None) -> None:
    """Write a new assignment NAME (public and reference halves) to edit; it validates as is
    and is not released."""
    from .new import main as new_main  # noqa: PLC0415

    written = new_main(name=name, course_dir=course_dir)
    click.echo(f"wrote {len(written)} files for {name}; next: edit them, then "
               f"grade validate -a {name}")


@main.command("stub")
@click.argument("assignment")
@_course
def stub_command(assignment: str, course_dir: Path | None) -> None:
    """Write ASSIGNMENT's stub notebook from its stub script (percent format: # %% cells)."""
    from .stub import main as stub_main  # noqa: PLC0415

    click.echo(f"wrote {stub_main(assignment=assignment, course_dir=course_dir)}")


@main.command("release")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--assignment", "-a", "assignments", multiple=True,
              help="Ship this assignment and add it to course.toml's released list "
                   "(repeatable). Default: the released ones.")
@_course
def release_command(out: Path, assignments: tuple[str, ...], course_dir: Path | None) -> None:
    """Write the student bundle (READMEs, stubs, public tests) to OUT."""
    from .course import Course  # noqa: PLC0415
    from .release import main as release_main  # noqa: PLC0415
    from .release import public_lines  # noqa: PLC0415

    written = release_main(out=out, course_dir=course_dir, assignments=list(assignments))
    for line in public_lines(course_dir=course_dir):
        click.echo(f"note: {line}")
    click.echo(f"wrote {len(written)} files to {out}")
    click.echo(f"released: {', '.join(Course.find(course_dir).released())}")


@main.command("report")
@_db
@_out("reports", "HTML reports")
@_course
def report_command(db: str, out: Path, course_dir: Path | None) -> None:
    """Re-render the HTML reports from the gradebook, without regrading."""
    from . import report  # noqa: PLC0415

    written = report.main(db=db, out=out, course_dir=course_dir)
    click.echo(f"wrote {len(written)} pages to {out}")


@main.command("export")
@click.option("--format", "fmt",
              type=click.Choice(["csv", "gradescope", "junit", "canvas", "moodle"]),
              required=True)
@_db
@_out("exports", "exported files")
@_course
@click.option("--template", type=click.Path(path_type=Path),
              help="canvas/moodle: the sheet downloaded from the LMS (the Canvas gradebook "
                   "export, the Moodle grading worksheet).")
@click.option("--assignment", "-a", "assignment", help="canvas/moodle: the assignment to export.")
@click.option("--roster", type=click.Path(path_type=Path),
              help="canvas/moodle: CSV student,login,lms_id (default: the manifest's ids).")
@click.option("--submissions", type=click.Path(path_type=Path),
              help="canvas/moodle: the folder whose submissions.csv holds the ids "
                   "(default: the one last graded).")
def export_command(fmt: str, db: str, out: Path, course_dir: Path | None,
                   template: Path | None, assignment: str | None, roster: Path | None,
                   submissions: Path | None) -> None:
    """Export the gradebook as CSV, Gradescope results.json, JUnit XML, or into a Canvas
    gradebook / Moodle grading worksheet (one assignment, students matched by LMS id)."""
    from . import export  # noqa: PLC0415

    if fmt not in ("canvas", "moodle"):
        written = export.main(fmt=fmt, db=db, out=out, course_dir=course_dir)
        click.echo(f"wrote {len(written)} files to {out}")
        return
    if template is None or not assignment:
        raise click.UsageError(f"--format {fmt} needs --template SHEET.csv and -a ASSIGNMENT")
    from .export import to_lms  # noqa: PLC0415

    result = to_lms.main(fmt=fmt, template=template, assignment=assignment, db=db, out=out,
                         course_dir=course_dir, roster=roster, submissions=submissions)
    click.echo(f"wrote {result.path}: {len(result.matched)} students")
    for student, reason in sorted(result.unmatched.items()):
        click.echo(f"not matched, left out: {student}: {reason}", err=True)


@main.command("override")
@click.argument("student")
@click.argument("assignment")
@click.argument("score", type=float, required=False)
@click.option("--reason", help="Why; shown in the student's report. Required with SCORE.")
@click.option("--clear", is_flag=True, help="Remove the override instead of setting one.")
@click.option("--allow-bonus", is_flag=True, help="Accept a score above the assignment's points.")
@_db
@_course
def override_command(student: str, assignment: str, score: float | None, reason: str | None,
                     clear: bool, allow_bonus: bool, db: str, course_dir: Path | None) -> None:
    """Set STUDENT's final score for ASSIGNMENT by hand (it survives regrades), or --clear it."""
    from . import override  # noqa: PLC0415

    done = override.main(student=student, assignment=assignment, score=score, reason=reason,
                         db=db, course_dir=course_dir, allow_bonus=allow_bonus, clear=clear)
    click.echo(done.describe())


@main.command("similarity")
@click.argument("submissions_dir", type=click.Path(path_type=Path))
@_course
@click.option("--assignment", "-a", "assignments", multiple=True,
              help="Compare only this assignment (repeatable). Default: all of them.")
@click.option("--db", default=None, help="Gradebook URL: its class summary then links the index.")
@_out("reports/similarity", "index and the side-by-side pages")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Write every pair above the floor as JSON here.")
@click.option("--threshold", type=float, default=None,
              help="Flag at or above this score (0-1) instead of each assignment's own.")
def similarity_command(submissions_dir: Path, course_dir: Path | None,
                       assignments: tuple[str, ...], db: str | None, out: Path,
                       json_path: Path | None, threshold: float | None) -> None:
    """Instructors: pairs of students whose code for an assignment is alike (a reason to
    look, never a penalty)."""
    from . import similarity  # noqa: PLC0415

    run = similarity.main(submissions_dir=submissions_dir, course_dir=course_dir,
                          assignments=list(assignments), db=db, out=out,
                          json_path=json_path, threshold=threshold)
    for warning in run.warnings:
        click.echo(f"grade: warning: {warning}", err=True)
    for comparison in run.comparisons:
        click.echo(f"{comparison.assignment}: {comparison.message}")
        for rank, pair in enumerate(comparison.flagged, start=1):
            click.echo(f"  {rank:3d}. {pair.similarity:.2f}  {pair.students[0]}  "
                       f"{pair.students[1]}")
    if run.index is not None:
        click.echo(f"wrote {run.index} ({run.flagged} flagged pair(s))")


if __name__ == "__main__":
    main()
