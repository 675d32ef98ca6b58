"""Notebook submissions go through the same engine as scripts."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grader import grade

REPO = Path(__file__).resolve().parents[2]


def solution_cells(name: str) -> list[str]:
    return [(REPO / "reference" / name / "solution.py").read_text()]


def write_notebook(path: Path, cells: list[str]) -> None:
    notebook = new_notebook(cells=[new_code_cell(source) for source in cells])
    nbformat.write(notebook, path)


@pytest.mark.slow
def test_one_notebook_with_every_part_gets_full_marks_and_survives_a_broken_cell(
    tmp_path: Path,
) -> None:
    names = ["softmax", "cross_entropy", "kfold", "early_stopping"]
    submissions = tmp_path / "submissions"
    whole = submissions / "whole"
    broken = submissions / "broken"
    whole.mkdir(parents=True)
    broken.mkdir(parents=True)
    cells = [cell for name in names for cell in solution_cells(name)]
    write_notebook(whole / "homework.ipynb", ["import os\nos.write(1, b'NOTEBOOK-RAN\\n')", *cells])
    middle = len(cells) // 2
    write_notebook(broken / "homework.ipynb",
                   [*cells[:middle], "raise RuntimeError('a broken cell')", *cells[middle:]])
    (submissions / "invalid").mkdir()
    (submissions / "invalid" / "homework.ipynb").write_text("print('a script in disguise')\n")
    out = tmp_path / "results.json"
    grade.main(submissions_dir=submissions, assignments=names, db=None, out=None,
               json_path=out, jobs=1, course_dir=REPO)
    students = {s["student"]: s for s in json.loads(out.read_text())["students"]}
    assert students["whole"]["score"] == students["whole"]["max_score"] == 40.0
    # The four parts share one worker child, so the notebook ran once, not once per part,
    # and what it printed belongs to the first part graded.
    outputs = [a["output"] for a in students["whole"]["assignments"]]
    assert "".join(outputs).count("NOTEBOOK-RAN") == 1
    assert "NOTEBOOK-RAN" in outputs[0]
    assert students["broken"]["score"] == 40.0
    messages = " ".join(a["message"] for a in students["broken"]["assignments"])
    assert f"cell {middle + 1}: RuntimeError: a broken cell" in messages
    invalid = students["invalid"]["assignments"]
    assert all(a["status"] == "error" and a["score"] == 0 for a in invalid)
    assert "homework.ipynb" in invalid[0]["message"]
