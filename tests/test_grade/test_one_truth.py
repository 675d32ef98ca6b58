"""Every output of a run shows the same grade, wherever the command runs.

A late penalty (2 days at 10% a day) and an override, read back from the terminal table,
``--json``, ``--junit``, the HTML pages, and the CSV and Gradescope exports, with every
command run from a folder that is no course and the course named by ``--course``.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from grader.cli import main

from .course_copy import REPO, make_course, make_submissions

pytestmark = pytest.mark.slow


def grade(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def ci_summary(results: Path) -> str:
    """The run summary ``examples/ci/course-grading.yml`` writes, run beside ``results`` and
    the ``exports/grades.csv`` of ``grade export``."""
    workflow = yaml.safe_load((REPO / "examples" / "ci" / "course-grading.yml").read_text())
    [step] = [s for s in workflow["jobs"]["grade"]["steps"] if s.get("name") == "Summary"]
    script = step["run"].split("<<'PY'\n", 1)[1].rsplit("PY", 1)[0]
    done = subprocess.run([sys.executable, "-c", script], cwd=results.parent,
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder: no course here, and the project checkout not above it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    return folder


def test_every_output_shows_the_penalty_and_the_override(tmp_path: Path, elsewhere: Path) -> None:
    course = make_course(tmp_path)
    subs = make_submissions(
        tmp_path, {"ada": "2025-03-03T10:00:00+00:00", "ben": "2025-03-01T12:00:00+00:00"}
    )
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    common = ["--course", str(course), "--db", db]
    first = grade(str(subs), *common, "--no-sandbox", "--out", "reports")
    assert f"graded against course course ({course.resolve()})" in first.output
    grade("override", "ben", "softmax", "6.5", "--reason", "copied a classmate's answer", *common)

    run = grade(str(subs), *common, "--no-sandbox", "--out", "reports",
                "--json", "results.json", "--junit", "results.xml")
    expected = {"ada": 8.0, "ben": 6.5}  # ada: 10 - 20%; ben: the instructor's 6.5

    table = {name: float(score) for name, score in
             re.findall(r"(ada|ben)\s*│\s*[\d.]+/10 \*\s*│\s*([\d.]+)/10", run.output)}
    assert table == expected, run.output

    document = json.loads((elsewhere / "results.json").read_text())
    assert {s["student"]: s["score"] for s in document["students"]} == expected
    ada, ben = (s["assignments"][0] for s in document["students"])
    assert ada["raw_score"] == 10.0 and [a["kind"] for a in ada["adjustments"]] == ["late"]
    assert ada["adjustments"][0]["days"] == 2
    assert ben["raw_score"] == 10.0 and [a["kind"] for a in ben["adjustments"]] == ["override"]

    suites = ET.parse(elsewhere / "results.xml").getroot()
    junit = {
        suite.get("name", "").split(".")[0]: float(
            suite.find("properties/property[@name='score']").get("value", "")  # type: ignore[union-attr]
        )
        for suite in suites
    }
    assert junit == expected

    for student, score in expected.items():
        page = (elsewhere / "reports" / f"{student}.html").read_text()
        assert f"Total score: <strong>{score:g} / 10</strong>" in page
    index = (elsewhere / "reports" / "index.html").read_text()
    assert re.search(r'ada</a></td>\s*<td class="num"><span[^>]*>8</span>', index)
    assert re.search(r'ben</a></td>\s*<td class="num"><span[^>]*>6.5</span>', index)

    grade("export", "--format", "csv", *common, "--out", "exports")
    with (elsewhere / "exports" / "grades.csv").open() as stream:
        rows = {row["student"]: float(row["total"]) for row in csv.DictReader(stream)}
    assert rows == expected

    summary = ci_summary(elsewhere / "results.json")  # reads exports/grades.csv beside it
    assert "| ada | 8 | 10 |  | softmax: submitted 2 days late: -20% |" in summary
    assert "| ben | 6.5 | 10 |  | softmax: score set to 6.5 by the instructor" in summary

    grade("export", "--format", "gradescope", *common, "--out", "gradescope")
    for student, score in expected.items():
        results = json.loads(
            (elsewhere / "gradescope" / "softmax" / student / "results.json").read_text())
        assert results["score"] == score

    grade("export", "--format", "junit", *common, "--out", "junit")
    exported = ET.parse(elsewhere / "junit" / "junit.xml").getroot()
    assert [p.get("value") for p in exported.iter("property") if p.get("name") == "score"] == [
        "8.0", "6.5"
    ]

    grade("report", *common, "--out", "redrawn")
    for student in expected:
        assert (elsewhere / "redrawn" / f"{student}.html").read_text() == (
            elsewhere / "reports" / f"{student}.html"
        ).read_text()
