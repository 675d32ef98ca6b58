"""The course on disk: ``assignments/`` (public) and ``reference/`` (instructor-only).

A course root is found once: ``--course DIR``, else ``$GRADER_COURSE``, else the current
folder when it holds ``assignments/``, else the checkout this package was installed from.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from . import __version__
from .config import AssignmentConfig, load_config
from .errors import ConfigError
from .seeds import course_secret

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def find_course_root(explicit: Path | str | None = None) -> Path:
    for candidate in (explicit, os.environ.get("GRADER_COURSE"), Path.cwd(), PACKAGE_ROOT):
        if candidate and (Path(candidate) / "assignments").is_dir():
            return Path(candidate).resolve()
    raise ConfigError(
        "no course found: run from a folder holding assignments/, or pass --course DIR"
    )


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def find(cls, explicit: Path | str | None = None) -> Course:
        return cls(find_course_root(explicit))

    @property
    def assignments_dir(self) -> Path:
        return self.root / "assignments"

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    def secret(self) -> bytes:
        """The course secret that seeds hidden cases and generated data (``grader.seeds``)."""
        return course_secret(self.reference_dir)

    def names(self) -> list[str]:
        return sorted(
            p.parent.name for p in self.assignments_dir.glob("*/assignment.toml")
        )

    def check_names(self, names: list[str] | tuple[str, ...] | None) -> list[str]:
        """``names`` validated against the course, or every assignment when empty."""
        known = self.names()
        if not names:
            return known
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(
                f"unknown assignment {', '.join(unknown)}: this course has {', '.join(known)}"
            )
        return list(dict.fromkeys(names))

    def config(self, name: str) -> AssignmentConfig:
        return _load(self.assignments_dir / name / "assignment.toml")

    def suite(self, name: str, kind: str = "hidden") -> Path:
        path = (self.reference_dir / name / "test_hidden.py" if kind == "hidden"
                else self.assignments_dir / name / "test_public.py")
        if not path.is_file():
            raise ConfigError(f"{name}: the {kind} suite {path} is missing")
        return path

    def solution(self, name: str) -> Path | None:
        path = self.reference_dir / name / "solution.py"
        return path if path.is_file() else None

    def load_solution(self, name: str) -> ModuleType:
        """The reference solution of ``name``, imported (in the trusted process: ours)."""
        path = self.solution(name)
        if path is None:
            raise ConfigError(f"{name}: reference/{name}/solution.py is missing")
        return load_solution_file(path)

    def alternatives(self, name: str) -> list[Path]:
        """Correct solutions other than the reference, which must keep full marks:
        ``reference/<name>/alternatives/*.py`` (course content, like the mutants)."""
        return sorted((self.reference_dir / name / "alternatives").glob("*.py"))

    def suite_hash(self, name: str, kind: str = "hidden",
                   options: dict[str, Any] | None = None) -> str:
        """Content hash of everything that decides a grade besides the submission:
        the suite, the config, the reference, the grader's version and its options
        (the jet data source, say)."""
        digest = hashlib.sha256(f"grader {__version__}\n".encode())
        digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
        paths = [self.suite(name, kind), self.assignments_dir / name / "assignment.toml"]
        solution = self.solution(name)
        if solution is not None and kind == "hidden":
            paths.append(solution)
        for path in paths:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()


def load_solution_file(path: Path) -> ModuleType:
    """Import the reference solution at ``reference/<name>/solution.py`` as a fresh module
    named ``grader_reference_<name>`` (not entered in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(f"grader_reference_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> AssignmentConfig:
    if not path.is_file():
        raise ConfigError(f"{path} is missing")
    return load_config(path)
