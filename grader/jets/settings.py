"""What the jet suite reads from ``assignment.toml``: thresholds per data set, budget, size.

``config.load_config`` reads the file once (the engine uses its ``[assignment]`` and
``[limits]``); ``from_config`` reads the jet classifier's own tables out of it::

    [thresholds.surrogate]                 # one table per data set: surrogate, openml
    accuracy = { full = 0.74, zero = 0.64 }
    macro_auc = { full = 0.92, zero = 0.87 }

    [budget]
    train_seconds = 300                    # wall time from build_model to predict's return

    [data]
    n_samples = 0                          # rows to grade on; 0 = all (830,000)
    validation_fraction = 0.1              # share of the training part handed over as X_val

Real data read from a local file is graded with the ``openml`` thresholds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.config import AssignmentConfig, load_config
from grader.errors import ConfigError
from grader.jets.metrics import tier_credit

METRICS = ("accuracy", "macro_auc")
DATASETS = ("surrogate", "openml")


@dataclass(frozen=True)
class Tier:
    """Full credit at ``full`` or better, none at ``zero`` or worse, linear between."""

    full: float
    zero: float

    def credit(self, value: float) -> float:
        return tier_credit(value, self.full, self.zero)


@dataclass(frozen=True)
class JetSettings:
    """The jet classifier's grading settings, as ``assignment.toml`` declares them."""

    thresholds: dict[str, dict[str, Tier]]
    train_seconds: float = 300.0
    n_samples: int | None = None
    validation_fraction: float = 0.1
    source: Path | None = field(default=None, compare=False)

    def tier(self, dataset: str, metric: str) -> Tier:
        """The tier of ``metric`` on ``dataset`` ("surrogate", "openml", or "file")."""
        key = "openml" if dataset == "file" else dataset
        try:
            return self.thresholds[key][metric]
        except KeyError:
            raise ConfigError(
                f"{self.source or 'assignment.toml'}: no [thresholds.{key}] {metric} tier"
            ) from None


def load_settings(path: str | os.PathLike[str]) -> JetSettings:
    """Read the jet tables of ``assignment.toml`` at ``path``.

    Raises:
        ConfigError: the file is missing, or a table or key is missing or of the wrong type.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such assignment.toml")
    return from_config(load_config(path), path)


def from_config(config: AssignmentConfig, path: Path | None = None) -> JetSettings:
    """The jet tables of an already parsed ``assignment.toml`` (``path`` names it in errors).

    Raises:
        ConfigError: a table or key is missing or of the wrong type.
    """
    where = path or Path("assignment.toml")
    tables, budget, data = config.thresholds, config.budget, config.data
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{where}: the jet classifier needs [thresholds.<dataset>] tables")
    thresholds: dict[str, dict[str, Tier]] = {}
    for dataset, table in tables.items():
        if dataset not in DATASETS:
            raise ConfigError(f"{where}: [thresholds.{dataset}]: dataset must be one of {DATASETS}")
        thresholds[dataset] = {}
        for metric in METRICS:
            spec = table.get(metric) if isinstance(table, dict) else None
            thresholds[dataset][metric] = _tier(spec, f"{where}: [thresholds.{dataset}] {metric}")
        unknown = sorted(set(table) - set(METRICS))
        if unknown:
            raise ConfigError(f"{where}: [thresholds.{dataset}]: unknown keys {unknown}")

    train_seconds = _number(budget.get("train_seconds", 300.0), f"{where}: [budget] train_seconds")
    n_samples = int(_number(data.get("n_samples", 0), f"{where}: [data] n_samples"))
    fraction = _number(data.get("validation_fraction", 0.1), f"{where}: [data] validation_fraction")
    if not 0.0 < fraction < 0.5:
        raise ConfigError(f"{where}: [data] validation_fraction must lie in (0, 0.5)")
    return JetSettings(
        thresholds=thresholds,
        train_seconds=train_seconds,
        n_samples=n_samples or None,
        validation_fraction=fraction,
        source=path,
    )


def _tier(spec: Any, where: str) -> Tier:
    if not isinstance(spec, dict) or set(spec) != {"full", "zero"}:
        raise ConfigError(f"{where} must be a table {{ full = ..., zero = ... }}")
    full = _number(spec["full"], f"{where}.full")
    zero = _number(spec["zero"], f"{where}.zero")
    if full == zero:
        raise ConfigError(f"{where}: full and zero must differ")
    return Tier(full=full, zero=zero)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} must be a number, got {value!r}")
    return float(value)
