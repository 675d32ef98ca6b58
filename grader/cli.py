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
      grade SUBMISSIONS_DIR          grade every SUBMISSIONS_DIR/<student>/
      grade check ASSIGNMENT [PATH]  students: run the public tests on your file
      grade validate                 instructors: check every suite against its reference,
                                     stub, mutants and alternatives
      grade release OUT              build the student bundle
      grade report / export / override
    """


def _deadlines() -> dict | None:
    """The course's late rules, when a course is at hand, for pages redrawn from the db."""
    from .course import Course  # noqa: PLC0415
    from .errors import ConfigError  # noqa: PLC0415
    from .grade import deadlines  # noqa: PLC0415

    try:
        course = Course.find()
    except ConfigError:
        return None
    return deadlines(course, course.names())


@main.command("run")
@click.argument("submissions_dir", type=click.Path(path_type=Path))
@click.option("--assignment", "-a", "assignments", multiple=True,
              help="Grade only this assignment (repeatable). Default: all of them.")
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


@main.command("check")
@click.argument("assignment")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@_course
def check_command(assignment: str, path: Path | None, course_dir: Path | None) -> None:
    """Run ASSIGNMENT's public tests on PATH (default: ./ASSIGNMENT.py or a notebook here)."""
    from .checking import format_report  # noqa: PLC0415
    from .checking import main as check_main  # noqa: PLC0415

    report = check_main(assignment=assignment, path=path, course_dir=course_dir)
    click.echo(format_report(report))
    sys.exit(0 if report.passed else EXIT_FAILURES)


@main.command("validate")
@click.option("--assignment", "-a", "assignments", multiple=True)
@click.option("--no-sandbox", is_flag=True)
@_course
def validate_command(assignments: tuple[str, ...], no_sandbox: bool,
                     course_dir: Path | None) -> None:
    """Grade every reference, stub, mutant and alternative; fail on any miss."""
    from . import validate  # noqa: PLC0415

    report = validate.main(assignments=list(assignments), course_dir=course_dir,
                           sandbox="none" if no_sandbox else "auto")
    click.echo(validate.format_report(report))
    sys.exit(0 if report.ok else EXIT_FAILURES)


@main.command("release")
@click.argument("out", type=click.Path(path_type=Path))
@_course
def release_command(out: Path, course_dir: Path | None) -> None:
    """Write the student bundle (READMEs, stubs, public tests) to OUT."""
    from .release import main as release_main  # noqa: PLC0415

    written = release_main(out=out, course_dir=course_dir)
    click.echo(f"wrote {len(written)} files to {out}")


@main.command("report")
@_db
@_out("reports", "HTML reports")
def report_command(db: str, out: Path) -> None:
    """Re-render the HTML reports from the gradebook, without regrading."""
    from . import report  # noqa: PLC0415

    written = report.main(db=db, out=out, deadlines=_deadlines())
    click.echo(f"wrote {len(written)} pages to {out}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "gradescope", "junit"]),
              required=True)
@_db
@_out("exports", "exported files")
def export_command(fmt: str, db: str, out: Path) -> None:
    """Export the gradebook as CSV, Gradescope results.json or JUnit XML."""
    from . import export  # noqa: PLC0415

    written = export.main(fmt=fmt, db=db, out=out, deadlines=_deadlines())
    click.echo(f"wrote {len(written)} files to {out}")


@main.command("override")
@click.argument("student")
@click.argument("assignment")
@click.argument("score", type=float)
@click.option("--reason", required=True, help="Why; shown in the student's report.")
@_db
def override_command(student: str, assignment: str, score: float, reason: str, db: str) -> None:
    """Set STUDENT's score for ASSIGNMENT by hand; it survives regrades."""
    from .gradebook import Gradebook  # noqa: PLC0415

    with Gradebook(db) as book:
        book.override(student, assignment, score, reason=reason)
    click.echo(f"{student}/{assignment}: score set to {score:g} ({reason})")


if __name__ == "__main__":
    main()
