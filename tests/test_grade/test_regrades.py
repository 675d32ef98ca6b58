"""Regrades: a moved deadline needs none, and a score that changes on one is flagged.

The late rule is not part of the suite hash: it is stored with each result and updated
when the next run finds the same files, so everyone's grade follows the new deadline
without a single test running again. A ``--force`` regrade of the same files by the same
suite that gives another score is shown as nondeterministic (JSON and summary page), and
the newer score counts; seeding the student's global generators keeps honest code that
draws unseeded random numbers from ever getting there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import grade
from grader.gradebook import Gradebook

from .course_copy import DEADLINE, LATE_RULE, REPO, make_course, make_submissions, set_late_rule

pytestmark = pytest.mark.slow


def scores(run: grade.GradeRun) -> dict[str, float]:
    return {student.student: student.score for student in run.students}


def test_moving_a_deadline_changes_grades_without_regrading(tmp_path: Path) -> None:
    course = make_course(tmp_path)
    subs = make_submissions(tmp_path, {"ada": "2025-03-03T10:00:00+00:00"})
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    options = {"submissions_dir": subs, "course_dir": course, "db": db, "sandbox": "none",
               "out": tmp_path / "reports"}
    first = grade.main(**options)  # type: ignore[arg-type]
    assert first.graded == 1 and scores(first) == {"ada": 8.0}

    set_late_rule(course, LATE_RULE.replace(DEADLINE, "2025-03-04T00:00:00+00:00"))
    moved = grade.main(**options)  # type: ignore[arg-type]
    assert moved.graded == 0 and moved.cached == 1, "a new deadline regrades nobody"
    assert scores(moved) == {"ada": 10.0}
    with Gradebook(db) as book:
        assert book.students()[0].score == 10.0, "the stored rule is the new one"
    page = (tmp_path / "reports" / "ada.html").read_text()
    assert "Total score: <strong>10 / 10</strong>" in page

    set_late_rule(course, "")
    assert scores(grade.main(**options)) == {"ada": 10.0}  # type: ignore[arg-type]


SOLUTION = (REPO / "reference" / "softmax" / "solution.py").read_text()
FLAKY = SOLUTION.replace("def softmax(", "def _softmax(") + """
import os

MARK = {mark!r}


def softmax(x, axis=-1):
    if not os.path.exists(MARK):  # the first grading: this answer is wrong
        open(MARK, "w").close()
        return np.zeros_like(_softmax(x, axis))
    return _softmax(x, axis)
"""


def test_a_regrade_with_another_score_is_flagged_and_the_newer_counts(tmp_path: Path) -> None:
    course = make_course(tmp_path, late="")
    subs = make_submissions(tmp_path, {"ada": "", "ben": ""})
    (subs / "ada" / "softmax.py").write_text(FLAKY.format(mark=str(tmp_path / "mark")))
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    options = {"submissions_dir": subs, "course_dir": course, "db": db, "sandbox": "none",
               "out": tmp_path / "reports", "json_path": tmp_path / "results.json"}
    first = grade.main(**options)  # type: ignore[arg-type]
    before = scores(first)["ada"]
    assert before < 10.0
    again = grade.main(**options, force=True)  # type: ignore[arg-type]
    assert scores(again) == {"ada": 10.0, "ben": 10.0}, "the newer score counts"

    document = json.loads((tmp_path / "results.json").read_text())
    ada, ben = (s["assignments"][0] for s in document["students"])
    assert ada["nondeterministic"] == {"previous_score": before, "score": 10.0}
    assert ben["nondeterministic"] is None
    index = (tmp_path / "reports" / "index.html").read_text()
    assert 'id="nondeterministic"' in index
    section = index[index.index('id="nondeterministic"'):]
    assert "ada" in section[: section.index("</table>")]
    assert "ben" not in section[: section.index("</table>")]


RANDOM = SOLUTION.replace("def softmax(", "def _softmax(") + """
import random


def softmax(x, axis=-1):
    # Right about half of the time, by unseeded draws from both global generators.
    out = _softmax(x, axis)
    return out if random.random() + np.random.rand() < 1.0 else out * 2
"""


def test_unseeded_randomness_gives_the_same_score_on_every_regrade(tmp_path: Path) -> None:
    course = make_course(tmp_path, late="")
    subs = make_submissions(tmp_path, {"ada": ""})
    (subs / "ada" / "softmax.py").write_text(RANDOM)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    options = {"submissions_dir": subs, "course_dir": course, "db": db, "sandbox": "none",
               "out": None, "json_path": tmp_path / "results.json"}
    runs = [grade.main(**options, force=True) for _ in range(3)]  # type: ignore[arg-type]
    assert len({scores(run)["ada"] for run in runs}) == 1
    document = json.loads((tmp_path / "results.json").read_text())
    assert document["students"][0]["assignments"][0]["nondeterministic"] is None
