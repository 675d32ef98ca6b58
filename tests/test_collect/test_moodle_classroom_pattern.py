"""Moodle folders, GitHub Classroom checkouts and a custom --pattern, then graded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader import collect
from grader.errors import ConfigError
from grader.manifest import read_ids, read_times

from .fixtures import CORRECT, STUB, STUB_NOTEBOOK, grade_softmax, zip_bytes

FILE = "_assignsubmission_file_"


def test_moodle_folders_with_an_archive_and_a_non_ascii_name(tmp_path: Path) -> None:
    download = tmp_path / "ML-HW3-12345.zip"
    download.write_bytes(zip_bytes({
        f"Ada Lovelace_1017{FILE}/softmax.py": CORRECT,
        f"Zoë Müller_1021{FILE}/abgabe.zip": zip_bytes({"Abgabe/softmax.py": CORRECT}),
        "Emmy Noether_1020_assignsubmission_onlinetext_/onlinetext.html": b"<p>see mail</p>",
    }, utf8_flag=False))
    out = tmp_path / "collected"
    run = collect.main(source=download, out=out, platform="moodle")
    assert sorted(s.student for s in run.students) == ["ada_lovelace", "zoë_müller"]
    assert (out / "zoë_müller" / "softmax.py").read_bytes() == CORRECT
    assert {p: why for p, why in run.unmatched.items()} == {
        "Emmy Noether_1020_assignsubmission_onlinetext_/onlinetext.html":
            "Moodle's onlinetext submission, not a file"}
    assert read_ids(out)["zoë_müller"]["lms_id"] == "1021"
    assert {s: r["score"] for s, r in grade_softmax(out).items()} == {
        "ada_lovelace": 10.0, "zoë_müller": 10.0}


def test_moodle_blind_marking_keeps_participants_apart(tmp_path: Path) -> None:
    download = tmp_path / "download"
    for pid in ("3344", "3345"):
        folder = download / f"Participant_{pid}{FILE}"
        folder.mkdir(parents=True)
        (folder / "softmax.py").write_bytes(CORRECT)
    out = tmp_path / "collected"
    run = collect.main(source=download, out=out, platform="moodle")
    assert [s.student for s in run.students] == ["participant_3344", "participant_3345"]
    rows = list(csv.DictReader((out / "submissions.csv").open()))
    assert [r["late"] for r in rows] == ["", ""], "Moodle's names say nothing about lateness"


def _checkouts(root: Path) -> Path:
    """``gh classroom clone student-repos`` output: one checkout per student."""
    grace = root / "hw3-grace-h"
    (grace / ".git" / "objects").mkdir(parents=True)
    (grace / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (grace / ".git" / "objects" / "softmax.py").write_bytes(STUB)
    bundle = grace / "assignments" / "softmax"
    bundle.mkdir(parents=True)
    (bundle / "softmax.py").write_bytes(CORRECT)
    (bundle / "softmax.ipynb").write_bytes(STUB_NOTEBOOK)
    (bundle / "README.md").write_text("# softmax\n")
    bob = root / "hw3-bob"
    bob.mkdir()
    (bob / "softmax.py").write_bytes(CORRECT)
    return root


def test_classroom_checkouts_with_prefix(tmp_path: Path) -> None:
    out = tmp_path / "collected"
    run = collect.main(source=_checkouts(tmp_path / "hw3"), out=out, platform="classroom",
                       prefix="hw3")
    by_name = {s.student: s for s in run.students}
    assert sorted(by_name) == ["bob", "grace-h"]
    assert ".git/" in by_name["grace-h"].ignored
    assert by_name["grace-h"].renamed["assignments/softmax/softmax.py"] == "softmax.py"
    assert "README" in " ".join(by_name["grace-h"].ignored)
    assert read_ids(out)["grace-h"] == {"lms_id": "", "login": "grace-h"}
    assert read_times(out) == {"bob": None, "grace-h": None}, "commit dates are no times"
    assert {s: r["score"] for s, r in grade_softmax(out).items()} == {
        "bob": 10.0, "grace-h": 10.0}


def test_classroom_roster_decides_the_hyphenated_login(tmp_path: Path) -> None:
    roster = tmp_path / "classroom_roster.csv"
    roster.write_text('"identifier","github_username","github_id","name"\n'
                      '"grace","grace-h","501","Grace Hopper"\n"bob","bob","502","Bob"\n')
    out = tmp_path / "collected"
    run = collect.main(source=_checkouts(tmp_path / "hw3"), out=out, platform="classroom",
                       roster=roster)
    assert sorted(s.student for s in run.students) == ["bob", "grace"]
    assert read_ids(out)["grace"] == {"lms_id": "501", "login": "grace-h"}


def test_classroom_without_prefix_or_roster_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pass --prefix"):
        collect.main(source=_checkouts(tmp_path / "hw3"), out=tmp_path / "out",
                     platform="classroom")


def test_a_custom_pattern_with_times(tmp_path: Path) -> None:
    download = tmp_path / "export"
    download.mkdir()
    (download / "ada--2025-03-01T23:10:00+01:00--softmax.py").write_bytes(CORRECT)
    (download / "ben--2025-03-02T09:00:00+01:00--softmax.py").write_bytes(CORRECT)
    (download / "index.txt").write_text("exported\n")
    out = tmp_path / "collected"
    run = collect.main(source=download, out=out, platform="pattern",
                       pattern_text=r"(?P<student>[a-z]+)--(?P<time>[^-][^/]*?)--(?P<file>.+)")
    assert run.unmatched == {"index.txt": "does not match --pattern"}
    assert str(read_times(out)["ben"]) == "2025-03-02 09:00:00+01:00"
    assert {s: r["score"] for s, r in grade_softmax(out).items()} == {"ada": 10.0, "ben": 10.0}


@pytest.mark.parametrize(("text", "match"), [
    (None, "needs --pattern"), ("(?P<student>x", "not a regular expression"),
    ("(?P<student>.+)", "no group file")])
def test_a_bad_pattern_is_a_usage_error(tmp_path: Path, text: str | None, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        collect.main(source=tmp_path, out=tmp_path / "out", platform="pattern",
                     pattern_text=text)


def test_a_checkout_with_only_git_is_nothing_submitted(tmp_path: Path) -> None:
    source = tmp_path / "hw3"
    (source / "hw3-cy" / ".git").mkdir(parents=True)
    (source / "hw3-cy" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (source / "hw3-bob").mkdir()
    (source / "hw3-bob" / "softmax.py").write_bytes(CORRECT)
    run = collect.main(source=source, out=tmp_path / "out", platform="classroom", prefix="hw3")
    assert {s.student: s.status for s in run.students} == {
        "bob": "collected", "cy": "nothing submitted"}
    assert run.unmatched == {}, "each .git/ is on its student's row, not left unexplained"
