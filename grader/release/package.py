"""The grader itself, inside the bundle, so that ``pip install .`` gives a student ``grade``.

The bundle ships a copy of the very ``grader`` package that grades (it holds no hidden test,
no solution: those live in the course's ``reference/``), with a ``pyproject.toml`` whose
requirements are this installation's own. A student's check then runs the same engine, the
same sandbox and the same assertion helpers as the real grading, offline, with no package
index that would have to host a course-specific release.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .. import __version__
from ..errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent.parent
STUDENT_EXTRAS = ("jet",)
"""Extras a student may need: the jet classifier is written with Keras."""
_EXTRA = re.compile(r"""\s*(?:\band\s+)?\bextra\s*==\s*["']([^"']+)["']""")


def shipped_files(root: Path) -> Iterator[tuple[Path, Path]]:
    """(path, path relative to ``root``) of every file below ``root`` that a bundle ships:
    no bytecode, no ``__pycache__``, nothing hidden (caches, checkpoints, dotfiles)."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (path.is_file() and path.suffix not in (".pyc", ".pyo")
                and not any(part == "__pycache__" or part.startswith(".")
                            for part in relative.parts)):
            yield path, relative


def copy_package(target: Path) -> list[Path]:
    """Copy the ``grader`` package source to ``target`` (its own folder named grader)."""
    written = []
    for source, relative in shipped_files(PACKAGE_DIR):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    return written


def requirements() -> tuple[list[str], dict[str, list[str]]]:
    """This installation's requirements: the base ones and the students' extras.

    Raises:
        ConfigError: the grader is not installed, so it has no metadata to read.
    """
    try:
        declared = importlib.metadata.requires("grader") or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise ConfigError(
            "the grader is not installed (pip install -e .): the bundle's requirements are "
            "read from its metadata"
        ) from exc
    base: list[str] = []
    extras: dict[str, list[str]] = defaultdict(list)
    for requirement in declared:
        match = _EXTRA.search(requirement)
        if match is None:
            base.append(requirement)
            continue
        if match.group(1) not in STUDENT_EXTRAS:
            continue
        rest = _EXTRA.sub("", requirement).strip()
        rest = re.sub(r";\s*(?:and\s+)?$", "", rest).replace("; and ", "; ").strip()
        extras[match.group(1)].append(rest)
    return base, dict(extras)


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f"    {json.dumps(item)},\n" for item in items) + "]"


def package_data(package: Path) -> dict[str, list[str]]:
    """Non-Python files of the copied package, by the package that holds them."""
    data: dict[str, list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*")):
        if not path.is_file() or path.suffix == ".py":
            continue
        owner = path.parent
        while not (owner / "__init__.py").is_file() and owner != package:
            owner = owner.parent
        dotted = ".".join(("grader", *owner.relative_to(package).parts))
        data[dotted].append(path.relative_to(owner).as_posix())
    return dict(data)


def pyproject(package: Path) -> str:
    """The bundle's ``pyproject.toml``: the grader package and the ``grade`` command."""
    base, extras = requirements()
    lines = [
        "# Installs the `grade` command for this course's public checks: pip install .",
        "[build-system]",
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        'name = "grader"',
        f'version = "{__version__}"',
        'description = "The course grader, for running the public checks: grade check NAME"',
        'requires-python = ">=3.11"',
        f"dependencies = {_toml_list(base)}",
        "",
        "[project.optional-dependencies]",
        *(f"{name} = {_toml_list(items)}" for name, items in sorted(extras.items())),
        "",
        "[project.scripts]",
        'grade = "grader.cli:main"',
        "",
        "[tool.setuptools.packages.find]",
        'include = ["grader", "grader.*"]',
        "",
        "[tool.setuptools.package-data]",
        *(f"{json.dumps(name)} = {_toml_list(files)}"
          for name, files in sorted(package_data(package).items())),
    ]
    return "\n".join(lines) + "\n"


def requirements_txt() -> str:
    base, extras = requirements()
    lines = [
        "# The libraries the course's code and `grade check` need.",
        "# `pip install .` (next to this file) installs them together with the `grade` command;",
        "# use this file where only the libraries are wanted: pip install -r requirements.txt",
        *base,
    ]
    for name, items in sorted(extras.items()):
        lines += ["", f"# for the {name} extra (pip install '.[{name}]'):",
                  *(f"# {item}" for item in items)]
    return "\n".join(lines) + "\n"
