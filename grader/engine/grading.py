"""The engine one process uses to grade: a suite session plus a sandboxed zygote.

``Engine.grade(submission)`` returns a ``StudentResult``: the same call serves the local
process pool, Dask workers, ``grade check`` and ``grade validate``.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

from ..config import AssignmentConfig
from ..course import Course
from ..discover import StudentSubmission
from ..noise import environment_lines_removed
from ..results import AssignmentResult, StudentResult, bound_artifacts
from ..seeds import PUBLIC_SECRET, submission_key
from .assignment_run import AssignmentRun, LoadReport
from .files import FilesTooLarge, StudentFiles
from .host import DEFAULT_PRELOAD, SharedChild, WorkerHost
from .plugin import Job
from .sandbox import DEFAULT_SCRATCH_MB, Sandbox
from .session import SuiteSession


def not_submitted(config: AssignmentConfig) -> str:
    """The one line a student reads for an assignment not handed in: what to hand in.

    ``not submitted: expected kfold.py or a notebook defining kfold_indices and
    cross_val_score``; pages, JUnit and Gradescope show it instead of one row per test."""
    names = list(config.names)
    defining = " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))
    notebook = f"a notebook defining {defining}" if defining else "a notebook"
    files = ", ".join(config.files)
    return f"not submitted: expected {f'{files} or {notebook}' if files else notebook}"


class Engine:
    """Grades submissions for ``assignments`` with the ``kind`` suites (hidden or public)."""

    def __init__(
        self,
        course: Course,
        assignments: list[str],
        *,
        sandbox: Sandbox,
        kind: str = "hidden",
        options: dict[str, Any] | None = None,
        slot: int | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.course = course
        # Hidden cases are drawn from the course secret; the public checks have none to draw
        # from (a student's machine holds no secret) and use a fixed public one.
        self.secret = (secret if secret is not None else
                       course.secret() if kind == "hidden" else PUBLIC_SECRET)
        self.assignments = assignments
        self.kind = kind
        self.configs = {name: course.config(name) for name in assignments}
        # Discovery sees every assignment of the course, graded or not: a file of another
        # assignment is still the student's code, which the graded ones may import.
        self.discovery_configs: list[AssignmentConfig] = [
            course.config(name) for name in course.names()]
        # Assignments whose limits are equal can share a student's child (shared_children).
        self.limit_groups = {name: tuple(sorted(config.limits.to_dict().items()))
                             for name, config in self.configs.items()}
        self.suite_hashes = {name: course.suite_hash(name, kind, options, secret=self.secret)
                             for name in assignments}
        self.session = SuiteSession([course.suite(n, kind) for n in assignments], options=options)
        self.session.start()
        self.host = WorkerHost(
            sandbox, slot=os.getpid() % 4000 if slot is None else slot, preload=DEFAULT_PRELOAD,
            scratch_mb=max((c.limits.scratch_mb for c in self.configs.values()),
                           default=DEFAULT_SCRATCH_MB),
        )

    def close(self) -> None:
        self.session.close()
        self.host.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def grade(self, submission: StudentSubmission, only: list[str] | None = None) -> StudentResult:
        names = [a for a in self.assignments if only is None or a in only]
        store = StudentFiles(submission)
        results = self._grade_all(submission, names, store)
        again = [r.assignment for r in results if r.grader_failure]
        if again:
            # A failure of ours is never a grade: once more, in a fresh sandbox. What still
            # fails keeps grader_failure (cause "grader"), so the gradebook never serves it
            # as a cache hit.
            self.host.restart()
            retried = {r.assignment: r for r in self._grade_all(submission, again, store)}
            results = [retried.get(r.assignment, r) for r in results]
        _notebook_once(results)
        for result in results:
            if result.grader_failure:
                result.cause = "grader"
        return StudentResult(student=submission.student, assignments=results,
                             ignored=list(submission.ignored), refused=dict(submission.refused),
                             notes=dict(submission.notes))

    def _grade_all(self, submission: StudentSubmission, names: list[str],
                   store: StudentFiles) -> list[AssignmentResult]:
        files: dict[str, dict[str, bytes]] = {}
        refused: dict[str, str] = {}
        for name in names:
            try:
                files[name] = store.shipped(name)
            except FilesTooLarge as exc:
                refused[name] = str(exc)
        shared = self.shared_children(files)
        try:
            return [self._refused(submission, name, refused[name], store) if name in refused
                    else self.grade_assignment(submission, name, shared.get(name), store)
                    for name in names]
        finally:
            for child in {id(c): c for c in shared.values()}.values():
                child.close()

    def shared_children(self, files: dict[str, dict[str, bytes]]) -> dict[str, SharedChild]:
        """One child per group of assignments with equal limits, holding all of their files.

        The four numeric assignments share one child, so a student costs one fork and a
        notebook holding every part runs once; an assignment with other limits (the jet
        classifier, which needs no address-space limit for TensorFlow) gets its own. The
        CPU-time limit of a shared child is the sum of its assignments'.
        """
        groups: dict[tuple[Any, ...], list[str]] = {}
        for name, submitted in files.items():
            if submitted:
                groups.setdefault(self.limit_groups[name], []).append(name)
        shared: dict[str, SharedChild] = {}
        for members in groups.values():
            union: dict[str, bytes] = {}
            for name in members:
                union.update(files[name])
            limits = dataclasses.replace(
                self.configs[members[0]].limits,
                cpu_seconds=sum(self.configs[n].limits.cpu_seconds for n in members))
            child = SharedChild(self.host, union, limits)
            shared.update({name: child for name in members})
        return shared

    def _refused(self, submission: StudentSubmission, assignment: str, message: str,
                 store: StudentFiles) -> AssignmentResult:
        """An assignment whose files exceed the byte budget: every test fails, nothing runs."""
        reference = self.course.solution(assignment) if self.kind == "hidden" else None
        job = self.session.run(Job(assignment, None, reference=reference,
                                   missing_message=message))
        return self._result(assignment, submission, store, job, "error", message,
                            time.monotonic())

    def grade_assignment(self, submission: StudentSubmission, assignment: str,
                         shared: SharedChild | None = None,
                         store: StudentFiles | None = None) -> AssignmentResult:
        """Grade one assignment, in ``shared`` or else in a child of its own."""
        config = self.configs[assignment]
        started = time.monotonic()
        store = store or StudentFiles(submission)
        own_files = store.own(assignment)
        reference = self.course.solution(assignment) if self.kind == "hidden" else None
        # A refused file or folder is the student's to fix: an error with that cause.
        problem = submission.failure or submission.problems.get(assignment)
        if submission.failure or not own_files:
            job = self.session.run(Job(assignment, None, reference=reference,
                                       missing_message=problem or "not submitted"))
            result = self._result(assignment, submission, store, job,
                                  "error" if problem else "missing",
                                  problem or not_submitted(config), started)
            result.cause = "submission" if problem else ""
            return result
        files = store.shipped(assignment)
        own = shared is None
        if shared is None:
            shared = SharedChild(self.host, files, config.limits)
        run = AssignmentRun(shared, assignment, {name: files[name] for name in own_files},
                            list(config.names), config.limits, graded_names=sorted(
                                {n for c in self.configs.values() for n in c.names}),
                            forbidden=config.rules.forbidden)
        job = Job(assignment, run, reference=reference, skips=self.kind == "public",
                  case_key=submission_key(self.secret, submission.student,
                                          store.content_hash(assignment)))
        try:
            self.session.run(job)
        finally:
            run.close()
            if own:
                shared.close()
        status = "timeout" if run.timed_out else "graded"
        if status == "graded" and ((run.load is None and run.failure is not None)
                                   or (run.load is not None and _nothing_loaded(run.load))):
            status = "error"
        result = self._result(assignment, submission, store, job, status,  # type: ignore[arg-type]
                              _summary(run, config.names), started)
        result.output = environment_lines_removed(run.output())
        result.grader_failure = run.grader_failure
        if run.load is not None and run.load.notebooks:
            result.notebook = next(iter(run.load.notebooks.values()))
        return result

    def _result(self, assignment: str, submission: StudentSubmission, store: StudentFiles,
                job: Job, status: str, message: str, started: float) -> AssignmentResult:
        return AssignmentResult(
            assignment=assignment,
            score=round(sum(t.score for t in job.results), 6),
            max_score=round(sum(t.max_score for t in job.results), 6),
            status=status,  # type: ignore[arg-type]
            tests=job.results,
            message=message,
            files=list(submission.assignments.get(assignment, [])),
            submission_hash=store.content_hash(assignment),
            suite_hash=self.suite_hashes[assignment],
            duration=round(time.monotonic() - started, 3),
            artifacts=bound_artifacts(job.artifacts),
        )


def _notebook_once(results: list[AssignmentResult]) -> None:
    """A notebook that holds several assignments is shown with the first of them only, and
    its cell errors are listed there only: once per student, not once per assignment (the
    jet classifier runs the notebook again in a child of its own, so the texts differ)."""
    shown: dict[str, str] = {}  # notebook file -> the assignment it is shown with
    for result in results:
        notebooks = [f for f in result.files if f.endswith(".ipynb")]
        first = next((shown[f] for f in notebooks if f in shown), None)
        if first is None:
            if result.notebook is not None:
                shown.update({f: result.assignment for f in notebooks})
            continue
        result.notebook = None
        lines = result.message.splitlines()
        kept = [line for line in lines
                if not any(line.startswith((f"{f}, cell ", f"{f}: ")) for f in notebooks)]
        if len(kept) < len(lines):
            kept.append(f"the cell errors and notes of {', '.join(notebooks)} are listed "
                        f"under {first}")
        result.message = "\n".join(kept)


def _nothing_loaded(load: LoadReport) -> bool:
    return bool(load.files) and all(not f.get("defines") for f in load.files) and any(
        f.get("error") for f in load.files
    )


def _summary(run: AssignmentRun, names: tuple[str, ...]) -> str:
    lines: list[str] = []
    load = run.load
    if load is None:
        return "\n".join(str(run.failure or "").splitlines()[:3])
    code = [f for f in run.files if f.endswith((".py", ".ipynb"))]
    for name in names:
        providers = [f["file"] for f in load.files if name in f.get("defines", [])]
        if len(providers) > 1:
            lines.append(f"{name} is defined in {' and '.join(providers)}: graded the one in "
                         f"{providers[0]}")
        elif not providers and code:
            lines.append(f"{name} is not defined in {', '.join(code)}")
    lines += load.errors()
    for entry in load.files:
        lines += [f"{entry['file']}: {note}" for note in entry.get("notes", [])]
    lines += list(run.notes)
    return "\n".join(lines)

