"""The course on disk: ``assignments/`` (public) and ``reference/`` (instructor-only).

A course root is found once: ``--course DIR``, else ``$GRADER_COURSE``, else the current
folder when it holds ``assignments/``, else the checkout this package was installed from.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .config import AssignmentConfig, load_config
from .errors import ConfigError
from .seeds import course_secret

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
NOT_GRADING_ENV = frozenset({
    "GRADER_COURSE",             # where the course is, not what it grades
    "GRADER_COURSE_SECRET",      # hashed on its own, never stored
    "GRADER_MEMORY_BUDGET",      # how memory is enforced, not how much
    "GRADER_TEST_POSTGRES_URL",  # the project's own tests
})


def grading_environment() -> dict[str, str]:
    """The ``GRADER_*`` variables a suite may read (``GRADER_JET_N_SAMPLES``): all but the few
    known not to change a grade, so a new one can only cost a regrade, never a stale grade."""
    return {k: v for k, v in os.environ.items()
            if k.startswith("GRADER_") and k not in NOT_GRADING_ENV}


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

    def suite_hash(self, name: str, kind: str = "hidden",
                   options: dict[str, Any] | None = None) -> str:
        """Content hash of everything that decides a grade besides the submission:
        the suite, the config, the reference, the grader's version, its options (the jet
        data source, say), the ``GRADER_*`` environment and the course secret (the cases
        and the surrogate are drawn from it; only a hash of it enters)."""
        digest = hashlib.sha256(f"grader {__version__}\n".encode())
        digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
        digest.update(json.dumps(grading_environment(), sort_keys=True).encode())
        try:
            digest.update(hashlib.sha256(b"course secret\0" + self.secret()).digest())
        except ConfigError:
            digest.update(b"no course secret")
        paths = [self.suite(name, kind), self.assignments_dir / name / "assignment.toml"]
        solution = self.solution(name)
        if solution is not None and kind == "hidden":
            paths.append(solution)
        for path in paths:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> AssignmentConfig:
    if not path.is_file():
        raise ConfigError(f"{path} is missing")
    return load_config(path)
