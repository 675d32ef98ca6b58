"""Batches: the same JSON whatever the number of processes; TensorFlow never imported."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
SOFTMAX = REPO / "reference" / "softmax"


def make_batch(root: Path, n: int) -> Path:
    sources = [SOFTMAX / "solution.py", *sorted((SOFTMAX / "mutants").glob("*.py"))]
    submissions = root / "submissions"
    for i in range(n):
        folder = submissions / f"student{i:02d}"
        folder.mkdir(parents=True)
        shutil.copyfile(sources[i % len(sources)], folder / "softmax.py")
    (submissions / "student00" / "unrelated.txt").write_text("not graded")
    return submissions


@pytest.mark.slow
@pytest.mark.sandbox
def test_jobs_two_gives_the_same_json_as_jobs_one(tmp_path: Path) -> None:
    submissions = make_batch(tmp_path, 30)
    documents = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}.json"
        grade.main(submissions_dir=submissions, assignments=["softmax"], db=None, out=None,
                   json_path=out, jobs=jobs, course_dir=REPO)
        documents.append(json.loads(out.read_text()))
    assert documents[0] == documents[1]
    scores = {s["student"]: s["score"] for s in documents[0]["students"]}
    assert len(scores) == 30 and scores["student00"] == 10.0
    assert min(scores.values()) < 10.0
    assert documents[0]["students"][0]["ignored"] == ["unrelated.txt"]


def test_grading_never_imports_tensorflow(tmp_path: Path) -> None:
    submissions = make_batch(tmp_path, 2)
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from grader import grade\n"
        f"grade.main(submissions_dir=Path({str(submissions)!r}), assignments=['softmax'],"
        f" db=None, out=None, jobs=1, course_dir=Path({str(REPO)!r}))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('tensorflow', 'keras'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    from grader.engine.host import DEFAULT_PRELOAD

    assert not any(m.startswith(("tensorflow", "keras")) for m in DEFAULT_PRELOAD)


def test_plain_subprocess_mode_grades_too(tmp_path: Path) -> None:
    submissions = make_batch(tmp_path, 2)
    run = grade.main(submissions_dir=submissions, assignments=["softmax"], db=None, out=None,
                     jobs=1, sandbox="none", course_dir=REPO)
    assert [s.score for s in run.students] == [10.0, run.students[1].score]
    assert run.sandbox == "none"


def test_cli_exit_codes(tmp_path: Path) -> None:
    grade_bin = [sys.executable, "-m", "grader.cli"]
    missing = subprocess.run([*grade_bin, str(tmp_path / "nope")], capture_output=True,
                             text=True, cwd=REPO, timeout=120)
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    submissions = make_batch(tmp_path, 1)
    unknown = subprocess.run([*grade_bin, str(submissions), "-a", "nosuch"],
                             capture_output=True, text=True, cwd=REPO, timeout=120)
    assert unknown.returncode == 2 and "unknown assignment nosuch" in unknown.stderr


def test_the_gradebook_cache_is_keyed_by_content_and_options(tmp_path: Path) -> None:
    submissions = make_batch(tmp_path, 2)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"

    def run(**options: str) -> grade.GradeRun:
        return grade.main(submissions_dir=submissions, assignments=["softmax"], db=db,
                          out=None, jobs=1, course_dir=REPO, options=options)

    first = run(jet_data="surrogate")
    assert (first.graded, first.cached) == (2, 0)
    again = run(jet_data="surrogate")
    assert (again.graded, again.cached) == (0, 2)
    assert [s.to_dict() for s in again.students] == [s.to_dict() for s in first.students]
    changed_file = submissions / "student01" / "softmax.py"
    changed_file.write_text("def softmax(x, axis=-1):\n    return x\n")
    changed = run(jet_data="surrogate")
    assert (changed.graded, changed.cached) == (1, 1)
    other_data = run(jet_data="openml")
    assert (other_data.graded, other_data.cached) == (2, 0)
