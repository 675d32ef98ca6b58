"""``grade check --all [FOLDER]``: the public checks of every assignment the folder holds.

The course is the one the folder (or a folder above it) belongs to, as for one assignment;
in the student bundle it holds exactly the released assignments. For each of them the
student's file is looked for in FOLDER (``softmax.py``, or the notebook defining its names),
then in the bundle's own ``assignments/<name>/`` where a student edits the stub in place.
An assignment with no file in either place is listed as not found: it is no failure, so a
student who has started two assignments sees those two checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course
from ..errors import SubmissionError
from .locate import candidates
from .report import CheckReport, format_report


@dataclass
class EveryReport:
    """One CheckReport per assignment found, and the assignments that were not."""

    reports: list[CheckReport] = field(default_factory=list)
    not_found: dict[str, str] = field(default_factory=dict)
    """Assignment -> why nothing was checked."""

    @property
    def passed(self) -> bool:
        return bool(self.reports) and all(r.passed for r in self.reports)


def course_of(folder: Path, course_dir: Path | None) -> Course:
    """The course ``folder`` belongs to: explicit, else the nearest folder at or above it
    holding ``assignments/*/assignment.toml``, else ``Course.find`` (the installed bundle)."""
    if course_dir is not None or os.environ.get("GRADER_COURSE"):
        return Course.find(course_dir, installed=True)
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if any((candidate / "assignments").glob("*/assignment.toml")):
            return Course(candidate)
    return Course.find(None, installed=True)


def _where(course: Course, name: str, folder: Path) -> Path | None:
    """The folder to check ``name`` in: ``folder``, else the bundle's ``assignments/<name>``."""
    config = course.config(name)
    for place in dict.fromkeys((folder.resolve(), (course.assignments_dir / name).resolve())):
        if not place.is_dir():
            continue
        try:
            candidates(config, place)
        except SubmissionError:
            continue
        return place
    return None


def main_all(*, path: Path | None = None, course_dir: Path | None = None,
             sandbox: str = "auto") -> EveryReport:
    """Run the public checks of every assignment found in ``path`` (default: here).

    Raises:
        ConfigError: no course was found.
        SubmissionError: ``path`` is not a folder, or no assignment's file is in it.
        SandboxUnavailable: the worker cannot start.
    """
    from . import main  # noqa: PLC0415 - the package imports this module

    folder = Path(path) if path is not None else Path.cwd()
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: grade check --all takes a folder")
    course = course_of(folder, Path(course_dir) if course_dir is not None else None)
    every = EveryReport()
    for name in course.released():
        place = _where(course, name, folder)
        if place is None:
            files = " or ".join(course.config(name).files) or "a notebook"
            every.not_found[name] = f"no {files} and no notebook defining it"
            continue
        every.reports.append(main(assignment=name, path=place, course_dir=course.root,
                                  sandbox=sandbox))
    if not every.reports:
        raise SubmissionError(
            f"nothing to check in {folder}: no file of {', '.join(course.released())}; "
            "run grade check --all in the folder that holds your work")
    return every


def format_every(every: EveryReport) -> str:
    """Each assignment's report, then one line for all of them."""
    parts = [format_report(report) for report in every.reports]
    passed = [r.assignment for r in every.reports if r.passed]
    failed = [r.assignment for r in every.reports if not r.passed]
    summary = f"checked {len(every.reports)} assignment(s): {len(passed)} passed"
    if failed:
        summary += f", checks failed in {', '.join(failed)}"
    lines = [f"not found: {name} ({why})" for name, why in every.not_found.items()]
    return "\n\n".join(parts) + "\n\n" + "\n".join([*lines, summary])
