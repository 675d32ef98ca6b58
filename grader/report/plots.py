"""Plots for the reports, returned as inline SVG text.

Pages must be self-contained, so every figure is SVG markup placed in the page: no image
files, no fonts to fetch, no XML prolog or DOCTYPE pointing at a web address. The plots of
a student's evidence are drawn with matplotlib (text as paths); it is imported inside the
functions, on the Agg backend and without pyplot, so importing the report package stays
cheap and no figure outlives its page.

The score histograms of the class summary are written as SVG directly. They are a few
rectangles and numbers, and matplotlib spent most of ~0.1-0.3 s per histogram laying out
and outlining tick labels, on the coordinator's CPU while workers still grade. The counting
and the ticks are still the libraries': ``numpy.histogram`` and
``matplotlib.ticker.MaxNLocator``. The bars' own class (``hist-bar``) is styled by no page
rule: the page's CSS sizes boxes, and a rule meant for an HTML bar once turned every SVG
rectangle into a strip (SVG 2 lets CSS ``width``/``height`` override the attributes).
Their text uses the page's sans-serif font.
"""

from __future__ import annotations

import html
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


def histogram_edges(scores: Sequence[float], max_score: float) -> list[float]:
    """Bin edges: one bin per point up to 20 points, else ten equal bands up to the top."""
    top = max([max_score, *scores, 1.0])
    if float(top).is_integer() and top <= 20:
        return [edge - 0.5 for edge in range(int(top) + 2)]
    return [top * step / 10 for step in range(11)]


def histogram_counts(scores: Sequence[float], edges: Sequence[float]) -> list[int]:
    """How many ``scores`` fall in each bin: ``numpy.histogram``'s count.

    Bins are half open, ``[low, high)``, except the last, which holds its top edge too;
    scores outside the edges (and NaN) are not counted.
    """
    import numpy as np  # noqa: PLC0415 - the report package stays cheap to import

    values = np.asarray([float(score) for score in scores], dtype=float)
    counts, _ = np.histogram(values[np.isfinite(values)], bins=np.asarray(edges, dtype=float))
    return [int(count) for count in counts]


# Layout of a histogram in SVG user units (about CSS pixels at the page's usual width).
_H_WIDTH, _H_HEIGHT = 420.0, 260.0
_H_TOP, _H_RIGHT, _H_BOTTOM = 12.0, 14.0, 42.0
_H_FONT = 12.0
_H_BAR = "#3b6ea8"
_H_GRID = 'stroke="#b0b0b0" stroke-opacity="0.3" stroke-width="0.8"'


def _ticks(low: float, high: float, most: int, *, whole: bool = False) -> list[float]:
    """At most ``most`` + 1 round tick values in [low, high], as matplotlib would place them."""
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    locator = MaxNLocator(nbins=most, integer=whole, steps=[1, 2, 2.5, 5, 10])
    span = max(high - low, 1e-12)
    return [
        round(float(tick), 10)
        for tick in locator.tick_values(low, high)
        if low - 1e-9 * span <= tick <= high + 1e-9 * span
    ]


def _num(value: float) -> str:
    """A tick label: ``3``, ``2.5``, ``0.125``; never an exponent."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def histogram_svg(scores: Sequence[float], max_score: float, title: str) -> str:
    """How many students reached each score band of one assignment (or the total).

    A bar per bin of :func:`histogram_edges` as high as the number of students in it,
    score on the x axis, students on the y axis with whole-number ticks; each bar's
    ``<title>`` says its range and count.
    """
    values = [float(score) for score in scores]
    edges = histogram_edges([v for v in values if math.isfinite(v)], max_score)
    counts = histogram_counts(values, edges)
    whole_bins = edges[0] == -0.5

    y_ticks = _ticks(0.0, max(max(counts) * 1.05, 1.0), 6, whole=True)
    y_top = max(y_ticks[-1], max(counts) * 1.05, 1.0)
    x_ticks = (
        _ticks(0.0, edges[-1] - 0.5, 10, whole=True)
        if whole_bins
        else _ticks(edges[0], edges[-1], 6)
    )
    pad = 0.03 * (edges[-1] - edges[0])  # bars keep clear of the frame, as matplotlib drew them
    x_low, x_high = edges[0] - pad, edges[-1] + pad

    y_labels = [_num(tick) for tick in y_ticks]
    left = 30.0 + 0.62 * _H_FONT * max(len(label) for label in y_labels)
    right, top, bottom = _H_WIDTH - _H_RIGHT, _H_TOP, _H_HEIGHT - _H_BOTTOM
    x_scale = (right - left) / (x_high - x_low)
    y_scale = (bottom - top) / y_top

    def x_at(value: float) -> float:
        return left + (value - x_low) * x_scale

    def y_at(value: float) -> float:
        return bottom - value * y_scale

    label = html.escape(f"Score distribution: {title}", quote=True)
    parts = [
        f'<svg viewBox="0 0 {_H_WIDTH:g} {_H_HEIGHT:g}" class="plot" role="img" '
        f'aria-label="{label}" font-family="sans-serif" font-size="{_H_FONT:g}">',
        f'<rect width="{_H_WIDTH:g}" height="{_H_HEIGHT:g}" fill="#fff"/>',
        f"<g {_H_GRID}>",
    ]
    parts += [
        f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y_at(t):.1f}" y2="{y_at(t):.1f}"/>'
        for t in y_ticks
    ]
    parts += [
        f'<line x1="{x_at(t):.1f}" x2="{x_at(t):.1f}" y1="{top:.1f}" y2="{bottom:.1f}"/>'
        for t in x_ticks
    ]
    parts.append(f'</g><g fill="{_H_BAR}" stroke="#fff" stroke-width="1">')
    for index, count in enumerate(counts):
        if not count:
            continue
        low, high = edges[index], edges[index + 1]
        where = _num(low + 0.5) if whole_bins else f"{_num(low)} to {_num(high)}"
        students = "student" if count == 1 else "students"
        parts.append(
            f'<rect class="hist-bar" x="{x_at(low):.1f}" y="{y_at(count):.1f}" '
            f'width="{(high - low) * x_scale:.1f}" height="{count * y_scale:.1f}">'
            f"<title>{where}: {count} {students}</title></rect>"
        )
    parts.append(
        f'</g><rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
        f'height="{bottom - top:.1f}" fill="none" stroke="#000" stroke-width="0.8"/>'
        '<g stroke="#000" stroke-width="0.8">'
    )
    parts += [
        f'<line x1="{x_at(t):.1f}" x2="{x_at(t):.1f}" y1="{bottom:.1f}" y2="{bottom + 4:.1f}"/>'
        for t in x_ticks
    ]
    parts += [
        f'<line x1="{left - 4:.1f}" x2="{left:.1f}" y1="{y_at(t):.1f}" y2="{y_at(t):.1f}"/>'
        for t in y_ticks
    ]
    parts.append('</g><g text-anchor="middle">')
    parts += [
        f'<text x="{x_at(t):.1f}" y="{bottom + 8 + _H_FONT:.1f}">{_num(t)}</text>' for t in x_ticks
    ]
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{_H_HEIGHT - 6:.1f}">Score</text>'
        f'<text transform="translate({_H_FONT + 2:.1f} {(top + bottom) / 2:.1f}) rotate(-90)">'
        'Students</text></g><g text-anchor="end">'
    )
    parts += [
        f'<text x="{left - 7:.1f}" y="{y_at(t) + 0.35 * _H_FONT:.1f}">{text}</text>'
        for t, text in zip(y_ticks, y_labels, strict=True)
    ]
    parts.append("</g></svg>")
    return "".join(parts)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
