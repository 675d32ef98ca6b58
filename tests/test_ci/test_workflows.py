"""The CI examples (examples/ci/): the YAML parses, and their shell steps run here.

Every step's ``run`` script is executed with bash exactly as written, against a small
course, with the values GitHub would put in its ``env:`` (secrets and inputs reach the
scripts only through ``env:``, so nothing has to be substituted). The gradebook URL is a
SQLite file here, where the workflows get a PostgreSQL URL from the GRADEBOOK_URL secret:
the mechanism under test is that every run, and every student's job, writes into the one
gradebook the URL names.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CI = REPO / "examples" / "ci"
WRITERS = ("course-grading.yml", "classroom-student.yml")

pytestmark = pytest.mark.slow


def workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((CI / name).read_text())


def step(name: str, job: str, title: str) -> dict[str, Any]:
    [found] = [s for s in workflow(name)["jobs"][job]["steps"] if s.get("name") == title]
    return found


def run_step(found: dict[str, Any], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``found``'s script under bash -e (as GitHub runs it), ``grade`` on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    full = {**os.environ, "PATH": path, "PYTHONPATH": str(REPO), **env}
    full.pop("GRADER_COURSE", None)
    return subprocess.run(["bash", "-e", "-c", found["run"]], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=600)


def make_course(root: Path) -> Path:
    """A course repository with softmax released."""
    root.mkdir(parents=True)
    for kind in ("assignments", "reference"):
        shutil.copytree(REPO / kind / "softmax", root / kind / "softmax")
    shutil.copyfile(REPO / "reference" / "course-secret", root / "reference" / "course-secret")
    (root / "course.toml").write_text('[course]\nreleased = ["softmax"]\n')
    return root


def table(summary: str) -> dict[str, list[str]]:
    rows = [line.strip("|").split("|") for line in summary.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows[1:]}


@pytest.mark.parametrize("name", sorted(p.name for p in CI.glob("*.yml")))
def test_every_workflow_parses_and_takes_values_only_through_env(name: str) -> None:
    document = workflow(name)
    assert document["jobs"] and document["permissions"] == {"contents": "read"}
    for job in document["jobs"].values():
        for found in job["steps"]:
            assert "${{" not in found.get("run", ""), f"{name}: {found.get('name')}"
            assert found.get("uses", "").split("@")[0] != "actions/cache", (
                "a cache is evicted after 7 days unused: no gradebook there")


def test_the_gradebook_writers_share_one_secret_and_one_concurrency_group() -> None:
    for name in WRITERS:
        text = (CI / name).read_text()
        assert workflow(name)["concurrency"] == {"group": "gradebook",
                                                 "cancel-in-progress": False}
        assert "GRADEBOOK_URL: ${{ secrets.GRADEBOOK_URL }}" in text
        assert "sqlite" not in text and "gradebook.db" not in text


def test_course_grading_keeps_its_gradebook_across_runs(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    for student, source in (("ada", REPO / "reference" / "softmax" / "solution.py"),
                            ("ben", REPO / "assignments" / "softmax" / "softmax.py")):
        (course / "submissions" / student).mkdir(parents=True)
        shutil.copyfile(source, course / "submissions" / student / "softmax.py")
    (course / "submissions" / "cy").mkdir()
    (course / "submissions" / "cy" / "notes.txt").write_text("nothing yet")
    name = "course-grading.yml"
    url = f"sqlite:///{tmp_path / 'outside' / 'gradebook.db'}"
    (tmp_path / "outside").mkdir()

    unset = run_step(step(name, "grade", "Grade"), course, GRADEBOOK_URL="", FORCE="")
    assert unset.returncode == 2 and "set the repository secret GRADEBOOK_URL" in unset.stdout

    def one_run() -> dict[str, list[str]]:
        for title in ("Grade", "Reports and exports from the gradebook"):
            done = run_step(step(name, "grade", title), course, GRADEBOOK_URL=url, FORCE="")
            assert done.returncode == 0, done.stderr
        summary = tmp_path / "summary.md"
        summary.unlink(missing_ok=True)
        done = run_step(step(name, "grade", "Summary"), course,
                        GITHUB_STEP_SUMMARY=str(summary))
        assert done.returncode == 0, done.stderr
        return table(summary.read_text())

    first = one_run()
    assert first["ada"][:3] == ["10", "10", ""]
    assert first["cy"][:3] == ["0", "10", "softmax"], "not handed in, said once"
    assert (course / "reports" / "ada.html").is_file()

    # Between runs an instructor overrides from a laptop, into the same database.
    override = subprocess.run(
        [str(Path(sys.executable).parent / "grade"), "override", "ben", "softmax", "4",
         "--reason", "partial credit by hand", "--db", url, "--course", str(course)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    assert override.returncode == 0, override.stderr
    shutil.rmtree(course / "reports")
    second = one_run()
    assert second["ben"][0] == "4" and "partial credit by hand" in second["ben"][3]
    assert second["ada"] == first["ada"]


def test_classroom_keys_students_by_login_in_one_gradebook(tmp_path: Path) -> None:
    name = "classroom-student.yml"
    runner = tmp_path / "runner"
    course = make_course(runner / "course")
    (course / "classroom").mkdir()
    (course / "classroom" / "roster.csv").write_text(
        "\ufeffidentifier,github_username,github_id,name\n"
        "501,alice,1001,Alice Carter\n502,bob,1002,Bob Brown\n"
        "503,,,Not Linked Yet\n")
    listed = tmp_path / "output"
    done = run_step(step(name, "roster", "List the students"), course, ONLY="",
                    PREFIX="softmax", OWNER="ml-course", GITHUB_OUTPUT=str(listed))
    assert done.returncode == 0, done.stderr
    students = json.loads(listed.read_text().split("students=", 1)[1])
    assert students == [
        {"login": "alice", "identifier": "501", "repository": "ml-course/softmax-alice"},
        {"login": "bob", "identifier": "502", "repository": "ml-course/softmax-bob"},
    ]
    missing = run_step(step(name, "roster", "List the students"), course, ONLY="zed",
                       PREFIX="softmax", OWNER="ml-course", GITHUB_OUTPUT=str(listed))
    assert missing.returncode != 0 and "zed is not on classroom/roster.csv" in missing.stderr

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    bundle = tmp_path / "bundle"
    done = run_step({"run": f"grade release {bundle} --course course"}, runner)
    assert done.returncode == 0, done.stderr
    for student in students:
        for leftover in ("student", "submissions", "released"):
            shutil.rmtree(runner / leftover, ignore_errors=True)  # a fresh runner per job
        shutil.copytree(bundle, runner / "student")
        if student["login"] == "alice":
            shutil.copyfile(REPO / "reference" / "softmax" / "solution.py",
                            runner / "student" / "assignments" / "softmax" / "softmax.py")
        env = {"LOGIN": student["login"], "IDENTIFIER": student["identifier"]}
        done = run_step(step(name, "grade", "Lay the student's work out as submissions/LOGIN/"),
                        runner, **env)
        assert done.returncode == 0, done.stderr
        with (runner / "submissions" / "submissions.csv").open() as stream:
            [row] = list(csv.DictReader(stream))
        assert row["student"] == row["login"] == student["login"]
        assert row["lms_id"] == student["identifier"]
        done = run_step(step(name, "grade", "Grade into the shared gradebook"), runner,
                        GRADEBOOK_URL=url)
        assert done.returncode == 0, done.stderr
    assert not (runner / "submissions" / "bob" / "softmax.py").exists(), "the stub is no work"

    summary = tmp_path / "summary.md"
    done = run_step(step(name, "summary", "Reports and summary from the gradebook"), runner,
                    GRADEBOOK_URL=url, GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stderr
    assert table(summary.read_text()) == {"alice": ["10", "10", ""],
                                          "bob": ["0", "10", "softmax"]}
    assert sorted(p.name for p in (runner / "reports").glob("*.html")) == [
        "alice.html", "bob.html", "index.html"]
