"""Hidden suite for the early-stopping assignment (10 points).

Lecture idea: watch the validation loss after every epoch; stop once it has not improved by
more than min_delta for `patience` epochs in a row, and keep the weights of the best epoch.

``submission.EarlyStopping(...)`` is a handle on an object living in the student's worker:
``es.step(v)`` and ``es.best`` are remote calls that return plain data, and ``call_each``
feeds a whole curve to ``es.step`` in one round trip. Curves are drawn from the ``rng`` fixture
(seeded per submission), mostly as ``grader.cases.stopping_curve`` families whose stop and best
epoch are known by construction; every stopper is fed the whole curve and stops where it says
so, and every curve goes on after its stop. Messages describe curves in words.

A scenario checks four things, each its own share of the test's points (``credit``): the
epoch where step first returned True, ``stopped_epoch``, ``best_epoch`` and ``best``; one
bookkeeping fault costs its share in every scenario, not every scenario whole.

The README's rules are tests too: ``best_weights`` must be a copy, not the caller's object
(``hand_over`` leaves one weights object in the worker, which the test changes in place after
each epoch, as training does), and Keras is not used (``[rules] forbidden``).
"""

import math

import numpy as np
import pytest

from grader.cases import STEP, Curve, stopping_curve
from grader.testing import (
    assert_close,
    call_each,
    change_in_place,
    check,
    check_written_yourself,
    hand_over,
    rejects,
)

RULE = (
    "improvement means value < best - min_delta (mode 'min') or value > best + min_delta "
    "(mode 'max'); each epoch without improvement adds one to a counter, an improvement resets "
    "it to 0, and step returns True on the epoch where the counter reaches patience"
)


def _feed(es, values, weights=None, until_true=True) -> list[bool]:
    """Call step once per value until it returns True (as a training loop would)."""
    calls = [((value,), {"weights": None if weights is None else weights(epoch)})
             for epoch, value in enumerate(values)]
    returned = call_each(es.step, calls, until_true=until_true)
    for epoch, stop in enumerate(returned):
        check(
            isinstance(stop, (bool, np.bool_)),
            f"step must return a bool, got a {type(stop).__name__} at epoch {epoch}",
        )
    return [bool(stop) for stop in returned]


def _stop_epoch(returned: list[bool]) -> int | None:
    return returned.index(True) if True in returned else None


def _run_faults(es, returned, *, stop, best, best_epoch, what) -> list[str]:
    """What is wrong with one run, one entry per part: stop epoch, stopped_epoch, best_epoch,
    best (each a quarter of the run)."""
    faults = []
    got_stop = _stop_epoch(returned)
    if got_stop != stop:
        faults.append(
            f"{what}: step "
            + (f"first returned True at epoch {got_stop}" if got_stop is not None
               else "never returned True")
            + ", expected "
            + (f"True first at epoch {stop}" if stop is not None else "no stop at all")
            + f" (epochs count from 0). {RULE}")
    if es.stopped_epoch != stop:
        faults.append(
            f"{what}: stopped_epoch is {es.stopped_epoch!r}, expected {stop!r}: the epoch whose "
            "step returned True first (None while not stopped)")
    got_best_epoch = es.best_epoch
    if got_best_epoch != best_epoch:
        faults.append(f"{what}: best_epoch is {got_best_epoch!r}, expected {best_epoch}: "
                      + _best_epoch_hint(got_best_epoch, best_epoch))
    got_best = es.best
    try:
        assert_close(float(got_best), best, rtol=1e-12,
                     msg=f"{what}: best should be the value at the best epoch")
    except (AssertionError, TypeError, ValueError) as exc:
        faults.append(str(exc) if isinstance(exc, AssertionError)
                      else f"{what}: best is {got_best!r}, not a number")
    return faults


def _best_epoch_hint(got, want) -> str:
    """The fault the wrong best_epoch points at (not always a tie counted as improvement)."""
    if got is None:
        return ("it was never set, though the value improved: set best_epoch on every "
                "improvement, whether or not weights were passed to step")
    if want is not None and got > want:
        return ("a later epoch was taken as an improvement; an equal value or a change of at "
                "most min_delta is no improvement")
    return "the epoch of the last improvement (value < best - min_delta in mode 'min'), which "\
        "was missed or counted from 1"


def _award(credit, runs: list[list[str]]) -> None:
    """Each run is four parts; the test earns the share of parts that were right."""
    faults = [fault for run in runs for fault in run]
    if faults:
        credit.award(1.0 - len(faults) / (4 * len(runs)),
                     "\n".join(faults[:4]) + (f"\n(and {len(faults) - 4} more)"
                                               if len(faults) > 4 else ""))


@pytest.mark.points(0.5)
def test_initial_state(submission):
    for mode, want in (("min", math.inf), ("max", -math.inf)):
        es = submission.EarlyStopping(mode=mode)
        best = es.best
        check(
            best is not None and float(best) == want,
            f"before the first step, best must be {want} in mode {mode!r} (so that the first "
            f"value is always an improvement); got {best!r}",
        )
        check(es.best_epoch is None, f"before the first step best_epoch must be None ({mode=})")
        check(es.stopped_epoch is None, "before the first step stopped_epoch must be None")
        check(es.best_weights is None, "before the first step best_weights must be None")


def _curve_faults(es, returned, curve: Curve, what: str) -> list[str]:
    return _run_faults(es, returned, stop=curve.stop, best=curve.best,
                       best_epoch=curve.best_epoch, what=what)


@pytest.mark.points(0.5)
def test_monotone_decrease_never_stops(submission, rng, credit):
    n, min_delta = int(rng.integers(25, 45)), 4 * STEP
    values = list(8.0 - np.cumsum(min_delta + STEP * rng.integers(1, 9, size=n)))
    es = submission.EarlyStopping(patience=1, min_delta=min_delta)
    returned = _feed(es, values)
    _award(credit, [_run_faults(
        es,
        returned,
        stop=None,
        best=values[-1],
        best_epoch=n - 1,
        what=f"a loss falling by more than min_delta every epoch for {n} epochs (patience=1, "
        f"min_delta={min_delta:g})",
    )])


@pytest.mark.points(1.5, shared=True)
@pytest.mark.parametrize("patience", [0, 1, 2, 5], ids=lambda p: f"patience{p}")
def test_plateau_stops_after_patience(submission, rng, credit, patience):
    curve = stopping_curve(rng, patience=patience, flat=True, pauses=int(rng.integers(0, 3)))
    es = submission.EarlyStopping(patience=patience)
    returned = _feed(es, curve.values)
    note = " (patience=0 behaves like patience=1, see the README)" if patience == 0 else ""
    _award(credit, [_curve_faults(
        es,
        returned,
        curve,
        f"a loss that falls, stays exactly flat for fewer than patience epochs "
        f"{len(curve.pauses)} time(s), and then for patience epochs, patience={patience}"
        + note,
    )])


def _noisy_loss(rng):
    t = np.arange(120)
    values = 0.3 + 0.7 * np.exp(-t / 12.0) + rng.normal(scale=0.01, size=t.size) + 0.0008 * t
    return [float(v) for v in values], {"patience": 4, "min_delta": 0.002}


def _noisy_accuracy(rng):
    t = np.arange(120)
    values = 0.9 - 0.4 * np.exp(-t / 10.0) + rng.normal(scale=0.01, size=t.size)
    return [float(v) for v in values], {"patience": 6, "min_delta": 0.001, "mode": "max"}


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize("curve", ["zigzag", "noisy_loss", "noisy_accuracy_max"])
def test_noisy_curves_match_reference(submission, reference, rng, credit, curve):
    if curve == "zigzag":
        drawn = stopping_curve(rng, patience=3, pauses=2, long_pauses=True)
        values, kwargs = drawn.values, {"patience": 3}
        what = "a loss that stops improving twice for fewer than patience epochs and then " \
               "improves again (patience=3)"
    elif curve == "noisy_loss":
        values, kwargs = _noisy_loss(rng)
        what = "a noisy falling-then-rising validation loss (patience=4, min_delta=0.002)"
    else:
        values, kwargs = _noisy_accuracy(rng)
        what = "a noisy rising accuracy in mode 'max' (patience=6, min_delta=0.001)"
    es, ref = submission.EarlyStopping(**kwargs), reference.EarlyStopping(**kwargs)
    # Both stoppers get the whole curve, as a training loop would, and each stops where it
    # says so: nothing the student's code sees depends on where the reference stopped.
    wanted = [bool(v) for v in call_each(ref.step, [((v,), {}) for v in values],
                                         until_true=True)]
    returned = _feed(es, values)
    for epoch, (got, want) in enumerate(zip(returned, wanted)):
        check(
            got == want,
            f"{what}: at epoch {epoch} step returned {got}, expected {want}. {RULE}; the "
            "counter must go back to 0 at every improvement",
        )
    _award(credit, [_run_faults(
        es,
        returned,
        stop=ref.stopped_epoch,
        best=ref.best,
        best_epoch=ref.best_epoch,
        what=what,
    )])


@pytest.mark.points(1)
def test_min_delta(submission, rng, credit):
    min_delta = 16 * STEP
    curve = stopping_curve(rng, patience=3, min_delta=min_delta, pauses=int(rng.integers(0, 2)))
    es = submission.EarlyStopping(patience=3, min_delta=min_delta)
    returned = _feed(es, curve.values)
    _award(credit, [_curve_faults(
        es,
        returned,
        curve,
        f"a loss whose small decreases (at most min_delta={min_delta:g}, some exactly "
        "min_delta below the best) do not count as improvements, with patience=3",
    )])


@pytest.mark.points(1)
def test_mode_max(submission, rng, credit):
    curve = stopping_curve(rng, patience=3, mode="max", pauses=int(rng.integers(0, 2)))
    es = submission.EarlyStopping(patience=3, mode="max")
    runs = [_curve_faults(
        es,
        _feed(es, curve.values),
        curve,
        f"an accuracy in mode 'max' that peaks at epoch {curve.best_epoch} (patience=3): "
        "larger is better",
    )]
    min_delta = 4 * STEP
    curve = stopping_curve(rng, patience=2, min_delta=min_delta, mode="max",
                           pauses=int(rng.integers(0, 2)))
    es = submission.EarlyStopping(patience=2, min_delta=min_delta, mode="max")
    runs.append(_curve_faults(
        es,
        _feed(es, curve.values),
        curve,
        f"an accuracy in mode 'max' with min_delta={min_delta:g} (patience=2): an improvement "
        "must exceed best + min_delta",
    ))
    _award(credit, runs)


def _dict_weights(epoch):
    return {"W": np.full((2, 3), float(epoch)), "b": np.arange(3.0) + epoch}


def _list_weights(epoch):
    return [np.full((2, 3), float(epoch)), np.arange(3.0) + epoch]


@pytest.mark.points(1)
def test_best_weights_kept(submission, rng):
    curve = stopping_curve(rng, patience=3, pauses=int(rng.integers(0, 2)))
    values, best = curve.values, curve.best_epoch
    what = f"a loss that is best at epoch {best} and then not better for 3 epochs (patience=3)"
    es = submission.EarlyStopping(patience=3)
    _feed(es, values, weights=_dict_weights)
    kept = es.best_weights
    check(
        isinstance(kept, dict) and set(kept) == {"W", "b"},
        f"{what}, weights passed as a dict of arrays: best_weights should be a copy of that dict "
        f"from the best epoch; got a {type(kept).__name__}",
    )
    for key in ("W", "b"):
        assert_close(
            kept[key],
            _dict_weights(best)[key],
            msg=f"{what}: best_weights[{key!r}] is not the array passed at the best epoch "
            f"{best}; store a copy of the weights when the value improves, and only then",
        )
    es = submission.EarlyStopping(patience=3)
    _feed(es, values, weights=_list_weights)
    kept = es.best_weights
    check(
        isinstance(kept, (list, tuple)) and len(kept) == 2,
        f"{what}, weights passed as a list of two arrays: best_weights should be that list from "
        f"the best epoch; got a {type(kept).__name__}",
    )
    for got, want in zip(kept, _list_weights(best)):
        assert_close(got, want, msg=f"{what}: best_weights is not the list passed at epoch {best}")
    es = submission.EarlyStopping(patience=3, restore_best=False)
    _feed(es, values, weights=_dict_weights)
    check(
        es.best_weights is None,
        "with restore_best=False nothing is kept: best_weights must stay None",
    )


@pytest.mark.points(1)
def test_after_stop(submission, rng):
    curve = stopping_curve(rng, patience=2, pauses=int(rng.integers(0, 2)))
    es = submission.EarlyStopping(patience=2)
    returned = _feed(es, curve.values, weights=_dict_weights)
    got_stop = _stop_epoch(returned)
    check(
        got_stop == curve.stop,
        f"with patience=2 this loss must stop at epoch {curve.stop}, but step "
        + (f"returned True at epoch {got_stop}" if got_stop is not None else "never returned True")
        + f". {RULE}",
    )
    assert curve.stop is not None
    after = curve.values[curve.stop + 1:][:3]
    for extra, value in enumerate(after):
        again = es.step(value, weights=_dict_weights(100 + extra))
        check(
            bool(again) is True,
            "after the stop every further call to step must return True (README: the stopper is "
            f"finished); call {extra + 1} after the stop returned {again!r}",
        )
    check(
        es.stopped_epoch == curve.stop and es.best_epoch == curve.best_epoch,
        f"calls to step after the stop must change nothing: stopped_epoch must stay "
        f"{curve.stop} and best_epoch {curve.best_epoch}, got {es.stopped_epoch!r} and "
        f"{es.best_epoch!r}",
    )
    assert_close(
        float(es.best),
        curve.best,
        msg="calls to step after the stop must change nothing: a much better value arriving "
        "after the stop must not become best",
    )
    kept = es.best_weights
    check(
        isinstance(kept, dict) and "W" in kept,
        "best_weights must still hold the dict from the best epoch after the stop",
    )
    assert_close(
        kept["W"],
        _dict_weights(curve.best_epoch)["W"],
        msg="calls to step after the stop must not replace best_weights",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        pytest.param({"mode": "minimum"}, "mode='minimum' is not 'min'/'max'", id="mode_minimum"),
        pytest.param({"mode": "MAX"}, "mode='MAX': case matters", id="mode_upper"),
        pytest.param({"patience": -1}, "patience=-1 is negative", id="patience_negative"),
        pytest.param({"patience": 1.5}, "patience=1.5 is not an integer", id="patience_float"),
        pytest.param({"min_delta": -0.1}, "min_delta=-0.1 is negative", id="min_delta_negative"),
    ],
)
def test_bad_arguments_raise(submission, rng, kwargs, why):
    patience = int(rng.integers(1, 5))
    curve = stopping_curve(rng, patience=patience)

    def judge(es) -> None:
        # Working means stopping where it should; the bookkeeping has tests of its own.
        got = _stop_epoch(_feed(es, curve.values))
        check(got == curve.stop,
              f"before refusing bad arguments, EarlyStopping(patience={patience}) must stop a "
              f"loss correctly: it stopped at epoch {got}, expected {curve.stop}. {RULE}")

    rejects(
        submission.EarlyStopping,
        ((), kwargs),
        valid=((), {"patience": patience}),
        judge=judge,
        what=f"{why}: the constructor",
        hint="Validate the arguments in __init__ so a typo fails at once instead of silently "
        "monitoring the wrong direction",
    )


@pytest.mark.points(1)
def test_best_weights_not_a_reference(submission, rng):
    curve = stopping_curve(rng, patience=3, pauses=int(rng.integers(0, 2)))
    assert curve.stop is not None
    es = submission.EarlyStopping(patience=3)
    # One weights object for the whole run, updated in place each epoch as training does.
    weights = hand_over(submission, _dict_weights(0))
    for epoch, value in enumerate(curve.values[: curve.stop + 1]):
        change_in_place(submission, weights, _dict_weights(epoch))
        es.step(value, weights=weights)
    kept = es.best_weights
    check(
        isinstance(kept, dict) and set(kept) == {"W", "b"},
        f"best_weights should be a copy of the weights dict of the best epoch {curve.best_epoch}; "
        f"got a {type(kept).__name__}",
    )
    check(
        np.array_equal(kept["W"], _dict_weights(curve.best_epoch)["W"])
        and np.array_equal(kept["b"], _dict_weights(curve.best_epoch)["b"]),
        f"the training loop updated its weights in place after epoch {curve.best_epoch}, and "
        "best_weights changed with them: it holds the weights of epoch "
        f"{int(np.asarray(kept['W']).flat[0])}, not of the best epoch {curve.best_epoch}. The "
        "README says: do not keep a reference to the caller's weights, store "
        "copy.deepcopy(weights)",
    )


@pytest.mark.points(0.5)
def test_written_yourself(submission, rng, credit):
    curve = stopping_curve(rng, patience=2)
    es = submission.EarlyStopping(patience=2)
    got = _stop_epoch(_feed(es, curve.values))
    check(got == curve.stop, f"EarlyStopping(patience=2) stopped at epoch {got}, expected "
          f"{curve.stop}. {RULE}")
    check_written_yourself(
        submission,
        "The README asks for the bookkeeping in plain Python: Keras (keras, tensorflow.keras) "
        "and the grader's own code are not part of a solution.",
        credit,
    )
