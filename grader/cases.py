"""Edge-case families for hidden suites, drawn from the test's ``rng``.

A literal edge case (``[-1000, -1000]``, ``-inf`` in the second column, a loss flat from
epoch 3) is the same for every student, so inputs printed once become a lookup table. A
family is the same edge case at a place and scale drawn per submission: rows at a random
offset around +/-1000, ``-inf`` at random positions, plateaus of random length and place.
Each helper guarantees the property its case tests whatever the draw (a row far enough
from zero overflows ``exp``, a pause shorter than the patience never stops the stopper),
and says so in its docstring; ``grade validate`` checks the suites under several secrets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# exp overflows float64 above 709.78 and underflows to 0 below -745.1: entries of a row
# centred at +/-1000 +/- 100 with spread at most 3 * 4 = 12 stay beyond both.
FAR = 1000.0
FAR_JITTER = 100.0
ROW_SCALE = 3.0


def far_rows(rng: np.random.Generator, n_cols: int, centres: tuple[float, ...],
             *, extra_rows: int = 0) -> np.ndarray:
    """Rows of small normal entries, each shifted as a whole to one of ``centres``.

    Every centre gets at least one row (``extra_rows`` more go to centres drawn at random),
    each shift is jittered by up to +/-10 %, entries spread by ``ROW_SCALE`` (clipped to
    four of it) around the row's shift, and the rows come in random order. A centre of
    +/-1000 keeps every entry of its row beyond exp's overflow / underflow threshold, so
    the naive formula gives nan in that whole row, while softmax, which ignores a shift of
    a slice, is the softmax of the small entries.
    """
    picks = list(range(len(centres))) + list(rng.integers(0, len(centres), extra_rows))
    rows = []
    for pick in picks:
        centre = centres[pick]
        shift = centre + rng.uniform(-0.1, 0.1) * abs(centre)
        spread = np.clip(rng.normal(scale=ROW_SCALE, size=n_cols), -4 * ROW_SCALE,
                         4 * ROW_SCALE)
        rows.append(shift + spread)
    return np.asarray(rows)[rng.permutation(len(rows))]


def neg_inf_at_random(rng: np.random.Generator, x: np.ndarray, *, fraction: float = 0.4,
                      all_masked_rows: int = 0) -> np.ndarray:
    """A copy of the 2-D ``x`` with ``-inf`` at random positions.

    Every row keeps at least one finite entry and every row but one-entry rows gets at
    least one ``-inf``, unless it is one of the ``all_masked_rows`` rows (drawn at random)
    that are ``-inf`` everywhere.
    """
    out = np.array(x, dtype=float)
    n_rows, n_cols = out.shape
    masked = set(rng.choice(n_rows, size=all_masked_rows, replace=False).tolist())
    for row in range(n_rows):
        if row in masked:
            out[row] = -np.inf
            continue
        keep = int(rng.integers(0, n_cols))
        hits: np.ndarray = np.asarray(rng.random(n_cols) < fraction)
        if n_cols > 1 and not hits[np.arange(n_cols) != keep].any():
            hits[rng.choice([c for c in range(n_cols) if c != keep])] = True
        hits[keep] = False
        out[row, hits] = -np.inf
    return out


# -- early stopping -----------------------------------------------------------------------
# Curves are multiples of 1/64 below 64 in size: every comparison with best - min_delta
# (min_delta a multiple of 1/64 too) is exact in floating point, so a tie is a tie.
STEP = 1.0 / 64.0


@dataclass
class Curve:
    """A monitored curve and what a correct stopper does with it.

    ``stop`` is the first epoch whose ``step`` returns True (None: never), ``best_epoch``
    the epoch of the last improvement before it, ``best`` its value. Values after ``stop``
    (the curve always goes on past it, so the stop is never the last value a stopper is
    given) change nothing.
    """

    values: list[float]
    stop: int | None
    best_epoch: int
    best: float
    pauses: list[tuple[int, int]] = field(default_factory=list)
    """(first epoch, length) of each run of epochs without improvement before the stop."""


def stopping_curve(rng: np.random.Generator, *, patience: int, min_delta: float = 0.0,
                   mode: str = "min", pauses: int = 0, flat: bool = False,
                   long_pauses: bool = False, stops: bool = True) -> Curve:
    """A curve that improves, pauses ``pauses`` times for fewer than ``patience`` epochs,
    then (``stops``) stays without improvement for ``max(patience, 1)`` epochs.

    Improvements beat the best by more than ``min_delta`` (by 1/8 to 1/2 more); an epoch
    without improvement is, at random, a tie with the best (``flat``: always), a step of
    exactly ``min_delta`` in the right direction, or a step in the wrong direction. With
    ``long_pauses`` every pause lasts at least half the patience, so that any two pauses
    together reach it: a counter that is not reset at an improvement stops early. Where
    ``min_delta > 0`` the final run holds at least one step of exactly ``min_delta``, which
    is no improvement. The curve goes on for 3 to 5 epochs after the stop, and the first of
    those is a large improvement (it must be ignored).
    """
    sign = -1.0 if mode == "min" else 1.0
    patience_eff = max(patience, 1)
    start = 8.0 + STEP * int(rng.integers(0, 128))
    values: list[float] = []
    best = start
    best_epoch = 0
    values.append(start)

    def improve(count: int) -> None:
        nonlocal best, best_epoch
        for _ in range(count):
            gain = min_delta + STEP * 8 * int(rng.integers(1, 5))
            best = best + sign * gain
            best_epoch = len(values)
            values.append(best)

    def hold(length: int, *, need_delta: bool) -> None:
        kinds = []
        for _ in range(length):
            kind = "tie" if flat else str(rng.choice(["tie", "delta", "worse"]))
            if kind == "delta" and min_delta == 0:
                kind = "tie"
            kinds.append(kind)
        if need_delta and min_delta > 0 and not flat and "delta" not in kinds:
            kinds[int(rng.integers(0, length))] = "delta"
        for kind in kinds:
            if kind == "tie":
                values.append(best)
            elif kind == "delta":
                values.append(best + sign * min_delta)
            else:
                values.append(best - sign * STEP * int(rng.integers(1, 17)))

    improve(int(rng.integers(1, 4)))
    held: list[tuple[int, int]] = []
    for _ in range(pauses):
        if patience_eff < 2:
            break
        low = max(1, math.ceil(patience_eff / 2)) if long_pauses else 1
        length = int(rng.integers(low, patience_eff))
        held.append((len(values), length))
        hold(length, need_delta=False)
        improve(int(rng.integers(1, 3)))
    if not stops:
        improve(int(rng.integers(2, 5)))
        return Curve(values, None, best_epoch, best, held)
    hold(patience_eff, need_delta=True)
    stop = len(values) - 1
    stop_best, stop_best_epoch = best, best_epoch
    improve(1)
    hold(int(rng.integers(2, 5)), need_delta=False)
    return Curve(values, stop, stop_best_epoch, stop_best, held)
