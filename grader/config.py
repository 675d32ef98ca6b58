"""Assignment configuration: ``assignments/<name>/assignment.toml``, declared once, typed.

Every key has a type, a default and a description; an unknown key or a wrong type is a
ConfigError that names the file and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Limits:
    call_timeout: float = 10.0
    """Wall seconds for one call into student code."""
    total_timeout: float = 120.0
    """Wall seconds for everything one assignment of one student may take."""
    cpu_seconds: int = 120
    """RLIMIT_CPU of the worker child."""
    memory_mb: int = 1024
    """Resident memory in MiB of the worker child and everything it starts (a memory cgroup,
    else a watchdog: ``grader.engine.memory``); 0 for none."""
    address_space_mb: int = 0
    """RLIMIT_AS in MiB: a clean MemoryError instead of a kill; 0 for none (TensorFlow
    reserves far more address space than it uses)."""
    max_processes: int = 64
    """RLIMIT_NPROC of the worker (enforced when the sandbox runs it unprivileged)."""
    max_file_mb: int = 16
    """RLIMIT_FSIZE: no file, printed output included, grows past this."""
    scratch_mb: int = 256
    """Size of the sandbox's private /tmp and /dev/shm in MiB (the largest of the graded
    assignments applies to the sandbox; max_file_mb bounds each file)."""
    max_output_kb: int = 64
    """Captured stdout/stderr kept for the report."""
    cell_timeout: float = 30.0
    """Wall seconds per notebook cell."""
    max_notebook_kb: int = 4096
    """Largest notebook graded, and largest executed notebook kept for the report, KiB."""
    max_notebook_cells: int = 400
    """Most cells a graded notebook may have."""
    max_reply_mb: float = 32.0
    """Largest reply (one frame, arrays included) the student's code may send back, MiB."""
    max_reply_json_kb: int = 1024
    """Largest JSON part of one reply, KiB (lists of numbers should be arrays instead)."""
    max_call_mb: float = 128.0
    """All the replies of one call together, callbacks included, MiB."""
    max_reply_items: int = 2_000_000
    """Values (numbers, strings, array elements) one reply may hold."""
    max_reply_depth: int = 32
    """How deep one reply's lists, tuples and dicts may nest."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Late:
    deadline: datetime | None = None
    """ISO 8601 deadline with time zone; none means no late penalty."""
    penalty_per_day: float = 0.0
    """Fraction of the score lost per started day late."""


@dataclass(frozen=True)
class Similarity:
    threshold: float = 0.6
    """``grade similarity`` flags a pair at or above this score (calibrated per assignment)."""
    floor: float = 0.2
    """Pairs scoring below this are not listed at all (not even in the JSON)."""
    min_fingerprints: int = 15
    """Distinctive fingerprints (after boilerplate) each side of a pair needs for a verdict."""
    common_share: float = 0.2
    """A fingerprint in more than this share of the class's submissions is boilerplate."""


@dataclass(frozen=True)
class AssignmentConfig:
    name: str
    title: str = ""
    names: tuple[str, ...] = ()
    """What the student must define (functions, classes)."""
    files: tuple[str, ...] = ()
    """File names graded for this assignment (scripts, saved models)."""
    limits: Limits = field(default_factory=Limits)
    late: Late = field(default_factory=Late)
    thresholds: dict[str, Any] = field(default_factory=dict)
    """Free-form per-dataset thresholds (the jet classifier's tiers)."""
    data: dict[str, Any] = field(default_factory=dict)
    """Free-form data settings for the hidden suite."""
    budget: dict[str, Any] = field(default_factory=dict)
    """Free-form time budgets the hidden suite checks (the jet classifier's training)."""
    similarity: Similarity = field(default_factory=Similarity)
    """How ``grade similarity`` judges this assignment's pairs."""


def _typed(section: type, table: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(section)}
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(known)})")
        default = known[key].default
        if isinstance(default, bool | int | float) and not isinstance(value, int | float):
            raise ConfigError(f"{where}: {key} must be a number, got {value!r}")
        out[key] = type(default)(value) if isinstance(default, int | float) else value
    return out


def _similarity(table: dict[str, Any], where: str) -> Similarity:
    settings = Similarity(**_typed(Similarity, table, where))
    for key in ("threshold", "floor", "common_share"):
        value = getattr(settings, key)
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{where}: {key} must be between 0 and 1, got {value}")
    if settings.min_fingerprints < 1:
        raise ConfigError(f"{where}: min_fingerprints must be at least 1")
    return settings


def load_config(path: Path) -> AssignmentConfig:
    """Read one assignment.toml; raises ConfigError naming the file and the bad key."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    # [rules] (forbidden calls) belongs to the forbidden-call check, not to this record.
    unknown = set(data) - {"assignment", "limits", "late", "thresholds", "data",
                         "budget", "similarity", "rules"}
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}")
    head = dict(data.get("assignment", {}))
    for key in ("names", "files"):
        if not isinstance(head.get(key, []), list):
            raise ConfigError(f"{path}: [assignment] {key} must be a list of strings")
    unknown_head = set(head) - {"title", "names", "files"}
    if unknown_head:
        raise ConfigError(f"{path}: [assignment] unknown key(s) {sorted(unknown_head)}")
    late_table = dict(data.get("late", {}))
    deadline = late_table.pop("deadline", None)
    if deadline is not None:
        try:
            deadline = (deadline if isinstance(deadline, datetime)
                        else datetime.fromisoformat(str(deadline)))
        except ValueError as exc:
            raise ConfigError(f"{path}: [late] deadline is not ISO 8601: {deadline!r}") from exc
    return AssignmentConfig(
        name=path.parent.name,
        title=str(head.get("title", path.parent.name)),
        names=tuple(head.get("names", [])),
        files=tuple(head.get("files", [])),
        limits=Limits(**_typed(Limits, dict(data.get("limits", {})), f"{path} [limits]")),
        late=Late(deadline=deadline,
                  **_typed(Late, late_table, f"{path} [late]")),
        thresholds=dict(data.get("thresholds", {})),
        data=dict(data.get("data", {})),
        budget=dict(data.get("budget", {})),
        similarity=_similarity(dict(data.get("similarity", {})), f"{path} [similarity]"),
    )
