"""Correct alternative: keep the whole history of values and derive everything from it."""

import copy
import numbers

import numpy as np


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        if mode != "min" and mode != "max":
            raise ValueError(f"unknown mode {mode!r}")
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral):
            raise ValueError("patience must be an int")
        if patience < 0:
            raise ValueError("patience must be >= 0")
        if not min_delta >= 0:
            raise ValueError("min_delta must be >= 0")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.restore_best = restore_best
        self.history = []
        self.improved = []
        self.best = np.inf if mode == "min" else -np.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None

    def _better(self, value):
        gain = (self.best - value) if self.mode == "min" else (value - self.best)
        return bool(gain > self.min_delta)

    def step(self, value, weights=None):
        if self.stopped_epoch is not None:
            return True
        value = float(value)
        better = self._better(value) if not np.isnan(value) else False
        self.history.append(value)
        self.improved.append(better)
        if better:
            self.best = value
            self.best_epoch = len(self.history) - 1
            if self.restore_best:
                self.best_weights = copy.deepcopy(weights)
        tail = self.improved[::-1]
        run = tail.index(True) if True in tail else len(tail)
        if run >= max(self.patience, 1):
            self.stopped_epoch = len(self.history) - 1
            return True
        return False
