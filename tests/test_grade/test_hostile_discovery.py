"""Hostile folders: discovery reads only the student's own regular files, and one student
never stops the class.

Each attack sits in a batch beside an honest student. In every case the honest student keeps
full marks, the batch finishes with its JSON and its pages written, the attacker's entry is
named as refused (or the folder's failure is that student's ``error`` with cause
``submission``), and no byte of what a link points at appears in any output: the results
JSON, the HTML pages, the terminal summary.

Grading runs without bubblewrap here: what is tested happens on the trusted side, before any
worker starts, and the honest student's full marks only need a worker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from grader.course import Course
from grader.discover import discover, discover_student
from grader.terminal import GradeDisplay

REPO = Path(__file__).resolve().parents[2]
HONEST = REPO / "reference" / "softmax" / "alternatives" / "log_sum_exp.py"
REFERENCE = REPO / "reference" / "softmax" / "solution.py"
MARKER = "SECRET-7f3a9c-NEVER-SHOWN"


def _secret_notebook() -> str:
    """A notebook that defines a correct softmax and prints the marker: full marks, and the
    marker on the page, for anyone whose notebook link the grader followed."""
    source = ("import numpy as np\n"
              f"print({MARKER!r})\n"
              "def softmax(x, axis=-1):\n"
              "    x = np.asarray(x)\n"
              "    z = np.exp(x - np.max(x, axis=axis, keepdims=True))\n"
              "    return z / np.sum(z, axis=axis, keepdims=True)\n")
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": source, "id": "c1"}]})


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """SUBMISSIONS_DIR with the honest ``alice``; secrets live outside it, in ``tmp_path``."""
    submissions = tmp_path / "submissions"
    (submissions / "alice").mkdir(parents=True)
    shutil.copyfile(HONEST, submissions / "alice" / "softmax.py")
    (tmp_path / "secret.txt").write_text(f"{MARKER}\nroot:$6$hash:19000:0:99999:7:::\n")
    (tmp_path / "secret.ipynb").write_text(_secret_notebook())
    (submissions / "mallory").mkdir()
    return submissions


def _grade(submissions: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Grade the batch with a gradebook and reports; everything it wrote and printed."""
    root = submissions.parent
    run = grade.main(submissions_dir=submissions, assignments=["softmax"],
                     db=f"sqlite:///{root / 'gradebook.db'}", out=root / "reports",
                     json_path=root / "results.json", jobs=1, sandbox="none", course_dir=REPO)
    capsys.readouterr()
    GradeDisplay(enabled=True).summary(run)
    terminal = capsys.readouterr().out
    document = json.loads((root / "results.json").read_text())
    pages = {p.name: p.read_text() for p in (root / "reports").glob("*.html")}
    students = {s["student"]: s for s in document["students"]}
    return {"run": run, "json": document, "students": students, "pages": pages,
            "terminal": terminal, "raw_json": (root / "results.json").read_text()}


def _assert_contained(found: dict[str, Any], attacker: str = "mallory",
                      leaked: tuple[str, ...] = (MARKER, "root:$6$"),
                      attacker_score: float = 0.0) -> dict[str, Any]:
    """The honest student's full marks, the attacker's score (zero unless the attack is on
    what is not graded), and nothing leaked anywhere."""
    alice = found["students"]["alice"]
    assert alice["score"] == alice["max_score"] == 10.0, alice["assignments"][0]["message"]
    assert "alice.html" in found["pages"] and "index.html" in found["pages"]
    mallory = found["students"][attacker]
    assert mallory["score"] == attacker_score
    assert f"{attacker}.html" in found["pages"], "the attacker gets a page saying why"
    outputs = [found["raw_json"], found["terminal"], *found["pages"].values()]
    for text in leaked:
        assert not any(text in output for output in outputs), f"{text!r} leaked"
    return mallory


def _refused(mallory: dict[str, Any], name: str, words: str, found: dict[str, Any]) -> None:
    """``name`` is named as refused, with the reason, in the JSON, the page and the terminal."""
    assert words in mallory["refused"][name]
    assert name in found["pages"]["mallory.html"] and words in found["pages"]["mallory.html"]
    assert f"mallory: refused {name}" in found["terminal"]


def test_a_link_to_the_reference_earns_nothing(batch: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (batch / "mallory" / "softmax.py").symlink_to(REFERENCE)
    found = _grade(batch, capsys)
    mallory = _assert_contained(found, leaked=(MARKER, REFERENCE.read_text().splitlines()[0]))
    _refused(mallory, "softmax.py", "symbolic link", found)
    (result,) = mallory["assignments"]
    assert result["status"] == "error" and result["cause"] == "submission"
    assert "softmax.py" in result["message"] and "link" in result["message"]


def test_links_into_a_classmates_folder_earn_nothing(batch: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (batch / "mallory" / "softmax.py").symlink_to(batch / "alice" / "softmax.py")
    (batch / "mallory" / "work").symlink_to(batch / "alice", target_is_directory=True)
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    _refused(mallory, "softmax.py", "symbolic link", found)
    _refused(mallory, "work", "symbolic link", found)
    alice_hash = found["students"]["alice"]["assignments"][0]["submission_hash"]
    assert mallory["assignments"][0]["submission_hash"] != alice_hash


def test_a_hard_link_to_a_secret_is_refused(batch: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    os.link(batch.parent / "secret.ipynb", batch / "mallory" / "homework.ipynb")
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    _refused(mallory, "homework.ipynb", "hard link", found)


def test_a_student_folder_that_is_a_link_is_that_students_error(
        batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (batch / "mallory").rmdir()
    (batch / "mallory").symlink_to(batch / "alice", target_is_directory=True)
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    (result,) = mallory["assignments"]
    assert result["status"] == "error" and result["cause"] == "submission"
    assert "symbolic link" in result["message"] and result["max_score"] == 10.0
    assert "symbolic link" in found["pages"]["mallory.html"]
    assert "mallory: softmax: the student folder mallory was not read" in found["terminal"]
    assert result["submission_hash"] != found["students"]["alice"]["assignments"][0][
        "submission_hash"]


def test_notebooks_linked_to_secret_files_are_never_read(
        batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (batch / "mallory" / "homework.ipynb").symlink_to(batch.parent / "secret.ipynb")
    (batch / "mallory" / "shadow.ipynb").symlink_to(batch.parent / "secret.txt")
    (batch / "mallory" / "environ.ipynb").symlink_to("/proc/self/environ")
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    for name in ("homework.ipynb", "shadow.ipynb", "environ.ipynb"):
        _refused(mallory, name, "symbolic link", found)
    (result,) = mallory["assignments"]
    assert result["status"] == "error" and result["cause"] == "submission"
    assert "homework.ipynb" in result["message"]


def test_a_link_to_proc_self_mem_does_not_stop_the_class(
        batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (batch / "mallory" / "softmax.py").symlink_to("/proc/self/mem")
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    _refused(mallory, "softmax.py", "symbolic link", found)


def test_a_fifo_named_like_the_assignment_is_refused(batch: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(batch / "mallory" / "softmax.py")
    os.mkfifo(batch / "mallory" / "notes.ipynb")
    found = _grade(batch, capsys)
    mallory = _assert_contained(found)
    _refused(mallory, "softmax.py", "FIFO", found)
    _refused(mallory, "notes.ipynb", "FIFO", found)
    assert mallory["assignments"][0]["cause"] == "submission"


@pytest.mark.parametrize("garbage", [b"next tuesday\n", b"\xff\xfe\x00\x00garbage",
                                     b"2025-13-45T99:99:99"])
def test_a_submitted_at_file_sets_no_time_and_stops_nothing(
        batch: Path, garbage: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    """Submission times come from the manifest only: a student's own ``submitted_at``,
    garbage or not, is an ignored file, never read, and the submission is graded."""
    shutil.copyfile(HONEST, batch / "mallory" / "softmax.py")
    (batch / "mallory" / "submitted_at").write_bytes(garbage)
    found = _grade(batch, capsys)
    mallory = _assert_contained(found, attacker_score=10.0)
    (result,) = mallory["assignments"]
    assert result["status"] == "graded" and result["cause"] == ""
    assert "submitted_at" in mallory["ignored"]


def test_a_symlinked_submitted_at_is_not_followed(batch: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(HONEST, batch / "mallory" / "softmax.py")
    (batch / "mallory" / "submitted_at").symlink_to(batch.parent / "secret.txt")
    found = _grade(batch, capsys)
    mallory = _assert_contained(found, attacker_score=10.0)
    assert mallory["refused"]["submitted_at"].startswith("a symbolic link")


def test_every_attack_at_once_exits_zero_from_the_command_line(batch: Path) -> None:
    (batch / "mallory" / "softmax.py").symlink_to(REFERENCE)
    for name, build in _ATTACKS.items():
        folder = batch / name
        folder.mkdir()
        build(folder, batch)
    (batch / "linked").symlink_to(batch / "alice", target_is_directory=True)
    root = batch.parent
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", str(batch), "-a", "softmax", "--no-sandbox",
         "-j", "1", "--db", f"sqlite:///{root / 'gb.db'}", "--out", str(root / "reports"),
         "--json", str(root / "results.json"), "--course", str(REPO)],
        capture_output=True, text=True, timeout=300, cwd=root,
        env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    document = json.loads((root / "results.json").read_text())
    scores = {s["student"]: s["score"] for s in document["students"]}
    assert scores == {"alice": 10.0, "mallory": 0.0, "linked": 0.0, "metadata": 10.0,
                      **{name: 0.0 for name in _ATTACKS if name != "metadata"}}
    pages = [p.read_text() for p in (root / "reports").glob("*.html")]
    assert len(pages) == len(scores) + 1
    for output in [done.stdout, done.stderr, json.dumps(document), *pages]:
        assert MARKER not in output and "root:$6$" not in output


_ATTACKS: dict[str, Callable[[Path, Path], None]] = {
    "fifo": lambda folder, batch: os.mkfifo(folder / "softmax.py"),
    "mem": lambda folder, batch: (folder / "softmax.py").symlink_to("/proc/self/mem"),
    "notebook": lambda folder, batch: (folder / "a.ipynb").symlink_to(batch.parent
                                                                      / "secret.ipynb"),
    "metadata": lambda folder, batch: (shutil.copyfile(HONEST, folder / "softmax.py"),
                                       (folder / "submitted_at").write_text("garbage")),
}


def test_what_is_graded_is_what_discovery_read(batch: Path) -> None:
    """The bytes are read once: swapping the file for a link afterwards changes nothing."""
    config = Course.find(REPO).config("softmax")
    (alice,) = [s for s in discover(batch, [config]) if s.student == "alice"]
    before = alice.files_for("softmax")
    (batch / "alice" / "softmax.py").unlink()
    (batch / "alice" / "softmax.py").symlink_to(batch.parent / "secret.txt")
    assert alice.files_for("softmax") == before == {"softmax.py": HONEST.read_bytes()}
    assert discover_student(batch / "alice", [config]).refused["softmax.py"].startswith(
        "a symbolic link")


def test_entries_too_large_are_refused_on_the_descriptor(batch: Path) -> None:
    config = Course.find(REPO).config("softmax")
    with open(batch / "mallory" / "softmax.py", "wb") as sparse:
        sparse.truncate(65 << 20)  # 65 MiB, a few blocks on disk
    submission = discover_student(batch / "mallory", [config])
    assert "larger than 64 MiB" in submission.refused["softmax.py"]
    assert submission.contents == {} and "softmax" in submission.problems
