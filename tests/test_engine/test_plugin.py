"""The grading plugin in a real pytest session (pytester): points, the timeout marker, statuses."""

from __future__ import annotations

import queue
import types

import pytest

from grader.engine.plugin import GradingPlugin, Job, classify
from grader.engine.proxy import remote_exception
from grader.errors import StudentCodeError, SubmissionTimeout, WorkerDiedError

pytest_plugins = ["pytester"]

SUITE = '''
import pytest
from grader.errors import SubmissionTimeout

@pytest.mark.points(3, shared=True)
@pytest.mark.parametrize("case", ["a", "b", "c"])
def test_shared(case):
    assert case in "abc"

@pytest.mark.points(2)
def test_two_points():
    assert False, "wrong answer"

@pytest.mark.timeout(0.5)
def test_marked_timeout(submission):
    assert submission._run.call_timeout == 0.5

def test_default_timeout(submission):
    assert submission._run.call_timeout == 7.0

def test_ran_out_of_time():
    raise SubmissionTimeout("calling softmax ran past the 0.5 s allowed for one call")

def test_partial(credit):
    credit.award(0.25, "a quarter")

def test_awarded_nothing(credit):
    credit.award(0.0, "below the lowest tier")

def test_not_applicable():
    pytest.skip("a saved model has nothing to train")
'''


def _grade(pytester: pytest.Pytester, *, skips: bool = False,
           ) -> tuple[Job, GradingPlugin, types.SimpleNamespace]:
    pytester.makepyfile(test_hidden=SUITE)
    jobs: queue.Queue[Job | None] = queue.Queue()
    run = types.SimpleNamespace(call_timeout=7.0, test="")
    job = Job(pytester.path.name, run, skips=skips)  # type: ignore[arg-type]
    jobs.put(job)
    jobs.put(None)
    plugin = GradingPlugin(jobs, {})
    pytester.inline_run("-p", "no:cacheprovider", plugins=[plugin])
    assert job.done.is_set() and job.error is None
    return job, plugin, run


def test_points_are_shared_over_cases_and_statuses_come_from_classify(
        pytester: pytest.Pytester) -> None:
    job, plugin, _ = _grade(pytester)
    got = {r.name: (r.score, r.max_score, r.status) for r in job.results}
    assert got["test_shared[a]"] == (1.0, 1.0, "passed")
    assert got["test_shared[c]"] == (1.0, 1.0, "passed")
    assert got["test_two_points"] == (0.0, 2.0, "failed")
    assert got["test_ran_out_of_time"] == (0.0, 1.0, "timeout")
    assert got["test_partial"] == (0.25, 1.0, "partial")
    assert got["test_awarded_nothing"] == (0.0, 1.0, "failed")
    # A hidden suite's points are never skipped away.
    assert got["test_not_applicable"] == (0.0, 1.0, "failed")
    assert plugin.max_scores(pytester.path.name)[0] == ("test_shared[a]", 1.0)


def test_a_partial_test_keeps_its_message(pytester: pytest.Pytester) -> None:
    job, _, _ = _grade(pytester)
    (partial,) = [r for r in job.results if r.status == "partial"]
    assert partial.message == "a quarter"


def test_a_public_check_that_skips_is_skipped_and_worth_nothing(
        pytester: pytest.Pytester) -> None:
    job, _, _ = _grade(pytester, skips=True)
    got = {r.name: (r.score, r.max_score, r.status, r.message) for r in job.results}
    assert got["test_not_applicable"] == (0.0, 0.0, "skipped",
                                          "a saved model has nothing to train")
    assert got["test_two_points"][2] == "failed"


def test_the_timeout_marker_sets_the_call_timeout_of_its_test_only(
        pytester: pytest.Pytester) -> None:
    job, _, run = _grade(pytester)
    got = {r.name: r.status for r in job.results}
    assert got["test_marked_timeout"] == "passed"
    assert got["test_default_timeout"] == "passed"
    assert run.call_timeout == 7.0


@pytest.mark.parametrize(("exc", "status", "start"), [
    (SubmissionTimeout("ran past"), "timeout", "ran past"),
    (WorkerDiedError("crashed"), "error", "crashed"),
    (StudentCodeError("softmax is not defined"), "error", "softmax is not defined"),
    (remote_exception({"type": "ValueError", "bases": ["ValueError"], "message": "bad"}),
     "error", "your code raised ValueError: bad"),
    (AssertionError("wrong"), "failed", "wrong"),
    (AssertionError(), "failed", "the check failed"),
    (KeyError("x"), "error", "KeyError"),
])
def test_classify(exc: BaseException, status: str, start: str) -> None:
    got_status, message = classify(exc)
    assert got_status == status
    assert message.startswith(start)
