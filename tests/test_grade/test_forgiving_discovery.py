"""Discovery inside a student folder, for layouts that reach ``grade`` directly: nested
folders, archives and near-miss names by the stated rule (``grader/near_miss.py``); the
released stub never shadows real work; nothing is taken or left out silently."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader import grade
from grader.course import Course
from grader.discover import discover_student
from grader.stubs import stub_fingerprints
from grader.terminal import GradeDisplay

REPO = Path(__file__).resolve().parents[2]
COURSE = Course.find(REPO)
CONFIGS = [COURSE.config(n) for n in COURSE.names()]
STUBS = stub_fingerprints(COURSE.assignments_dir, COURSE.names())
CORRECT = (REPO / "reference" / "softmax" / "alternatives" / "log_sum_exp.py").read_bytes()
WRONG = (REPO / "reference" / "softmax" / "mutants").glob("*.py").__next__().read_bytes()
STUB = (COURSE.assignments_dir / "softmax" / "softmax.py").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return buffer.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as handle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            handle.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _discover(folder: Path) -> dict[str, object]:
    found = discover_student(folder, CONFIGS, stubs=STUBS)
    return {"graded": found.files_for("softmax"), "origin": found.origin.get("softmax.py"),
            "notes": found.notes, "ignored": found.ignored, "refused": found.refused,
            "problems": found.problems}


LAYOUTS = {
    "case": ({"Softmax.py": CORRECT}, "Softmax.py", "case"),
    "browser copy": ({"softmax (1).py": CORRECT}, "softmax (1).py", "copy counter (1)"),
    "canvas copy": ({"softmax-1.py": CORRECT}, "softmax-1.py", "copy counter -1"),
    "course prefix": ({"hw3_softmax.py": CORRECT}, "hw3_softmax.py", "prefix 'hw3_'"),
    "nested": ({"alice/hw3/softmax.py": CORRECT}, "alice/hw3/softmax.py", "subfolder"),
    "bundle": ({"assignments/softmax/softmax.py": CORRECT, "assignments/softmax/README.md":
                b"# task\n"}, "assignments/softmax/softmax.py", "subfolder"),
    "zip": ({"hw3.zip": _zip({"hw3/softmax.py": CORRECT})}, "hw3.zip/hw3/softmax.py",
            "archive"),
    "tar": ({"hw3.tar.gz": _tar({"Softmax.py": CORRECT})}, "hw3.tar.gz/Softmax.py", "case"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_near_miss_layout_is_taken_with_a_note(layout: str, tmp_path: Path) -> None:
    files, origin, how = LAYOUTS[layout]
    found = _discover(_folder(tmp_path, files))
    assert found["graded"] == {"softmax.py": CORRECT}
    assert found["origin"] == origin
    assert str(found["notes"][origin]).startswith("graded as softmax.py") and how in str(
        found["notes"][origin])


@pytest.mark.parametrize(("name", "words"), [
    ("test_softmax.py", "not taken as softmax.py"),
    ("softmax_old.py", "not taken as softmax.py"),
    ("softmax_cross_entropy.py", "could mean cross_entropy.py or softmax.py"),
])
def test_names_the_rule_does_not_forgive_are_ignored_and_said(name: str, words: str,
                                                              tmp_path: Path) -> None:
    found = _discover(_folder(tmp_path, {name: CORRECT}))
    assert found["graded"] == {}
    assert name in found["ignored"]
    assert words in str(found["notes"][name])


def test_the_highest_counter_wins_never_the_newest_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"softmax.py": WRONG, "softmax (2).py": CORRECT,
                                "softmax-1.py": WRONG})
    os.utime(folder / "softmax.py", (2_000_000_000, 2_000_000_000))
    found = _discover(folder)
    assert found["graded"] == {"softmax.py": CORRECT} and found["origin"] == "softmax (2).py"
    for loser in ("softmax.py", "softmax-1.py"):
        assert "softmax (2).py was taken" in str(found["notes"][loser])


def test_an_untouched_stub_never_shadows_a_completed_notebook(tmp_path: Path) -> None:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "id": "a", "source": CORRECT.decode()}]}
    restyled = STUB.replace(b"\n\n\n", b"\n\n\n\n") + b"# my notes\n"
    folder = _folder(tmp_path / "subs" / "ada", {"softmax.py": restyled,
                                                 "homework.ipynb": json.dumps(notebook).encode()})
    found = discover_student(folder, CONFIGS, stubs=STUBS)
    assert found.assignments["softmax"] == ["homework.ipynb"]
    assert "released stub" in found.notes["softmax.py"]
    run = grade.main(submissions_dir=folder.parent, assignments=["softmax"], out=None, db=None,
                     jobs=1, sandbox="none", course_dir=REPO)
    assert run.students[0].assignments[0].score == 10.0


def test_a_submitted_at_file_points_to_the_manifest(tmp_path: Path) -> None:
    found = _discover(_folder(tmp_path, {"softmax.py": CORRECT,
                                         "submitted_at": b"2020-01-01T00:00:00+00:00"}))
    assert "submitted_at" in found["ignored"]
    assert "submissions.csv" in str(found["notes"]["submitted_at"])


def test_a_folder_with_nothing_graded_is_named_once(tmp_path: Path) -> None:
    found = _discover(_folder(tmp_path, {"softmax.py": CORRECT, "data/a.csv": b"1",
                                         "data/raw/b.csv": b"2"}))
    assert found["ignored"] == ["data/"]
    assert "2 entries left out" in str(found["notes"]["data/"])


def test_notebooks_of_the_same_name_in_two_folders_are_both_kept(tmp_path: Path) -> None:
    notebook = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "id": "a", "source": CORRECT.decode()}]}).encode()
    folder = _folder(tmp_path, {"a/work.ipynb": notebook, "work.ipynb": notebook,
                                "a_work.ipynb": notebook})
    found = discover_student(folder, CONFIGS, stubs=STUBS)
    assert sorted(found.assignments["softmax"]) == ["a_work-2.ipynb", "a_work.ipynb",
                                                    "work.ipynb"]
    assert found.origin == {"a_work-2.ipynb": "a/work.ipynb"}


def test_a_bomb_in_a_student_folder_is_that_students_error(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    subs = tmp_path / "subs"
    _folder(subs / "alice", {"Softmax (1).py": CORRECT, "notes.txt": b"draft"})
    _folder(subs / "mallory", {"hw3.zip": _zip({"weights.npy": bytes(70 << 20)})})
    _folder(subs / "trent", {"hw3.zip": _zip({"softmax.py": CORRECT, "../../evil.py": b"x"})})
    run = grade.main(submissions_dir=subs, assignments=["softmax"], out=tmp_path / "reports",
                     db=f"sqlite:///{tmp_path / 'gb.db'}", jobs=1, sandbox="none",
                     course_dir=REPO)
    capsys.readouterr()
    GradeDisplay(enabled=True).summary(run)
    terminal = capsys.readouterr().out
    by_name = {s.student: s for s in run.students}
    assert by_name["alice"].score == 10.0
    for who, words in (("mallory", "more than 64 MiB"), ("trent", "outside the archive")):
        (result,) = by_name[who].assignments
        assert result.status == "error" and result.cause == "submission"
        assert words in by_name[who].refused["hw3.zip"] and "hw3.zip" in result.message
    assert not list(tmp_path.rglob("evil.py"))
    page = (tmp_path / "reports" / "alice.html").read_text()
    for shown in (page, terminal):
        assert "Softmax (1).py" in shown and "graded as softmax.py" in shown
        assert "notes.txt" in shown and "not a script, notebook or saved model" in shown
    assert "alice: notes.txt: not a script" in terminal


def test_links_inside_subfolders_are_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_bytes(CORRECT)
    folder = _folder(tmp_path / "mallory", {"hw3/readme.txt": b""})
    (folder / "hw3" / "softmax.py").symlink_to(secret)
    (folder / "hw3" / "more").symlink_to(tmp_path, target_is_directory=True)
    found = _discover(folder)
    assert found["graded"] == {}
    assert str(found["refused"]["hw3/softmax.py"]).startswith("a symbolic link")
    assert str(found["refused"]["hw3/more"]).startswith("a symbolic link")
    assert "hw3/softmax.py" in str(found["problems"]["softmax"])


def test_layouts_graded_together_all_get_full_marks(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    for i, (files, _, _) in enumerate(LAYOUTS.values()):
        _folder(subs / f"s{i}", files)
    shutil.copytree(subs / "s0", subs / "copy")
    run = grade.main(submissions_dir=subs, assignments=["softmax"], out=None, db=None,
                     jobs=1, sandbox="none", course_dir=REPO)
    assert {s.student: s.score for s in run.students} == dict.fromkeys(
        [*(f"s{i}" for i in range(len(LAYOUTS))), "copy"], 10.0)
