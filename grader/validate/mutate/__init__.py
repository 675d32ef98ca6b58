"""``grade validate --mutate``: how much of the reference a hidden suite pins down.

Each automatic mutant of ``reference/<name>/solution.py`` (``operators.py`` lists the fixed
operators) is graded by the hidden suite exactly as ``grade validate`` grades a hand-written
mutant: copied into a student folder and sent through the sandboxed engine, under the
course's own secret. A mutant is *killed* when it loses points (an error or a timeout loses
them too); a survivor is a change no hidden test notices. The score is ``killed / mutants``.

Some mutants cannot be killed: they behave like the reference (``np.asarray(x)`` -> ``x``
where every caller passes an array). An instructor marks them in
``reference/<name>/equivalent_mutants.toml`` by id, with a reason; the report then gives the
raw score and the marked one (the marked survivors left out of the count).

By default the fast assignments are mutated (``total_timeout`` at most ``FAST_TIMEOUT``
seconds: each mutant costs one grading); a slower (model) assignment only when named, and
then at most ``SLOW_CAP`` mutants unless ``max_mutants`` says otherwise. Mutants are
graded by ``jobs`` engines in parallel, each in a process of its own.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...course import Course
from ...engine.grading import Engine
from ...engine.sandbox import choose_sandbox
from ...errors import ConfigError
from .equivalent import EQUIVALENT_FILE, read_marks
from .mutants import Mutant, make_mutants
from .operators import OPERATORS

__all__ = ["EQUIVALENT_FILE", "FAST_TIMEOUT", "OPERATORS", "SLOW_CAP", "MutantResult",
           "MutationReport", "format_reports", "main", "make_mutants", "passed"]

FAST_TIMEOUT = 60.0
SLOW_CAP = 10
DEFAULT_MIN_SCORE = 80.0


@dataclass
class MutantResult:
    mutant: Mutant
    score: float
    max_score: float
    status: str
    equivalent: str = ""
    """The instructor's reason, when the mutant is marked equivalent."""

    @property
    def killed(self) -> bool:
        return self.status != "graded" or self.score < self.max_score - 1e-9


@dataclass
class MutationReport:
    assignment: str
    results: list[MutantResult] = field(default_factory=list)
    generated: int = 0
    """Mutants made before a cap chose ``results`` among them."""
    seconds: float = 0.0
    stale_marks: list[str] = field(default_factory=list)
    """Ids marked equivalent that no mutant has any more (the line changed)."""

    @property
    def killed(self) -> int:
        return sum(r.killed for r in self.results)

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.results if not r.killed]

    @property
    def marked_survivors(self) -> list[MutantResult]:
        return [r for r in self.survivors if r.equivalent]

    @property
    def killed_marked_equivalent(self) -> list[MutantResult]:
        """Marked equivalent, yet killed: the mark is wrong (the suite tells them apart)."""
        return [r for r in self.results if r.killed and r.equivalent]

    @property
    def raw_score(self) -> float:
        return 100.0 * self.killed / len(self.results) if self.results else 100.0

    @property
    def marked_score(self) -> float:
        counted = len(self.results) - len(self.marked_survivors)
        return 100.0 * self.killed / counted if counted else 100.0


def _grade_chunk(root: str, name: str, sandbox: str,
                 items: list[tuple[str, str]]) -> list[tuple[str, float, float, str]]:
    """Grade mutants ``(id, source)`` of ``name`` with one engine; (id, score, max, status)."""
    from .. import Variant, grade_variant  # noqa: PLC0415 - the package imports this module

    course = Course(Path(root))
    graded: list[tuple[str, float, float, str]] = []
    with Engine(course, [name], sandbox=choose_sandbox(sandbox)) as engine, \
            tempfile.TemporaryDirectory(prefix="grader-mutants-") as tmp:
        for index, (mutant_id, source) in enumerate(items):
            path = Path(tmp) / f"mutant-{index:04d}.py"
            path.write_text(source, encoding="utf-8")
            _, result = grade_variant(engine, name, Variant("mutant", mutant_id, path),
                                      Path(tmp) / f"student-{index:04d}")
            graded.append((mutant_id, result.score, result.max_score, result.status))
    return graded


def _grade(course: Course, name: str, mutants: list[Mutant], sandbox: str,
           jobs: int) -> dict[str, tuple[float, float, str]]:
    items = [(m.id, m.source) for m in mutants]
    if jobs <= 1 or len(items) < 2:
        chunks = [_grade_chunk(str(course.root), name, sandbox, items)]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_grade_chunk, str(course.root), name, sandbox,
                                   items[start::jobs]) for start in range(jobs)]
            chunks = [future.result() for future in futures]
    return {mutant_id: (score, most, status)
            for chunk in chunks for mutant_id, score, most, status in chunk}


def choose(mutants: list[Mutant], cap: int | None) -> list[Mutant]:
    """At most ``cap`` of ``mutants``, spread evenly over the list (so over the operators
    and the file), the same ones on every run."""
    if cap is None or len(mutants) <= cap:
        return mutants
    step = math.ceil(len(mutants) / cap)
    return mutants[::step][:cap]


def default_names(course: Course) -> list[str]:
    """The assignments mutated without ``-a``: those whose grading is fast."""
    return [n for n in course.names()
            if course.config(n).limits.total_timeout <= FAST_TIMEOUT
            and course.solution(n) is not None]


def main(*, assignments: list[str] | None = None, course_dir: Path | None = None,
         sandbox: str = "auto", jobs: int | None = None,
         max_mutants: int | None = None) -> list[MutationReport]:
    """Make, grade and judge the automatic mutants of each assignment's reference.

    Args:
        assignments: the assignments; default: the fast ones (``default_names``).
        course_dir: the course folder; default as ``Course.find``.
        sandbox: "auto", "bwrap" or "none", as for grading.
        jobs: engines grading in parallel; default: the cores this process may use.
        max_mutants: grade at most this many per assignment; default: all for a fast
            assignment, ``SLOW_CAP`` for a slow one.

    Returns:
        One MutationReport per assignment.

    Raises:
        ConfigError: an unknown assignment, one without a reference, or a bad
            ``equivalent_mutants.toml``.
    """
    course = Course.find(course_dir)
    names = course.check_names(assignments) if assignments else default_names(course)
    workers = jobs if jobs is not None else len(os.sched_getaffinity(0))
    reports = []
    for name in names:
        solution = course.solution(name)
        if solution is None:
            raise ConfigError(f"{name}: reference/{name}/solution.py is missing")
        started = time.monotonic()
        made = make_mutants(solution.read_text(encoding="utf-8"),
                            f"reference/{name}/solution.py")
        slow = course.config(name).limits.total_timeout > FAST_TIMEOUT
        chosen = choose(made, max_mutants if max_mutants is not None
                        else SLOW_CAP if slow else None)
        marks = read_marks(course.reference_dir / name / EQUIVALENT_FILE)
        graded = _grade(course, name, chosen, sandbox, max(1, min(workers, len(chosen))))
        report = MutationReport(name, generated=len(made))
        for mutant in chosen:
            score, most, status = graded[mutant.id]
            report.results.append(MutantResult(mutant, score, most, status,
                                               marks.get(mutant.id, "")))
        known = {m.id for m in made}
        report.stale_marks = sorted(m for m in marks if m not in known)
        report.seconds = round(time.monotonic() - started, 1)
        reports.append(report)
    return reports


def passed(reports: list[MutationReport], min_score: float = DEFAULT_MIN_SCORE) -> bool:
    """Every marked score at least ``min_score`` percent, and no mark contradicted."""
    return all(r.marked_score >= min_score and not r.killed_marked_equivalent
               and not r.stale_marks for r in reports)


def format_reports(reports: list[MutationReport]) -> str:
    """The report ``grade validate --mutate`` prints: a score line per assignment, then each
    survivor (marked equivalent or not) as its diff."""
    lines: list[str] = []
    for r in reports:
        total = len(r.results)
        capped = f" (chosen from {r.generated})" if r.generated > total else ""
        lines.append(f"mutation score {r.assignment}: {r.killed}/{total} killed "
                     f"({r.raw_score:.0f}%){capped} in {r.seconds:g} s")
        if r.marked_survivors:
            counted = total - len(r.marked_survivors)
            lines.append(f"  marked equivalent {len(r.marked_survivors)}: {r.killed}/{counted} "
                         f"killed ({r.marked_score:.0f}%)")
        for result in r.survivors:
            mark = (f"  marked equivalent: {result.equivalent}" if result.equivalent
                    else f"  survived ({result.score:g}/{result.max_score:g})")
            lines.append(f"  {result.mutant.id}{mark}")
            lines += [f"    {text}" for text in result.mutant.diff.splitlines()]
        lines += [f"  {result.mutant.id}: marked equivalent but killed (the suite tells it "
                  f"from the reference): remove the mark" for result in
                  r.killed_marked_equivalent]
        lines += [f"  {mark}: marked equivalent in reference/{r.assignment}/"
                  f"{EQUIVALENT_FILE}, but no such mutant any more: remove or update the mark"
                  for mark in r.stale_marks]
    return "\n".join(lines)
