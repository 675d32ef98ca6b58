"""Early stopping that stores the caller's weights object itself instead of a copy.

With fresh weights each epoch (Keras's get_weights) it is right; with one weights object that
training updates in place (a state dict), best_weights follows every update. The README says
"Do not keep a reference to the caller's weights".
"""

import copy
import math
import numbers
from typing import Any

EXPECTED_FAILURES = ["test_best_weights_not_a_reference"]


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
                self.best_weights = weights  # a reference: in-place updates reach it
            return False
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = self._epoch
            return True
        return False
