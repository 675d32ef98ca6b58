"""The course on disk: ``assignments/`` (public) and ``reference/`` (instructor-only).

A course root is found once: ``--course DIR``, else ``$GRADER_COURSE``, else the current
folder when it holds ``assignments/``. Instructor verbs stop there: grading against
whatever checkout the package was installed from would give another course's grades
without a word. Only the student's ``grade check`` falls back to the installed checkout,
which is where the student bundle puts the course (``Course.find(installed=True)``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from . import __version__
from .config import AssignmentConfig, load_config
from .effective import LateRule
from .errors import ConfigError
from .released import course_file, read_released, write_released
from .results import StudentResult
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


def find_course_root(explicit: Path | str | None = None, *, installed: bool = False) -> Path:
    """The course folder: ``explicit``, else ``$GRADER_COURSE``, else the current folder.

    ``installed`` adds the checkout this package was installed from as a last resort.

    Raises:
        ConfigError: the named folder holds no ``assignments/``, or none was named and the
            current folder is no course.
    """
    named = explicit if explicit else os.environ.get("GRADER_COURSE")
    if named:
        if (Path(named) / "assignments").is_dir():
            return Path(named).resolve()
        origin = "--course" if explicit else "$GRADER_COURSE"
        raise ConfigError(
            f"{origin} {named}: not a course folder (it holds no assignments/); "
            "pass the folder that holds assignments/ and reference/"
        )
    candidates = (Path.cwd(), PACKAGE_ROOT) if installed else (Path.cwd(),)
    for candidate in candidates:
        if (candidate / "assignments").is_dir():
            return candidate.resolve()
    raise ConfigError(
        f"no course here: {Path.cwd()} holds no assignments/; pass --course DIR, set "
        "$GRADER_COURSE, or run from the course folder"
    )


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def find(cls, explicit: Path | str | None = None, *, installed: bool = False) -> Course:
        return cls(find_course_root(explicit, installed=installed))

    @property
    def name(self) -> str:
        return self.root.name

    def describe(self) -> str:
        """How a run's header names the course: its name and its folder."""
        return f"course {self.name} ({self.root})"

    def check_gradebook(self, recorded: str | None, db: str) -> None:
        """Refuse to read a gradebook whose newest run graded another course.

        Raises:
            ConfigError: ``recorded`` (the course folder the gradebook's newest run stored)
                is another folder than this course's.
        """
        if recorded and Path(recorded).resolve() != self.root:
            raise ConfigError(
                f"the gradebook {db} was graded against the course {recorded}, not "
                f"{self.root}: pass --course {recorded} (or regrade with this course)"
            )

    def late_rule(self, name: str) -> LateRule:
        """The late rule of assignment ``name`` as its ``assignment.toml`` sets it now.

        Raises:
            ConfigError: ``penalty_per_day`` is not a fraction between 0 and 1.
        """
        late = self.config(name).late
        try:
            return LateRule(late.deadline, late.penalty_per_day)
        except ValueError as error:
            path = self.assignments_dir / name / "assignment.toml"
            raise ConfigError(f"{path} [late]: {error}") from error

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

    def released(self) -> list[str]:
        """The assignments that count (totals, pages, summary, exports), in name order:
        ``course.toml``'s ``released`` list, or every assignment without one.

        Raises:
            ConfigError: ``course.toml`` is malformed or names an assignment the course
                does not hold.
        """
        known = self.names()
        listed = read_released(self.root)
        if listed is None:
            return known
        unknown = [n for n in listed if n not in known]
        if unknown:
            raise ConfigError(
                f"{course_file(self.root)} [course] released: unknown assignment "
                f"{', '.join(unknown)}; this course has {', '.join(known)}"
            )
        return sorted(listed)

    def to_grade(self, names: list[str] | tuple[str, ...] | None) -> list[str]:
        """``names`` validated (any assignment, released or not), or the released ones
        when empty: what ``grade`` grades."""
        return self.check_names(names) if names else self.released()

    def release(self, names: list[str]) -> list[str]:
        """Add ``names`` to the released list in ``course.toml`` and return the new list.

        A course without a list (all released) starts one holding exactly ``names``: the
        instructor is releasing by name from now on."""
        listed = read_released(self.root)
        new = sorted({*(listed or []), *self.check_names(names)})
        if listed is None or set(new) != set(listed):
            write_released(self.root, new)
        return new

    def hold_back(self, name: str) -> None:
        """Keep a newly created assignment ``name`` out of the released ones: a course
        without a list gets one naming every other assignment (``grade new``)."""
        if read_released(self.root) is None:
            write_released(self.root, [n for n in self.names() if n != name])

    def only_released(self, student: StudentResult,
                      released: list[str] | None = None) -> StudentResult:
        """``student`` with the assignments that are not released left out, so that its
        total is out of the released assignments only (``released``: as read once)."""
        keep = set(self.released() if released is None else released)
        return replace(student, assignments=[
            a for a in student.assignments if a.assignment in keep])

    def config(self, name: str) -> AssignmentConfig:
        path = self.assignments_dir / name / "assignment.toml"
        try:
            stat = path.stat()
        except OSError:
            return _load(path, (0, 0))
        # Keyed by the file's state too: a deadline moved between two runs of one process
        # (a notebook, a service) must be seen.
        return _load(path, (stat.st_mtime_ns, stat.st_size))

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
                   options: dict[str, Any] | None = None, *,
                   secret: bytes | None = None) -> str:
        """Content hash of everything that decides a grade besides the submission:
        the suite, the config, the reference, the grader's version, its options
        (the jet data source, say) and, for a hidden suite, the course secret that draws
        its cases and the jet surrogate (``secret``, else ``self.secret()``; only a hash of it
        enters): a new secret regrades everyone; and the ``GRADER_*`` environment."""
        digest = hashlib.sha256(f"grader {__version__}\n".encode())
        digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
        digest.update(json.dumps(grading_environment(), sort_keys=True).encode())
        if kind == "hidden":
            key = self.secret() if secret is None else secret
            digest.update(b"secret\0" + hashlib.sha256(key).digest())
        paths = [self.suite(name, kind)]
        solution = self.solution(name)
        if solution is not None and kind == "hidden":
            paths.append(solution)
        for path in paths:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(b"assignment.toml\0" + _graded_config(self.assignments_dir / name))
        return digest.hexdigest()


def _graded_config(folder: Path) -> bytes:
    """``assignment.toml`` as it decides a grade: every table but ``[late]``, canonical.

    The late rule is stored with each result and applied on reading, so moving a deadline
    must not regrade anyone; comments and key order do not change a grade either.
    """
    path = folder / "assignment.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    data.pop("late", None)
    return json.dumps(data, sort_keys=True, default=str).encode()


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
def _load(path: Path, state: tuple[int, int]) -> AssignmentConfig:
    """``path`` parsed; ``state`` (mtime, size) only keys the cache."""
    if not path.is_file():
        raise ConfigError(f"{path} is missing")
    return load_config(path)
