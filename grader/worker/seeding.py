"""Seeding the global random generators before a student's file runs.

Code that draws from ``random`` or numpy's legacy global generator without a seed (a shuffle
in ``kfold_indices(shuffle=True)`` when ``seed`` is None, weights initialised with
``np.random.randn``) would otherwise meet other numbers on every regrade, and could get
another score for the same files. Seeding from the file's own bytes makes a regrade of the
same submission draw the same numbers, while different submissions draw differently.
The hidden cases have their own generators, seeded on the trusted side from the course
secret; this only pins down the student's.
"""

from __future__ import annotations

import hashlib
import random


def seed_generators(path: str) -> int:
    """Seed ``random`` and ``numpy.random`` (legacy global) from the bytes of ``path``.

    Returns the seed. A file that cannot be read seeds from its name; loading it then
    fails with the real error.
    """
    try:
        with open(path, "rb") as stream:
            content = stream.read()
    except OSError:
        content = path.encode("utf-8", "surrogatepass")
    seed = int.from_bytes(hashlib.sha256(content).digest()[:4], "big")
    random.seed(seed)
    try:
        import numpy  # noqa: PLC0415 - already imported by the zygote; optional in principle
    except ImportError:
        return seed
    numpy.random.seed(seed)
    return seed
