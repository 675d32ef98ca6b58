"""The trusted runner as a pytest plugin: markers, fixtures, and a test loop fed by jobs.

One pytest session collects the suites once and then grades many submissions: its
``pytest_runtestloop`` takes ``Job`` after ``Job`` from a queue and runs the items of the
job's assignment with the job's ``AssignmentRun`` behind the ``submission`` fixture.
Module- and session-scoped fixtures (loaded data, the reference) survive from one student
to the next; ``submission_cache`` is the place for what belongs to one student.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import numpy as np
import pytest

from ..course import load_solution_file
from ..errors import GraderError, GradingAborted
from ..results import TestResult, TestStatus
from ..seeds import PUBLIC_SECRET, case_seed
from .assignment_run import AssignmentRun
from .proxy import RemoteException, SubmissionProxy

MAX_MESSAGE = 3000


@dataclass
class Credit:
    """Partial credit a test may award: ``credit.award(0.6, "accuracy 0.70: tier 2 of 3")``."""

    fraction: float = 1.0
    message: str = ""

    def award(self, fraction: float, message: str = "") -> None:
        self.fraction = min(max(float(fraction), 0.0), 1.0)
        self.message = message


@dataclass
class Job:
    """One (student, assignment) to grade; ``run`` is None when nothing was submitted."""

    assignment: str
    run: AssignmentRun | None
    reference: Path | None = None
    missing_message: str = "not submitted"
    case_key: bytes = PUBLIC_SECRET
    """Seeds the ``rng`` of each test (``seeds.submission_key`` for a hidden suite)."""
    skips: bool = False
    """A ``pytest.skip`` is ``skipped`` (worth nothing either way) rather than ``failed``:
    for the public self-checks, where a check may not apply (a saved model is not trained).
    A hidden suite's points are never skipped away."""
    results: list[TestResult] = field(default_factory=list)
    artifacts: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


# -- the private pytest API the loop needs, here alone ----------------------------------------
# Read in pytest 8.3.5's source, run on 9.2.0 (pyproject pins pytest>=8,<10). pytest runs an
# item once; the loop runs it again for every student, which needs what no public API offers:
# a fresh FixtureRequest for each run of a Function item, and tearing the fixtures down to a
# given next item between jobs (the public pytest_runtest_teardown hook does the same, but only
# as the teardown of an item that ran).
def _fresh_request(item: pytest.Item) -> bool:
    """Give a Function item a new FixtureRequest; True when ``_drop_request`` must undo it."""
    function = cast(Any, item)
    has_request = hasattr(item, "_request")
    if has_request and not function._request:
        function._initrequest()  # every item runs again for each student
    return has_request


def _drop_request(item: pytest.Item) -> None:
    function = cast(Any, item)
    function._request = False
    function.funcargs = None


def _teardown_to(session: pytest.Session, nextitem: pytest.Item | None) -> None:
    session._setupstate.teardown_exact(nextitem)


def assignment_of(item: pytest.Item) -> str:
    return Path(str(item.path)).parent.name


def classify(exc: BaseException, *, skips: bool = False) -> tuple[TestStatus, str]:
    """(status, message) for the exception that ended a test; ``skips`` as ``Job.skips``."""
    if isinstance(exc, GradingAborted):
        return exc.status, str(exc)
    if isinstance(exc, RemoteException):
        trace = f"\n{exc.remote_traceback}" if exc.remote_traceback else ""
        return "error", f"your code raised {exc.remote_type}: {exc}{trace}"
    if isinstance(exc, GraderError):
        # Its message says what happened; its class name is the grader's, not the student's
        # ("StudentCodeError", "ReplyTooLarge" mean nothing on a student's page).
        return "error", str(exc)
    if isinstance(exc, AssertionError | pytest.fail.Exception):
        text = str(exc).strip() or "the check failed"
        return "failed", text
    if isinstance(exc, pytest.skip.Exception):
        return ("skipped", str(exc)) if skips else ("failed", f"skipped: {exc}")
    return "error", f"{type(exc).__name__}: {exc}"


class GradingPlugin:
    def __init__(self, jobs: queue.Queue[Job | None], options: dict[str, Any]) -> None:
        self.jobs = jobs
        self.options = options
        self.groups: dict[str, list[pytest.Item]] = {}
        self.points: dict[str, float] = {}
        self.collect_errors: list[str] = []
        self.ready = threading.Event()
        self.current: Job | None = None
        self._credit: Credit = Credit()
        self.phases: dict[str, list[tuple[str, BaseException | None, float]]] = {}
        self.references: dict[Path, ModuleType] = {}
        # Read once at collection: fixtures that take ``request`` cost pytest a new
        # FixtureDef per test, so the per-test facts are looked up here instead.
        self.timeouts: dict[str, float] = {}
        self.case_ids: dict[str, tuple[str, str]] = {}
        self.item: pytest.Item | None = None

    # -- configuration and collection ------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line(
            "markers", "points(n, shared=False): weight of the test; shared splits n over cases"
        )
        config.addinivalue_line("markers", "timeout(seconds): wall time per call into student code")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-3000:]}")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        counts: dict[tuple[str, str], int] = {}
        for item in items:
            key = (str(item.path), getattr(item, "originalname", item.name))
            counts[key] = counts.get(key, 0) + 1
        for item in items:
            marker = item.get_closest_marker("points")
            value = float(marker.args[0]) if marker and marker.args else 1.0
            if marker and marker.kwargs.get("shared"):
                value /= counts[(str(item.path), getattr(item, "originalname", item.name))]
            self.points[item.nodeid] = value
            self.groups.setdefault(assignment_of(item), []).append(item)
            timeout = item.get_closest_marker("timeout")
            if timeout and timeout.args:
                self.timeouts[item.nodeid] = float(timeout.args[0])
            self.case_ids[item.nodeid] = (assignment_of(item), item.name)

    def max_scores(self, assignment: str) -> list[tuple[str, float]]:
        return [(item.name, self.points[item.nodeid]) for item in self.groups.get(assignment, [])]

    # -- the loop --------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        self.ready.set()
        if self.collect_errors:
            return True
        while True:
            job = self.jobs.get()
            if job is None:
                break
            try:
                self._run_job(session, job)
            except BaseException as exc:  # noqa: BLE001 - reported to the caller, loop goes on
                job.error = exc
            finally:
                job.done.set()
        _teardown_to(session, None)
        return True

    def _run_job(self, session: pytest.Session, job: Job) -> None:
        items = self.groups.get(job.assignment, [])
        if job.run is None:
            job.results = [
                TestResult(name=item.name, score=0.0, max_score=self.points[item.nodeid],
                           status="error", message=job.missing_message)
                for item in items
            ]
            return
        if not items:
            return
        _teardown_to(session, items[0])  # the fixtures of another assignment's module
        self.current = job
        run = job.run
        default_timeout = run.call_timeout
        try:
            for index, item in enumerate(items):
                # After the last test the next student starts again at the first; a suite
                # of one test keeps only its module set up, or its own fixtures would stay.
                nextitem = (items[index + 1] if index + 1 < len(items) else items[0]
                            if len(items) > 1 else cast(pytest.Item, item.parent))
                self._credit = Credit()
                self.item = item
                run.test = item.name
                run.call_timeout = self.timeouts.get(item.nodeid, default_timeout)
                self._run_item(item, nextitem)
                job.results.append(self._outcome(item))
        finally:
            run.call_timeout = default_timeout
            self.current = None
            self.item = None

    def _run_item(self, item: pytest.Item, nextitem: pytest.Item) -> None:
        """pytest's runtest protocol, lean: the setup, call and teardown hooks, no reports.

        The grade needs each phase's exception and duration, not pytest's formatted
        traceback, log hooks and report objects, which cost more than most tests. The phases
        are timed here rather than by ``pytest.CallInfo.from_call``, which costs about 8 us
        more per phase (pytest 9.2; see the closing note of the change that measured it).
        """
        phases = self.phases[item.nodeid] = []
        ihook = item.ihook
        has_request = _fresh_request(item)
        try:
            steps = (("setup", ihook.pytest_runtest_setup, {"item": item}),
                     ("call", ihook.pytest_runtest_call, {"item": item}),
                     ("teardown", ihook.pytest_runtest_teardown,
                      {"item": item, "nextitem": nextitem}))
            for when, hook, kwargs in steps:
                if when == "call" and phases[0][1] is not None:
                    continue  # setup failed: the test is not run, its fixtures are torn down
                start = time.perf_counter()
                try:
                    hook(**kwargs)
                except (KeyboardInterrupt, pytest.exit.Exception):
                    raise
                except BaseException as exc:  # noqa: BLE001 - every failure is graded
                    phases.append((when, exc, time.perf_counter() - start))
                else:
                    phases.append((when, None, time.perf_counter() - start))
        finally:
            if has_request:
                _drop_request(item)

    def _outcome(self, item: pytest.Item) -> TestResult:
        phases = self.phases.pop(item.nodeid, [])
        max_score = self.points[item.nodeid]
        duration = round(sum(d for _, _, d in phases), 4)
        failure = next((exc for _, exc, _ in phases if exc is not None), None)
        if failure is None:
            fraction = self._credit.fraction
            status: TestStatus = ("passed" if fraction >= 1.0 else
                                  "partial" if fraction > 0.0 else "failed")
            return TestResult(name=item.name, score=max_score * fraction,
                              max_score=max_score, status=status,
                              message=self._credit.message[:MAX_MESSAGE], duration=duration)
        job = self.current
        status, message = classify(failure, skips=job is not None and job.skips)
        return TestResult(name=item.name, score=0.0,
                          max_score=0.0 if status == "skipped" else max_score, status=status,
                          message=message[:MAX_MESSAGE], duration=duration)

    # -- fixtures --------------------------------------------------------------------------
    def _job(self) -> Job:
        if self.current is None or self.current.run is None:
            raise RuntimeError("the grading fixtures are only available while grading")
        return self.current

    @pytest.fixture
    def submission(self) -> SubmissionProxy:
        run = self._job().run
        assert run is not None
        return SubmissionProxy(run)

    @pytest.fixture
    def reference(self) -> ModuleType:
        path = self._job().reference
        if path is None:
            raise RuntimeError("no reference solution is available for this suite")
        module = self.references.get(path)
        if module is None:
            module = self.references[path] = load_solution_file(path)
        return module

    @pytest.fixture
    def rng(self) -> np.random.Generator:
        """Seeded from the submission's case key and the test's id (``seeds.case_seed``):
        a regrade meets the same inputs, another submission or student new ones."""
        if self.item is None:
            raise RuntimeError("the grading fixtures are only available while grading")
        assignment, test = self.case_ids[self.item.nodeid]
        return np.random.default_rng(case_seed(self._job().case_key, assignment, test))

    @pytest.fixture
    def credit(self) -> Credit:
        return self._credit

    @pytest.fixture
    def artifacts(self) -> dict[str, Any]:
        return self._job().artifacts

    @pytest.fixture
    def submission_cache(self) -> dict[str, Any]:
        return self._job().cache

    @pytest.fixture
    def grader_options(self) -> dict[str, Any]:
        return dict(self.options)
