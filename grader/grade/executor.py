"""Where students are graded: this process, a local process pool, or a Dask cluster.

Each pool process (or Dask worker process) builds one ``Engine`` the first time it grades
and keeps it: the pytest session and the sandboxed zygote are paid once per process. Only
plain data crosses between the coordinator and the pool: the student's submission record
(the bytes discovery read, never a path to read again) and the assignments to grade go out,
``StudentResult.to_dict()`` comes back.

Every executor keeps one rule: whatever goes wrong while one student is graded becomes that
student's ``error`` (cause ``submission`` when the files are at fault, ``grader`` when we
are); only a failure of the infrastructure itself (no sandbox, no gradebook, a bad
configuration) stops the batch.
"""

from __future__ import annotations

import atexit
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..course import Course
from ..discover import StudentSubmission
from ..engine.grading import Engine
from ..engine.sandbox import Sandbox, choose_sandbox
from ..errors import ConfigError, GradebookError, SandboxUnavailable, SubmissionError
from ..results import AssignmentResult, StudentResult


@dataclass(frozen=True)
class EngineSpec:
    """Everything a process needs to build its engine, as plain picklable data."""

    course_root: str
    assignments: tuple[str, ...]
    sandbox: str
    kind: str = "hidden"
    options: tuple[tuple[str, Any], ...] = ()
    suites: tuple[str, ...] = ()
    """The suites' content hashes: a process that keeps its engine between batches (a Dask
    worker) builds a new one when an instructor has edited a suite."""
    secret: bytes | None = field(default=None, repr=False)
    """The course secret read once by the coordinator, so that every process (a Dask worker
    on another machine too) draws the hidden cases from the same one."""

    def build(self, sandbox: Sandbox | None = None) -> Engine:
        course = Course(Path(self.course_root))
        return Engine(course, list(self.assignments),
                      sandbox=sandbox or choose_sandbox(self.sandbox),
                      kind=self.kind, options=dict(self.options), secret=self.secret)


@dataclass(frozen=True)
class Task:
    submission: StudentSubmission
    assignments: tuple[str, ...]

    @property
    def student(self) -> str:
        return self.submission.student


INFRASTRUCTURE = (SandboxUnavailable, GradebookError, ConfigError)
"""Failures that are no student's: they stop the batch with their exit code."""

MAX_FAILURE_TEXT = 300


_ENGINES: dict[EngineSpec, Engine] = {}


def _engine(spec: EngineSpec) -> Engine:
    engine = _ENGINES.get(spec)
    if engine is None:
        for old in [s for s in _ENGINES if s.course_root == spec.course_root]:
            _ENGINES.pop(old).close()  # built for suites that have changed since
        engine = _ENGINES[spec] = spec.build()
        if len(_ENGINES) == 1:
            atexit.register(_close_engines)
    return engine


def _close_engines() -> None:
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.close()


def grade_task(spec: EngineSpec, task: Task) -> dict[str, Any]:
    """Grade one student in this process; the unit of work of every executor."""
    return grade_guarded(_engine(spec), task).to_dict()


def grade_guarded(engine: Engine, task: Task) -> StudentResult:
    """``engine.grade`` for one student, whose failure, whatever it is, is that student's."""
    try:
        return engine.grade(task.submission, only=list(task.assignments))
    except INFRASTRUCTURE:
        raise
    except Exception as exc:  # noqa: BLE001 - one student's failure must not stop the batch
        return failed(task, exc)


def failed(task: Task, exc: BaseException) -> StudentResult:
    """Every assignment of ``task`` as an ``error`` that says whose the failure is."""
    text = f"{type(exc).__name__}: {exc}"[:MAX_FAILURE_TEXT]
    if isinstance(exc, SubmissionError):
        cause, message = "submission", f"this submission could not be graded: {text}"
    else:
        cause = "grader"
        message = (f"the grader failed on this submission ({text}); this is not a grade: "
                   "it is graded again on the next run")
    return StudentResult(
        student=task.student,
        assignments=[
            AssignmentResult(assignment=name, score=0.0, max_score=0.0, status="error",
                             message=message, cause=cause,
                             grader_failure=text if cause == "grader" else "",
                             files=list(task.submission.assignments.get(name, [])))
            for name in task.assignments
        ],
        ignored=list(task.submission.ignored),
        refused=dict(task.submission.refused),
    )


def run_local(spec: EngineSpec, tasks: list[Task], jobs: int,
              sandbox: Sandbox) -> Iterator[StudentResult]:
    """Grade ``tasks`` in this process (jobs=1) or a pool of ``jobs`` processes."""
    if not tasks:
        return
    if jobs <= 1:
        with spec.build(sandbox) as engine:
            for task in tasks:
                yield grade_guarded(engine, task)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: dict[Future[dict[str, Any]], Task] = {}
        queue = list(reversed(tasks))
        while queue or pending:
            while queue and len(pending) < jobs * 2:
                task = queue.pop()
                pending[pool.submit(grade_task, spec, task)] = task
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield _collect(future, pending.pop(future))


def run_dask(spec: EngineSpec, tasks: list[Task], scheduler: str) -> Iterator[StudentResult]:
    """Grade ``tasks`` on a Dask distributed cluster; the sandbox applies on each worker."""
    try:
        from distributed import Client, as_completed  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        from ..errors import ConfigError  # noqa: PLC0415

        raise ConfigError("--scheduler needs Dask: pip install 'grader[dask]'") from exc
    with Client(scheduler) as client:
        futures = {client.submit(grade_task, spec, task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            yield _collect(future, futures[future])


def _collect(future: Any, task: Task) -> StudentResult:
    """The result of one task; a crashed pool process becomes that student's error only."""
    try:
        return StudentResult.from_dict(future.result())
    except INFRASTRUCTURE:
        raise
    except Exception as exc:  # noqa: BLE001 - one student's crash must not stop the batch
        return failed(task, exc)


def make_tasks(students: list[StudentSubmission], todo: dict[str, list[str]]) -> list[Task]:
    return [Task(s, tuple(todo[s.student])) for s in students if todo[s.student]]
