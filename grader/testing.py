"""Assertions for hidden suites that teach without leaking the hidden inputs.

``numpy.testing`` prints whole arrays into its messages, which would show a student the
hidden inputs and the expected answer. These helpers report what went wrong (shape, dtype,
NaN/inf, largest error) and the author's teaching message, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import StudentCodeError
from .worker.builtins import assign_in_place
from .worker.observe import observed_call


def call_each(
    function: Callable[..., Any],
    calls: Iterable[tuple[tuple[Any, ...], dict[str, Any]]],
    *,
    until_true: bool = False,
) -> list[Any]:
    """Call ``function(*args, **kwargs)`` for each ``(args, kwargs)`` of ``calls``, in order.

    With ``until_true`` it stops after the first result that is true, as a training loop
    stops when ``es.step(loss)`` says so. Returns the results. For a function of the
    student's, all of the calls cross to the worker in one round trip (a loop of
    ``es.step`` calls costs one wire exchange, not one per epoch) and the call timeout
    covers them together; an exception from any call is raised as it would be in a loop.
    """
    batch = getattr(type(function), "_grader_call_each", None)
    pairs = [(tuple(args), dict(kwargs)) for args, kwargs in calls]
    if batch is not None:
        return list(batch(function, pairs, until_true=until_true))
    results = []
    for args, kwargs in pairs:
        result = function(*args, **kwargs)
        results.append(result)
        if until_true and result:
            break
    return results


def check(condition: object, msg: str) -> None:
    """Assert ``condition`` with a message written for the student."""
    if not condition:
        raise AssertionError(msg)


def assert_close(
    got: Any,
    want: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-12,
    msg: str = "",
) -> None:
    """Compare ``got`` with ``want`` elementwise, as ``np.testing.assert_allclose`` would.

    Raises AssertionError whose text starts with ``msg`` and then says what differed:
    a wrong type or shape, NaN or inf where none is expected, or the largest error.
    """
    prefix = f"{msg}\n" if msg else ""
    if got is None:
        raise AssertionError(f"{prefix}got None: did the function forget to return its result?")
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError) as exc:
        describe = getattr(type(got), "_grader_describe", None)  # a value kept in the worker
        kind = describe(got) if describe is not None else type(got).__name__
        raise AssertionError(f"{prefix}expected numbers, got a value of type {kind}") from exc
    want_arr = np.asarray(want, dtype=float)
    if got_arr.shape != want_arr.shape:
        raise AssertionError(f"{prefix}expected shape {want_arr.shape}, got shape {got_arr.shape}")
    bad_got = ~np.isfinite(got_arr) & np.isfinite(want_arr)
    if bad_got.any():
        kinds = sorted({"nan" if np.isnan(v) else "inf" for v in got_arr[bad_got]})
        raise AssertionError(
            f"{prefix}the result holds {' and '.join(kinds)} in {int(bad_got.sum())} of "
            f"{got_arr.size} entries where a finite number is expected"
        )
    same_nonfinite = ~np.isfinite(want_arr)
    if not np.array_equal(np.isnan(got_arr[same_nonfinite]), np.isnan(want_arr[same_nonfinite])):
        raise AssertionError(f"{prefix}non-finite entries differ from the expected ones")
    finite = np.isfinite(want_arr)
    err = np.abs(got_arr[finite] - want_arr[finite])
    allowed = atol + rtol * np.abs(want_arr[finite])
    if (err > allowed).any():
        worst = float(err.max()) if err.size else 0.0
        count = int((err > allowed).sum())
        raise AssertionError(
            f"{prefix}{count} of {got_arr.size} entries differ from the expected values "
            f"(largest absolute error {worst:.3g}, tolerance rtol={rtol:g}, atol={atol:g})"
        )


def rejects(
    function: Callable[..., Any],
    bad: tuple[tuple[Any, ...], dict[str, Any]],
    *,
    valid: tuple[tuple[Any, ...], dict[str, Any]],
    judge: Callable[[Any], None],
    what: str,
    hint: str,
    error: type[BaseException] = ValueError,
) -> None:
    """Pass only when ``function`` works on ``valid`` and raises ``error`` on ``bad``.

    A "must raise" test alone pays code that raises on everything; here the same function
    must first give a right result on a valid input (``judge`` raises AssertionError when
    the result is wrong), so refusing is worth points only beside working. ``bad`` and
    ``valid`` are ``(args, kwargs)``; ``what`` describes the bad input, ``hint`` says what
    the function should check.
    """
    args, kwargs = valid
    try:
        result = function(*args, **kwargs)
    except StudentCodeError:
        raise  # not raised by the call: the name is not defined, and the message says so
    except Exception as exc:  # the student's own exception, carried back from the worker
        raise AssertionError(
            f"on a valid input the call raised {type(exc).__name__}; refusing bad input only "
            "counts when valid input still gives the right result"
        ) from None
    judge(result)
    args, kwargs = bad
    with expect_raises(error, f"{what}: refuse it. {hint}".strip()):
        function(*args, **kwargs)


@dataclass(frozen=True)
class Observed:
    """One call as ``observe`` saw it: what it returned, warned and changed."""

    value: Any
    warnings: list[dict[str, Any]]
    """``{"category", "message", "file", "line"}`` per warning, in order."""
    modified: list[str]
    """The arguments changed in place: ``"argument 1"``, ``"keyword y_pred"``."""


def observe(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Observed:
    """Call ``function`` and watch it: every warning raised inside, every argument it changed.

    For the student's function the watching happens in the worker, where the arguments are
    the objects the call received (the trusted side only ever sends copies), and only an
    observed call pays for the copy the comparison needs. A local function (the reference)
    is watched here the same way.
    """
    remote = getattr(type(function), "_grader_observe", None)
    if remote is not None:
        value, seen = remote(function, args, kwargs)
    else:
        value, seen = observed_call(function, list(args), dict(kwargs))
    return Observed(value, [dict(w) for w in seen["warnings"]], list(seen["modified"]))


def check_no_warnings(seen: Observed, what: str, hint: str) -> None:
    """Fail when the observed call raised a warning: name the first and say why it matters."""
    if seen.warnings:
        first = seen.warnings[0]
        more = f" (and {len(seen.warnings) - 1} more)" if len(seen.warnings) > 1 else ""
        raise AssertionError(
            f"{what} raised {first['category']}: {first['message']} at {first['file']} line "
            f"{first['line']}{more}. {hint}")


def check_unchanged(seen: Observed, what: str, hint: str) -> None:
    """Fail when the observed call wrote into an argument it was given."""
    if seen.modified:
        raise AssertionError(f"{what} changed its {', '.join(seen.modified)} in place. {hint}")


def hand_over(submission: Any, value: Any) -> Any:
    """``value`` as one object the student's code and the test share.

    Arguments normally cross as copies, so code that keeps a reference instead of a copy is
    invisible; a value handed over stays in the worker behind a handle, every call that
    passes it gives the student's code that very object, and ``change_in_place`` then
    changes it as a training step changes weights. Locally (no worker) it is ``value``.
    """
    hold = getattr(submission, "grader_hold", None)
    return hold(value) if hold is not None else value


def change_in_place(submission: Any, held: Any, value: Any) -> None:
    """Overwrite the numbers of a handed-over ``held`` with ``value``'s (same structure)."""
    builtin = getattr(submission, "grader_builtin", None)
    if builtin is not None:
        builtin("assign_in_place", held, value)
    else:
        assign_in_place(held, value)


@contextmanager
def expect_raises(error: type[BaseException], message: str) -> Iterator[None]:
    """The block must raise ``error``; otherwise fail with ``message``, a teaching one.

    pytest's "DID NOT RAISE" tells a student nothing; here the message says what the input
    was and why it must be refused, followed by what happened instead.
    """
    try:
        yield
    except error:
        return
    except (AssertionError, StudentCodeError):
        raise
    except Exception as exc:  # the student's own exception, carried back from the worker
        raise AssertionError(f"{message} (expected {error.__name__}, but "
                             f"{type(exc).__name__} was raised: {str(exc)[:200]})") from None
    raise AssertionError(f"{message} (expected {error.__name__}, but the call returned "
                         "without raising)")


def check_written_yourself(submission: Any, rule: str, credit: Any = None) -> None:
    """Fail when the submission uses a name its ``[rules] forbidden`` lists.

    The source is read on the trusted side and the worker's trap reports the calls made so
    far (so call the student's functions first). What hides a name from the reader
    (``exec``, ``__import__``) is no fault by itself: with ``credit`` the test passes with a
    note for a person to look at.
    """
    report = submission.grader_rules()
    if report.used:
        shown = "; ".join(report.used[:5])
        more = f" and {len(report.used) - 5} more" if len(report.used) > 5 else ""
        raise AssertionError(f"{rule} Your code uses what the README forbids: {shown}{more}.")
    if report.review and credit is not None:
        credit.award(1.0, "for a person to look at (names built at run time are not checked): "
                     + "; ".join(report.review[:5]))
