"""What a student's own loss curves say about a model short of full credit.

The grader sees the ``History`` that ``train`` returned; the shape of the validation loss
tells the student what to change next, which the score alone does not:

- still falling at the last epoch: the model stopped too early, train for more epochs;
- rising for the last epochs while the training loss kept falling: overfitting;
- flat from the first epoch on: the model is not learning (learning rate, scaling);
- levelled off: more epochs will not help, the model itself has to change.

The training loss stands in when the history has no ``val_loss``.
"""

from __future__ import annotations

import math
from typing import Any

FALLING = 0.002
"""Relative drop of the monitored loss over the last epoch that counts as still falling."""
RISING = 0.02
"""Relative rise above the best epoch that counts as diverging."""
FLAT = 0.01
"""Relative change from the first to the best epoch below which the curve is flat."""


def _losses(history: Any, key: str) -> list[float]:
    values = history.get(key) if isinstance(history, dict) else None
    if not isinstance(values, list):
        return []
    out: list[float] = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return []
        if not math.isfinite(number):
            return out
        out.append(number)
    return out


def curve_advice(history: Any) -> str:
    """One or two sentences on the loss curves in ``history`` (``{"loss": [...], ...}``).

    Empty when there is no usable curve: ``train`` returned nothing, or a saved model.
    """
    watched = "validation loss"
    losses = _losses(history, "val_loss")
    if not losses:
        watched, losses = "training loss", _losses(history, "loss")
    if not losses:
        return ""
    n = len(losses)
    if n == 1:
        return (f"Your model trained for a single epoch ({watched} {losses[0]:.4f}): "
                "train for several epochs and watch the validation loss.")
    best = min(range(n), key=losses.__getitem__)
    first, last, low = losses[0], losses[-1], losses[best]
    train = _losses(history, "loss")
    if (watched == "validation loss" and best <= n - 3 and last > low * (1 + RISING)
            and len(train) == n and train[-1] < train[best]):
        return (f"Your validation loss was lowest at epoch {best + 1} ({low:.4f}) and rose to "
                f"{last:.4f} by epoch {n} while the training loss kept falling: the network "
                "is overfitting. Stop early on the validation loss (EarlyStopping with "
                "restore_best_weights=True), or use a smaller network or dropout.")
    if abs(first - low) <= FLAT * abs(first):
        return (f"Your {watched} barely moved ({first:.4f} at epoch 1, {last:.4f} at epoch "
                f"{n}): the network is not learning. Check the learning rate, and scale the "
                "features inside the model (a Normalization layer adapted to X_train).")
    if best == n - 1 and losses[-2] - last > FALLING * abs(losses[-2]):
        return (f"Your {watched} was still falling at the last epoch ({losses[-2]:.4f} -> "
                f"{last:.4f} at epoch {n} of {n}): train for more epochs, with early "
                "stopping on the validation loss to end at the right one.")
    return (f"Your {watched} levelled off at about {low:.4f}: more epochs will not help "
            "much; scale the features inside the model, or change the network or the "
            "optimizer.")
