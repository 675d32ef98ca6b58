"""``grade release OUT``: the student bundle, built from ``assignments/`` only.

OUT holds everything a student needs to work and to run ``grade check`` offline:

    OUT/README.md                      how to install and run the checks
    OUT/pyproject.toml                 ``pip install .`` gives the ``grade`` command
    OUT/requirements.txt               the same libraries, for ``pip install -r``
    OUT/grader/                        a copy of the grader package (public code, no suites)
    OUT/assignments/<name>/            (the assignments released, or those named with -a)
                                       README.md, stubs (.py, .ipynb stripped of outputs and
                                       metadata), test_public.py, assignment.toml, and any
                                       other file the instructor put there

The bundle is built next to OUT and moved into place only after ``find_leaks`` found no
path, file or distinctive line of ``reference/`` in it: a reference file copied into
``assignments/`` by mistake, or reference code in the grader package, stops the release
instead of reaching the students. (A stub that *is* a solution passes this test, since the
stub is public by definition; ``grade validate`` catches it: a stub must score about zero.)
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from .. import __version__
from ..course import Course
from ..errors import ConfigError
from .leaks import Leak, PublicLine, already_public, find_leaks
from .notebooks import write_stripped
from .package import copy_package, pyproject, requirements_txt, shipped_files
from .readme import student_readme

__all__ = ["Leak", "PublicLine", "already_public", "find_leaks", "main", "public_lines"]

MARKER = ".grader-release"
REQUIRED = ("README.md", "test_public.py", "assignment.toml")


def _is_previous_bundle(out: Path) -> bool:
    return (out / MARKER).is_file()


def _check_out(out: Path, course: Course) -> None:
    resolved = out.resolve()
    if resolved == course.root or course.root.is_relative_to(resolved) or any(
        resolved.is_relative_to(d) for d in (course.assignments_dir, course.reference_dir)
    ):
        raise ConfigError(f"{out} overlaps the course folder {course.root}: choose another OUT")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not _is_previous_bundle(out):
        raise ConfigError(
            f"{out} is not empty and is not a previous bundle: choose an empty or new folder"
        )


def _copy_assignment(source: Path, target: Path) -> list[Path]:
    missing = [name for name in REQUIRED if not (source / name).is_file()]
    if missing:
        raise ConfigError(
            f"{source.name}: cannot release without {', '.join(missing)} in {source}"
        )
    written = []
    for path, relative in shipped_files(source):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            write_stripped(path, destination)
        else:
            shutil.copyfile(path, destination)
        written.append(destination)
    return written


def public_lines(*, course_dir: Path | None = None) -> list[PublicLine]:
    """The lines of ``reference/`` a release lets through because the grader package it
    ships holds them too (``grade release`` prints them, so none passes unremarked)."""
    course = Course.find(course_dir)
    return already_public(course.reference_dir, course.assignments_dir)


def main(*, out: Path, course_dir: Path | None = None,
         assignments: list[str] | None = None) -> list[Path]:
    """Write the student bundle to ``out``.

    Args:
        out: the bundle's folder: new, empty, or a previous bundle (which is replaced).
        course_dir: the course folder holding ``assignments/``; default as ``Course.find``.
        assignments: the assignments to ship; they are added to the course's released
            list (``course.toml``) once the bundle is in place. Default: the released ones.

    Returns:
        Every file written, under ``out``.

    Raises:
        ConfigError: an unknown assignment, one without README.md or test_public.py, an
            ``out`` that is not free, or a bundle that would leak ``reference/``.
    """
    out = Path(out)
    course = Course.find(course_dir)
    names = course.check_names(assignments) if assignments else course.released()
    configs = [course.config(name) for name in names]
    _check_out(out, course)
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    build.chmod(0o755)
    try:
        for name in names:
            _copy_assignment(course.assignments_dir / name, build / "assignments" / name)
        copy_package(build / "grader")
        (build / "pyproject.toml").write_text(pyproject(build / "grader"))
        (build / "requirements.txt").write_text(requirements_txt())
        (build / "README.md").write_text(student_readme(configs))
        (build / MARKER).write_text(json.dumps(
            {"grader": __version__, "assignments": names}, indent=1) + "\n")
        leaks = find_leaks(build, course.reference_dir, course.assignments_dir)
        if leaks:
            shown = "\n".join(f"  {leak}" for leak in leaks[:20])
            more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
            raise ConfigError(f"the bundle would leak reference/ (nothing was written):\n"
                              f"{shown}{more}")
        if out.exists():
            shutil.rmtree(out)
        build.rename(out)
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
    if assignments:
        course.release(names)
    return sorted(p for p in out.rglob("*") if p.is_file())
