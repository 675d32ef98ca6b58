"""What a student's child holds: all of the submission's code, whatever ``-a`` selects, within
a byte budget, and a cache key that covers what was shipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader import grade
from grader.engine.files import MAX_SHIPPED_BYTES

REPO = Path(__file__).resolve().parents[2]
SOFTMAX = (REPO / "reference" / "softmax" / "solution.py").read_text()
KFOLD = (REPO / "reference" / "kfold" / "solution.py").read_text()

# softmax.py leans on a helper that lives in kfold.py.
HELPER = "\ndef shift(x, axis=-1):\n    return x - x.max(axis=axis, keepdims=True)\n"
IMPORTING = SOFTMAX + "\nfrom kfold import shift  # fails unless kfold.py is there\n"


def submit(root: Path, student: str, files: dict[str, str]) -> Path:
    folder = root / "submissions" / student
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return root / "submissions"


def softmax_of(run: grade.GradeRun, student: str) -> dict:
    found = next(s for s in run.students if s.student == student)
    return next(a for a in found.assignments if a.assignment == "softmax").to_dict()


def test_a_file_of_an_unselected_assignment_is_still_importable(tmp_path: Path) -> None:
    submissions = submit(tmp_path, "ada", {"softmax.py": IMPORTING, "kfold.py": KFOLD + HELPER})
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    alone = grade.main(submissions_dir=submissions, assignments=["softmax"], db=db, out=None,
                       jobs=1, course_dir=REPO)
    result = softmax_of(alone, "ada")
    assert result["score"] == result["max_score"] > 0, result["message"]
    # Graded with kfold too, softmax is the same submission: the cache serves it.
    together = grade.main(submissions_dir=submissions, assignments=["softmax", "kfold"], db=db,
                          out=None, jobs=1, course_dir=REPO)
    assert together.cached == 1 and together.graded == 1
    assert softmax_of(together, "ada")["score"] == result["score"]


def test_a_change_to_an_imported_file_regrades(tmp_path: Path) -> None:
    submissions = submit(tmp_path, "ada", {"softmax.py": IMPORTING, "kfold.py": KFOLD + HELPER})
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    first = grade.main(submissions_dir=submissions, assignments=["softmax"], db=db, out=None,
                       jobs=1, course_dir=REPO)
    assert softmax_of(first, "ada")["score"] > 0
    (submissions / "ada" / "kfold.py").write_text(KFOLD + HELPER + "\n# edited\n")
    second = grade.main(submissions_dir=submissions, assignments=["softmax"], db=db, out=None,
                        jobs=1, course_dir=REPO)
    assert second.graded == 1 and second.cached == 0


@pytest.mark.slow
def test_files_past_the_byte_budget_are_refused_unread(tmp_path: Path) -> None:
    submissions = submit(tmp_path, "honest", {"softmax.py": SOFTMAX})
    folder = submissions / "hoarder"
    folder.mkdir()
    (folder / "softmax.py").write_text(SOFTMAX)
    for i in range(4):  # sparse: megabytes on paper, nothing on disk
        with open(folder / f"notes{i}.ipynb", "wb") as handle:
            handle.truncate(MAX_SHIPPED_BYTES // 3)
    assert sum(os.stat(p).st_blocks for p in folder.iterdir()) * 512 < 1 << 20
    run = grade.main(submissions_dir=submissions, assignments=["softmax"], db=None, out=None,
                     jobs=1, course_dir=REPO)
    hoarder = softmax_of(run, "hoarder")
    assert hoarder["status"] == "error" and hoarder["score"] == 0
    assert f"at most {MAX_SHIPPED_BYTES >> 20} MiB" in hoarder["message"]
    honest = softmax_of(run, "honest")
    assert honest["score"] == honest["max_score"] > 0


def test_the_content_hash_is_the_files_hash_of_what_is_shipped(tmp_path: Path) -> None:
    from grader.course import Course
    from grader.discover import discover_student, files_hash
    from grader.engine.files import StudentFiles

    submissions = submit(tmp_path, "ada", {"softmax.py": IMPORTING, "kfold.py": KFOLD + HELPER})
    course = Course(REPO)
    student = discover_student(submissions / "ada", [course.config(n) for n in course.names()])
    store = StudentFiles(student)
    shipped = store.shipped("softmax")
    assert set(shipped) == {"softmax.py", "kfold.py"}
    assert store.content_hash("softmax") == files_hash(shipped)
    assert store.shipped("cross_entropy") == {}  # nothing submitted for it: nothing shipped
