"""Report pages never overwrite each other: exact clashes, clashes of case, and ``index``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
SOLUTION = REPO / "reference" / "softmax" / "alternatives" / "log_sum_exp.py"
NAIVE = REPO / "reference" / "softmax" / "mutants" / "naive_exp.py"


@pytest.mark.parametrize("db", [None, "gradebook"])
def test_every_student_gets_a_page_of_their_own(tmp_path: Path, db: str | None) -> None:
    students = {"Jane Doe": SOLUTION, "Jane_Doe-01332c87": NAIVE, "alice": SOLUTION,
                "Alice": NAIVE, "index": NAIVE}
    submissions = tmp_path / "submissions"
    for name, source in students.items():
        (submissions / name).mkdir(parents=True)
        shutil.copyfile(source, submissions / name / "softmax.py")
    out = tmp_path / "reports"
    grade.main(submissions_dir=submissions, assignments=["softmax"], out=out,
               db=f"sqlite:///{tmp_path / 'gb.db'}" if db else None, jobs=1, sandbox="none",
               course_dir=REPO)
    pages = sorted(p.name for p in out.glob("*.html"))
    assert len({p.casefold() for p in pages}) == len(pages) == len(students) + 1
    summary = (out / "index.html").read_text()
    assert "Class summary" in summary or "<table" in summary
    assert "Jane_Doe-01332c87.html" in pages and "alice.html" in pages
    for name in students:
        owners = [p for p in pages if f"Feedback for {name}<" in (out / p).read_text()]
        assert len(owners) == 1, f"{name} has a page of their own"
        assert f'href="{owners[0]}"' in summary.replace("%20", " ") or owners[0] in summary
