"""``grade new``: a scaffold that passes every check at once and refuses to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import release
from grader.cli import main as cli
from grader.course import Course
from grader.errors import ConfigError
from grader.new import main as new
from grader.stub import stale
from grader.validate import mutate


@pytest.mark.slow
def test_the_scaffold_validates_mutates_and_releases_as_written(tmp_path: Path) -> None:
    course = tmp_path / "course"
    result = CliRunner().invoke(cli, ["new", "confusion_counts", "--course", str(course)])
    assert result.exit_code == 0, result.output
    for part in ("README.md", "confusion_counts.py", "confusion_counts.ipynb", "test_public.py",
                 "assignment.toml"):
        assert (course / "assignments" / "confusion_counts" / part).is_file()
    for part in ("solution.py", "test_hidden.py", "mutants/sums_instead_of_mean.py",
                 "alternatives/loop_over_rows.py", mutate.EQUIVALENT_FILE):
        assert (course / "reference" / "confusion_counts" / part).is_file()
    assert stale(course / "assignments" / "confusion_counts", "confusion_counts") == ""
    readme = (course / "assignments" / "confusion_counts" / "README.md").read_text()
    for heading in ("## What to write", "### Inputs", "### What is returned",
                    "### What raises `ValueError`", "## Rules", "## How it is graded"):
        assert heading in readme

    checked = CliRunner().invoke(cli, ["validate", "--course", str(course), "--secrets", "1"])
    assert checked.exit_code == 0, checked.output
    for kind in ("reference", "stub", "mutant", "alternative", "public-reference", "notebook"):
        assert f" {kind} " in checked.output

    (report,) = mutate.main(course_dir=course, jobs=1)
    assert report.raw_score >= 80 and report.marked_score == 100
    assert len(report.marked_survivors) == 1 and not report.stale_marks

    # Written, not released: a plain release leaves it out, releasing it by name ships it.
    assert "confusion_counts" not in Course(course).released()
    release.main(out=tmp_path / "held", course_dir=course)
    assert not (tmp_path / "held" / "assignments" / "confusion_counts").exists()
    release.main(out=tmp_path / "bundle", course_dir=course, assignments=["confusion_counts"])
    assert Course(course).released() == ["confusion_counts"]
    assert (tmp_path / "bundle" / "assignments" / "confusion_counts" / "test_public.py").is_file()
    assert not (tmp_path / "bundle" / "reference").exists()


def test_a_taken_or_bad_name_is_refused(tmp_path: Path) -> None:
    new(name="halve", course_dir=tmp_path)
    secret = (tmp_path / "reference" / "course-secret").read_text()
    with pytest.raises(ConfigError, match="exists already"):
        new(name="halve", course_dir=tmp_path)
    for bad in ("Halve", "2x", "class", "a-b", ""):
        with pytest.raises(ConfigError, match="cannot name an assignment"):
            new(name=bad, course_dir=tmp_path)
    new(name="double", course_dir=tmp_path)
    assert (tmp_path / "reference" / "course-secret").read_text() == secret
