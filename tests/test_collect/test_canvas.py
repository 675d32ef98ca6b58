"""Canvas "Download Submissions" into our layout, then graded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grader import collect
from grader.errors import ConfigError, OutputError
from grader.manifest import read_ids, read_times

from .fixtures import CORRECT, grade_softmax, zip_bytes

# <sortable name squashed>[_LATE]_<user id>_<attachment id>_<original>
DOWNLOAD = {
    "lovelaceada_1017_55001_softmax.py": CORRECT,
    "hopperg_LATE_1018_55002_softmax-1.py": CORRECT,
    "turingalan_1019_55003_hw3.zip": zip_bytes({"hw3/softmax.py": CORRECT,
                                                "__MACOSX/hw3/._softmax.py": b"\0\0",
                                                "hw3/.DS_Store": b"\0"}),
    "LATE_anon_x7Qp2_55004_softmax.py": CORRECT,
    "noether_1020_text.html": b"<p>I could not upload</p>",
}


@pytest.fixture(params=["folder", "zip"])
def download(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "zip":
        path = tmp_path / "hw3 submissions.zip"
        path.write_bytes(zip_bytes(DOWNLOAD))
        return path
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name, data in DOWNLOAD.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_canvas_download_is_graded_10_of_10(download: Path, tmp_path: Path) -> None:
    out = tmp_path / "collected"
    run = collect.main(source=download, out=out, platform="canvas")
    assert sorted(s.student for s in run.students) == [
        "anon_x7qp2", "hopperg", "lovelaceada", "turingalan"]
    by_name = {s.student: s for s in run.students}
    assert by_name["hopperg"].renamed == {
        "softmax-1.py": "softmax.py (Canvas adds -1 to a name it has seen)"}
    assert by_name["turingalan"].unpacked == ["hw3.zip"]
    assert by_name["turingalan"].ignored == {
        "hw3.zip/__MACOSX/hw3/._softmax.py": "macOS metadata: dropped",
        "hw3.zip/hw3/.DS_Store": "macOS metadata: dropped"}
    assert "not a file" in run.unmatched[
        next(p for p in run.unmatched if p.endswith("noether_1020_text.html"))]
    results = grade_softmax(out)
    assert {s: r["score"] for s, r in results.items()} == {
        "anon_x7qp2": 10.0, "hopperg": 10.0, "lovelaceada": 10.0, "turingalan": 10.0}


def test_the_manifest_keeps_late_flags_and_ids(download: Path, tmp_path: Path) -> None:
    out = tmp_path / "collected"
    collect.main(source=download, out=out, platform="canvas")
    rows = {r["student"]: r for r in csv.DictReader((out / "submissions.csv").open())}
    assert {s: r["late"] for s, r in rows.items()} == {
        "anon_x7qp2": "true", "hopperg": "true", "lovelaceada": "false", "turingalan": "false"}
    assert rows["hopperg"]["files"] == "softmax-1.py"
    assert read_ids(out)["lovelaceada"] == {"lms_id": "1017", "login": ""}
    assert read_times(out) == dict.fromkeys(rows), "Canvas names hold no time"


def test_times_and_roster_are_merged(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "lovelaceada_1017_55001_softmax.py").write_bytes(CORRECT)
    roster = tmp_path / "roster.csv"
    roster.write_text("student,login,lms_id\nada,alovelace,1017\nemmy,enoether,1020\n")
    times = tmp_path / "times.csv"
    times.write_text("lms_id,submitted_at,late\n1017,2025-03-02T10:00:00+01:00,true\n")
    out = tmp_path / "collected"
    run = collect.main(source=folder, out=out, platform="canvas", roster=roster, times=times)
    assert {s.student: s.status for s in run.students} == {
        "ada": "collected", "emmy": "nothing submitted"}
    assert (out / "emmy").is_dir() and not any((out / "emmy").iterdir())
    assert str(read_times(out)["ada"]) == "2025-03-02 10:00:00+01:00"
    assert read_ids(out)["ada"] == {"lms_id": "1017", "login": "alovelace"}
    results = grade_softmax(out)
    assert results["ada"]["score"] == 10.0 and results["emmy"]["status"] == "missing"


def test_out_must_be_new(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("")
    with pytest.raises(OutputError, match="not an empty folder"):
        collect.main(source=tmp_path, out=tmp_path / "out", platform="canvas")


def test_an_unknown_platform_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="choose one of"):
        collect.main(source=tmp_path, out=tmp_path / "out", platform="blackboard")
