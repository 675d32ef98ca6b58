"""The files ``grade new`` writes, ``$name`` standing for the new assignment's name.

The example task (the mean of each row of a 2-D array) is small on purpose: it is there to
be replaced, and it shows each part a suite needs: a README contract, a percent-format stub,
public checks, hidden tests drawing their cases from ``rng``, a must-raise test that pays
only beside working, a mutant naming the tests it must fail and a correct alternative.
"""

from __future__ import annotations

README = '''# Assignment: $name

Replace this text with the task. Our READMEs state the contract precisely: every input, its
shape and dtype, every edge case, what is returned and what raises. Once released, it is
part of what students are graded against.

## What to write

`$name(x)` in `$name.py` (or in a notebook that defines it).

### Inputs

- `x`: a 2-D array-like of numbers, shape `(n, m)` with `m >= 1`.

### What is returned

A 1-D `float64` array of shape `(n,)`: entry `i` is the mean of row `i`.

```python
>>> $name([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])
array([2., 4.])
```

### What raises `ValueError`

- `x` is not 2-D, or its rows are empty (`m == 0`).

## Rules

- numpy is allowed; keep the name and the signature.

## How it is graded (10 points)

| test | points | what it checks |
|---|---|---|
| `test_known_values` | 2 | the example above |
| `test_random_rows` | 3 | random shapes and values against the reference |
| `test_float64_output` | 2 | float64 output for integer and float32 input |
| `test_not_2d_raises` | 2 | `ValueError` for a 1-D or 3-D input, beside a right result |
| `test_empty_rows_raise` | 1 | `ValueError` for rows without entries, beside a right result |

Self-check before you submit: `grade check $name $name.py`.
'''

STUB = '''# %% [markdown]
# # Assignment: $name
#
# The task is in `README.md`: it is the contract your code is graded against.

# %%
"""Assignment: $name (see README.md for the full task)."""

import numpy as np


def $name(x: np.ndarray) -> np.ndarray:
    """Return the mean of each row of the 2-D array ``x`` as a float64 array of shape (n,).

    Raises
    ------
    ValueError
        If ``x`` is not 2-D or its rows are empty.
    """
    raise NotImplementedError("$name is not written yet")

# %% [markdown]
# Write your solution in the cell above, replacing `raise NotImplementedError`. Keep the
# name and the signature. Self-check before you submit: `grade check $name $name.ipynb`
'''

PUBLIC = '''"""Public checks for $name: run them with `grade check $name $name.py`.

They are a subset of what the hidden tests look at; passing them does not guarantee full marks.
"""

import numpy as np
import pytest

from grader.testing import assert_close, check


@pytest.mark.points(1)
def test_readme_example(submission):
    got = np.asarray(submission.$name(np.array([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])))
    assert_close(got, [2.0, 4.0], msg="the rows [1, 2, 3] and [4, 4, 4] have means 2 and 4")


@pytest.mark.points(1)
def test_one_value_per_row(submission):
    got = np.asarray(submission.$name(np.ones((5, 3))))
    check(got.shape == (5,), f"5 rows give 5 means, shape (5,); got shape {got.shape}")
'''

TOML = '''[assignment]
title = "$name"
names = ["$name"]
files = ["$name.py"]

# The values the shipped numeric assignments use (docs/writing-suites.md explains each key).
[limits]
call_timeout = 0.5     # seconds per call: small inputs; 0.5 s only stops infinite loops
total_timeout = 60
cpu_seconds = 120
memory_mb = 1024
address_space_mb = 2048
max_processes = 32
max_output_kb = 64
cell_timeout = 30
max_reply_mb = 1
max_reply_json_kb = 256
max_call_mb = 4
max_reply_items = 100000
'''

SOLUTION = '''"""Reference solution of $name: the mean of each row."""

import numpy as np


def $name(x: np.ndarray) -> np.ndarray:
    """Row means as float64; ValueError unless ``x`` is 2-D with non-empty rows."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"x must be 2-D with non-empty rows, got shape {x.shape}")
    return x.mean(axis=1)
'''

HIDDEN = '''"""Hidden suite of $name (10 points): cases are drawn from ``rng`` per submission."""

import numpy as np
import pytest

from grader.testing import assert_close, check, rejects


def _result(got) -> np.ndarray:
    check(got is not None, "$name returned None: did you forget the return statement?")
    return np.asarray(got)


@pytest.mark.points(2)
def test_known_values(submission):
    got = _result(submission.$name(np.array([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])))
    assert_close(got, [2.0, 4.0], msg="the rows [1, 2, 3] and [4, 4, 4] have means 2 and 4")


@pytest.mark.points(3)
def test_random_rows(submission, reference, rng):
    x = rng.normal(loc=rng.uniform(-5, 5), size=(int(rng.integers(2, 9)),
                                                int(rng.integers(2, 9))))
    got = _result(submission.$name(x))
    assert_close(got, reference.$name(x), rtol=1e-9,
                 msg=f"the row means of a {x.shape} array differ from the expected ones: "
                     "average along axis 1, one value per row")


@pytest.mark.points(2)
def test_float64_output(submission, rng):
    for x in (rng.integers(0, 10, size=(3, 4)), rng.normal(size=(3, 4)).astype(np.float32)):
        got = _result(submission.$name(x))
        check(got.dtype == np.float64, f"{x.dtype} input must give float64, got {got.dtype}")


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("bad_shape", [(4,), (2, 3, 2)], ids=["1d", "3d"])
def test_not_2d_raises(submission, rng, bad_shape):
    valid = rng.normal(size=(3, 2))
    rejects(submission.$name, ((rng.normal(size=bad_shape),), {}), valid=((valid,), {}),
            judge=lambda got: assert_close(np.asarray(got), valid.mean(axis=1),
                                           msg="a valid 2-D input must still give its means"),
            what=f"an array of shape {bad_shape}",
            hint="check x.ndim == 2 and raise ValueError otherwise")


@pytest.mark.points(1)
def test_empty_rows_raise(submission, rng):
    valid = rng.normal(size=(2, 3))
    rejects(submission.$name, ((np.zeros((int(rng.integers(1, 5)), 0)),), {}),
            valid=((valid,), {}),
            judge=lambda got: assert_close(np.asarray(got), valid.mean(axis=1),
                                           msg="a valid 2-D input must still give its means"),
            what="rows without entries (shape (n, 0))",
            hint="an empty row has no mean: raise ValueError when x.shape[1] == 0")
'''

MUTANT = '''"""Sums the rows instead of averaging them."""

import numpy as np

EXPECTED_FAILURES = ["test_known_values", "test_random_rows"]


def $name(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"x must be 2-D with non-empty rows, got shape {x.shape}")
    return x.sum(axis=1)
'''

ALTERNATIVE = '''"""Correct too: an explicit loop over the rows."""

import numpy as np


def $name(x):
    rows = np.asarray(x)
    if rows.ndim != 2 or rows.shape[1] == 0:
        raise ValueError("x must be 2-D with non-empty rows")
    return np.array([sum(float(v) for v in row) / len(row) for row in rows])
'''

EQUIVALENT = '''# Mutants of solution.py that no test can kill, marked by id with the reason
# (grade validate --mutate prints the raw and the marked score).
[equivalent]
"$mutant" = "axis=-1 is axis=1 for the 2-D inputs the contract allows"
'''
