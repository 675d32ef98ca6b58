"""Inputs that used to stop the whole class: each is now one student's status.

Every hostile folder sits beside an honest ``alice``, who keeps full marks; the batch
finishes and writes its JSON and pages. The trusted side's parsers are bounded: notebook
JSON in depth, a cell's ``source`` of any type, names that are not UTF-8, folder trees of
any depth, a load report of any shape, and a name finder that is linear in the text.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from grader.course import Course
from grader.discover import discover_student
from grader.engine.grading import Engine
from grader.notebook_json import defined_names

REPO = Path(__file__).resolve().parents[2]
HONEST = REPO / "reference" / "softmax" / "alternatives" / "log_sum_exp.py"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    submissions = tmp_path / "submissions"
    for name in ("alice", "mallory"):
        (submissions / name).mkdir(parents=True)
    shutil.copyfile(HONEST, submissions / "alice" / "softmax.py")
    return submissions


def _grade(submissions: Path, *, jobs: int = 1) -> dict[str, Any]:
    root = submissions.parent
    grade.main(submissions_dir=submissions, assignments=["softmax"],
               db=f"sqlite:///{root / 'gradebook.db'}", out=root / "reports",
               json_path=root / "results.json", jobs=jobs, sandbox="none", course_dir=REPO)
    document = json.loads((root / "results.json").read_text())
    students = {s["student"]: s for s in document["students"]}
    assert students["alice"]["score"] == 10.0, students["alice"]["assignments"][0]["message"]
    pages = {p.name for p in (root / "reports").glob("*.html")}
    assert len(pages) == len(students) + 1 and "index.html" in pages
    return students


def _notebook(cells: list[Any]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def test_a_notebook_nested_100000_deep_is_refused(batch: Path) -> None:
    (batch / "mallory" / "homework.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    (batch / "mallory" / "deep.ipynb").write_text(
        '{"cells": ' + "[" * 500 + "]" * 500 + "}")
    mallory = _grade(batch)["mallory"]
    assert "nested deeper" in mallory["refused"]["homework.ipynb"]
    assert "nested deeper" in mallory["refused"]["deep.ipynb"]
    assert mallory["assignments"][0]["cause"] == "submission"


def test_a_cell_source_of_any_type_is_read_for_its_strings(batch: Path) -> None:
    code = ["import numpy as np\n", 7, None, {"x": 1},
            "def softmax(x, axis=-1):\n",
            "    z = np.exp(np.asarray(x) - np.max(x, axis=axis, keepdims=True))\n",
            "    return z / z.sum(axis=axis, keepdims=True)\n"]
    (batch / "mallory" / "homework.ipynb").write_text(_notebook([
        {"cell_type": "code", "source": code, "metadata": {}, "outputs": [],
         "execution_count": None},
        {"cell_type": "code", "source": 12, "metadata": {}, "outputs": []},
    ]))
    mallory = _grade(batch)["mallory"]
    (result,) = mallory["assignments"]
    assert result["files"] == ["homework.ipynb"], "found by its string lines"
    assert result["status"] in ("graded", "error") and result["cause"] == ""


def test_names_that_are_not_utf8_are_graded_and_shown(batch: Path) -> None:
    raw = os.fsencode(batch) + b"/caf\xe9"
    os.mkdir(raw)
    shutil.copyfile(HONEST, os.fsdecode(raw + b"/softmax.py"))
    (batch / "mallory" / os.fsdecode(b"\xff\xfe.ipynb")).write_text("{}")
    shutil.copyfile(HONEST, batch / "mallory" / "softmax.py")
    students = _grade(batch)
    assert students["caf\\xe9"]["score"] == 10.0
    assert students["mallory"]["score"] == 10.0
    assert "not valid UTF-8" in students["mallory"]["refused"]["\\xff\\xfe.ipynb"]
    again = _grade(batch)
    assert again["caf\\xe9"]["score"] == 10.0


def _deep_tree(folder: Path, levels: int) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write("deep")
    finally:
        os.close(fd)


def _remove_deep_tree(folder: Path) -> None:
    """Remove the tree one level at a time (shutil.rmtree, and pytest's clean-up of old
    temporary folders with it, recurse and would fail on it)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        while os.path.isdir(f"/proc/self/fd/{fd}/d/d"):
            os.rename("d/d", "x", src_dir_fd=fd, dst_dir_fd=fd)
            os.rmdir("d", dir_fd=fd)
            os.rename("x", "d", src_dir_fd=fd, dst_dir_fd=fd)
        os.unlink("d/bottom.txt", dir_fd=fd)
        os.rmdir("d", dir_fd=fd)
    finally:
        os.close(fd)


def test_a_folder_tree_1800_levels_deep_neither_stops_grading_nor_the_rerun(
        batch: Path) -> None:
    shutil.copyfile(HONEST, batch / "mallory" / "softmax.py")
    _deep_tree(batch / "mallory", 1800)
    try:
        assert _grade(batch)["mallory"]["score"] == 10.0
        assert _grade(batch)["mallory"]["ignored"] == ["d/"]
    finally:
        _remove_deep_tree(batch / "mallory")


_STRIP_FILE = '''
import sys
frame = sys._getframe()
while frame is not None:
    for value in list(frame.f_locals.values()):
        if isinstance(value, dict) and "file" in value and "ok" in value:
            del value["file"]
    frame = frame.f_back
'''


def test_a_load_report_without_its_file_key_does_not_stop_jobs_one(batch: Path) -> None:
    (batch / "mallory" / "softmax.py").write_text(_STRIP_FILE + HONEST.read_text())
    mallory = _grade(batch, jobs=1)["mallory"]
    assert mallory["assignments"][0]["status"] in ("graded", "error")


def test_any_failure_while_grading_one_student_is_only_that_students(
        batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(HONEST, batch / "mallory" / "softmax.py")
    real = Engine.grade

    def grade_or_fail(self: Engine, submission: Any, only: Any = None) -> Any:
        if submission.student == "mallory":
            raise KeyError("file")
        return real(self, submission, only)

    monkeypatch.setattr(Engine, "grade", grade_or_fail)
    (result,) = _grade(batch, jobs=1)["mallory"]["assignments"]
    assert result["status"] == "error" and result["cause"] == "grader"
    assert "KeyError" in result["message"] and "not a grade" in result["message"]


@pytest.mark.parametrize("line", ["softmax:", "softmax: int", "def\t", "softmax = 1"])
def test_finding_names_is_linear(line: str, tmp_path: Path) -> None:
    source = (line + "\n") * (200_000 // (len(line) + 1))
    (tmp_path / "big.ipynb").write_text(_notebook([{"cell_type": "code", "source": source,
                                                    "metadata": {}, "outputs": []}]))
    configs = [Course.find(REPO).config(n) for n in Course.find(REPO).names()]
    started = time.perf_counter()
    submission = discover_student(tmp_path, configs)
    assert time.perf_counter() - started < 1.0
    expected = ["softmax"] if line == "softmax = 1" else []
    assert [a for a, files in submission.assignments.items() if "big.ipynb" in files] == \
        expected


def test_the_name_finder_keeps_its_meaning() -> None:
    names = {"softmax", "EarlyStopping", "train", "build_model", "kfold_indices"}
    source = ("def softmax(x):\nclass EarlyStopping:\ntrain: int = 3\nbuild_model=1\n"
              "  kfold_indices = 2\ndef softmaxx():\n")
    assert defined_names(source, names) == {"softmax", "EarlyStopping", "train",
                                            "build_model"}
