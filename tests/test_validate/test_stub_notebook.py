"""``grade stub``: the notebook is made from the percent-format stub script, and validate
fails while the notebook lags behind it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import validate
from grader.cli import main as cli
from grader.stub import Cell, parse_percent, render, stale

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["softmax", "cross_entropy", "kfold", "early_stopping", "jet_classifier"]

SCRIPT = '''# %% [markdown]
# # Task
#
# Write `f`.

# %%
"""Stub."""


def f(x):
    raise NotImplementedError

# %% [markdown] Try it
# Run it:

# %% try it
TRY_IT = False
'''


def test_percent_cells() -> None:
    assert parse_percent(SCRIPT) == [
        Cell("markdown", "# Task\n\nWrite `f`."),
        Cell("code", '"""Stub."""\n\n\ndef f(x):\n    raise NotImplementedError'),
        Cell("markdown", "Run it:"),
        Cell("code", "TRY_IT = False"),
    ]
    assert parse_percent("x = 1\n") == [Cell("code", "x = 1")]


def test_the_notebook_is_the_script_cut_into_cells(tmp_path: Path) -> None:
    script = tmp_path / "demo.py"
    script.write_text(SCRIPT)
    text = render(script)
    assert render(script) == text
    book = json.loads(text)
    assert [c["cell_type"] for c in book["cells"]] == ["markdown", "code", "markdown", "code"]
    assert [c["id"] for c in book["cells"]] == ["demo-1", "demo-2", "demo-3", "demo-4"]
    assert book["cells"][1]["outputs"] == [] and book["cells"][1]["execution_count"] is None
    assert "".join(book["cells"][1]["source"]).endswith("raise NotImplementedError")


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_notebooks_are_made_from_their_scripts(name: str) -> None:
    folder = REPO / "assignments" / name
    assert stale(folder, name) == ""
    assert (folder / f"{name}.ipynb").read_text() == render(folder / f"{name}.py")


def _course(root: Path) -> Path:
    course = root / "course"
    shutil.copytree(REPO / "assignments" / "softmax", course / "assignments" / "softmax")
    shutil.copytree(REPO / "reference" / "softmax", course / "reference" / "softmax")
    shutil.copyfile(REPO / "reference" / "course-secret", course / "reference" / "course-secret")
    return course


def test_an_edited_script_makes_the_notebook_stale_until_grade_stub(tmp_path: Path) -> None:
    course = _course(tmp_path)
    folder = course / "assignments" / "softmax"
    script = folder / "softmax.py"
    script.write_text(script.read_text().replace("Hint:", "Hint (read this):"))
    assert stale(folder, "softmax") == (
        "softmax.ipynb is stale: cell 2 differs from softmax.py (3 cells against 3): "
        "run grade stub softmax")
    result = CliRunner().invoke(cli, ["stub", "softmax", "--course", str(course)])
    assert result.exit_code == 0 and "softmax.ipynb" in result.output
    assert stale(folder, "softmax") == ""
    (folder / "softmax.ipynb").unlink()
    assert stale(folder, "softmax") == ""  # scripts only: nothing to keep in step


@pytest.mark.slow
def test_validate_fails_on_a_stale_notebook(tmp_path: Path) -> None:
    course = _course(tmp_path)
    script = course / "assignments" / "softmax" / "softmax.py"
    script.write_text(script.read_text() + "\n# %% [markdown]\n# One more cell.\n")
    report = validate.main(course_dir=course, secrets=1)
    (check,) = [c for c in report.checks if c.kind == "notebook"]
    assert not check.ok and "is stale" in check.detail and not report.ok
