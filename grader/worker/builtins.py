"""Operations the trusted side may ask of the worker by name, besides the student's code.

They run in the worker, next to student code: seeding the student's random generators
before training, and loading a saved Keras model with Keras' safe mode.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import numpy as np


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and (when the student uses it) TensorFlow/Keras."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    os.environ["PYTHONHASHSEED"] = str(seed)
    try:
        import keras  # noqa: PLC0415 - heavy, imported only for the jet assignment
    except ImportError:
        return
    keras.utils.set_random_seed(seed)
    try:
        import tensorflow as tf  # noqa: PLC0415

        tf.config.experimental.enable_op_determinism()
    except (ImportError, AttributeError, RuntimeError):
        pass


def load_keras_model(path: str) -> Any:
    """A saved ``.keras`` model, loaded in safe mode (no arbitrary code from the file)."""
    import keras  # noqa: PLC0415

    if os.path.isabs(path) or ".." in path.split("/"):
        raise ValueError("the model must be a file of the submission folder")
    return keras.saving.load_model(path, safe_mode=True, compile=False)


BUILTINS: dict[str, Callable[..., Any]] = {
    "seed_everything": seed_everything,
    "load_keras_model": load_keras_model,
}
