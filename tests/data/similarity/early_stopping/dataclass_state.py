import copy
from dataclasses import dataclass, field


@dataclass
class _State:
    best: float
    best_epoch: object = None
    stopped_epoch: object = None
    best_weights: object = None
    epoch: int = 0
    since_best: int = 0
    seen: list = field(default_factory=list)


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best=True):
        valid_patience = isinstance(patience, int) and not isinstance(patience, bool)
        if not valid_patience or patience < 0 or min_delta < 0 or mode not in ("min", "max"):
            raise ValueError("invalid EarlyStopping arguments")
        self._limit = patience or 1
        self._delta = min_delta
        self._maximise = mode == "max"
        self._keep = restore_best
        self._s = _State(best=-float("inf") if self._maximise else float("inf"))

    best = property(lambda self: self._s.best)
    best_epoch = property(lambda self: self._s.best_epoch)
    stopped_epoch = property(lambda self: self._s.stopped_epoch)
    best_weights = property(lambda self: self._s.best_weights)

    def _gain(self, value):
        return value - self._s.best if self._maximise else self._s.best - value

    def step(self, value, weights=None):
        s = self._s
        if s.stopped_epoch is not None:
            return True
        if s.best_epoch is None or self._gain(value) > self._delta:
            s.best, s.best_epoch, s.since_best = value, s.epoch, 0
            if self._keep:
                s.best_weights = copy.deepcopy(weights)
        else:
            s.since_best += 1
        s.seen.append(value)
        s.epoch += 1
        if s.since_best >= self._limit:
            s.stopped_epoch = s.epoch - 1
        return s.stopped_epoch is not None
