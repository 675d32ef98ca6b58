"""A term: only what the course has released counts (``course.toml``).

A two-assignment course (softmax, cross_entropy) whose second assignment is not released
yet: grading, totals, pages and exports leave it out; ``release -a`` ships only the first;
releasing the second makes it count.
"""

from __future__ import annotations

import csv
import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from grader.cli import main
from grader.course import Course
from grader.errors import ConfigError

from .course_copy import REPO, make_course

pytestmark = pytest.mark.slow


def grade(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """softmax released, cross_entropy written but not released."""
    root = make_course(tmp_path, late="")
    for kind in ("assignments", "reference"):
        shutil.copytree(REPO / kind / "cross_entropy", root / kind / "cross_entropy")
    (root / "course.toml").write_text('[course]\nreleased = ["softmax"]\n')
    return root


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    folder = tmp_path / "subs"
    for student in ("ada", "ben"):
        (folder / student).mkdir(parents=True)
        for name in ("softmax", "cross_entropy"):
            shutil.copyfile(REPO / "reference" / name / "solution.py",
                            folder / student / f"{name}.py")
    return folder


def exported_totals(common: list[str], out: Path) -> dict[str, tuple[float, float]]:
    grade("export", "--format", "csv", *common, "--out", str(out))
    with (out / "grades.csv").open() as stream:
        return {row["student"]: (float(row["total"]), float(row["max_total"]))
                for row in csv.DictReader(stream)}


def test_an_unreleased_assignment_counts_only_once_released(
        course: Path, subs: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    common = ["--course", str(course), "--db", db]
    grade(str(subs), *common, "--no-sandbox", "--json", str(tmp_path / "default.json"),
          "--out", str(tmp_path / "reports"))
    graded = json.loads((tmp_path / "default.json").read_text())["students"]
    assert [[a["assignment"] for a in s["assignments"]] for s in graded] == [["softmax"]] * 2

    # Graded on purpose (-a), the draft is stored, yet nothing a student or the LMS sees
    # counts it.
    draft = grade(str(subs), *common, "--no-sandbox", "-a", "cross_entropy", "--no-reports")
    assert "not released: cross_entropy (course.toml)" in draft.output
    assert exported_totals(common, tmp_path / "before") == {
        "ada": (10.0, 10.0), "ben": (10.0, 10.0)}
    with (tmp_path / "before" / "grades.csv").open() as stream:
        assert "cross_entropy" not in next(csv.reader(stream))
    grade("report", *common, "--out", str(tmp_path / "pages"))
    page = (tmp_path / "pages" / "ada.html").read_text()
    assert "Total score: <strong>10 / 10</strong>" in page and "cross_entropy" not in page
    assert "cross_entropy" not in (tmp_path / "pages" / "index.html").read_text()
    grade("export", "--format", "gradescope", *common, "--out", str(tmp_path / "gs"))
    assert sorted(p.relative_to(tmp_path / "gs").as_posix()
                  for p in (tmp_path / "gs").rglob("results.json")) == [
        "softmax/ada/results.json", "softmax/ben/results.json"]

    bundle = tmp_path / "week1"
    grade("release", str(bundle), "--course", str(course), "-a", "softmax")
    assert sorted(p.name for p in (bundle / "assignments").iterdir()) == ["softmax"]

    released = grade("release", str(tmp_path / "week2"), "--course", str(course),
                     "-a", "cross_entropy")
    assert "released: cross_entropy, softmax" in released.output
    assert sorted(p.name for p in (tmp_path / "week2" / "assignments").iterdir()) == [
        "cross_entropy"]
    listed = tomllib.loads((course / "course.toml").read_text())["course"]["released"]
    assert listed == ["cross_entropy", "softmax"]
    assert exported_totals(common, tmp_path / "after") == {
        "ada": (20.0, 20.0), "ben": (20.0, 20.0)}


def test_a_course_without_course_toml_releases_everything(course: Path) -> None:
    (course / "course.toml").unlink()
    assert Course(course).released() == ["cross_entropy", "softmax"]


def test_the_first_release_by_name_starts_the_list(course: Path, tmp_path: Path) -> None:
    (course / "course.toml").unlink()
    grade("release", str(tmp_path / "bundle"), "--course", str(course), "-a", "softmax")
    assert Course(course).released() == ["softmax"]
    assert "grade release OUT -a NAME" in (course / "course.toml").read_text()


def test_release_keeps_the_rest_of_course_toml(course: Path) -> None:
    (course / "course.toml").write_text(
        '# term 2027\n[course]\nreleased = [\n  "softmax",\n]\nweeks = 12\n')
    Course(course).release(["cross_entropy"])
    text = (course / "course.toml").read_text()
    assert text.startswith("# term 2027\n")
    assert tomllib.loads(text)["course"] == {
        "released": ["cross_entropy", "softmax"], "weeks": 12}


def test_hold_back_keeps_a_new_assignment_out(course: Path) -> None:
    (course / "course.toml").unlink()
    Course(course).hold_back("cross_entropy")
    assert Course(course).released() == ["softmax"]


@pytest.mark.parametrize(("text", "says"), [
    ('[course]\nreleased = ["softmax", "nope"]\n', "unknown assignment nope"),
    ('[course]\nreleased = "softmax"\n', "must be a list of assignment names"),
    ("[course\n", "course.toml"),
])
def test_a_bad_course_toml_names_the_file(course: Path, text: str, says: str) -> None:
    (course / "course.toml").write_text(text)
    with pytest.raises(ConfigError, match=says) as raised:
        Course(course).released()
    assert "course.toml" in str(raised.value)


def test_the_projects_own_course_releases_seven_and_holds_iris_back() -> None:
    course = Course(REPO)
    assert course.released() == [
        "classifier_metrics", "cross_entropy", "early_stopping", "jet_classifier", "kfold",
        "softmax", "titanic"]
    assert "iris_classifier" in course.names()
