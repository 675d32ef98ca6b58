"""The trusted side stays small and on time whatever the worker sends back.

Oversized and hoarding replies are graded in a subprocess (so its peak resident memory,
``ru_maxrss``, is the trusted side's alone), beside a run of the honest student only; the
attack may cost the trusted process little more than the honest run, the affected test must
end near its call timeout, and the honest student graded after the attackers in the same
zygote keeps full marks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .probes import HONEST, TEST_COURSE

REPO = Path(__file__).resolve().parents[2]
CALL_TIMEOUT = 2.0

SUITE = f'''
import numpy as np
import pytest


@pytest.mark.points(1)
def test_callback(submission):
    seen = []

    def score(values):
        seen.append(np.asarray(values, dtype=float))
        return float(np.sum(values))

    assert submission.apply(score, np.arange(3.0)) == 3.0


@pytest.mark.points(1)
@pytest.mark.timeout({CALL_TIMEOUT})
def test_values(submission, reference):
    x = np.array([1.0, 2.0, 3.0])
    got = np.asarray(submission.softmax(x), dtype=float)
    np.testing.assert_allclose(got, reference.softmax(x))
'''

ATTACKERS = {
    # One 64 MiB array: held twice and then turned into float64 by the assertion, before.
    "a_huge_array": HONEST + "def softmax(x, axis=-1):\n    return np.ones(64 << 20, np.int8)\n",
    # 2 MB of JSON made of tiny values: a Python object per value.
    "b_json_flood": HONEST + "def softmax(x, axis=-1):\n    return [0] * 200_000\n",
    # A deep list: refused by its depth, not by recursion.
    "c_deep": HONEST + (
        "def softmax(x, axis=-1):\n    v = []\n    for _ in range(60):\n        v = [v]\n"
        "    return v\n"),
    # The scorer of an earlier test, kept and fed 120 MB of arrays in a later one.
    "d_hoarder": HONEST + (
        "KEPT = []\n"
        "def apply(score, values):\n    KEPT.append(score)\n    return score(values)\n"
        "def softmax(x, axis=-1):\n"
        "    for _ in range(40):\n"
        "        try:\n            KEPT[0](np.ones(3 << 17))\n"
        "        except Exception as exc:\n            print('REFUSED', exc)\n"
        "    return x\n"),
}

RUNNER = """
import json, resource, sys
from pathlib import Path
from grader import grade
root = Path(sys.argv[1])
run = grade.main(submissions_dir=root / "submissions", course_dir=root / "course", db=None,
                 out=None, jobs=1)
(root / "results.json").write_text(json.dumps([s.to_dict() for s in run.students]))
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _run(root: Path, students: dict[str, str]) -> tuple[int, dict[str, dict]]:
    course = root / "course"
    shutil.copytree(TEST_COURSE, course)
    (course / "reference" / "probe" / "test_hidden.py").write_text(SUITE)
    toml = course / "assignments" / "probe" / "assignment.toml"
    toml.write_text(toml.read_text().replace("memory_mb = 1024", "memory_mb = 3072")
                    .replace("total_timeout = 12", "total_timeout = 60"))
    for student, source in students.items():
        (root / "submissions" / student).mkdir(parents=True)
        (root / "submissions" / student / "probe.py").write_text(source)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", RUNNER, str(root)], capture_output=True,
                          text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    peak = json.loads(done.stdout.strip().splitlines()[-1])["maxrss_kb"]
    document = json.loads((root / "results.json").read_text())
    return peak, {s["student"]: s["assignments"][0] for s in document}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    honest_peak, _ = _run(tmp_path_factory.mktemp("honest"), {"z_honest": HONEST})
    attack_peak, results = _run(tmp_path_factory.mktemp("attack"),
                                {**ATTACKERS, "z_honest": HONEST})
    return {"honest_peak": honest_peak, "attack_peak": attack_peak, "results": results}


def _test(result: dict, name: str) -> dict:
    return next(t for t in result["tests"] if t["name"] == name)


def test_oversized_and_hoarding_replies_leave_the_trusted_side_small(runs: dict) -> None:
    grown_mb = (runs["attack_peak"] - runs["honest_peak"]) / 1024
    assert grown_mb < 60, f"the trusted process grew by {grown_mb:.0f} MB"


def test_the_honest_student_after_the_attackers_keeps_full_marks(runs: dict) -> None:
    result = runs["results"]["z_honest"]
    assert result["score"] == result["max_score"] == 2.0, result


@pytest.mark.parametrize(("student", "words"), [
    ("a_huge_array", "max_reply_mb"),
    ("b_json_flood", "max_reply_json_kb"),
    ("c_deep", "max_reply_depth"),
])
def test_an_oversized_reply_fails_its_test_within_the_call_timeout(runs: dict, student: str,
                                                                   words: str) -> None:
    test = _test(runs["results"][student], "test_values")
    assert test["status"] == "error" and words in test["message"], test
    assert test["duration"] < CALL_TIMEOUT + 1.5, test


def test_a_callable_is_released_when_its_test_ends(runs: dict) -> None:
    result = runs["results"]["d_hoarder"]
    assert _test(result, "test_callback")["status"] == "passed"
    assert result["output"].count("REFUSED") == 40
    assert "only valid during the test that passed it" in result["output"]
    assert _test(result, "test_values")["duration"] < CALL_TIMEOUT + 1.5


def test_the_budget_counts_array_elements_and_nesting() -> None:
    from grader.engine.budget import ReplyBudget, ReplyTooLarge  # noqa: PLC0415

    budget = ReplyBudget(items=1000, depth=3)
    budget.check_value({"l": [{"a": [0, "<f8", [10, 10]]}]})
    with pytest.raises(ReplyTooLarge, match="max_reply_items"):
        budget.check_value({"l": [{"a": [0, "<f8", [100, 100]]}]})
    with pytest.raises(ReplyTooLarge, match="max_reply_depth"):
        budget.check_value({"l": [{"l": [{"l": [{"l": [{"n": 1}]}]}]}]})
    with pytest.raises(ReplyTooLarge, match="max_call_mb"):
        ReplyBudget(call_bytes=10).frame_limit(10)
