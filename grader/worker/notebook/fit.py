"""Fitting an executed notebook's outputs into its budget, keeping what matters first.

Spent in cell order, a budget goes to the first plots of a long notebook and leaves nothing
for the cells being graded. Here the whole run is known, so the budget is spent by worth:

1. no cell keeps more than ``cell_limit`` bytes (half the notebook's limit);
2. then, while the notebook is over ``limit``, the cells that do not name a graded function
   lose output, then (only if still over) the cells that do;
3. within each group the cheapest loss comes first: images scaled to half their size, then
   images left out (their plain-text form stays), then the middle of long texts elided,
   then whole text outputs left out. Errors are never cut: the student needs them most.

Every cell that lost something says what at its end, and one note says which cells lost
what, so the student knows where to look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .images import IMAGES, half_size
from .outputs import bundle_size, head_and_tail, nbytes, scaled

_KEEP_TEXT = 400  # characters kept at each end of a text that is shortened


class Cell:
    """One code cell's outputs and what was done to them."""

    def __init__(self, number: int, outputs: list[dict], actions: list[str],
                 scales: dict[int, int] | None = None) -> None:
        self.number = number
        self.outputs = outputs
        self.actions = list(actions)
        self.scales = scales or {}
        """id(output) -> how many times smaller its image already is."""
        self.scaled: set[int] = set()

    @property
    def size(self) -> int:
        return sum(_size(out) for out in self.outputs)


def _size(out: dict) -> int:
    kind = out.get("output_type")
    if kind == "stream":
        return nbytes(str(out.get("text", "")))
    if kind == "error":
        return sum(nbytes(str(line)) for line in out.get("traceback", []))
    data = out.get("data")
    return bundle_size(data) if isinstance(data, dict) else 0


def priority_cells(cells: Iterable[dict], names: Iterable[str]) -> set[int]:
    """Execution counts of the code cells whose source names one of ``names``: where the
    graded functions are defined and where the notebook prints what they give."""
    wanted = [n for n in names if n.isidentifier()]
    if not wanted:
        return set()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, wanted)) + r")\b")
    found = set()
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "code" and pattern.search(source):
            found.add(int(cell.get("execution_count") or 0))
    return found


def fit(cells: list[Cell], limit: int, cell_limit: int, priority: set[int]) -> str:
    """Cut ``cells`` in place to ``limit`` bytes, none over ``cell_limit``; the note to show
    (empty when nothing was cut)."""
    for cell in cells:
        size = cell.size
        if size > cell_limit:
            _shrink([cell], size - cell_limit)
    over = sum(cell.size for cell in cells) - limit
    for group in (False, True):
        if over > 0:
            over = _shrink([c for c in cells if (c.number in priority) is group], over)
    touched = [c for c in cells if c.actions]
    for cell in touched:
        cell.outputs.append({
            "output_type": "stream", "name": "stderr",
            "text": f"[the grader cut this cell's output: {'; '.join(_counted(cell.actions))}]\n",
        })
    if not touched:
        return ""
    where = "; ".join(f"cell {c.number}: {', '.join(_counted(c.actions))}" for c in touched[:12])
    more = f"; and {len(touched) - 12} more cells" if len(touched) > 12 else ""
    return (f"outputs were cut to fit the executed notebook's limit of {limit:,} bytes "
            f"({cell_limit:,} per cell; cells that use the graded names kept first): "
            f"{where}{more}")


def _counted(actions: list[str]) -> list[str]:
    """["image left out"] * 2 -> ["2 x image left out"]."""
    counts: dict[str, int] = {}
    for action in actions:
        counts[action] = counts.get(action, 0) + 1
    return [f"{n} x {what}" if n > 1 else what for what, n in counts.items()]


def _shrink(cells: list[Cell], over: int) -> int:
    """Cheapest losses first, largest outputs first within each, until ``over`` bytes are
    saved; what is still over afterwards (0 or less when it fitted)."""
    for step in (_scale_image, _drop_image, _shorten_text, _drop_text):
        candidates = sorted(((cell, out, _size(out)) for cell in cells for out in cell.outputs),
                            key=lambda item: -item[2])
        for cell, out, size in candidates:
            if over <= 0:
                return over
            step(cell, out)
            kept = any(o is out for o in cell.outputs)
            over -= size - (_size(out) if kept else 0)
    return over


def _scale_image(cell: Cell, out: dict) -> None:
    data = out.get("data")
    if not isinstance(data, dict) or id(out) in cell.scaled:
        return
    for mime in IMAGES:
        value = data.get(mime)
        if isinstance(value, str) and len(value) > 2048:
            smaller = half_size(value, mime)
            cell.scaled.add(id(out))
            if smaller is not None and len(smaller) < len(value):
                data[mime] = smaller
                metadata = out.get("metadata")
                if isinstance(metadata, dict):
                    metadata.pop(mime, None)
                before = cell.scales.get(id(out), 1)
                if scaled(before) in cell.actions:  # scaled while the cell ran: once more
                    cell.actions.remove(scaled(before))
                cell.scales[id(out)] = 2 * before
                cell.actions.append(scaled(2 * before))


def _drop_image(cell: Cell, out: dict) -> None:
    data = out.get("data")
    if not isinstance(data, dict) or not any(m for m in data if m != "text/plain"):
        return
    plain = data.get("text/plain")
    out["data"] = {"text/plain": plain} if isinstance(plain, str) else {}
    out["metadata"] = {}
    cell.actions.append("image left out")


def _shorten_text(cell: Cell, out: dict) -> None:
    if out.get("output_type") == "stream":
        text = str(out.get("text", ""))
        shorter = head_and_tail(text, _KEEP_TEXT)
        if shorter != text:
            out["text"] = shorter
            cell.actions.append(f"the middle of its {out.get('name', 'output')} elided")
        return
    data = out.get("data")
    if isinstance(data, dict) and isinstance(data.get("text/plain"), str):
        shorter = head_and_tail(data["text/plain"], _KEEP_TEXT)
        if shorter != data["text/plain"]:
            data["text/plain"] = shorter
            cell.actions.append("the middle of a text result elided")


def _drop_text(cell: Cell, out: dict) -> None:
    if out.get("output_type") == "error" or not any(o is out for o in cell.outputs):
        return
    cell.outputs[:] = [o for o in cell.outputs if o is not out]
    cell.actions.append("a text output left out")


def cells_of(notebook_cells: list[dict], actions: dict[int, list[str]],
             scales: dict[int, int]) -> list[Cell]:
    """The code cells of an executed notebook, with what their run already cut."""
    return [Cell(int(c.get("execution_count") or 0), c["outputs"],
                 actions.get(int(c.get("execution_count") or 0), []), scales)
            for c in notebook_cells
            if c.get("cell_type") == "code" and isinstance(c.get("outputs"), list)]
