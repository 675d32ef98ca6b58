"""Correct alternative: no explicit counter; the epochs since the last improvement are the
difference between the current epoch and best_epoch, and the comparison is folded into a sign.
"""

import copy
import math
import operator


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        signs = {"min": 1.0, "max": -1.0}
        if mode not in signs:
            raise ValueError("mode must be 'min' or 'max'")
        try:
            self.patience = operator.index(patience)
        except TypeError:
            raise ValueError("patience must be an integer") from None
        if self.patience < 0 or min_delta < 0:
            raise ValueError("patience and min_delta must be non-negative")
        # In sign-folded space smaller is always better: score = sign * value.
        self._sign = signs[mode]
        self._min_delta = min_delta
        self._restore = restore_best
        self._epochs_seen = 0
        self.best = self._sign * math.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None

    def step(self, value, weights=None):
        if self.stopped_epoch is not None:
            return True
        epoch = self._epochs_seen
        self._epochs_seen += 1
        score, best_score = self._sign * float(value), self._sign * self.best
        if best_score - score > self._min_delta:
            self.best, self.best_epoch = float(value), epoch
            if self._restore:
                self.best_weights = copy.deepcopy(weights)
            return False
        last_good = -1 if self.best_epoch is None else self.best_epoch
        if epoch - last_good >= max(self.patience, 1):
            self.stopped_epoch = epoch
        return self.stopped_epoch is not None
