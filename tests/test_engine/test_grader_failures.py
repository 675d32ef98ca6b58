"""A failure of the grader's own is never stored as a student's grade.

The sandbox is made to fail for one student (its zygote refuses to fork them): the student
is retried once in a fresh sandbox in the same run; when that fails too, the result is kept,
marked on the page, and not served from the gradebook, so the next run (without --force)
grades it again. Honest students graded after them in the same zygote keep full marks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from grader.engine.host import WorkerHost
from grader.errors import SandboxUnavailable

from .probes import HONEST, TEST_COURSE

VICTIM = "# the victim of a broken sandbox\n" + HONEST


def _submissions(root: Path) -> Path:
    for student, source in (("a_honest", HONEST), ("b_victim", VICTIM), ("c_honest", HONEST)):
        (root / "submissions" / student).mkdir(parents=True)
        (root / "submissions" / student / "probe.py").write_text(source)
    return root / "submissions"


def _failing_spawn(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[int]:
    """The zygote fails to fork the victim ``failures`` times (then works); the call count."""
    spawn = WorkerHost.spawn
    calls: list[int] = []

    def flaky(self: WorkerHost, files: dict[str, bytes], *args: Any, **kwargs: Any) -> Any:
        if any(b"victim" in content for content in files.values()):
            calls.append(1)
            if len(calls) <= failures:
                self.restart()
                raise SandboxUnavailable("the worker's zygote stopped answering: injected")
        return spawn(self, files, *args, **kwargs)

    monkeypatch.setattr(WorkerHost, "spawn", flaky)
    return calls


def _grade(root: Path, submissions: Path, name: str) -> tuple[grade.GradeRun, dict[str, dict]]:
    out = root / f"{name}.json"
    run = grade.main(submissions_dir=submissions, course_dir=TEST_COURSE,
                     db=f"sqlite:///{root / 'gradebook.db'}", out=root / f"{name}-reports",
                     json_path=out, jobs=1)
    document = json.loads(out.read_text())
    return run, {s["student"]: s["assignments"][0] for s in document["students"]}


def test_a_failure_of_ours_is_retried_in_a_fresh_sandbox(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _failing_spawn(monkeypatch, failures=1)
    _, results = _grade(tmp_path, _submissions(tmp_path), "first")
    assert len(calls) >= 2  # the failed fork, then the ones that worked
    for student in ("a_honest", "b_victim", "c_honest"):
        assert results[student]["score"] == 6.0, results[student]
        assert results[student]["grader_failure"] == ""


def test_a_failure_of_ours_is_not_cached_and_the_next_run_grades_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    submissions = _submissions(tmp_path)
    with monkeypatch.context() as patch:
        calls = _failing_spawn(patch, failures=99)
        _, results = _grade(tmp_path, submissions, "first")
    assert len(calls) >= 2  # tried, then retried in a fresh sandbox
    victim = results["b_victim"]
    assert victim["score"] == 0.0 and "injected" in victim["grader_failure"]
    assert results["a_honest"]["score"] == results["c_honest"]["score"] == 6.0
    page = (tmp_path / "first-reports" / "b_victim.html").read_text()
    assert "Not final:" in page and "graded again on the next run" in page
    assert "Not final:" not in (tmp_path / "first-reports" / "c_honest.html").read_text()

    second, results = _grade(tmp_path, submissions, "second")  # no --force
    assert second.cached == 2 and second.graded == 1
    assert results["b_victim"]["score"] == 6.0 and results["b_victim"]["grader_failure"] == ""
    assert "Not final:" not in (tmp_path / "second-reports" / "b_victim.html").read_text()
