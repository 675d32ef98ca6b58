"""What ``grade`` shows on the terminal: a progress bar while grading, a table after."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .results import StudentResult

STATUS_STYLE = {"graded": "", "missing": "dim", "error": "red", "timeout": "yellow"}


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def submission_problems(students: list[StudentResult]) -> list[str]:
    """One line per refused entry and per other error the student must fix, for the summary."""
    lines = []
    for student in students:
        lines += [f"{student.student}: refused {name}: {reason}"
                  for name, reason in student.refused.items()]
        said: set[str] = set()
        for result in student.assignments:
            first = result.message.splitlines()[0] if result.message else ""
            # A refused file's consequence is said by its line above; a folder's failure once.
            if (result.cause != "submission" or first in said
                    or any(first.startswith(f"{name} ") for name in student.refused)):
                continue
            said.add(first)
            lines.append(f"{student.student}: {result.assignment}: {first}")
    return lines


def file_notes(students: list[StudentResult]) -> list[str]:
    """One line per file taken under another name or left out, with what and why."""
    return [f"{student.student}: {name}: {note}"
            for student in students for name, note in sorted(student.notes.items())]


class GradeDisplay:
    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.err = Console(stderr=True)
        self.out = Console()
        self.progress: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> GradeDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def start(self, total: int) -> None:
        if not self.enabled:
            return
        self.progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.description}"),
                                 console=self.err, transient=True)
        self.progress.start()
        self.task = self.progress.add_task("", total=total)

    def advance(self, result: StudentResult, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=done, description=result.student)

    def summary(self, run: Any) -> None:
        for warning in run.warnings:
            self.err.print(f"[yellow]warning:[/] {warning}")
        for note in run.notes:
            self.err.print(f"note: {note}", highlight=False)
        if not self.enabled:
            return
        names = [a.assignment for a in run.students[0].assignments] if run.students else []
        self.out.print(f"graded against {run.course}", highlight=False, markup=False)
        table = Table(title=f"{len(run.students)} students, sandbox: {run.sandbox}")
        table.add_column("student")
        for name in names:
            table.add_column(name, justify="right")
        table.add_column("total", justify="right", style="bold")
        for student in run.students:
            cells = []
            for result in student.assignments:
                style = STATUS_STYLE.get(result.status, "")
                text = f"{_points(result.score)}/{_points(result.max_score)}"
                if result.status != "graded":
                    text += f" {result.status}"
                if result.adjustments:
                    text += " *"
                cells.append(f"[{style}]{text}[/]" if style else text)
            table.add_row(escape(student.student), *cells,
                          f"{_points(student.score)}/{_points(student.max_score)}")
        self.out.print(table)
        if any(a.adjustments for s in run.students for a in s.assignments):
            self.out.print("* adjusted: late penalty or override (see the student's page)")
        for line in submission_problems(run.students) + file_notes(run.students):
            self.out.print(line, markup=False, highlight=False)
        self.out.print(
            f"graded {run.graded}, from the gradebook {run.cached}, in {run.seconds:.1f} s"
        )
        for path in run.written:
            if path.suffix == ".json" or path.name == "index.html" or path.suffix == ".xml":
                self.out.print(f"wrote {path}")
