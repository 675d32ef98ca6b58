from copy import deepcopy

import numpy as np


class EarlyStopping:
    """Keeps the whole history and looks back at it each epoch."""

    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        if mode not in {"min", "max"}:
            raise ValueError("mode")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError("patience")
        if min_delta < 0:
            raise ValueError("min_delta")
        self.sign = 1.0 if mode == "min" else -1.0
        self.patience, self.min_delta, self.restore_best = patience, min_delta, restore_best
        self.history = []
        self.best = np.inf * self.sign
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None

    def step(self, value, weights=None):
        if self.stopped_epoch is not None:
            return True
        self.history.append(value)
        now = len(self.history) - 1
        if self.best_epoch is None or self.sign * (self.best - value) > self.min_delta:
            self.best = value
            self.best_epoch = now
            self.best_weights = deepcopy(weights) if self.restore_best else None
        if now - self.best_epoch >= max(1, self.patience):
            self.stopped_epoch = now
        return self.stopped_epoch is not None
