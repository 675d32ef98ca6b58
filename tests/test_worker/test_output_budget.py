"""The output budget keeps what matters: a long notebook's early plots do not starve the
cells being graded, images give way before text, and the page says what was cut where."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from grader.worker.notebook import run_notebook
from grader.worker.notebook.fit import Cell, fit

PLOT = (
    "import matplotlib.pyplot as plt\nimport numpy as np\n"
    "rng = np.random.default_rng({seed})\n"
    "fig, ax = plt.subplots(figsize=(6, 4))\n"
    "ax.scatter(rng.normal(size=3000), rng.normal(size=3000), s=2, c=rng.random(3000))\n"
    "plt.show()"
)
LIMIT = 64_000


def _long_notebook(folder: Path) -> str:
    cells = ["%matplotlib inline", *(PLOT.format(seed=seed) for seed in range(3))]
    cells += [f"print('exploring step {i}: ' + 'x' * 300)" for i in range(50)]
    cells += [
        "def cross_entropy(y_true, y_pred, eps=1e-12):\n"
        "    p = np.clip(y_pred[np.arange(len(y_true)), y_true], eps, 1.0)\n"
        "    return float(-np.mean(np.log(p)))\n"
        "print('defined cross_entropy')",
        "for epoch in range(3):\n"
        "    print(f'epoch {epoch}: loss', cross_entropy(np.array([0, 1]), "
        "np.array([[0.9, 0.1], [0.2, 0.8]])))",
    ]
    path = folder / "long.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    return str(path)


def _code(result) -> list[dict]:
    return [c for c in result.notebook["cells"] if c["cell_type"] == "code"]


def _size(cell: dict) -> int:
    return sum(len(json.dumps(out)) for out in cell["outputs"])


def test_early_plots_do_not_starve_the_graded_cells_at_the_end(tmp_path) -> None:
    result = run_notebook(_long_notebook(tmp_path), max_output_bytes=LIMIT,
                          graded_names=["cross_entropy"])
    cells = _code(result)
    plots = cells[1:4]
    assert sum(_size(c) for c in plots) > 0
    definition, losses = cells[-2], cells[-1]
    assert definition["outputs"][0]["text"] == "defined cross_entropy\n"
    assert losses["outputs"][0]["text"].splitlines() == [
        f"epoch {e}: loss 0.164252033486018" for e in range(3)]
    assert not any("cut" in out.get("text", "") for out in losses["outputs"])
    # The plots gave way first: scaled or left out, and each of those cells says so.
    for plot in plots:
        [marker] = [o["text"] for o in plot["outputs"] if o.get("name") == "stderr"]
        assert marker.startswith("[the grader cut this cell's output: image ")
        assert "image scaled to 1/" in marker or "image left out" in marker
    [note] = [n for n in result.notes if n.startswith("outputs were cut")]
    assert "limit of 64,000 bytes" in note and "cell 2: image" in note
    assert sum(_size(c) for c in cells) < LIMIT + 8_000  # markers and JSON framing aside


def test_images_are_scaled_before_any_text_is_cut(tmp_path) -> None:
    path = tmp_path / "plot.ipynb"
    cells = ["%matplotlib inline", PLOT.format(seed=1), "print('the result: 42')"]
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    full = run_notebook(str(path), max_output_bytes=1_000_000)
    png = next(o for o in _code(full)[1]["outputs"] if o["output_type"] == "display_data")
    size = len(png["data"]["image/png"])
    result = run_notebook(str(path), max_output_bytes=int(size * 0.8))
    image = next(o for o in _code(result)[1]["outputs"] if o["output_type"] == "display_data")
    assert 0 < len(image["data"]["image/png"]) < size  # smaller, still an image
    assert _code(result)[2]["outputs"][0]["text"] == "the result: 42\n"
    assert any("cell 2: image scaled to 1/2 of its width and height" in n for n in result.notes)


def test_graded_cells_keep_their_text_while_the_others_are_cut() -> None:
    def stream(text: str) -> dict:
        return {"output_type": "stream", "name": "stdout", "text": text}

    cells = [Cell(1, [stream("a" * 3000)], []), Cell(2, [stream("b" * 3000)], []),
             Cell(3, [stream("graded " * 300)], []),
             Cell(4, [{"output_type": "error", "ename": "E", "evalue": "",
                       "traceback": ["x" * 2000]}], [])]
    note = fit(cells, limit=4500, cell_limit=4000, priority={3})
    assert cells[2].outputs == [stream("graded " * 300)]
    assert cells[3].outputs[0]["traceback"] == ["x" * 2000]  # errors are never cut
    assert "elided" in cells[0].outputs[0]["text"]
    assert "cell 1: the middle of its stdout elided" in note and "cell 3" not in note
