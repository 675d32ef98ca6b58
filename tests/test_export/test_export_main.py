"""``grade export``: each format written from a gradebook, with penalties and overrides."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from grader.errors import ConfigError
from grader.export import main
from grader.gradebook import Gradebook
from grader.naming import student_filename
from grader.results import StudentResult


@pytest.fixture
def db(tmp_path: Path, students: list[StudentResult]) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        for student in students:
            for result in student.assignments:
                book.record(student.student, result)
        book.override("bob", "softmax", 9.0, reason="re-marked by hand")
    return url


def test_csv_export(db: str, tmp_path: Path) -> None:
    [path] = main(fmt="csv", db=db, out=tmp_path / "exports")
    assert path == tmp_path / "exports" / "grades.csv"
    rows = pd.read_csv(path).set_index("student")
    assert rows.loc["bob", "softmax"] == 9.0 and rows.loc["bob", "total"] == 9.0


def test_gradescope_export_writes_one_file_per_student_and_assignment(
        db: str, tmp_path: Path) -> None:
    written = main(fmt="gradescope", db=db, out=tmp_path)
    assert {path.relative_to(tmp_path).as_posix() for path in written} == {
        f"softmax/{student_filename('=carol')}/results.json",
        "softmax/alice/results.json",
        "kfold/alice/results.json",
        "softmax/bob/results.json",
        "kfold/bob/results.json",
    }
    assert student_filename("=carol").startswith("carol-"), "no file name starting with ="
    bob = json.loads((tmp_path / "softmax" / "bob" / "results.json").read_text())
    assert bob["score"] == 9.0
    assert "re-marked by hand" in bob["output"]
    missing = json.loads((tmp_path / "kfold" / "bob" / "results.json").read_text())
    assert len(missing["tests"]) == 1 and missing["score"] == 0.0


def test_junit_export(db: str, tmp_path: Path) -> None:
    [path] = main(fmt="junit", db=db, out=tmp_path)
    root = ET.parse(path).getroot()
    assert len(root.findall("testsuite")) == 5
    assert root.find("testsuite[@name='=carol.softmax']/system-out") is not None


def test_an_unknown_format_names_the_choices(db: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="csv, gradescope, junit"):
        main(fmt="xlsx", db=db, out=tmp_path)
