"""The pieces under the pages: notebook reading, terminal text, plots, the no-fetch check."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import numpy as np
import pytest

from grader.report import plots
from grader.report.notebook import read_notebook
from grader.report.text import strip_ansi, terminal_text

from .conftest import PNG, notebook_json
from .external import external_references


def test_the_notebook_reader_keeps_what_a_page_can_show() -> None:
    view = read_notebook(notebook_json())
    assert view.error == ""
    assert [cell.kind for cell in view.cells] == ["markdown", "code", "code", "code"]
    (stream,) = view.cells[1].outputs
    assert (stream.kind, stream.name, stream.text) == (
        "stream",
        "stdout",
        "hello from the notebook\n",
    )
    result, image = view.cells[2].outputs
    assert result.kind == "text" and "<script" not in result.text
    assert image.image == f"data:image/png;base64,{PNG}"
    (error,) = view.cells[3].outputs
    assert error.kind == "error" and "\x1b" not in error.text
    assert error.text.splitlines()[-1] == "ZeroDivisionError: division by zero"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{broken", "not valid JSON"),
        ("[]", "no list of cells"),
        (json.dumps({"nbformat": 3, "cells": []}), "nbformat 3"),
    ],
)
def test_unreadable_notebooks_become_a_note(text: str, problem: str) -> None:
    view = read_notebook(text)
    assert view.cells == [] and problem in view.error


def test_odd_cells_and_outputs_do_not_raise() -> None:
    document = {
        "nbformat": 4,
        "cells": [
            "not a cell",
            {"cell_type": "code", "source": None, "outputs": "nope"},
            {
                "cell_type": "code",
                "source": ["x"],
                "outputs": [
                    7,
                    {"output_type": "display_data", "data": {"image/png": '"><script>'}},
                    {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}},
                    {"output_type": "mystery"},
                ],
            },
        ],
    }
    view = read_notebook(json.dumps(document))
    kinds = [output.kind for output in view.cells[2].outputs]
    assert kinds == ["note", "note", "note", "note"]
    assert all(output.image is None for output in view.cells[2].outputs)


def test_terminal_text_shows_what_the_terminal_showed_last() -> None:
    assert strip_ansi("\x1b[1;31mred\x1b[0m \x1b]0;title\x07done") == "red done"
    bar = "Epoch 1/2\n 1/10 [=>...]\r10/10 [=====] - loss: 0.5\nnext\x08"
    assert terminal_text(bar) == "Epoch 1/2\n10/10 [=====] - loss: 0.5\nnext"
    long = terminal_text("x" * 100, limit=10)
    assert long.startswith("x" * 10) and "90 more characters" in long


def test_plots_are_inline_svg_without_external_references() -> None:
    svg = plots.history_svg({"loss": [1.0, 0.5], "val_loss": [1.1, float("nan")]})
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "<metadata>" not in svg
    assert "http" not in svg
    assert external_references(svg) == []


def test_plots_use_agg_and_matplotlib_is_imported_only_to_draw() -> None:
    code = (
        "import sys, grader.report\n"
        "assert 'matplotlib' not in sys.modules, 'imported with the package'\n"
        "from grader.report import plots\n"
        "plots.histogram_svg([1, 2, 2, 3], 4, 'x')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'no pyplot for histograms'\n"
        "plots.history_svg({'loss': [1.0, 0.5]})\n"
        "import matplotlib\n"
        "print(matplotlib.get_backend())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().lower() == "agg"


def bars(svg: str) -> list[tuple[float, str]]:
    """Each bar's height and the range and count its title gives."""
    found = re.findall(r'<rect class="hist-bar"[^>]*height="([\d.]+)"><title>([^<]*)</title>', svg)
    return [(float(height), title) for height, title in found]


def test_a_histogram_has_a_bar_per_score_as_high_as_its_count() -> None:
    svg = plots.histogram_svg([1, 2, 2, 4, 4, 4.0], 5, 'a "tricky" <name> & co')
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'aria-label="Score distribution: a &quot;tricky&quot; &lt;name&gt; &amp; co"' in svg
    assert external_references(svg) == [] and "http" not in svg
    drawn = bars(svg)
    assert [title for _, title in drawn] == ["1: 1 student", "2: 2 students", "4: 3 students"]
    heights = [height for height, _ in drawn]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert heights[2] == pytest.approx(3 * heights[0], abs=0.1)
    for label in ("Score", "Students", ">0<", ">5<", ">3<"):
        assert label in svg


def test_a_histogram_of_many_points_has_ten_bands_up_to_the_top() -> None:
    drawn = bars(plots.histogram_svg([0.0, 49.9, 50.0, 100.0, 100.0], 100.0, "total"))
    assert [title for _, title in drawn] == [
        "0 to 10: 1 student",
        "40 to 50: 1 student",
        "50 to 60: 1 student",
        "90 to 100: 2 students",
    ]
    assert bars(plots.histogram_svg([], 7.5, "empty")) == []


def test_histogram_bins_count_as_numpy_does() -> None:
    rng = random.Random(7)
    for top in (1.0, 4.0, 20.0, 7.5, 37.5, 100.0):
        scores = [round(rng.uniform(-1.0, top + 1.0), rng.choice([0, 1, 2])) for _ in range(300)]
        scores += [0.0, top, top / 2, -0.5, top + 0.5]
        edges = plots.histogram_edges(scores, top)
        expected, _ = np.histogram(scores, bins=edges)
        assert plots.histogram_counts(scores, edges) == expected.tolist(), top


def test_confusion_rows_are_normalised_and_dollars_are_text() -> None:
    svg = plots.confusion_svg(["$a$", "b"], [[3, 1], [0, 0]])
    assert "0.75" in svg and "0.25" in svg
    with pytest.raises(ValueError, match="square"):
        plots.confusion_svg(["a"], [[1, 2]])


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://cdn.example/x.png">',
        "<script src='//cdn.example/x.js'></script>",
        '<link rel="stylesheet" href="http://fonts.example/css">',
        "<style>body { background: url(https://x.example/a.png) }</style>",
        "<style>@import 'theme.css';</style>",
    ],
)
def test_the_fetch_check_catches_external_references(html: str) -> None:
    assert external_references(html) != []


def test_the_fetch_check_allows_local_references() -> None:
    html = (
        '<a href="#assignment-1">x</a><a href="alice.html">a</a>'
        '<img src="data:image/png;base64,AA">'
    )
    assert external_references(html) == []
