"""Hidden suite for the cross-entropy assignment (10 points).

Lecture idea: the loss is the batch mean of -sum_c y log(y_hat); log(0) = -inf and 0 * log(0) =
nan, so y_hat is clipped into [eps, 1 - eps] first. Integer labels and one-hot rows are two
spellings of the same targets.

``-log(y_pred + 1e-9)`` (common in tutorials) is a different formula from clipping. Decided
(and said in the README): on ordinary probabilities, where it differs by about 1e-9 / p, the
tests accept it (rtol 1e-6, true-class probabilities of at least 1e-3); on exact 0s and 1s,
and for eps, it fails, with a message that names the constant it added. So the one fault
costs the tests about clipping, not the tests about the log and the mean.
"""

import numpy as np
import pytest

from grader.testing import (
    assert_close,
    check,
    check_unchanged,
    check_written_yourself,
    observe,
    rejects,
)

CLIP = (
    "log(0) is -inf and 0 * log(0) is nan: clip y_pred into [eps, 1 - eps] with "
    "np.clip(y_pred, eps, 1 - eps) before taking the logarithm"
)

Y_PRED = np.array([[0.7, 0.2, 0.1], [0.25, 0.5, 0.25]])
LOSS = (-np.log(0.7) - np.log(0.5)) / 2  # 0.52491106...
LOOSE = 1e-6
"""Tolerance of the tests on ordinary probabilities (see the module docstring)."""
ADDED = (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15)


def _added_constant(got: float, labels: np.ndarray, y_pred: np.ndarray) -> str:
    """A hint when ``got`` is -log(p + c) for a constant c, the tutorial's formula."""
    p = np.asarray(y_pred, dtype=float)[np.arange(len(labels)), labels]
    for c in ADDED:
        want = float(np.mean(-np.log(p + c)))
        if abs(got - want) <= 1e-9 * max(1.0, abs(want)):
            return (f" Your loss is -log(y_pred + {c:g}): adding a constant inside the log is "
                    f"not clipping. An exact 0 then costs -log({c:g}) = {-np.log(c):.4g} "
                    "instead of -log(eps), and eps is never used; clip with "
                    "np.clip(y_pred, eps, 1 - eps) and take the log of that")
    return ""


def _scalar(got, what: str) -> float:
    check(got is not None, f"cross_entropy returned None for {what}: return the mean loss")
    check(
        np.ndim(got) == 0,
        f"cross_entropy returned an array of shape {np.shape(got)} for {what}; return a single "
        "number, the mean over the batch, not one loss per sample",
    )
    return float(got)


def _probabilities(rng, n: int, c: int, scale: float = 2.0) -> np.ndarray:
    """Ordinary probabilities: every entry at least 0.02 / c (see ``LOOSE``)."""
    z = rng.normal(scale=scale, size=(n, c))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return 0.98 * e / e.sum(axis=1, keepdims=True) + 0.02 / c


def _one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


@pytest.mark.points(1)
def test_known_values(submission):
    got = _scalar(
        submission.cross_entropy(np.array([[1, 0, 0], [0, 1, 0]]), Y_PRED),
        "a 2-sample one-hot batch",
    )
    assert_close(
        got,
        LOSS,
        rtol=LOOSE,
        msg="two samples with true-class probabilities 0.7 and 0.5 should give "
        "(-log 0.7 - log 0.5) / 2 = 0.5249: the natural log of the true class's probability, "
        "negated, averaged over the batch",
    )


@pytest.mark.points(1.5, shared=True)
@pytest.mark.parametrize("case", ["literal", "random_batch", "labels_as_list"])
def test_integer_labels(submission, reference, rng, case):
    if case == "literal":
        y_true, y_pred, want = np.array([0, 1]), Y_PRED, LOSS
        what = "integer labels [0, 1] with the probabilities of the README example"
    elif case == "random_batch":
        y_pred = _probabilities(rng, 32, 6)
        y_true = rng.integers(0, 6, size=32)
        want = reference.cross_entropy(y_true, y_pred)
        what = "a batch of 32 integer labels over 6 classes"
    else:
        n, c = int(rng.integers(3, 8)), int(rng.integers(2, 6))
        y_true, y_pred = rng.integers(0, c, size=n).tolist(), _probabilities(rng, n, c).tolist()
        want = reference.cross_entropy(np.array(y_true), np.array(y_pred))
        what = "labels and probabilities given as Python lists"
    got = _scalar(submission.cross_entropy(y_true, y_pred), what)
    assert_close(
        got,
        want,
        rtol=LOOSE,
        msg=f"wrong loss for {what}. With integer labels t_i the loss of sample i is "
        "-log(y_pred[i, t_i]): pick each row's true-class entry with "
        "y_pred[np.arange(N), t] (a 1-D y_true means labels, a 2-D one means one-hot)",
    )


@pytest.mark.points(1)
def test_one_hot_random_batch(submission, reference, rng):
    labels = rng.integers(0, 4, size=25)
    y_true, y_pred = _one_hot(labels, 4), _probabilities(rng, 25, 4)
    got = _scalar(submission.cross_entropy(y_true, y_pred), "a one-hot batch of 25 samples")
    assert_close(
        got,
        reference.cross_entropy(y_true, y_pred),
        rtol=LOOSE,
        msg="wrong loss for a one-hot batch of 25 samples over 4 classes: compute "
        "-sum_c y_true[i, c] * log(y_pred[i, c]) per row, then the mean over the rows",
    )
    got_labels = _scalar(submission.cross_entropy(labels, y_pred), "the same batch as labels")
    assert_close(
        got_labels,
        got,
        rtol=1e-9,
        msg="the same targets as integer labels and as one-hot rows gave different losses; "
        "the two forms must agree",
    )


@pytest.mark.points(1)
def test_mean_over_batch_not_sum(submission, rng):
    c = int(rng.integers(3, 7))
    row, label = _probabilities(rng, 1, c), int(rng.integers(0, c))
    copies = int(rng.integers(3, 13))
    one = _scalar(submission.cross_entropy(np.array([label]), row), "a single sample")
    many = _scalar(
        submission.cross_entropy(np.full(copies, label), np.repeat(row, copies, axis=0)),
        f"{copies} copies of the same sample",
    )
    assert_close(
        one,
        -np.log(row[0, label]),
        rtol=LOOSE,
        msg="one sample's loss is -log of its true-class probability",
    )
    assert_close(
        many,
        one,
        rtol=1e-9,
        msg=f"{copies} copies of one sample must have the same loss as the sample alone: the "
        "loss is the mean over the batch, not the sum (and not the mean over samples and "
        "classes)",
    )


def _wrong_classes(rng, labels: np.ndarray, c: int) -> np.ndarray:
    """For each label another class, drawn at random."""
    return (labels + rng.integers(1, c, size=labels.shape)) % c


@pytest.mark.points(1.5, shared=True)
@pytest.mark.parametrize("case", ["perfect_predictions", "confidently_wrong", "mixed_one_hot"])
def test_probabilities_zero_and_one(submission, rng, case):
    minus_log_eps = -np.log(1e-12)  # 27.631...
    n, c = int(rng.integers(3, 9)), int(rng.integers(2, 6))
    labels = rng.integers(0, c, size=n)
    if case == "perfect_predictions":
        y_true, y_pred = _one_hot(labels, c), _one_hot(labels, c)
        want, what = 0.0, "predictions equal to the one-hot targets (entries exactly 0 and 1)"
    elif case == "confidently_wrong":
        y_true, y_pred = labels, _one_hot(_wrong_classes(rng, labels, c), c)
        want, what = minus_log_eps, "predictions putting probability exactly 0 on the true class"
    else:
        wrong = rng.permutation(np.arange(n) < int(rng.integers(1, n)))
        predicted = np.where(wrong, _wrong_classes(rng, labels, c), labels)
        y_true, y_pred = _one_hot(labels, c), _one_hot(predicted, c)
        want = minus_log_eps * wrong.mean()
        what = "one-hot targets and 0/1 predictions, some right and some wrong"
    got = _scalar(submission.cross_entropy(y_true, y_pred), what)
    check(np.isfinite(got), f"the loss for {what} came back as {got}; {CLIP}")
    assert_close(
        got,
        want,
        rtol=1e-9,
        atol=1e-9,
        msg=f"wrong loss for {what} with the default eps=1e-12: a true-class probability of 1 "
        "costs -log(1 - eps) (about 0) and one of 0 costs -log(eps) = 27.63."
        + _added_constant(got, labels, y_pred),
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("eps", "side"),
    [
        pytest.param(1e-3, "lower", id="lower_clip_eps_1e_3"),
        pytest.param(1e-6, "lower", id="lower_clip_eps_1e_6"),
        pytest.param(0.25, "upper", id="upper_clip_eps_quarter"),
    ],
)
def test_clipping_uses_eps(submission, reference, rng, eps, side):
    # Entries other than the exact 0s and 1s stay inside [eps, 1 - eps], and the 1s come in
    # rows of two classes, so that clipping moves nothing else: renormalising the clipped rows
    # (as sklearn's log_loss does) changes the loss by far less than the tolerance.
    n, c = int(rng.integers(2, 7)), 2 if side == "upper" else int(rng.integers(2, 6))
    labels = rng.integers(0, c, size=n)
    if side == "lower":
        y_pred = rng.uniform(1.0, 3.0, size=(n, c))
        y_pred /= y_pred.sum(axis=1, keepdims=True)
        zero = rng.permutation(np.arange(n) < int(rng.integers(1, n + 1)))
        y_pred[zero, labels[zero]] = 0.0
        y_pred /= y_pred.sum(axis=1, keepdims=True)
        what = f"true-class probabilities of exactly 0 in some rows, with eps={eps:g}"
        expect = f"-log(eps) = {-np.log(eps):.4g} for each of those samples"
    else:
        y_pred = _one_hot(labels, c)
        what = f"true-class probabilities of exactly 1 with eps={eps:g}"
        expect = f"-log(1 - eps) = {-np.log(1.0 - eps):.4g} per sample (the upper bound is 1 - eps)"
    want = reference.cross_entropy(labels, y_pred, eps=eps)
    got = _scalar(submission.cross_entropy(labels, y_pred, eps=eps), what)
    assert_close(
        got,
        want,
        rtol=1e-3,
        msg=f"wrong loss for {what}: expected {expect}. Clip with the eps argument, not a "
        "hard-coded constant: np.clip(y_pred, eps, 1 - eps)."
        + _added_constant(got, labels, y_pred),
    )


@pytest.mark.points(0.5)
def test_agrees_with_log_softmax(submission, rng):
    logits = rng.normal(scale=1.0, size=(16, 5))
    labels = rng.integers(0, 5, size=16)
    m = logits.max(axis=1, keepdims=True)
    log_softmax = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    want = -np.mean(log_softmax[np.arange(16), labels])
    probs = np.exp(log_softmax)
    got = _scalar(submission.cross_entropy(labels, probs), "softmax outputs of 16 samples")
    assert_close(
        got,
        want,
        rtol=LOOSE,
        msg="for y_pred = softmax(logits) the loss must equal the mean of "
        "logsumexp(logits_i) - logits_i[t_i] (the log-softmax form Keras uses with "
        "from_logits=True); yours differs",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    "case",
    [
        "one_hot_wrong_classes",
        "labels_wrong_length",
        "label_out_of_range",
        "negative_label",
        "float_labels",
        "y_pred_1d",
    ],
)
def test_bad_shapes_raise(submission, reference, rng, case):
    n, c = int(rng.integers(3, 7)), int(rng.integers(3, 6))
    y_pred = _probabilities(rng, n, c)
    labels = rng.integers(0, c, size=n)
    row = int(rng.integers(0, n))
    out_of_range, negative = labels.copy(), labels.copy()
    out_of_range[row], negative[row] = c, -int(rng.integers(1, c))
    y_true, what = {
        "one_hot_wrong_classes": (_one_hot(labels, c + 1), f"one-hot y_true ({n}, {c + 1}) "
                                  f"for y_pred ({n}, {c})"),
        "labels_wrong_length": (np.append(labels, 0), f"{n + 1} labels for {n} rows of y_pred"),
        "label_out_of_range": (out_of_range, f"label {c} with only {c} classes (0 .. {c - 1})"),
        "negative_label": (negative, "a negative label"),
        "float_labels": (labels.astype(np.float64), "labels of dtype float64"),
        "y_pred_1d": (labels, "a 1-D y_pred"),
    }[case]
    bad_pred = y_pred[:, 0] if case == "y_pred_1d" else y_pred

    def judge(got) -> None:
        assert_close(
            _scalar(got, "a valid batch"),
            reference.cross_entropy(labels, y_pred),
            rtol=LOOSE,
            msg="before refusing bad input, cross_entropy must give the right loss on a "
            "valid batch of integer labels",
        )

    rejects(
        submission.cross_entropy,
        ((y_true, bad_pred), {}),
        valid=((labels, y_pred), {}),
        judge=judge,
        what=what,
        hint="Shapes that do not fit and labels outside 0 .. C-1 must be rejected with "
        "ValueError and a clear message (a label -1 would silently select the last class)",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize("form", ["integer_labels", "one_hot"])
def test_inputs_not_modified(submission, reference, rng, form):
    n, c = int(rng.integers(4, 9)), int(rng.integers(2, 6))
    labels = rng.integers(0, c, size=n)
    y_pred = _probabilities(rng, n, c)
    y_true = labels if form == "integer_labels" else _one_hot(labels, c)
    kind = "integer labels" if form == "integer_labels" else "one-hot rows"
    assert_close(
        _scalar(submission.cross_entropy(y_true, y_pred), f"{kind} of {n} samples"),
        reference.cross_entropy(y_true, y_pred),
        rtol=LOOSE,
        msg=f"wrong loss for {kind} of {n} samples over {c} classes",
    )
    # Exact 0s and 1s: the entries that clipping changes, so an in-place clip shows.
    hard = rng.permutation(np.arange(n) < int(rng.integers(1, n)))
    y_pred[hard] = _one_hot(_wrong_classes(rng, labels[hard], c), c)
    seen = observe(submission.cross_entropy, y_true, y_pred)
    what = f"{kind} and a ({n}, {c}) y_pred holding exact 0s and 1s"
    got = _scalar(seen.value, what)
    check(np.isfinite(got), f"the loss for {what} came back as {got}; {CLIP}")
    check_unchanged(
        seen,
        f"cross_entropy(y_true, y_pred) with {what}",
        "The README says: do not modify y_true or y_pred. np.clip(y_pred, eps, 1 - eps) "
        "returns a new array; np.clip(..., out=y_pred) or y_pred[y_pred == 0] = eps overwrite "
        "the caller's predictions",
    )


@pytest.mark.points(0.5)
def test_written_yourself(submission, reference, rng, credit):
    y_pred, labels = _probabilities(rng, 6, 3), rng.integers(0, 3, size=6)
    assert_close(
        _scalar(submission.cross_entropy(labels, y_pred), "a batch of 6 samples"),
        reference.cross_entropy(labels, y_pred),
        rtol=LOOSE,
        msg="wrong loss for a batch of 6 integer labels over 3 classes",
    )
    check_written_yourself(
        submission,
        "The README asks for your own code: the grader package (other than grader.check, "
        "the self-check) is not part of a solution.",
        credit,
    )
