"""Operations the trusted side may ask of the worker by name, besides the student's code.

They run in the sandboxed worker, next to student code, so this module imports nothing from
the rest of ``grader``: the standard library, numpy, and TensorFlow/Keras only, and those
lazily, so a worker without TensorFlow can still import it (and say so when asked).
The hidden jet suite uses them to seed the student's training and to load a saved model;
the Titanic suite to hand the student a data frame and read back its features (``tables``).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from .saved_model import check_keras_archive
from .tables import float_matrix, table_frame
from .trap import TRAP


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and, when TensorFlow is installed, Keras and TensorFlow.

    Also asks TensorFlow for deterministic kernels, so that a regrade of the same
    submission trains the same weights on the same machine.
    """
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        import tensorflow as tf
    except ImportError:
        return
    import keras

    keras.utils.set_random_seed(seed)
    try:
        tf.config.experimental.enable_op_determinism()
    except (AttributeError, RuntimeError):
        pass


def load_keras_model(path: str) -> Any:
    """Load a submitted ``.keras`` file without running any code it carries.

    ``safe_mode=True`` refuses Lambda layers that would unpickle Python code;
    ``compile=False`` because grading only calls ``predict``. The archive is judged first
    (``saved_model.check_keras_archive``), so a config declaring huge layers is refused
    before Keras allocates them.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no saved model at {path}")
    check_keras_archive(path)
    try:
        import keras
    except ImportError as exc:
        raise ImportError(
            "loading a saved Keras model needs TensorFlow: pip install 'grader[jet]'"
        ) from exc
    return keras.saving.load_model(path, safe_mode=True, compile=False)


def forbidden_calls() -> list[dict[str, Any]]:
    """The forbidden callables the student's code called in this child (``worker.trap``)."""
    return TRAP.report()


def assign_in_place(target: Any, value: Any) -> None:
    """Write ``value`` into ``target`` without replacing it, as training updates weights.

    ``target`` is an object the test handed over (``protocol.HOLD``): an array, or a list or
    dict of arrays of the same structure as ``value``. Whoever kept a reference to it, not a
    copy, sees the new numbers.
    """
    if isinstance(target, np.ndarray):
        target[...] = np.asarray(value, dtype=target.dtype)
    elif isinstance(target, dict) and isinstance(value, dict) and target.keys() == value.keys():
        for key in target:
            assign_in_place(target[key], value[key])
    elif isinstance(target, list) and isinstance(value, list) and len(target) == len(value):
        for item, new in zip(target, value):
            assign_in_place(item, new)
    else:
        raise TypeError("assign_in_place needs an array, or a list or dict of arrays, shaped "
                        "like the value")


BUILTINS: dict[str, Callable[..., Any]] = {
    "seed_everything": seed_everything,
    "load_keras_model": load_keras_model,
    "forbidden_calls": forbidden_calls,
    "assign_in_place": assign_in_place,
    "table_frame": table_frame,
    "float_matrix": float_matrix,
}
