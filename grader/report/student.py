"""One feedback page per student: every test, its message, and the evidence behind a grade.

The page is what a student reads to learn from the grade, so it shows what the suite said
(test messages), what the code printed (captured output), what the notebook did (cells and
tracebacks) and, for the jet classifier, how the model behaved (ROC, confusion, loss).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from grader.naming import PageNames, student_filename
from grader.report import plots
from grader.report.notebook import NotebookView, read_notebook
from grader.report.templating import environment, write_page
from grader.report.text import first_line, terminal_text
from grader.results import AssignmentResult, StudentResult, bound_artifacts


@dataclass
class Plot:
    """A drawn plot, or why it could not be drawn (bad artifacts must not lose the page)."""

    title: str
    svg: Markup | None = None
    error: str = ""


@dataclass
class AssignmentView:
    """What the template needs for one assignment besides the result itself."""

    result: AssignmentResult
    counts: dict[str, int]
    output: str
    notebook: NotebookView | None
    metrics: list[tuple[str, str]] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    notebook_file: str = ""
    harmless_cell_errors: bool = False
    """Cells of the notebook failed, yet the suite gave every point: say so, lest the
    student think they cost something (often a download, which the offline grader stops)."""


def _draw(title: str, draw: Any, *args: Any) -> Plot:
    try:
        return Plot(title=title, svg=Markup(draw(*args)))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        return Plot(title=title, error=f"could not draw this plot from the stored data ({error})")


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.4f}"
    return str(value)


def _metrics(artifacts: dict[str, Any]) -> list[tuple[str, str]]:
    metrics = artifacts.get("metrics")
    if not isinstance(metrics, dict):
        return []
    rows = [(str(key), _number(value)) for key, value in metrics.items() if key != "auc"]
    auc = metrics.get("auc")
    if isinstance(auc, dict):
        rows += [(f"AUC {label}", _number(value)) for label, value in auc.items()]
    return rows


def _plots(artifacts: dict[str, Any]) -> list[Plot]:
    found = []
    metrics = artifacts.get("metrics")
    auc = metrics.get("auc") if isinstance(metrics, dict) else None
    auc = auc if isinstance(auc, dict) else {}
    if isinstance(artifacts.get("roc"), dict) and artifacts["roc"]:
        found.append(_draw("ROC curves", plots.roc_svg, artifacts["roc"], auc))
    confusion = artifacts.get("confusion")
    if isinstance(confusion, dict) and confusion.get("matrix"):
        found.append(
            _draw(
                "Confusion matrix (normalised per true class)",
                plots.confusion_svg,
                confusion.get("labels") or [],
                confusion["matrix"],
            )
        )
    if isinstance(artifacts.get("history"), dict) and artifacts["history"]:
        found.append(_draw("Loss per epoch", plots.history_svg, artifacts["history"]))
    return found


def _full_marks(result: AssignmentResult) -> bool:
    """Did the suite give every point (before a late penalty or an override)?"""
    earned = result.raw_score if result.raw_score is not None else result.score
    return result.status == "graded" and result.max_score > 0 and earned >= result.max_score


def _cell_errors(notebook: NotebookView | None) -> bool:
    return notebook is not None and any(
        out.kind == "error" for cell in notebook.cells for out in cell.outputs)


def assignment_view(result: AssignmentResult) -> AssignmentView:
    """Prepare one assignment for the template: counts, cleaned output, notebook, plots."""
    notebook = read_notebook(result.notebook) if result.notebook else None
    return AssignmentView(
        result=result,
        counts=dict(Counter(test.status for test in result.tests)),
        output=terminal_text(result.output),
        notebook=notebook,
        # Bounded again: rows stored before the bound existed are drawn too.
        metrics=_metrics(bound_artifacts(result.artifacts)),
        plots=_plots(bound_artifacts(result.artifacts)),
        harmless_cell_errors=_full_marks(result) and _cell_errors(notebook),
    )


def not_submitted_line(result: AssignmentResult) -> str:
    """The one line an assignment not handed in gets: what was expected (the grading's
    message), never one row per test that could not run."""
    line = first_line(result.message)
    if line.startswith("nothing submitted for ") and ": " in line:
        line = "not submitted: " + line.split(": ", 1)[1]  # a result stored before the wording
    return line if line.startswith("not submitted") else "not submitted"


def _split(result: StudentResult) -> tuple[list[AssignmentView], list[AssignmentResult]]:
    """The views of what was handed in, and the assignments that were not (status
    ``missing``): the page shows the real feedback first, then one line per missing one."""
    views = [assignment_view(a) for a in result.assignments if a.status != "missing"]
    return views, [a for a in result.assignments if a.status == "missing"]


def render_student_html(result: StudentResult) -> str:
    """The student's page as HTML text."""
    template = environment().get_template("student.html")
    views, missing = _split(result)
    return template.render(student=result, assignments=views, missing=missing,
                           not_submitted=not_submitted_line)


def render_student(result: StudentResult, out_dir: Path, *,
                   names: PageNames | None = None) -> Path:
    """Write ``out_dir/<student>.html``, and beside it each executed notebook
    (``<student>.<assignment>.ipynb``, outputs already capped by the worker).

    ``names`` are the file names of the whole class, so that no two pages collide; without
    it the student is named alone."""
    template = environment().get_template("student.html")
    views, missing = _split(result)
    names = names or PageNames([result.student])
    page = Path(out_dir) / names.page(result.student)
    page.parent.mkdir(parents=True, exist_ok=True)
    for view in views:
        if view.result.notebook:
            name = f"{page.stem}.{student_filename(view.result.assignment)}.ipynb"
            (Path(out_dir) / name).write_text(view.result.notebook, encoding="utf-8")
            view.notebook_file = name
    return write_page(page, template.render(student=result, assignments=views, missing=missing,
                                            not_submitted=not_submitted_line))
