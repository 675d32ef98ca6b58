"""``grade check`` as a student runs it: exit codes, PASS/FAIL lines, teaching messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .helpers import NAIVE, REPO, SOLUTION, grade, write_notebook

pytestmark = pytest.mark.slow


def test_correct_solution_passes_with_exit_0(tmp_path: Path) -> None:
    mine = tmp_path / "my_softmax.py"
    shutil.copyfile(SOLUTION, mine)
    done = grade("check", "softmax", mine, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "softmax: checked my_softmax.py"
    verdicts = [line for line in lines if line.startswith(("PASS ", "FAIL "))]
    assert len(verdicts) >= 3
    assert all(line.startswith("PASS ") for line in verdicts)
    assert "PASS test_large_inputs" in verdicts
    assert lines[-1].startswith(f"all {len(verdicts)} public checks passed")
    assert "sandbox" not in done.stdout + done.stderr


def test_naive_exp_fails_with_exit_1_and_the_lecture_idea(tmp_path: Path) -> None:
    mine = tmp_path / "naive.py"
    mine.write_text(NAIVE)
    done = grade("check", "softmax", mine, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "FAIL test_large_inputs (1 point)" in out
    failure = out[out.index("FAIL test_large_inputs"):].splitlines()
    assert failure[1].startswith("    ") and "subtract max(x) first" in failure[1]
    assert "PASS test_vector" in out
    assert re.fullmatch(r"1 of \d+ public checks failed\.", out.splitlines()[-1])
    # The overflow warnings the student's code printed name the student's file.
    assert "naive.py:5: RuntimeWarning: overflow encountered in exp" in out
    assert "submission" not in out


def test_a_traceback_points_at_the_students_file(tmp_path: Path) -> None:
    mine = tmp_path / "attempt.py"
    mine.write_text("def softmax(x, axis=-1):\n    raise ValueError('not yet')\n")
    done = grade("check", "softmax", mine, cwd=tmp_path)
    assert done.returncode == 1
    assert 'File "attempt.py", line 2, in softmax' in done.stdout
    assert "your code raised ValueError: not yet" in done.stdout


def test_the_stub_fails_and_says_it_is_not_written(tmp_path: Path) -> None:
    shutil.copyfile(REPO / "assignments" / "softmax" / "softmax.py", tmp_path / "softmax.py")
    done = grade("check", "softmax", cwd=tmp_path)
    assert done.returncode == 1
    assert "NotImplementedError" in done.stdout
    # The same message is printed once; later failures refer back to it.
    assert "not written yet: the stub still raises NotImplementedError (as in" in done.stdout
    assert done.stdout.splitlines()[0] == "softmax: checked softmax.py"


def test_default_finds_the_one_notebook_in_the_folder(tmp_path: Path) -> None:
    write_notebook(tmp_path / "work.ipynb", "import numpy as np", SOLUTION.read_text(),
                   "%timeit softmax(np.zeros(4))",
                   'from grader import check\ncheck("softmax")')
    done = grade("check", "softmax", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == "softmax: checked work.ipynb"


def test_script_wins_over_notebook_and_the_notebook_is_mentioned(tmp_path: Path) -> None:
    shutil.copyfile(SOLUTION, tmp_path / "softmax.py")
    write_notebook(tmp_path / "draft.ipynb", NAIVE)
    done = grade("check", "softmax", tmp_path, cwd=REPO)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == f"softmax: checked {tmp_path / 'softmax.py'}"
    assert "note: also found draft.ipynb; to check it: grade check softmax" in done.stdout


def test_unknown_assignment_is_a_usage_error(tmp_path: Path) -> None:
    mine = tmp_path / "softmax.py"
    shutil.copyfile(SOLUTION, mine)
    done = grade("check", "no_such_assignment", mine, cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown assignment no_such_assignment" in done.stderr
    assert "softmax" in done.stderr


def test_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    done = grade("check", "softmax", cwd=tmp_path)
    assert done.returncode == 2
    assert "nothing to check" in done.stderr
    missing = grade("check", "softmax", tmp_path / "absent.py", cwd=tmp_path)
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_wrong_kind_of_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "softmax.txt").write_text("def softmax(x): pass")
    done = grade("check", "softmax", tmp_path / "softmax.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "give a .py script, a .ipynb notebook or a folder" in done.stderr
