"""The engine's lifecycle: shared children, timeouts per function and per test, fresh suites."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader import grade
from grader.course import Course
from grader.engine.grading import Engine
from grader.engine.sandbox import choose_sandbox

REPO = Path(__file__).resolve().parents[2]
TEST_COURSE = Path(__file__).resolve().parents[1] / "data" / "course"

LOOPING_SOFTMAX = (
    "def softmax(x, axis=-1):\n"
    "    while True:\n"
    "        pass\n"
    "def apply(score, values):\n"
    "    print('APPLY-CALLED')\n"
    "    return score(values)\n"
)


def grade_probe(tmp_path: Path, sources: dict[str, str], suite: str | None = None) -> dict:
    """Grade ``probe.py`` of each student (with ``suite`` as the hidden suite, if given)."""
    course = TEST_COURSE
    if suite is not None:
        course = tmp_path / "course"
        shutil.copytree(TEST_COURSE, course)
        (course / "reference" / "probe" / "test_hidden.py").write_text(suite)
    for student, source in sources.items():
        (tmp_path / "submissions" / student).mkdir(parents=True)
        (tmp_path / "submissions" / student / "probe.py").write_text(source)
    out = tmp_path / "results.json"
    grade.main(submissions_dir=tmp_path / "submissions", course_dir=course, db=None,
               out=None, json_path=out, jobs=1)
    return {s["student"]: s["assignments"][0] for s in json.loads(out.read_text())["students"]}


@pytest.mark.slow
def test_a_function_that_ran_out_of_time_is_not_called_again(tmp_path: Path) -> None:
    result = grade_probe(tmp_path, {"looper": LOOPING_SOFTMAX})["looper"]
    tests = {t["name"]: t for t in result["tests"]}
    assert result["status"] == "timeout"
    first = tests["test_values[large]"]
    assert first["status"] == "timeout" and "ran past the 3 s" in first["message"]
    for name in ("test_values[small]", "test_equality"):
        assert tests[name]["status"] == "timeout"
        assert tests[name]["message"].startswith("not run: softmax ran past")
        assert "test_values[large]" in tests[name]["message"]
    # apply is another function: it still runs, in a fresh child, and earns its point.
    assert tests["test_callback_sees_data"]["status"] == "passed"
    assert "APPLY-CALLED" in result["output"]


def test_assignments_with_equal_limits_share_one_child() -> None:
    course = Course(REPO)
    names = ["softmax", "cross_entropy", "kfold", "jet_classifier"]
    files = {name: {f"{name}.py": b"x = 1\n"} for name in names}
    files["kfold"] = {}
    with Engine(course, names, sandbox=choose_sandbox("none")) as engine:
        shared = engine.shared_children(files)
    assert shared["softmax"] is shared["cross_entropy"]
    assert "kfold" not in shared  # nothing submitted: no child at all
    assert shared["jet_classifier"] is not shared["softmax"]
    assert set(shared["softmax"].files) == {"softmax.py", "cross_entropy.py"}
    assert set(shared["jet_classifier"].files) == {"jet_classifier.py"}
    cpu = {name: course.config(name).limits.cpu_seconds for name in names}
    assert shared["softmax"].limits.cpu_seconds == cpu["softmax"] + cpu["cross_entropy"]
    assert shared["jet_classifier"].limits.address_space_mb == 0


TIMED_SUITE = '''
import pytest


@pytest.mark.points(1)
@pytest.mark.timeout(0.5)
def test_short_budget(submission):
    assert submission.softmax([1.0]) == "done"


@pytest.mark.points(1)
def test_default_budget(submission):
    assert submission.apply(len, [1, 2]) == 2
'''

SLOW = (
    "import time\n"
    "def softmax(x, axis=-1):\n"
    "    time.sleep(1.0)\n"
    "    return 'done'\n"
    "def apply(score, values):\n"
    "    time.sleep(1.0)\n"
    "    return score(values)\n"
)


@pytest.mark.slow
def test_the_timeout_marker_sets_one_tests_budget(tmp_path: Path) -> None:
    result = grade_probe(tmp_path, {"slow": SLOW}, suite=TIMED_SUITE)["slow"]
    tests = {t["name"]: t for t in result["tests"]}
    assert tests["test_short_budget"]["status"] == "timeout"
    assert "0.5 s allowed" in tests["test_short_budget"]["message"]
    # The next test is back on the assignment's call_timeout (3 s): one second is fine.
    assert tests["test_default_budget"]["status"] == "passed"


def test_an_edited_suite_gets_a_new_engine_in_a_long_lived_worker(monkeypatch) -> None:
    from grader.grade import executor

    built: list[FakeEngine] = []

    class FakeEngine:
        closed = False

        def close(self) -> None:
            self.closed = True

    def build(self: executor.EngineSpec, sandbox: object = None) -> FakeEngine:
        built.append(FakeEngine())
        return built[-1]

    monkeypatch.setattr(executor.EngineSpec, "build", build)
    monkeypatch.setattr(executor, "_ENGINES", {})
    before = executor.EngineSpec("/course", ("softmax",), "none", suites=("hash-1",))
    after = executor.EngineSpec("/course", ("softmax",), "none", suites=("hash-2",))
    assert executor._engine(before) is executor._engine(before)
    assert executor._engine(after) is built[1]
    assert built[0].closed and not built[1].closed
    assert len(built) == 2


def test_a_second_session_collects_its_own_suite_not_a_namesake(tmp_path: Path) -> None:
    from grader.engine.session import SuiteSession

    suites = []
    for course, test in (("first", "test_one"), ("second", "test_two")):
        suite = tmp_path / course / "reference" / "probe" / "test_hidden.py"
        suite.parent.mkdir(parents=True)
        suite.write_text(f"def {test}(submission):\n    pass\n")
        suites.append(suite)
    for suite, test in zip(suites, ("test_one", "test_two")):
        with SuiteSession([suite]) as session:
            assert [name for name, _ in session.max_scores("probe")] == [test]


FIXTURE_SUITE = '''
import pytest

EVENTS = []


@pytest.fixture
def tracked():
    EVENTS.append("setup")
    yield 1
    EVENTS.append("teardown")


@pytest.fixture
def broken():
    raise RuntimeError("fixture failed")


@pytest.mark.points(1)
def test_a(submission, tracked):
    assert tracked == 1


@pytest.mark.points(1)
def test_b(submission, broken):
    pass


@pytest.mark.points(1)
def test_c(submission):
    assert EVENTS and EVENTS == ["setup", "teardown"] * (len(EVENTS) // 2), EVENTS
'''


def test_fixtures_are_set_up_and_torn_down_for_every_test_of_every_student(
    tmp_path: Path,
) -> None:
    source = "def softmax(x):\n    pass\n"
    results = grade_probe(tmp_path, {"first": source, "second": source}, suite=FIXTURE_SUITE)
    assert len(results) == 2
    for result in results.values():
        tests = {t["name"]: t for t in result["tests"]}
        assert tests["test_a"]["status"] == "passed"
        assert tests["test_b"]["status"] == "error"
        assert "RuntimeError: fixture failed" in tests["test_b"]["message"]
        assert tests["test_c"]["status"] == "passed", tests["test_c"]["message"]
