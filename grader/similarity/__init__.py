"""``grade similarity``: pairs of students whose code for an assignment is suspiciously alike.

Data flows one way: discover -> extract (the code that serves the assignment) -> fingerprint
(normalised tokens, k-grams, winnowing) -> compare (boilerplate out, an inverted index over
the class, a score per pair) -> report (JSON, an index, a side-by-side page per flagged pair)
-> optionally a note in the gradebook, so the class summary links the index. Nothing runs the
students' code and nothing here prints.

A flag is a reason for a person to look, never a penalty: nothing here touches a grade.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course
from ..discover import StudentSubmission, discover
from ..errors import ConfigError
from ..release.package import shipped_files
from .compare import Comparison, compare
from .extract import extract, released_segments
from .fingerprint import Fingerprints, fingerprint, released_hashes
from .report import pairs_json, write_json, write_pages

DEFAULT_OUT = Path("reports/similarity")

__all__ = ["DEFAULT_OUT", "SimilarityRun", "compare_assignment", "main"]


@dataclass
class SimilarityRun:
    """What ``main`` found and wrote."""

    comparisons: list[Comparison]
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    index: Path | None = None

    @property
    def flagged(self) -> int:
        return sum(len(c.flagged) for c in self.comparisons)


def released(course: Course, name: str) -> frozenset[int]:
    """Every k-gram of what the students of ``name`` received (``grade release`` ships it)."""
    files = ((str(relative), path.read_bytes())
             for path, relative in shipped_files(course.assignments_dir / name))
    return released_hashes(list(released_segments(files)))


def compare_assignment(course: Course, name: str, students: list[StudentSubmission], *,
                       threshold: float | None = None,
                       warnings: list[str] | None = None) -> Comparison:
    """One assignment over the class: every student who handed in code for it."""
    config = course.config(name)
    prints: list[Fingerprints] = []
    for student in students:
        try:
            found = extract(student, config)
        except OSError as exc:
            if warnings is not None:
                warnings.append(f"{student.student}/{name}: cannot read the files ({exc}); "
                                "left out of the comparison")
            continue
        if found is not None:
            prints.append(fingerprint(found))
    return compare(prints, released(course, name), config.similarity, assignment=name,
                   threshold=threshold)


def main(*, submissions_dir: Path, course_dir: Path | None = None,
         assignments: list[str] | None = None, db: str | None = None,
         out: Path | None = DEFAULT_OUT, json_path: Path | None = None,
         threshold: float | None = None) -> SimilarityRun:
    """Compare every pair of students, assignment by assignment.

    Args:
        submissions_dir: one folder per student, as for ``grade``.
        assignments: the assignments to compare (all of the course when empty).
        db: a gradebook URL; the class summary drawn from it then links the index.
        out: folder for ``index.html`` and one page per flagged pair; None for none.
        json_path: where to write ``{"pairs": [...], "assignments": [...]}``.
        threshold: flag at or above this score instead of each assignment's own.

    Returns:
        SimilarityRun with one Comparison per assignment, pairs ranked.

    Raises:
        ConfigError, SubmissionError: bad options or folder (usage errors).
        GradebookError: the gradebook cannot be opened or written.
    """
    started = time.monotonic()
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"--threshold must be between 0 and 1, got {threshold}")
    course = Course.find(course_dir)
    names = course.check_names(assignments)
    students = discover(Path(submissions_dir), [course.config(n) for n in names])
    run = SimilarityRun(comparisons=[])
    for name in names:
        run.comparisons.append(compare_assignment(course, name, students, threshold=threshold,
                                                  warnings=run.warnings))
    pages: dict[tuple[str, str, str], str] = {}
    if out is not None:
        written, pages = write_pages(run.comparisons, Path(out))
        run.written += written
        run.index = written[-1]
    if json_path is not None:
        run.written.append(write_json(Path(json_path), pairs_json(run.comparisons, pages)))
    if db:
        _record(db, run, names)
    run.seconds = round(time.monotonic() - started, 3)
    return run


def _record(db: str, run: SimilarityRun, names: list[str]) -> None:
    from ..gradebook import Gradebook  # noqa: PLC0415 - SQLAlchemy only when a db is used

    with Gradebook(db) as book:
        book.record_similarity(
            index=str(run.index.resolve()) if run.index else None,
            assignments=names, flagged=run.flagged,
            pairs=sum(len(c.pairs) for c in run.comparisons),
        )
