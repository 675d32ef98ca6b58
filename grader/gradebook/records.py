"""Records the gradebook returns besides the result records of :mod:`grader.results`
(overrides are :class:`grader.effective.Override`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class RunRecord:
    """One grading batch: when it ran, on what, how long it took, what it did."""

    id: str
    started_at: datetime
    submissions_dir: str
    options: dict[str, Any] = field(default_factory=dict)
    finished_at: datetime | None = None
    seconds: float | None = None
    graded: int | None = None
    cached: int | None = None

    @property
    def finished(self) -> bool:
        """False for a batch that was killed or is still running."""
        return self.finished_at is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return data


@dataclass(frozen=True)
class SimilarityRecord:
    """The newest ``grade similarity`` report: where its index is, what it found."""

    written_at: datetime
    index_path: str | None
    assignments: list[str]
    pairs: int
    flagged: int
