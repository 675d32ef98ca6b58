"""Fewer round trips, same answers.

Plain attributes travel with replies, and are never read stale or instead of a property;
``call_each`` makes a whole loop of calls in one round trip, with a loop's semantics.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grader.config import Limits
from grader.engine.assignment_run import AssignmentRun
from grader.engine.host import SharedChild, WorkerHost
from grader.engine.proxy import RemoteException, SubmissionProxy
from grader.engine.sandbox import choose_sandbox
from grader.errors import WorkerDiedError
from grader.testing import call_each

SOURCE = b'''
import numpy as np

class Counter:
    def __init__(self):
        self.count = 0
        self.best = np.float64(0.5)
        self.history = []
    def add(self, other=None):
        if other == "boom":
            raise ValueError("boom at " + str(self.count))
        self.count += 1
        self.history.append(self.count)
        if other is not None:
            other.count += 10
        return self.count

def die():
    import os
    os._exit(3)

class WithProperty:
    def __init__(self):
        self.__dict__["value"] = "from the instance dict"
    @property
    def value(self):
        return "from the property"

class Custom:
    def __init__(self):
        self.value = 1
    def __getattribute__(self, name):
        if name == "value":
            return 42
        return object.__getattribute__(self, name)
'''


@pytest.fixture
def submission() -> Iterator[tuple[SubmissionProxy, AssignmentRun]]:
    host = WorkerHost(choose_sandbox("none"), preload=("numpy",))
    host.start()
    files = {"objects.py": SOURCE}
    limits = Limits(call_timeout=10, total_timeout=60)
    shared = SharedChild(host, files, limits)
    names = ["Counter", "WithProperty", "Custom", "die"]
    run = AssignmentRun(shared, "objects", files, names, limits)
    try:
        yield SubmissionProxy(run), run
    finally:
        run.close()
        shared.close()
        host.close()


def test_attributes_after_a_call_need_no_round_trip_and_are_fresh(submission) -> None:
    proxy, run = submission
    counter = proxy.Counter()
    assert counter.count == 0
    assert counter.add() == 1
    sent = run.epoch
    assert counter.count == 1
    assert counter.best == 0.5
    assert run.epoch == sent  # read from the reply, not asked again
    assert counter.history == [1]  # a list is not a plain scalar: asked for
    assert run.epoch == sent + 1


def test_a_call_on_another_object_makes_every_snapshot_stale(submission) -> None:
    proxy, _ = submission
    first, second = proxy.Counter(), proxy.Counter()
    assert first.count == 0
    second.add(first)
    assert first.count == 10


def test_a_property_wins_over_the_instance_dict(submission) -> None:
    proxy, _ = submission
    assert proxy.WithProperty().value == "from the property"


def test_custom_attribute_access_is_always_asked(submission) -> None:
    proxy, _ = submission
    assert proxy.Custom().value == 42


def test_call_each_is_one_round_trip_and_stops_like_a_loop(submission) -> None:
    proxy, run = submission
    counter = proxy.Counter()
    before = run.epoch
    results = call_each(counter.add, [((), {})] * 5)
    assert results == [1, 2, 3, 4, 5]
    assert run.epoch == before + 1
    assert counter.count == 5  # the reply's state is fresh
    assert call_each(counter.add, [((), {})] * 3, until_true=True) == [6]


def test_call_each_raises_the_students_exception(submission) -> None:
    proxy, _ = submission
    counter = proxy.Counter()
    with pytest.raises(ValueError, match="boom at 2") as info:
        call_each(counter.add, [((), {}), ((), {}), (("boom",), {}), ((), {})])
    assert isinstance(info.value, RemoteException)
    assert counter.count == 2  # the calls after the exception never ran


def test_call_each_on_a_local_function_is_a_plain_loop() -> None:
    seen: list[int] = []

    def step(value: int) -> bool:
        seen.append(value)
        return value >= 2

    assert call_each(step, [((v,), {}) for v in range(5)], until_true=True) == [
        False, False, True]
    assert seen == [0, 1, 2]


def test_an_object_of_a_killed_child_is_never_mistaken_for_a_new_one(submission) -> None:
    proxy, _ = submission
    old = proxy.Counter()
    old.add()
    with pytest.raises(WorkerDiedError, match="crashed"):
        proxy.die()
    new = proxy.Counter()  # a fresh child, whose first object would reuse a naive handle
    assert new.add() == 1
    with pytest.raises(RemoteException, match="unknown object reference"):
        old.add()
    assert new.count == 1
