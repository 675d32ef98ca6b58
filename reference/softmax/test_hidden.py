"""Hidden suite for the softmax assignment (10 points).

Lecture idea: softmax(x) = exp(x) / sum(exp(x)) overflows for large x and gives 0/0 for very
negative x; evaluating it at z = x - max(x) along the axis fixes both and changes nothing else.

Inputs are drawn from the ``rng`` fixture, seeded per submission from the course secret; the
edge cases are families from ``grader.cases`` (rows at a random offset around +/-1000, -inf at
random positions). Only ``test_known_values`` is literal: the README's example, on which the
naive formula is right too. Messages describe an input by its shape, dtype and scale, never by
its values.

The README's rules are tests too: no warning reaches the caller (``observe`` brings the
warnings raised inside the call back from the worker), ``x`` is not written into (checked in
the worker, where the call's own ``x`` lives), and softmax is not borrowed from scipy or the
grader (``[rules] forbidden`` in assignment.toml, read in the source and trapped at run time).
Each counts only beside right values, so a stub that raises earns none of them.
"""

import numpy as np
import pytest

from grader.cases import FAR, far_rows, neg_inf_at_random
from grader.testing import (
    assert_close,
    check,
    check_no_warnings,
    check_unchanged,
    check_written_yourself,
    observe,
)

STABLE = (
    "exp() of a large number overflows to inf and of a very negative one underflows to 0; "
    "subtract max(x) along the axis before exponentiating (softmax does not change when the "
    "same constant is subtracted from a whole slice)"
)


def _describe(x, axis) -> str:
    x = np.asarray(x)
    return f"a {x.shape} {x.dtype} array with axis={axis}"


def _result(got) -> np.ndarray:
    check(got is not None, "softmax returned None: did you forget the return statement?")
    return np.asarray(got)


SHAPES = [
    pytest.param((7,), -1, id="vector"),
    pytest.param((5, 4), -1, id="batch_last_axis"),
    pytest.param((5, 4), 0, id="batch_axis0"),
    pytest.param((3, 4, 5), 1, id="3d_axis1"),
    pytest.param((2, 3, 4, 5), -2, id="4d_axis_minus2"),
]


@pytest.mark.points(1)
def test_known_values(submission):
    got = _result(submission.softmax(np.array([1.0, 2.0, 3.0])))
    assert_close(
        got,
        [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
        rtol=1e-9,
        msg="softmax([1, 2, 3]) should be exp(x_i) / sum_j exp(x_j) = [0.0900, 0.2447, 0.6652]",
    )
    got = _result(submission.softmax(np.array([[0.0, 0.0], [np.log(3.0), 0.0]])))
    assert_close(
        got,
        [[0.5, 0.5], [0.75, 0.25]],
        rtol=1e-9,
        msg="softmax of the rows [0, 0] and [ln 3, 0] should be [0.5, 0.5] and [0.75, 0.25]; "
        "by default (axis=-1) each row is normalised on its own",
    )


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize(("shape", "axis"), SHAPES)
def test_any_axis_any_shape(submission, reference, rng, shape, axis):
    x = rng.normal(scale=3.0, size=shape)
    got = _result(submission.softmax(x, axis=axis))
    check(
        got.shape == x.shape,
        f"softmax of {_describe(x, axis)} returned shape {got.shape}; the output must have the "
        "shape of the input (use keepdims=True when you reduce along the axis)",
    )
    assert_close(
        got,
        reference.softmax(x, axis=axis),
        rtol=1e-9,
        atol=1e-15,
        msg=f"softmax of {_describe(x, axis)} (normal entries, scale 3) differs from the "
        f"expected values: normalise along axis {axis} only, every other axis indexes "
        "independent slices",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("shape", "axis"),
    [
        pytest.param((6, 4), -1, id="batch_last_axis"),
        pytest.param((6, 4), 0, id="batch_axis0"),
        pytest.param((3, 4, 5), 1, id="3d_axis1"),
        pytest.param((2, 3, 4, 5), -2, id="4d_axis_minus2"),
    ],
)
def test_slices_sum_to_one(submission, rng, shape, axis):
    x = rng.normal(scale=10.0, size=shape)
    got = _result(submission.softmax(x, axis=axis))
    check(
        got.shape == x.shape,
        f"softmax of {_describe(x, axis)} returned shape {got.shape} instead of {x.shape}",
    )
    sums = np.sum(got, axis=axis)
    check(
        bool(np.all(np.isfinite(sums))),
        f"softmax of {_describe(x, axis)} holds nan or inf; {STABLE}",
    )
    check(
        bool(np.all(np.abs(sums - 1.0) < 1e-9)),
        f"softmax of {_describe(x, axis)}: every slice along axis {axis} must sum to 1, but "
        f"the sums range from {sums.min():.6g} to {sums.max():.6g}. Divide by the sum along "
        "that axis (keepdims=True), not by the sum of the whole array",
    )
    check(
        bool(np.all(got >= 0.0)) and bool(np.all(got <= 1.0)),
        f"softmax of {_describe(x, axis)} has entries outside [0, 1]",
    )


@pytest.mark.points(1.5)
def test_large_inputs_do_not_overflow(submission, reference, rng):
    x = far_rows(rng, int(rng.integers(3, 7)), (FAR, 0.0, -FAR), extra_rows=int(rng.integers(0, 3)))
    got = _result(submission.softmax(x))
    assert_close(
        got,
        reference.softmax(x),
        rtol=1e-9,
        atol=1e-15,
        msg=f"softmax of a {x.shape} batch whose rows live at very different scales (around "
        f"+1000, around 0 and around -1000) is wrong; {STABLE}. Take the max of each row, not "
        "of the whole array: a global max sends the small rows to 0/0",
    )
    x = rng.normal(scale=1000.0, size=(6, 5))
    assert_close(
        _result(submission.softmax(x)),
        reference.softmax(x),
        rtol=1e-9,
        atol=1e-15,
        msg=f"softmax of a (6, 5) array with entries of size about 1000 is wrong; {STABLE}",
    )


@pytest.mark.points(0.5)
def test_huge_negative_inputs(submission, reference, rng):
    x = far_rows(rng, int(rng.integers(2, 6)), (-FAR, -100 * FAR),
                 extra_rows=int(rng.integers(0, 3)))
    assert_close(
        _result(submission.softmax(x)),
        reference.softmax(x),
        rtol=1e-9,
        atol=1e-15,
        msg=f"softmax of a {x.shape} batch of rows around -1000 (and -100000) is wrong: "
        "exp(-1000) underflows to 0 and the naive formula computes 0/0 = nan. "
        f"{STABLE}",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize("case", ["some_entries", "all_entries_row"])
def test_negative_infinity_entries(submission, reference, rng, case):
    n_rows, n_cols = int(rng.integers(3, 6)), int(rng.integers(3, 6))
    if case == "some_entries":
        x = neg_inf_at_random(rng, far_rows(rng, n_cols, (0.0, FAR),
                                            extra_rows=n_rows - 2))
        got = _result(submission.softmax(x))
        assert_close(
            got,
            reference.softmax(x),
            rtol=1e-9,
            msg=f"softmax of a {x.shape} batch with some -inf entries (masked scores), rows "
            "around 0 and around 1000, is wrong: a -inf entry must give exactly 0 and the "
            f"finite entries share the probability as if the -inf ones were absent. {STABLE}",
        )
        check(
            bool(np.all(got[np.isneginf(x)] == 0.0)),
            "every -inf entry must give exactly 0.0 (exp(-inf) = 0)",
        )
    else:
        x = neg_inf_at_random(rng, rng.normal(scale=3.0, size=(n_rows, n_cols)),
                              all_masked_rows=1)
        masked = np.all(np.isneginf(x), axis=1)
        got = _result(submission.softmax(x))
        check(
            got.shape == x.shape,
            f"softmax of a {x.shape} array returned shape {got.shape}",
        )
        check(
            bool(np.all(np.isnan(got[masked]))),
            "a row whose entries are all -inf has no softmax (0/0); the README specifies nan "
            "in every entry of that row, but the row that came back is not all nan",
        )
        assert_close(
            got[~masked],
            reference.softmax(x[~masked]),
            rtol=1e-9,
            msg="a row of all -inf must not disturb the other rows, whose entries are finite "
            "or partly -inf",
        )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize("kind", ["float32", "float64", "int64", "list_of_ints"])
def test_output_dtype(submission, reference, rng, kind):
    if kind == "list_of_ints":
        x = rng.integers(-5, 6, size=(4, 3)).tolist()
        want_dtype = np.dtype(np.float64)
    elif kind == "int64":
        x = rng.integers(-5, 6, size=(4, 3)).astype(np.int64)
        want_dtype = np.dtype(np.float64)
    else:
        x = rng.normal(scale=5.0, size=(4, 3)).astype(kind)
        want_dtype = np.dtype(kind)
    got = _result(submission.softmax(x))
    described = "a list of Python ints" if kind == "list_of_ints" else f"a (4, 3) {kind} array"
    check(
        got.dtype == want_dtype,
        f"softmax of {described} returned dtype {got.dtype}, expected {want_dtype}: floating "
        "inputs keep their dtype (float32 stays float32, half the memory of float64), integer "
        "inputs and lists of ints give float64",
    )
    rtol = 1e-5 if want_dtype == np.float32 else 1e-9
    assert_close(
        got,
        reference.softmax(x),
        rtol=rtol,
        atol=1e-7 if want_dtype == np.float32 else 1e-15,
        msg=f"softmax of {described} has wrong values",
    )


def _edge_inputs(rng) -> list[tuple[str, np.ndarray]]:
    """The README's edge cases, each one a case where a warning would betray inf or nan."""
    rows = int(rng.integers(3, 6))
    return [
        ("rows around +1000, 0 and -1000", far_rows(rng, rows, (FAR, 0.0, -FAR))),
        ("rows around -1000 and -100000", far_rows(rng, rows, (-FAR, -100 * FAR))),
        ("some -inf entries", neg_inf_at_random(rng, far_rows(rng, rows, (0.0, FAR)))),
        ("a row of all -inf", neg_inf_at_random(rng, rng.normal(scale=3.0, size=(rows, 4)),
                                                 all_masked_rows=1)),
    ]


@pytest.mark.points(1)
def test_no_warnings(submission, reference, rng):
    for what, x in _edge_inputs(rng):
        seen = observe(submission.softmax, x)
        assert_close(
            _result(seen.value),
            reference.softmax(x),
            rtol=1e-9,
            atol=1e-15,
            msg=f"softmax of a {x.shape} batch with {what} is wrong; {STABLE}",
        )
        check_no_warnings(
            seen,
            f"softmax of a {x.shape} batch with {what}",
            "The README allows no warnings: a warning means an intermediate result was inf or "
            "nan. Subtract the max along the axis; for an all -inf slice produce its nan "
            "quietly (shift it by 0 instead of -inf, np.errstate, or np.divide(..., where=...))",
        )


@pytest.mark.points(0.5)
def test_input_not_modified(submission, reference, rng):
    # Moderate entries (scale 3): this test is about x, not overflow, so the naive formula's
    # fate here does not depend on the draw.
    for axis in (-1, 0):
        x = rng.normal(scale=3.0, size=(int(rng.integers(3, 6)), int(rng.integers(3, 6))))
        for dtype in (np.float64, np.float32):
            seen = observe(submission.softmax, x.astype(dtype), axis=axis)
            assert_close(
                _result(seen.value),
                reference.softmax(x.astype(dtype), axis=axis),
                rtol=1e-5 if dtype == np.float32 else 1e-9,
                atol=1e-7 if dtype == np.float32 else 1e-15,
                msg=f"softmax of {_describe(x.astype(dtype), axis)} has wrong values",
            )
            check_unchanged(
                seen,
                f"softmax of {_describe(x.astype(dtype), axis)}",
                "The README says: do not modify x. x - m makes a new array; x -= m overwrites "
                "the caller's data (their logits are gone after your call)",
            )


@pytest.mark.points(0.5)
def test_written_yourself(submission, reference, rng, credit):
    x = rng.normal(scale=3.0, size=(4, 5))
    assert_close(
        _result(submission.softmax(x, axis=0)),
        reference.softmax(x, axis=0),
        rtol=1e-9,
        atol=1e-15,
        msg=f"softmax of {_describe(x, 0)} has wrong values",
    )
    check_written_yourself(
        submission,
        "The README asks for softmax written with numpy (exp, max, sum): calling "
        "scipy.special.softmax or the grader's own code skips the exercise.",
        credit,
    )
