import copy
import math


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        if mode == "min":
            self._better = lambda new, old: new < old - min_delta
            self.best = math.inf
        elif mode == "max":
            self._better = lambda new, old: new > old + min_delta
            self.best = -math.inf
        else:
            raise ValueError(f"unknown mode {mode!r}")
        if type(patience) is not int or patience < 0:
            raise ValueError("patience must be an int >= 0")
        if min_delta < 0:
            raise ValueError("min_delta must not be negative")
        self.patience = max(patience, 1)
        self.restore_best = restore_best
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None
        self._epochs = 0
        self._bad = 0

    def step(self, value, weights=None):
        if self.stopped_epoch is not None:
            return True
        epoch = self._epochs
        self._epochs += 1
        if self.best_epoch is None or self._better(value, self.best):
            self.best, self.best_epoch, self._bad = value, epoch, 0
            if self.restore_best:
                self.best_weights = copy.deepcopy(weights)
            return False
        self._bad += 1
        if self._bad >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False
