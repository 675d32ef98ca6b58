"""Numbers and arrays in disguise are graded as the plain data they stand for.

A notebook whose loss ends in ``tf.reduce_mean`` returns a TensorFlow tensor; a ``Fraction``
is a number; an object with ``__array__`` is an array. The worker converts each before it
crosses, and the page says so; a value that cannot be converted is named by its real type.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grader.config import Limits
from grader.engine.assignment_run import AssignmentRun
from grader.engine.grading import _summary
from grader.engine.host import SharedChild, WorkerHost
from grader.engine.proxy import SubmissionProxy
from grader.engine.sandbox import choose_sandbox
from grader.testing import assert_close

CELLS = [
    "import numpy as np\nimport tensorflow as tf\nfrom fractions import Fraction",
    # The usual TensorFlow ending of a loss: a 0-d EagerTensor.
    "def cross_entropy(y_true, y_pred, eps=1e-12):\n"
    "    y_pred = tf.clip_by_value(tf.constant(y_pred, dtype=tf.float64), eps, 1.0)\n"
    "    picked = tf.gather(y_pred, y_true, axis=1, batch_dims=1)\n"
    "    return tf.reduce_mean(-tf.math.log(picked))",
    "def softmax(x, axis=-1):\n"
    "    return tf.nn.softmax(tf.constant(x, dtype=tf.float64), axis=axis)",
    "def third():\n    return Fraction(1, 3)",
    "class Scores:\n"
    "    def __array__(self, dtype=None, copy=None):\n"
    "        return np.array([0.25, 0.75])\n"
    "def scores():\n    return Scores()",
    "class Opaque:\n"
    "    def __array__(self, dtype=None, copy=None):\n"
    "        raise RuntimeError('no numbers here')\n"
    "def opaque():\n    return Opaque()",
    "def plain():\n    return np.array([1.0, 2.0]), 3.5",
]
NAMES = ["cross_entropy", "softmax", "third", "scores", "opaque", "plain"]


@pytest.fixture(scope="module")
def tensors() -> Iterator[tuple[SubmissionProxy, AssignmentRun]]:
    host = WorkerHost(choose_sandbox("none"), preload=("numpy",))
    host.start()
    files = {"loss.ipynb": nbformat.writes(
        new_notebook(cells=[new_code_cell(c) for c in CELLS])).encode()}
    # TensorFlow needs more than the default resident memory to import.
    limits = Limits(call_timeout=60, total_timeout=180, cell_timeout=120, memory_mb=0)
    shared = SharedChild(host, files, limits)
    run = AssignmentRun(shared, "loss", files, NAMES, limits)
    try:
        yield SubmissionProxy(run), run
    finally:
        run.close()
        shared.close()
        host.close()


def test_a_tensorflow_loss_is_graded_as_its_number_with_a_note(tensors) -> None:
    proxy, run = tensors
    y_pred = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    got = proxy.cross_entropy(np.array([0, 1]), y_pred)
    assert isinstance(got, float)  # a float64 scalar crosses as a Python float
    assert float(got) == pytest.approx(-np.mean(np.log([0.7, 0.8])))
    probabilities = proxy.softmax(np.array([[1.0, 2.0, 3.0]]))
    assert type(probabilities) is np.ndarray and probabilities.shape == (1, 3)
    assert_close(probabilities.sum(axis=-1), [1.0])
    notes = _summary(run, tuple(NAMES))
    assert "cross_entropy returned a tensorflow EagerTensor; graded as its numpy value" in notes
    assert "softmax returned a tensorflow EagerTensor; graded as its numpy value" in notes


def test_a_fraction_and_an_array_like_object_are_plain_data(tensors) -> None:
    proxy, run = tensors
    got = proxy.third()
    assert type(got) is float and got == float(Fraction(1, 3))
    scores = proxy.scores()
    assert type(scores) is np.ndarray and scores.tolist() == [0.25, 0.75]
    notes = _summary(run, tuple(NAMES))
    assert "third returned a fractions Fraction; graded as its float value" in notes
    assert "scores returned a Scores; graded as its numpy value" in notes


def test_plain_values_cross_as_they_are_without_a_note(tensors) -> None:
    proxy, run = tensors
    before = dict(run.notes)
    array, number = proxy.plain()
    assert array.tolist() == [1.0, 2.0] and number == 3.5
    assert run.notes == before


def test_a_value_that_cannot_be_converted_is_named_by_its_real_type(tensors) -> None:
    proxy, _ = tensors
    value = proxy.opaque()
    with pytest.raises(TypeError, match=r"opaque returned a Opaque, which is not a number or "
                                        r"an array.*a numpy array or a Python number"):
        float(value)
    with pytest.raises(AssertionError, match="got a value of type Opaque"):
        assert_close(value, [1.0])
