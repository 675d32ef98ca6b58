"""``grade check --all``: a student's bundle, every assignment found in it checked at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import release

from .helpers import REPO, grade

pytestmark = pytest.mark.slow
NAMES = ("softmax", "kfold", "cross_entropy")


def _bundle(tmp_path: Path) -> Path:
    """The student bundle of a three-assignment course; cross_entropy's stubs deleted."""
    course = tmp_path / "course"
    for name in NAMES:
        shutil.copytree(REPO / "assignments" / name, course / "assignments" / name)
        shutil.copytree(REPO / "reference" / name, course / "reference" / name)
    bundle = tmp_path / "bundle"
    release.main(out=bundle, course_dir=course)
    for stub in (bundle / "assignments" / "cross_entropy").glob("cross_entropy.*"):
        if stub.suffix in (".py", ".ipynb"):
            stub.unlink()
    shutil.copyfile(REPO / "reference" / "softmax" / "solution.py",
                    bundle / "assignments" / "softmax" / "softmax.py")
    return bundle


def test_every_assignment_found_is_checked_and_one_failure_fails(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    done = grade("check", "--all", cwd=bundle)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "softmax: checked" in out and "kfold: checked" in out
    assert "not found: cross_entropy (no cross_entropy.py and no notebook defining it)" in out
    assert out.splitlines()[-1] == "checked 2 assignment(s): 1 passed, checks failed in kfold"


def test_all_passing_exits_0(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    shutil.copyfile(REPO / "reference" / "kfold" / "solution.py",
                    bundle / "assignments" / "kfold" / "kfold.py")
    done = grade("check", "--all", "assignments", cwd=bundle)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "checked 2 assignment(s): 2 passed"


def test_a_folder_with_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    for name in ("softmax", "kfold"):
        for stub in (bundle / "assignments" / name).glob(f"{name}.*"):
            if stub.suffix in (".py", ".ipynb"):
                stub.unlink()
    done = grade("check", "--all", cwd=bundle)
    assert done.returncode == 2
    assert "nothing to check in" in done.stderr and "grade check --all" in done.stderr
