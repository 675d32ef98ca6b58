"""``from grader import check; check("softmax")`` inside a running Jupyter kernel."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import grader
from grader.checking.notebook import history_cells, inside_worker, write_history_notebook

from .helpers import NAIVE, SOLUTION, write_notebook

CHECK_CELL = 'from grader import check\nr = check("softmax")\nprint(r.passed)'


def _run(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    notebook = nbformat.read(str(path), as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=240,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def _texts(cell: Any) -> tuple[str, str]:
    plain, html = [], []
    for output in cell.outputs:
        if output.output_type == "stream":
            plain.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            plain.append(output.data.get("text/plain", ""))
            html.append(output.data.get("text/html", ""))
    return "".join(plain), "".join(html)


@pytest.mark.slow
def test_check_in_a_notebook_shows_a_table_and_returns_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_notebook(tmp_path / "work.ipynb", "import numpy as np", SOLUTION.read_text(),
                          "", "%time softmax(np.ones(3))", CHECK_CELL)
    cell = _run(path, monkeypatch).cells[-1]
    plain, html = _texts(cell)
    assert plain.rstrip().endswith("True"), plain
    assert "softmax: checked the cells this notebook ran" in plain
    assert "PASS test_large_inputs" in plain
    assert "<table" in html and ">PASS<" in html and ">FAIL<" not in html


@pytest.mark.slow
def test_check_in_a_notebook_reports_a_wrong_function(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Definitions and the check in one cell: what precedes the call is checked.
    path = write_notebook(tmp_path / "work.ipynb", NAIVE + "\n" + CHECK_CELL)
    cell = _run(path, monkeypatch).cells[-1]
    plain, html = _texts(cell)
    assert plain.rstrip().endswith("False"), plain
    assert "FAIL test_large_inputs" in plain
    assert "subtract max(x) first" in html


class _History:
    def __init__(self, raw: list[str]) -> None:
        self.input_hist_raw = raw


def test_history_keeps_what_ran_before_each_check_call() -> None:
    raw = ["", "import numpy as np", "%timeit np.ones(3)", "   ", "def softmax(x):\n    return x\n",
           "from grader import check\ncheck('softmax')", "import grader\ngrader.check('softmax')",
           "def check_me():\n    return 1\n\nr = check('softmax')\nprint(r.passed)\n",
           "def check(x):\n    return x\n"]
    parsed = [*raw[:2], "get_ipython().run_line_magic('timeit', 'np.ones(3)')", *raw[3:]]
    shell = SimpleNamespace(user_ns={"In": parsed, "check": grader.check, "grader": grader},
                            history_manager=_History(raw))
    assert history_cells(shell) == [
        "import numpy as np", "%timeit np.ones(3)", "def softmax(x):\n    return x",
        "from grader import check", "import grader", "def check_me():\n    return 1",
        "def check(x):\n    return x",
    ]


def test_history_notebook_is_a_valid_v4_notebook(tmp_path: Path) -> None:
    path = write_history_notebook(["x = 1", "%time x"], tmp_path)
    notebook = nbformat.read(str(path), as_version=4)
    nbformat.validate(notebook)
    assert [c.source for c in notebook.cells] == ["x = 1", "%time x"]


def test_check_outside_the_worker_is_not_mistaken_for_inside() -> None:
    assert not inside_worker()
