"""What crosses back is what the student's code did: exceptions with all their builtin bases,
and a worker that runs under the sandbox's environment (its hash seed included)."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from grader.course import Course
from grader.engine.assignment_run import AssignmentRun
from grader.engine.grading import Engine
from grader.engine.host import SharedChild
from grader.engine.proxy import remote_exception
from grader.engine.sandbox import choose_sandbox

TEST_COURSE = Path(__file__).resolve().parents[1] / "data" / "course"


class ShapeError(TypeError, ValueError):
    """A student's own exception that is both a TypeError and a ValueError."""


def _rebuilt(exc: BaseException) -> Exception:
    """As the worker describes it (``child.describe_exception``): builtin bases in MRO order.

    Spelled out here: importing the worker's child module would make this process look like
    a worker to ``grader.checking``.
    """
    bases = [c.__name__ for c in type(exc).__mro__
             if getattr(builtins, c.__name__, None) is c and issubclass(c, BaseException)]
    return remote_exception({"type": type(exc).__name__, "bases": bases, "message": str(exc)})


def test_an_exception_keeps_every_builtin_base_in_mro_order() -> None:
    rebuilt = _rebuilt(ShapeError("bad shape"))
    with pytest.raises(ValueError, match="bad shape"):
        raise rebuilt
    assert isinstance(rebuilt, TypeError)
    assert [c for c in type(rebuilt).__mro__ if c in (TypeError, ValueError)] == [
        TypeError, ValueError]


def test_a_base_implied_by_another_or_clashing_is_left_out() -> None:
    class Missing(FileNotFoundError, KeyError):
        pass

    rebuilt = _rebuilt(Missing("gone"))
    assert isinstance(rebuilt, FileNotFoundError) and isinstance(rebuilt, OSError)
    assert isinstance(rebuilt, KeyError)
    odd = remote_exception({"type": "Odd", "bases": ["UnicodeDecodeError", "ValueError"],
                            "message": "m"})
    assert isinstance(odd, ValueError)  # UnicodeDecodeError needs five arguments: dropped


SET_ORDER = (
    "import os, sys\n"
    "def softmax(x, axis=-1):\n"
    "    return [str(list({f'name{i}' for i in range(40)})), sys.flags.hash_randomization,\n"
    "            os.environ.get('PYTHONHASHSEED')]\n"
    "def apply(score, values):\n"
    "    return score(values)\n"
)


def test_the_worker_runs_under_the_sandboxs_environment() -> None:
    """PYTHONHASHSEED=0 applies: set order is the same in every zygote (``-I`` ignored it)."""
    files = {"probe.py": SET_ORDER.encode()}
    seen = []
    with Engine(Course(TEST_COURSE), ["probe"], sandbox=choose_sandbox("auto")) as engine:
        limits = engine.configs["probe"].limits
        for _ in range(2):
            engine.host.close()  # the next child comes from a fresh zygote
            shared = SharedChild(engine.host, files, limits)
            run = AssignmentRun(shared, "probe", files, ["softmax", "apply"], limits)
            try:
                seen.append(run.call({"name": "softmax", "ns": "probe"}, None, ([1.0],), {}))
            finally:
                run.close()
                shared.close()
    assert seen[0][1:] == [0, "0"]
    assert seen[0] == seen[1]
