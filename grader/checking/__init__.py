"""``grade check ASSIGNMENT [PATH]``: a student's self-check with the public tests.

The student's file is copied into a fresh student folder under the name the grader expects
and graded by the same engine as the real grading, with ``assignments/<name>/test_public.py``
instead of the hidden suite. The strongest sandbox available is used without a word about a
weaker one: on a laptop the student's own code is all that runs.

From a notebook, ``from grader import check; check("softmax")`` checks what the running
kernel has executed (see ``grader.checking.notebook``).
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
from pathlib import Path
from typing import Any

from ..errors import SandboxUnavailable
from .locate import candidates, find_course, target_name
from .report import CheckReport, CheckResult, ReportView, format_report, report_html

__all__ = ["CheckReport", "CheckResult", "format_report", "main", "notebook_check",
           "report_html"]

STUDENT = "you"
# The worker's copy of a file: <scratch>/submission[-xyz]/<name>, quoted in tracebacks.
_SCRATCH_FILE = re.compile(r"""(?:[A-Za-z]:)?[^\s"':]*?[/\\]submission(?:-[^\s"'/\\]*)?[/\\]"""
                           r"""([^\s"'/\\:]+)""")


def _require_posix() -> None:
    missing = [name for name, ok in (("os.fork", hasattr(os, "fork")),
                                     ("socket.send_fds", hasattr(socket, "send_fds")))
               if not ok]
    if missing:
        raise SandboxUnavailable(
            f"grade check needs Linux or macOS (on Windows: WSL); this Python lacks "
            f"{', '.join(missing)}, which the grader's worker uses"
        )


def main(*, assignment: str, path: Path | None = None, course_dir: Path | None = None,
         sandbox: str = "auto", display_names: dict[str, str] | None = None) -> CheckReport:
    """Run ``assignment``'s public tests on the student's file, notebook or folder.

    Args:
        assignment: the assignment's name (``softmax``).
        path: a ``.py`` script (graded as the assignment's file, whatever its name), a
            ``.ipynb`` notebook, or a folder; default: the current folder, where
            ``<assignment>.py`` wins over a notebook that defines the assignment's names.
        course_dir: the course folder holding ``assignments/``; default:
            ``$GRADER_COURSE``, else the nearest folder above the current one (or above
            the file) that holds ``assignments/<assignment>/``, else ``Course.find``.
        sandbox: "auto" (bwrap when it works, else a plain subprocess), "bwrap" or "none".
        display_names: how to name a checked file in the report instead of its path.

    Returns:
        CheckReport with one CheckResult per public test; ``passed`` when all passed.

    Raises:
        ConfigError: no course, an unknown assignment, or a public suite that does not load.
        SubmissionError: the path does not exist or holds nothing to check.
        SandboxUnavailable: the worker cannot start (or this system cannot fork it).
    """
    from ..discover import discover_student  # noqa: PLC0415 - keep the notebook import light
    from ..engine.grading import Engine  # noqa: PLC0415
    from ..engine.sandbox import choose_sandbox  # noqa: PLC0415

    given = Path(path) if path is not None else None
    starts = [Path.cwd()]
    if given is not None and given.exists():
        starts.append(given.parent if given.is_file() else given)
    course = find_course(Path(course_dir) if course_dir is not None else None, assignment,
                         *starts)
    (name,) = course.check_names([assignment])
    config = course.config(name)
    found = candidates(config, given)
    _require_posix()
    box = choose_sandbox(sandbox)
    shown = dict(display_names or {})
    with tempfile.TemporaryDirectory(prefix="grade-check-") as scratch:
        folder = Path(scratch) / STUDENT
        folder.mkdir()
        originals: dict[str, str] = {}
        for source in found.files:
            target = target_name(config, source)
            (folder / target).write_bytes(source.read_bytes())
            originals[target] = shown.get(str(source), _shown(source))
        submission = discover_student(folder, [config])
        if not submission.assignments.get(name):
            # A notebook that does not define the names still runs, so its errors show.
            submission.assignments[name] = sorted(originals)
        with Engine(course, [name], sandbox=box, kind="public") as engine:
            result = engine.grade_assignment(submission, name)
    report = CheckReport.from_result(result, title=config.title, checked=list(originals.values()),
                                     sandbox=box.name)
    _name_files(report, originals)
    report.notes += [f"also found {other.name}; to check it: grade check {name} {_shown(other)}"
                     for other in found.others]
    return report


def _shown(path: Path) -> str:
    """``path`` as the student would type it: relative when it is below the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _name_files(report: CheckReport, originals: dict[str, str]) -> None:
    """Point tracebacks at the student's own file instead of the worker's scratch copy."""

    def rename(text: str) -> str:
        return _SCRATCH_FILE.sub(lambda m: originals.get(m.group(1), m.group(0)), text)

    report.problems = [rename(p) for p in report.problems]
    for test in report.tests:
        test.message = rename(test.message)
        test.hint = rename(test.hint)
    report.output = rename(report.output)


def notebook_check(assignment: str, path: str | Path | None = None,
                   **kwargs: Any) -> CheckReport:
    """Check ``assignment`` from a notebook (or a script) and show the result.

    Without ``path`` inside IPython, the cells this kernel has run become a notebook that is
    checked in a fresh worker; with ``path``, that file is checked. In IPython the result
    is displayed as a table, elsewhere printed as text; pass ``display=False`` for neither.
    Keyword arguments go on to ``main`` (``course_dir``, ``sandbox``).

    Returns:
        The CheckReport. Inside the grader's own worker (a submitted notebook that still
        calls ``check``) nothing is checked and the report says so.
    """
    from .notebook import history_cells, inside_worker, ipython_shell, show  # noqa: PLC0415

    display = bool(kwargs.pop("display", True))
    if inside_worker():
        return CheckReport(assignment=assignment, status="skipped",
                           notes=["check() does nothing while the grader runs this code"])
    shell = ipython_shell()
    if path is not None or shell is None:
        report = main(assignment=assignment, path=Path(path) if path is not None else None,
                      **kwargs)
    else:
        from .notebook import write_history_notebook  # noqa: PLC0415

        with tempfile.TemporaryDirectory(prefix="grade-check-history-") as scratch:
            notebook = write_history_notebook(history_cells(shell), Path(scratch))
            report = main(assignment=assignment, path=notebook,
                          display_names={str(notebook): "the cells this notebook ran"},
                          **kwargs)
    if display:
        show(ReportView(report), shell)
    return report
