"""The table ``grade collect`` ends with: per student what was taken, renamed, unpacked and
ignored, and why; then the download's entries that belong to no student."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table


def summary_rows(run: Any) -> list[tuple[str, str, str, str]]:
    """(student, status, taken, what else happened) per student, in plain text."""
    rows = []
    for outcome in run.students:
        notes = [f"renamed {a} -> {b}" for a, b in outcome.renamed.items()]
        notes += [f"unpacked {a}" for a in outcome.unpacked]
        notes += [f"ignored {a}: {why}" for a, why in outcome.ignored.items()]
        late = run.late.get(outcome.student)
        status = outcome.status + (" (LATE)" if late else "")
        rows.append((outcome.student, status, ", ".join(outcome.taken) or "-",
                     "\n".join(notes) or "-"))
    return rows


def summary_table(run: Any) -> Table:
    table = Table(title=f"{len(run.students)} students collected into {run.out}")
    for column in ("student", "status", "taken", "renamed, unpacked, ignored (why)"):
        table.add_column(column)
    for row in summary_rows(run):
        table.add_row(*(escape(cell) for cell in row))
    return table


def unmatched_lines(run: Any) -> list[str]:
    return [f"not collected: {path}: {why}" for path, why in sorted(run.unmatched.items())]
