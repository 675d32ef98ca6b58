"""Where the course and the student's file are, seen from a student's laptop.

A student works inside the released bundle (``assignments/softmax/softmax.py``) or somewhere
else entirely, so the course is looked for upwards from the current folder and from the
file, before the usual ``Course.find`` fallbacks. Paths are ``pathlib`` only: the same code
reads ``C:\\Users\\...`` paths on Windows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import AssignmentConfig
from ..course import Course
from ..discover import discover_student
from ..errors import SubmissionError

SCRIPT_SUFFIXES = (".py", ".keras")


def find_course(course_dir: Path | None, assignment: str, *starts: Path) -> Course:
    """The course that holds ``assignment``: explicit, then upwards from ``starts``.

    Raises:
        ConfigError: no course folder was found.
    """
    if course_dir is not None or os.environ.get("GRADER_COURSE"):
        return Course.find(course_dir, installed=True)
    for start in starts:
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / "assignments" / assignment / "assignment.toml").is_file():
                return Course(folder)
    # The student bundle installs the course with the package: check's promised fallback.
    return Course.find(None, installed=True)


@dataclass
class Candidates:
    """The files to check, and what else could have been meant."""

    files: list[Path]
    others: list[Path] = field(default_factory=list)


def candidates(config: AssignmentConfig, path: Path | None) -> Candidates:
    """The student's files for ``config``: ``path`` itself, or what its folder holds.

    A folder (the current one by default) gives its scripts named after the assignment
    (``softmax.py``), else the one notebook that defines the assignment's names.

    Raises:
        SubmissionError: the path does not exist, has the wrong kind, or nothing fits.
    """
    if path is not None and not path.exists():
        raise SubmissionError(f"{path} does not exist")
    if path is not None and path.is_file():
        if path.suffix not in (*SCRIPT_SUFFIXES, ".ipynb"):
            raise SubmissionError(
                f"{path.name}: give a .py script, a .ipynb notebook or a folder"
            )
        return Candidates([path])
    folder = path if path is not None else Path.cwd()
    submission = discover_student(folder, [config])
    found = submission.assignments.get(config.name, [])
    paths = [folder / submission.origin.get(name, name) for name in found]
    scripts = [path for path in paths if not path.name.endswith(".ipynb")]
    notebooks = [path for path in paths if path.name.endswith(".ipynb")]
    if scripts:
        return Candidates(scripts, notebooks)
    if len(notebooks) == 1:
        return Candidates(notebooks)
    wanted = " or ".join(config.files) or "a script"
    if notebooks:
        raise SubmissionError(
            f"{len(notebooks)} notebooks in {folder} define {', '.join(config.names)} "
            f"({', '.join(p.name for p in notebooks)}): name the one to check, "
            f"grade check {config.name} PATH"
        )
    # The grader refuses what discovery refuses here (links, FIFOs...): say so now.
    refused = "".join(f"; {name} is not read: it is {reason}"
                      for name, reason in submission.refused.items())
    raise SubmissionError(
        f"nothing to check in {folder}: no {wanted} and no notebook defining "
        f"{', '.join(config.names) or config.name}{refused}; give the file: "
        f"grade check {config.name} PATH"
    )


def target_name(config: AssignmentConfig, path: Path) -> str:
    """The name the file gets in the student folder: scripts take the assignment's name."""
    if path.suffix == ".ipynb":
        return path.name
    for name in config.files:
        if Path(name).suffix == path.suffix:
            return name
    return path.name
