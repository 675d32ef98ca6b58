"""Early stopping that stops when the counter exceeds patience (> instead of >=).

It waits one epoch too long: patience=2 stops after 3 epochs without improvement.
"""

import copy
import math
import numbers
from typing import Any


EXPECTED_FAILURES = [
    "test_plateau_stops_after_patience[patience1]",
    "test_plateau_stops_after_patience[patience2]",
    "test_plateau_stops_after_patience[patience5]",
    "test_min_delta",
    "test_mode_max",
    "test_after_stop",
]


class EarlyStopping:
    """Stop once the monitored value has not improved by more than ``min_delta`` for
    ``patience`` epochs in a row, remembering the best value, its epoch and its weights.

    Epochs are counted by the calls to :meth:`step`, from 0. After the stop the object is
    frozen: ``step`` keeps returning True and changes nothing.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best: bool = True,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f'mode must be "min" or "max", got {mode!r}')
        if not isinstance(patience, numbers.Integral) or patience < 0:
            raise ValueError(f"patience must be a non-negative integer, got {patience!r}")
        if min_delta < 0:
            raise ValueError(f"min_delta must be non-negative, got {min_delta!r}")
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.mode = mode
        self.restore_best = restore_best

        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.best_weights: Any = None
        self._epoch = -1  # index of the last epoch seen
        self._wait = 0  # epochs in a row without improvement

    def _improves(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def step(self, value: float, weights: Any = None) -> bool:
        """Record one epoch's ``value`` (and ``weights``); return True when training must stop."""
        if self.stopped_epoch is not None:
            return True
        self._epoch += 1
        value = float(value)
        if self._improves(value):  # False for nan: every comparison with nan is False
            self.best = value
            self.best_epoch = self._epoch
            self._wait = 0
            if self.restore_best:
                self.best_weights = copy.deepcopy(weights)
            return False
        self._wait += 1
        if self._wait > self.patience:
            self.stopped_epoch = self._epoch
            return True
        return False
