# %% [markdown]
# # Assignment: early stopping
#
# Training longer lowers the training loss, but after some point the validation loss stops
# falling and starts to rise: the model begins to overfit. Early stopping watches a monitored
# value (usually the validation loss) after every epoch, remembers the best value so far and the
# weights that produced it, and ends training once the value has not improved by more than
# `min_delta` for `patience` epochs in a row. The training loop then puts the best weights back
# into the model. This is what `keras.callbacks.EarlyStopping(monitor="val_loss", patience=...,
# min_delta=..., restore_best_weights=True)` does; here you write the bookkeeping yourself,
# without Keras.
#
# The full task, with every input, edge case and error, is in `README.md`: it is the contract your code is graded against.

# %%
"""Assignment: early stopping (see README.md for the full task)."""

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

    Attributes
    ----------
    best : float
        Best value so far; ``inf`` ("min") or ``-inf`` ("max") before the first step.
    best_epoch : int or None
        Epoch (0-based count of ``step`` calls) of ``best``; ``None`` before the first step.
    stopped_epoch : int or None
        Epoch whose ``step`` first returned True; ``None`` until then.
    best_weights : object or None
        Deep copy of the weights passed at ``best_epoch`` (if ``restore_best``), else ``None``.

    Raises
    ------
    ValueError
        For a mode other than "min"/"max", a negative or non-integer patience, or a negative
        min_delta.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best: bool = True,
    ) -> None:
        raise NotImplementedError("EarlyStopping is not written yet")

    def step(self, value: float, weights: Any = None) -> bool:
        """Record one epoch's monitored ``value``; return True when training should stop.

        Once stopped, every further call returns True and changes nothing.
        """
        raise NotImplementedError("EarlyStopping.step is not written yet")

# %% [markdown]
# Write your solution in the cell above, replacing each `raise NotImplementedError`. Keep the names and signatures. The notebook is run from top to bottom when it is graded, so do not leave cells that fail or wait for input.
#
# Self-check before you submit: `grade check early_stopping early_stopping.ipynb`
