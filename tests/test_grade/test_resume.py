"""A batch killed with SIGKILL half way resumes and ends with the same gradebook."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.gradebook import Gradebook
from grader.results import results_json

REPO = Path(__file__).resolve().parents[2]
STUDENTS = 12


def make_batch(root: Path) -> Path:
    sources = [REPO / "reference" / "softmax" / "solution.py",
               *sorted((REPO / "reference" / "softmax" / "mutants").glob("*.py"))]
    submissions = root / "submissions"
    for i in range(STUDENTS):
        folder = submissions / f"s{i:02d}"
        folder.mkdir(parents=True)
        shutil.copyfile(sources[i % len(sources)], folder / "softmax.py")
        (folder / "submitted_at").write_text("2026-11-01T12:00:00+00:00\n")
    return submissions


def grade_command(submissions: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "grader.cli", str(submissions), "-a", "softmax", "-q",
            "--jobs", "1", "--db", f"sqlite:///{db}", "--out", str(db.parent / "reports"),
            "--course", str(REPO)]


def recorded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def gradebook_document(db: Path) -> dict:
    with Gradebook(f"sqlite:///{db}") as book:
        return results_json(book.students())


@pytest.mark.slow
def test_sigkill_mid_batch_then_rerun_gives_the_uninterrupted_gradebook(tmp_path: Path) -> None:
    submissions = make_batch(tmp_path)
    straight = tmp_path / "straight" / "gradebook.db"
    straight.parent.mkdir()
    subprocess.run(grade_command(submissions, straight), check=True, timeout=600,
                   capture_output=True)

    killed = tmp_path / "killed" / "gradebook.db"
    killed.parent.mkdir()
    process = subprocess.Popen(grade_command(submissions, killed), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while recorded(killed) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    partial = recorded(killed)
    assert 3 <= partial < STUDENTS, "the kill must land half way through the batch"

    resumed = subprocess.run(grade_command(submissions, killed), check=True, timeout=600,
                             capture_output=True, text=True)
    assert resumed.returncode == 0
    assert gradebook_document(killed) == gradebook_document(straight)
    assert recorded(killed) == STUDENTS
