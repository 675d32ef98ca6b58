"""Plots for the reports, drawn with matplotlib and returned as inline SVG text.

Pages must be self-contained, so every figure is SVG markup placed in the page: no image
files, no fonts to fetch (text is drawn as paths), no XML prolog or DOCTYPE pointing at a
web address. matplotlib is imported inside the functions, on the Agg backend and without
pyplot, so importing the report package stays cheap and no figure outlives its page.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_RC: Any = {
    "svg.fonttype": "path",
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
# Size goes to CSS; namespace declarations are implied for <svg> inside HTML.
_ROOT_ATTRIBUTES = re.compile(r'\s(?:width|height|xmlns(?::\w+)?)="[^"]*"')


def _rc() -> Any:
    """Agg backend and our style, set for the duration of one drawing."""
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib.rc_context(_RC)


def _figure(width: float = 5.5, height: float = 3.8) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Figure, label: str) -> str:
    """The figure as an ``<svg>`` element that scales with the page."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    head_end = text.index(">")
    head = _ROOT_ATTRIBUTES.sub("", text[:head_end])
    safe_label = re.sub(r'[<>&"]', "", label)
    return f'{head} class="plot" role="img" aria-label="{safe_label}"{text[head_end:]}'


def _plain(text: object, limit: int = 60) -> str:
    """Text shown as written: a ``$`` would start matplotlib's math mode (and can fail)."""
    return str(text)[:limit].replace("$", r"\$")


def _floats(values: Any) -> list[float]:
    return [float(value) for value in values]


def roc_svg(roc: Mapping[str, Mapping[str, Sequence[float]]], auc: Mapping[str, Any]) -> str:
    """ROC curves per class as the hls4ml tutorial draws them.

    Signal efficiency (true positive rate) on the x axis against mistag rate (false
    positive rate) on a log y axis: the regime that matters in a trigger is a low mistag
    rate, which a linear axis squeezes into one line.
    """
    with _rc():
        figure = _figure()
        axes = figure.add_subplot()
        for label, curve in roc.items():
            fpr, tpr = _floats(curve["fpr"]), _floats(curve["tpr"])
            points = [
                (t, f) for f, t in zip(fpr, tpr) if f > 0 and math.isfinite(f) and math.isfinite(t)
            ]
            if not points:
                continue
            value: Any = auc.get(label)
            name = _plain(label, 20)
            if _is_number(value):
                name += f", AUC = {value * 100:.1f}%"
            axes.plot([t for t, _ in points], [f for _, f in points], label=name)
        axes.set_yscale("log")
        axes.set_xlim(0.0, 1.0)
        axes.set_ylim(1e-3, 1.0)
        axes.set_xlabel("Signal efficiency (true positive rate)")
        axes.set_ylabel("Mistag rate (false positive rate)")
        if axes.lines:
            axes.legend(loc="upper left", fontsize=8)
        return _svg(figure, "ROC curves per class")


def confusion_svg(labels: Sequence[str], matrix: Sequence[Sequence[float]]) -> str:
    """The confusion matrix normalised per true class, each cell annotated.

    Normalising rows makes classes of different sizes comparable: a row reads as "of the
    true W jets, this fraction was called Z".
    """
    rows = [_floats(row) for row in matrix]
    size = len(rows)
    if size == 0 or any(len(row) != size for row in rows):
        raise ValueError("the confusion matrix is not square")
    names = [_plain(label, 12) for label in labels][:size]
    names += [str(index) for index in range(len(names), size)]
    normalised = [[value / sum(row) if sum(row) else 0.0 for value in row] for row in rows]
    with _rc():
        figure = _figure(4.6, 4.0)
        axes = figure.add_subplot()
        axes.grid(False)
        image = axes.imshow(normalised, cmap="Blues", vmin=0.0, vmax=1.0)
        for i, row in enumerate(normalised):
            for j, value in enumerate(row):
                colour = "white" if value > 0.6 else "black"
                axes.text(j, i, f"{value:.2f}", ha="center", va="center", color=colour)
        axes.set_xticks(range(size), names)
        axes.set_yticks(range(size), names)
        axes.set_xlabel("Predicted class")
        axes.set_ylabel("True class")
        figure.colorbar(image, ax=axes, fraction=0.046)
        return _svg(figure, "Normalised confusion matrix")


def history_svg(history: Mapping[str, Sequence[float]]) -> str:
    """Training and validation loss per epoch: where the two part is overfitting."""
    with _rc():
        figure = _figure(5.5, 3.4)
        axes = figure.add_subplot()
        for key in ("loss", "val_loss"):
            values = [v if math.isfinite(v) else math.nan for v in _floats(history.get(key, []))]
            if values:
                epochs = range(1, len(values) + 1)
                label = "validation loss" if key == "val_loss" else "training loss"
                axes.plot(epochs, values, marker="o", markersize=3, label=label)
        if not axes.lines:
            raise ValueError("the history holds no loss values")
        axes.set_xlabel("Epoch")
        axes.set_ylabel("Loss")
        axes.legend(fontsize=8)
        return _svg(figure, "Loss per epoch")


def histogram_svg(scores: Sequence[float], max_score: float, title: str) -> str:
    """How many students reached each score band of one assignment (or the total)."""
    top = max([max_score, *scores, 1.0])
    if float(top).is_integer() and top <= 20:
        edges = [edge - 0.5 for edge in range(int(top) + 2)]
    else:
        edges = [top * step / 10 for step in range(11)]
    from matplotlib.ticker import MaxNLocator

    with _rc():
        figure = _figure(4.2, 2.6)
        axes = figure.add_subplot()
        axes.hist(list(scores), bins=edges, color="#3b6ea8", edgecolor="white")
        axes.set_xlabel("Score")
        axes.set_ylabel("Students")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure, f"Score distribution: {title}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
