"""What the package remembers between calls: the run in progress and the latest run's cells.

The soft-failure stubs (``shims``) leave their notes on the run in progress; warnings and
tracebacks raised after the run, while the worker calls the notebook's functions, still say
"Cell N, line L" through the latest run's cells. One accessor, ``current()``, holds both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run
    from .tracebacks import Places


@dataclass
class State:
    run: Run | None = None
    """The run in progress (None between runs)."""
    places: Places | None = None
    """The cells of the latest run, for the notebook's code called after it."""


_STATE = State()


def current() -> State:
    """The one state of this process (one run at a time: not thread-safe)."""
    return _STATE
