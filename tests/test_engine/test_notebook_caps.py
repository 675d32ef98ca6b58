"""A notebook is stored and shown once per student, and only notebooks within caps run."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import grade

REPO = Path(__file__).resolve().parents[2]
TEST_COURSE = REPO / "tests" / "data" / "course"
MARKER = "NOTEBOOK-SHOWN-ONCE-5c1d"
BOTH = f'''# {MARKER}
import numpy as np
def softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
def cross_entropy(y_true, y_pred, eps=1e-12):
    y_pred = np.clip(np.asarray(y_pred, dtype=float), eps, 1.0)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = np.eye(y_pred.shape[1])[y_true]
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))
'''


def test_a_notebook_holding_two_assignments_is_kept_and_shown_once(tmp_path: Path) -> None:
    folder = tmp_path / "submissions" / "nia"
    folder.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_code_cell(BOTH)]), folder / "homework.ipynb")
    run = grade.main(submissions_dir=tmp_path / "submissions", course_dir=REPO, db=None,
                     out=tmp_path / "reports", assignments=["softmax", "cross_entropy"], jobs=1)
    results = run.students[0].assignments
    assert [r.notebook is not None for r in results].count(True) == 1
    assert all(r.score > 0 for r in results)
    page = (tmp_path / "reports" / "nia.html").read_text()
    assert page.count(MARKER) == 1
    assert len(list((tmp_path / "reports").glob("nia.*.ipynb"))) == 1


def test_a_notebook_with_too_many_cells_is_not_run(tmp_path: Path) -> None:
    folder = tmp_path / "submissions" / "cells"
    folder.mkdir(parents=True)
    cells = [new_markdown_cell(f"padding {i}") for i in range(450)]
    cells.append(new_code_cell("print('RAN')\ndef softmax(x, axis=-1):\n    return x\n"))
    nbformat.write(new_notebook(cells=cells), folder / "probe.ipynb")
    out = tmp_path / "results.json"
    grade.main(submissions_dir=tmp_path / "submissions", course_dir=TEST_COURSE, db=None,
               out=None, json_path=out, jobs=1)
    result = json.loads(out.read_text())["students"][0]["assignments"][0]
    assert "at most 400 are graded" in result["message"]
    assert "RAN" not in result["output"] and result["score"] == 0.0
