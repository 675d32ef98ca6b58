import copy

import numpy as np


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        if mode not in ("min", "max"):
            raise ValueError("mode must be 'min' or 'max'")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError("patience must be a non-negative integer")
        if min_delta < 0:
            raise ValueError("min_delta must be non-negative")
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best = restore_best
        self.best = np.inf if mode == "min" else -np.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None
        self.epoch = -1
        self.wait = 0

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def step(self, value, weights=None):
        self.epoch += 1
        if self.stopped_epoch is not None:
            return True
        if self._improved(value):
            self.best = value
            self.best_epoch = self.epoch
            self.wait = 0
            if self.restore_best and weights is not None:
                self.best_weights = copy.deepcopy(weights)
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = self.epoch
            return True
        return False
