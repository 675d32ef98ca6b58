"""The manifest's agreed columns, written by ``grade collect`` and read back by everyone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.errors import SubmissionError
from grader.manifest import COLUMNS, ManifestRow, manifest_text, read_ids, read_times


def test_the_columns_are_the_agreed_ones() -> None:
    assert COLUMNS == ("student", "submitted_at", "late", "lms_id", "login", "files")


def test_a_written_manifest_reads_back(tmp_path: Path) -> None:
    when = datetime(2025, 3, 1, 23, 59, tzinfo=UTC)
    rows = [
        ManifestRow("grace", login="grace-h", files=["hw3-grace-h"]),
        ManifestRow("ada", submitted_at=when, late=True, lms_id="1017",
                    files=["softmax.py", "notes; draft.txt"]),
    ]
    (tmp_path / "submissions.csv").write_text(manifest_text(rows))
    lines = (tmp_path / "submissions.csv").read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("ada,2025-03-01T23:59:00+00:00,true,1017,,")
    assert lines[2] == "grace,,,,grace-h,hw3-grace-h"
    assert read_times(tmp_path) == {"ada": when, "grace": None}
    assert read_ids(tmp_path) == {"ada": {"lms_id": "1017", "login": ""},
                                  "grace": {"lms_id": "", "login": "grace-h"}}


def test_ids_of_a_hand_written_manifest_are_empty(tmp_path: Path) -> None:
    (tmp_path / "submissions.csv").write_text("student,submitted_at\nada,\n")
    assert read_ids(tmp_path) == {"ada": {"lms_id": "", "login": ""}}


def test_no_manifest_no_ids(tmp_path: Path) -> None:
    assert read_ids(tmp_path) == {}


def test_ids_of_a_student_listed_twice_are_refused(tmp_path: Path) -> None:
    (tmp_path / "submissions.csv").write_text("student,lms_id\nada,1\nada,2\n")
    with pytest.raises(SubmissionError, match="line 3: ada is listed twice"):
        read_ids(tmp_path)
