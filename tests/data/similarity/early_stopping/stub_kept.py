"""Assignment: early stopping (see README.md for the full task)."""

import copy
from typing import Any


class EarlyStopping:
    """Stop training once the monitored value has not improved for ``patience`` epochs.

    Parameters
    ----------
    patience : int, default 5
        Epochs in a row without improvement that are tolerated (0 behaves like 1).
    min_delta : float, default 0.0
        An improvement must beat ``best`` by more than this.
    mode : {"min", "max"}, default "min"
        Whether smaller ("min") or larger ("max") values are better.
    restore_best : bool, default True
        Keep a deep copy of the weights passed at the best epoch in ``best_weights``.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best: bool = True,
    ) -> None:
        if mode != "min" and mode != "max":
            raise ValueError("mode has to be min or max")
        if not isinstance(patience, int) or isinstance(patience, bool) or patience < 0:
            raise ValueError("bad patience")
        if min_delta < 0:
            raise ValueError("bad min_delta")
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.restore_best = restore_best
        self.best = float("inf") if mode == "min" else float("-inf")
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None
        self.count = 0
        self.current = -1

    def step(self, value: float, weights: Any = None) -> bool:
        """Record one epoch's monitored ``value``; return True when training should stop.

        Once stopped, every further call returns True and changes nothing.
        """
        if self.stopped_epoch is not None:
            return True
        self.current = self.current + 1
        if self.mode == "min":
            improved = value < self.best - self.min_delta
        else:
            improved = value > self.best + self.min_delta
        if improved or self.best_epoch is None:
            self.best = value
            self.best_epoch = self.current
            self.count = 0
            if self.restore_best:
                self.best_weights = copy.deepcopy(weights)
        else:
            self.count = self.count + 1
            if self.count >= max(self.patience, 1):
                self.stopped_epoch = self.current
                return True
        return False
