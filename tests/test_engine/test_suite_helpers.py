"""The helpers hidden suites share (``grader.testing``), across the real sandbox.

Each one lets a suite see a rule a README states: warnings raised inside the student's call,
arguments the call wrote into, a reference kept instead of a copy, a forbidden call (in the
source and at run time), and a refusal that did not happen.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from grader.config import Limits
from grader.engine.assignment_run import AssignmentRun
from grader.engine.host import SharedChild, WorkerHost
from grader.engine.proxy import SubmissionProxy
from grader.engine.sandbox import choose_sandbox
from grader.testing import (
    change_in_place,
    check_no_warnings,
    check_unchanged,
    check_written_yourself,
    expect_raises,
    hand_over,
    observe,
)

pytestmark = pytest.mark.sandbox

SOURCE = b'''
import copy
import importlib
import numpy as np

def naive(x):
    return np.exp(x) / np.exp(x).sum()

def quiet(x):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x) / np.exp(x).sum()

def shift_in_place(x, y=None):
    x -= x.max()
    if y is not None:
        y[0] = 99
    return x

def shift(x, y=None):
    return x - x.max()

def make_shift():
    return shift_in_place

class Keeper:
    def __init__(self, copies):
        self.copies = copies
        self.kept = None
    def keep(self, weights):
        self.kept = copy.deepcopy(weights) if self.copies else weights

def refuses(k):
    if k < 2:
        raise ValueError("k must be at least 2")
    return k

def hidden_softmax(x):
    special = importlib.import_module("scipy" + ".special")
    return special.softmax(x)

def hidden_kfold(n):
    selection = importlib.import_module("sklearn.model_selection")
    splitter = getattr(selection, "K" + "Fold")(n_splits=2)
    return [v for _, v in splitter.split(np.zeros((n, 1)))]
'''

FORBIDDEN = ("scipy.special.softmax", "sklearn.model_selection.KFold", "grader")
NAMES = ["make_shift", "naive", "quiet", "shift_in_place", "shift", "Keeper", "refuses",
         "hidden_softmax", "hidden_kfold", "softmax", "check_me", "uses_cases"]


@pytest.fixture(scope="module")
def host() -> Iterator[WorkerHost]:
    with WorkerHost(choose_sandbox("bwrap", require=True), preload=("numpy",)) as started:
        yield started


def _submission(host: WorkerHost, files: dict[str, bytes]) -> Iterator[SubmissionProxy]:
    limits = Limits(call_timeout=20, total_timeout=120)
    shared = SharedChild(host, files, limits)
    run = AssignmentRun(shared, "helpers", files, NAMES, limits, FORBIDDEN)
    try:
        yield SubmissionProxy(run)
    finally:
        run.close()
        shared.close()


@pytest.fixture
def submission(host: WorkerHost) -> Iterator[SubmissionProxy]:
    yield from _submission(host, {"helpers.py": SOURCE})


def test_warnings_raised_inside_the_call_come_back_as_data(submission) -> None:
    seen = observe(submission.naive, np.array([1000.0, 0.0]))
    assert [w["category"] for w in seen.warnings][:1] == ["RuntimeWarning"]
    assert "overflow" in seen.warnings[0]["message"]
    assert seen.warnings[0]["file"] == "helpers.py" and seen.warnings[0]["line"] == 7
    with pytest.raises(AssertionError, match="raised RuntimeWarning: overflow"):
        check_no_warnings(seen, "naive([1000, 0])", "subtract the max first")
    calm = observe(submission.naive, np.array([1.0, 2.0]))
    assert calm.warnings == [] and calm.modified == []
    check_no_warnings(calm, "naive([1, 2])", "")
    assert observe(submission.quiet, np.array([1000.0, 0.0])).warnings == []


def test_an_argument_written_in_place_is_seen_in_the_worker(submission) -> None:
    x = np.array([1.0, 3.0])
    seen = observe(submission.shift_in_place, x, y=[1, 2])
    assert seen.modified == ["argument 1", "keyword y"]
    assert np.array_equal(x, [1.0, 3.0])  # the trusted side's copy never changes
    assert np.array_equal(seen.value, [-2.0, 0.0])
    with pytest.raises(AssertionError, match="changed its argument 1, keyword y in place"):
        check_unchanged(seen, "shift_in_place(x)", "work on a new array")
    assert observe(submission.shift, x, y=[1, 2]).modified == []
    returned = submission.make_shift()  # a callable that lives in the worker, by handle
    assert observe(returned, np.array([2.0, 1.0])).modified == ["argument 1"]


def test_only_an_observed_call_carries_a_record(submission) -> None:
    run = submission._run
    run.observed = None
    submission.shift(np.array([1.0]))
    assert run.observed is None


def test_a_reference_kept_instead_of_a_copy_follows_the_test_s_change(submission) -> None:
    for copies, want in ((True, 1.0), (False, 7.0)):
        weights = hand_over(submission, {"W": np.full(3, 1.0)})
        keeper = submission.Keeper(copies)
        keeper.keep(weights)
        change_in_place(submission, weights, {"W": np.full(3, 7.0)})
        assert np.array_equal(keeper.kept["W"], np.full(3, want))


def test_expect_raises_teaches_instead_of_did_not_raise(submission) -> None:
    with expect_raises(ValueError, "k=1 leaves nothing to train on"):
        submission.refuses(1)
    with pytest.raises(AssertionError) as returned, \
            expect_raises(ValueError, "k=2.5 is no integer: raise ValueError"):
        submission.refuses(2.5)
    assert str(returned.value) == ("k=2.5 is no integer: raise ValueError (expected ValueError, "
                                   "but the call returned without raising)")
    with pytest.raises(AssertionError, match="but TypeError was raised"), \
            expect_raises(ValueError, "k='a' must be refused"):
        submission.refuses("a")


def test_calls_hidden_from_the_source_are_trapped_in_the_worker(submission) -> None:
    submission.hidden_softmax(np.array([1.0, 2.0]))
    assert len(submission.hidden_kfold(6)) == 2
    report = submission.grader_rules()
    assert any("scipy.special.softmax" in u and "helpers.py, line" in u for u in report.used)
    assert any("sklearn.model_selection" in u and "KFold" in u for u in report.used)
    assert any("import_module" in r for r in report.review)
    with pytest.raises(AssertionError, match="uses what the README forbids"):
        check_written_yourself(submission, "Write it yourself.")


IMPORTS = b'''
import grader
from scipy.special import softmax as _softmax
import sklearn.model_selection as ms
from grader.cases import far_rows

def softmax(x):
    return _softmax(x)

def check_me():
    return grader.check

def uses_cases():
    return ms.KFold, far_rows
'''

CLEAN = b'''
import grader
import numpy as np
from scipy.special import logsumexp

def softmax(x):
    return np.exp(x - logsumexp(x))

def check_me():
    return grader.check("softmax")
'''


def test_forbidden_names_are_read_in_the_source_never_run(host) -> None:
    for submission in _submission(host, {"helpers.py": IMPORTS}):
        used = submission.grader_rules().used
        assert [u.split(":")[0] for u in used] == [
            "helpers.py, line 3", "helpers.py, line 5", "helpers.py, line 14"]
        assert "scipy.special.softmax" in used[0] and "grader.cases.far_rows" in used[1]
        assert "sklearn.model_selection.KFold" in used[2]


def test_clean_code_and_grader_check_pass_the_rule(host) -> None:
    for submission in _submission(host, {"helpers.py": CLEAN}):
        assert np.isclose(float(submission.softmax(np.array([0.0, 0.0]))[0]), 0.5)
        report = submission.grader_rules()
        assert report.used == [] and report.review == []
        check_written_yourself(submission, "Write it yourself.")
