"""``grade SUBMISSIONS_DIR``: grade every student folder, store, report.

Data flows one way: discover -> (gradebook cache) -> executor (sandboxed workers, trusted
pytest) -> gradebook -> JSON / JUnit / reports. Nothing here prints: progress goes through
the ``progress`` callback, results come back as records.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..course import Course
from ..discover import StudentSubmission, discover
from ..engine.files import StudentFiles
from ..engine.sandbox import Sandbox, choose_sandbox
from ..manifest import read_times
from ..outputs import write_text, writing
from ..results import AssignmentResult, StudentResult, results_json
from ..stubs import stub_fingerprints
from .adjusted import adjusted, penalty_note
from .executor import EngineSpec, make_tasks, run_dask, run_local

DEFAULT_DB = "sqlite:///gradebook.db"


@dataclass
class GradeRun:
    """What ``main`` did: the results, what came from the gradebook, and how long it took."""

    students: list[StudentResult]
    graded: int = 0
    cached: int = 0
    seconds: float = 0.0
    sandbox: str = "none"
    course: str = ""
    """The course graded against, as the header names it (its name and folder)."""
    notes: list[str] = field(default_factory=list)
    """Header lines about the run (why no late penalty applied, say)."""
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def main(
    *,
    submissions_dir: Path,
    assignments: list[str] | None = None,
    out: Path | None = Path("reports"),
    json_path: Path | None = None,
    junit_path: Path | None = None,
    db: str | None = DEFAULT_DB,
    jobs: int | None = None,
    sandbox: str = "auto",
    require_sandbox: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    course_dir: Path | None = None,
    options: dict[str, Any] | None = None,
    progress: Callable[[StudentResult, int, int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> GradeRun:
    """Grade every ``submissions_dir/<student>/``.

    Args:
        submissions_dir: one folder per student.
        assignments: the assignments to grade, released or not (when empty: the released
            ones, ``Course.released``).
        out: where HTML reports go; None for none.
        json_path / junit_path: the results JSON / JUnit XML to write, if any.
        db: SQLAlchemy URL of the gradebook; None grades without one (no cache).
        jobs: pool processes (None: one per core); scheduler: a Dask scheduler address
            instead of the pool.
        sandbox: "auto", "bwrap" or "none"; require_sandbox refuses to fall back.
        force: regrade even what the gradebook already holds for the same content.

    Returns:
        GradeRun with one StudentResult per student folder, sorted by name.

    Raises:
        ConfigError, SubmissionError: bad options or folder (usage errors).
        SandboxUnavailable, GradebookError: infrastructure errors.
    """
    started = time.monotonic()
    jobs = jobs or os.cpu_count() or 1
    course = Course.find(course_dir)
    names = course.to_grade(assignments)
    # Every assignment's files are found, graded or not: the graded ones may import them.
    students = discover(Path(submissions_dir), [course.config(n) for n in course.names()],
                        stubs=stub_fingerprints(course.assignments_dir, course.names()))
    times = read_times(Path(submissions_dir))
    rules = {n: course.late_rule(n) for n in names}
    box: Sandbox = choose_sandbox(sandbox, require=require_sandbox)
    run = GradeRun(students=[], sandbox=box.name, course=course.describe())
    run.notes += [note for note in [penalty_note(submissions_dir, times, rules,
                                            [s.student for s in students])] if note]
    held = [n for n in names if n not in course.released()]
    if held:
        run.notes.append(f"not released: {', '.join(held)} (course.toml): graded and stored, "
                         "but no page, summary or export counts it until `grade release OUT "
                         + " ".join(f"-a {n}" for n in held) + "`")
    if box.warning:
        run.warnings.append(box.warning)

    gradebook = _open_gradebook(db)
    try:
        secret = course.secret()
        hashes = {n: course.suite_hash(n, "hidden", options, secret=secret) for n in names}
        spec = EngineSpec(str(course.root), tuple(names), box.name, "hidden",
                          tuple(sorted((options or {}).items())), tuple(hashes.values()),
                          secret=secret)
        kept, todo = _split_cached(students, names, hashes, gradebook, force)
        run.cached = sum(len(v) for v in kept.values())
        tasks = make_tasks(students, todo)
        if on_start:
            on_start(len(students))
        run_id = gradebook.start_run(submissions_dir=str(submissions_dir),
                                     options={"jobs": jobs, "assignments": names,
                                              "sandbox": box.name,
                                              "course": str(course.root)}) if gradebook else None
        fresh: dict[str, StudentResult] = {}
        done = 0
        for student in students:
            if gradebook is not None and kept[student.student]:
                # Re-record cache hits: the latest recorded submission is the one that counts.
                # One transaction per student keeps the coordinator's share of CPU small.
                gradebook.record_student(student.student, list(kept[student.student].values()),
                                         submitted_at=_submitted_at(student, times),
                                         run_id=run_id, late=rules,
                                         refused=student.refused, notes=student.notes)
            if not todo[student.student]:
                done += 1
                result = _merge(student, names, kept[student.student], None)
                fresh[student.student] = result
                if progress:
                    progress(result, done, len(students))
        stream = (run_dask(spec, tasks, scheduler) if scheduler
                  else run_local(spec, tasks, jobs, box))
        by_name = {s.student: s for s in students}
        for result in stream:
            done += 1
            submission = by_name[result.student]
            if gradebook is not None:
                gradebook.record_student(result.student, result.assignments,
                                         submitted_at=_submitted_at(submission, times),
                                         run_id=run_id, late=rules,
                                         refused=submission.refused,
                                         notes=submission.notes)
            run.graded += len(result.assignments)
            merged = _merge(submission, names, kept[result.student], result)
            fresh[result.student] = merged
            if progress:
                progress(merged, done, len(students))
        run.students = adjusted([fresh[s.student] for s in students], gradebook=gradebook,
                                run_id=run_id, rules=rules, times=times)
        run.seconds = round(time.monotonic() - started, 3)
        if gradebook is not None and run_id is not None:
            gradebook.finish_run(run_id, seconds=run.seconds, graded=run.graded,
                                 cached=run.cached)
        run.written += _write_outputs(run, json_path, junit_path, out, gradebook, course)
    finally:
        if gradebook is not None:
            gradebook.close()
    return run


def _open_gradebook(db: str | None) -> Any:
    if not db:
        return None
    from ..gradebook import Gradebook  # noqa: PLC0415 - SQLAlchemy only when a db is used

    return Gradebook(db)


def _split_cached(students: list[StudentSubmission], names: list[str], hashes: dict[str, str],
                  gradebook: Any, force: bool
                  ) -> tuple[dict[str, dict[str, AssignmentResult]], dict[str, list[str]]]:
    kept: dict[str, dict[str, AssignmentResult]] = {}
    todo: dict[str, list[str]] = {}
    for student in students:
        kept[student.student] = {}
        todo[student.student] = []
        store = StudentFiles(student)  # each file read once, whatever it serves
        for name in names:
            hit = None
            if gradebook is not None and not force and not student.failure:
                hit = gradebook.cached(student.student, name, store.content_hash(name),
                                       hashes[name])
            if hit is not None:
                kept[student.student][name] = hit
            else:
                todo[student.student].append(name)
    return kept, todo


def _merge(student: StudentSubmission, names: list[str], kept: dict[str, AssignmentResult],
           fresh: StudentResult | None) -> StudentResult:
    graded = {a.assignment: a for a in (fresh.assignments if fresh else [])}
    return StudentResult(
        student=student.student,
        assignments=[graded.get(n) or kept[n] for n in names if n in graded or n in kept],
        ignored=list(student.ignored),
        refused=dict(student.refused),
        notes=dict(student.notes),
    )


def _submitted_at(submission: StudentSubmission, times: dict[str, Any] | None) -> Any:
    """The manifest's time for the student; None (no penalty) without one."""
    return (times or {}).get(submission.student)


def _write_outputs(run: GradeRun, json_path: Path | None, junit_path: Path | None,
                   out: Path | None, gradebook: Any, course: Course) -> list[Path]:
    """The run's files, all from the adjusted view; written after the gradebook."""
    written: list[Path] = []
    if json_path is not None:
        text = json.dumps(results_json(run.students), indent=2) + "\n"
        written.append(write_text(json_path, text, option="--json"))
    if junit_path is not None:
        from ..export import to_junit  # noqa: PLC0415

        written.append(write_text(junit_path, to_junit(run.students), option="--junit"))
    if out is not None:
        from ..report import main as redraw  # noqa: PLC0415
        from ..report import render_student, render_summary  # noqa: PLC0415

        if gradebook is not None:
            # One student at a time from the gradebook, read as every other output reads it.
            written += redraw(db=gradebook.url, out=out, course_dir=course.root)
        else:
            from ..naming import PageNames  # noqa: PLC0415

            released = course.released()
            shown = [course.only_released(s, released) for s in run.students]
            pages = PageNames(s.student for s in shown)
            with writing(out, "--out"):
                for student in shown:
                    written.append(render_student(student, out, names=pages))
                written.append(render_summary(shown, out, grading_seconds=run.seconds,
                                              names=pages))
    return written
