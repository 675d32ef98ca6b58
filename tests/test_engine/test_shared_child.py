"""One student's assignments share a worker child; a function that runs out of time stops."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_a_function_that_ran_out_of_time_is_not_called_again(tmp_path: Path) -> None:
    student = tmp_path / "submissions" / "looper"
    student.mkdir(parents=True)
    (student / "probe.py").write_text(LOOPING_SOFTMAX)
    out = tmp_path / "results.json"
    grade.main(submissions_dir=tmp_path / "submissions", course_dir=TEST_COURSE, db=None,
               out=None, json_path=out, jobs=1)
    result = json.loads(out.read_text())["students"][0]["assignments"][0]
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
    assert shared["softmax"].limits["cpu_seconds"] == cpu["softmax"] + cpu["cross_entropy"]
    assert shared["jet_classifier"].limits["memory_mb"] == 0
