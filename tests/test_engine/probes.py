"""What the engine tests grade: the probe course and a correct student of it."""

from __future__ import annotations

from pathlib import Path

TEST_COURSE = Path(__file__).resolve().parents[1] / "data" / "course"
"""A course of one small assignment, ``probe`` (``softmax`` and ``apply(score, values)``)."""

HONEST = (
    "import numpy as np\n"
    "def softmax(x, axis=-1):\n"
    "    z = np.asarray(x, dtype=float)\n"
    "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
    "    return e / e.sum(axis=axis, keepdims=True)\n"
    "def apply(score, values):\n"
    "    return score(values)\n"
)
"""A probe submission that earns full marks."""
