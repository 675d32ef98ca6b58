"""Hidden suite for the cross-entropy assignment (10 points).

Lecture idea: the loss is the batch mean of -sum_c y log(y_hat); log(0) = -inf and 0 * log(0) =
nan, so y_hat is clipped into [eps, 1 - eps] first. Integer labels and one-hot rows are two
spellings of the same targets.
"""

import numpy as np
import pytest

from grader.testing import assert_close, check

CLIP = (
    "log(0) is -inf and 0 * log(0) is nan: clip y_pred into [eps, 1 - eps] with "
    "np.clip(y_pred, eps, 1 - eps) before taking the logarithm"
)

Y_PRED = np.array([[0.7, 0.2, 0.1], [0.25, 0.5, 0.25]])
LOSS = (-np.log(0.7) - np.log(0.5)) / 2  # 0.52491106...


def _scalar(got, what: str) -> float:
    check(got is not None, f"cross_entropy returned None for {what}: return the mean loss")
    check(
        np.ndim(got) == 0,
        f"cross_entropy returned an array of shape {np.shape(got)} for {what}; return a single "
        "number, the mean over the batch, not one loss per sample",
    )
    return float(got)


def _probabilities(rng, n: int, c: int, scale: float = 2.0) -> np.ndarray:
    z = rng.normal(scale=scale, size=(n, c))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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
        rtol=1e-9,
        msg="two samples with true-class probabilities 0.7 and 0.5 should give "
        "(-log 0.7 - log 0.5) / 2 = 0.5249: the natural log of the true class's probability, "
        "negated, averaged over the batch",
    )


@pytest.mark.points(2, shared=True)
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
        y_true, y_pred = [2, 0, 1], [[0.1, 0.3, 0.6], [0.8, 0.1, 0.1], [0.2, 0.5, 0.3]]
        want = -(np.log(0.6) + np.log(0.8) + np.log(0.5)) / 3
        what = "labels and probabilities given as Python lists"
    got = _scalar(submission.cross_entropy(y_true, y_pred), what)
    assert_close(
        got,
        want,
        rtol=1e-9,
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
        rtol=1e-9,
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
def test_mean_over_batch_not_sum(submission):
    row = np.array([[0.2, 0.3, 0.5]])
    one = _scalar(submission.cross_entropy(np.array([2]), row), "a single sample")
    ten = _scalar(
        submission.cross_entropy(np.full(10, 2), np.repeat(row, 10, axis=0)),
        "ten copies of the same sample",
    )
    assert_close(
        one,
        -np.log(0.5),
        rtol=1e-9,
        msg="one sample with true-class probability 0.5 should have loss -log(0.5) = 0.6931",
    )
    assert_close(
        ten,
        one,
        rtol=1e-9,
        msg="ten copies of one sample must have the same loss as the sample alone: the loss is "
        "the mean over the batch, not the sum (and not the mean over samples and classes)",
    )


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize("case", ["perfect_predictions", "confidently_wrong", "mixed_one_hot"])
def test_probabilities_zero_and_one(submission, case):
    minus_log_eps = -np.log(1e-12)  # 27.631...
    if case == "perfect_predictions":
        y_true = np.eye(3)[[0, 2, 1, 2]]
        y_pred = y_true.copy()
        want, what = 0.0, "predictions equal to the one-hot targets (entries exactly 0 and 1)"
    elif case == "confidently_wrong":
        y_true = np.array([0, 1, 2])
        y_pred = np.eye(3)[[1, 2, 0]]
        want, what = minus_log_eps, "predictions putting probability exactly 0 on the true class"
    else:
        y_true = np.eye(3)[[0, 1, 2, 0]]
        y_pred = np.eye(3)[[0, 1, 0, 1]]
        want = minus_log_eps / 2
        what = "one-hot targets and 0/1 predictions, half right and half wrong"
    got = _scalar(submission.cross_entropy(y_true, y_pred), what)
    check(np.isfinite(got), f"the loss for {what} came back as {got}; {CLIP}")
    assert_close(
        got,
        want,
        rtol=1e-9,
        atol=1e-9,
        msg=f"wrong loss for {what} with the default eps=1e-12: a true-class probability of 1 "
        "costs -log(1 - eps) (about 0) and one of 0 costs -log(eps) = 27.63",
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
def test_clipping_uses_eps(submission, eps, side):
    if side == "lower":
        y_true = np.array([0, 1])
        y_pred = np.array([[0.0, 0.6, 0.4], [0.2, 0.8, 0.0]])
        want = (-np.log(eps) - np.log(0.8)) / 2
        what = f"a true-class probability of exactly 0 with eps={eps:g}"
        expect = f"-log(eps) = {-np.log(eps):.4g} for that sample"
    else:
        y_true = np.array([0, 1])
        y_pred = np.array([[1.0, 0.0], [0.0, 1.0]])
        want = -np.log(1.0 - eps)
        what = f"true-class probabilities of exactly 1 with eps={eps:g}"
        expect = f"-log(1 - eps) = {want:.4g} per sample (the upper bound is 1 - eps)"
    got = _scalar(submission.cross_entropy(y_true, y_pred, eps=eps), what)
    assert_close(
        got,
        want,
        rtol=1e-3,
        msg=f"wrong loss for {what}: expected {expect}. Clip with the eps argument, not a "
        "hard-coded constant: np.clip(y_pred, eps, 1 - eps)",
    )


@pytest.mark.points(1)
def test_agrees_with_log_softmax(submission, rng):
    logits = rng.normal(scale=4.0, size=(16, 5))
    labels = rng.integers(0, 5, size=16)
    m = logits.max(axis=1, keepdims=True)
    log_softmax = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    want = -np.mean(log_softmax[np.arange(16), labels])
    probs = np.exp(log_softmax)
    got = _scalar(submission.cross_entropy(labels, probs), "softmax outputs of 16 samples")
    assert_close(
        got,
        want,
        rtol=1e-9,
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
def test_bad_shapes_raise(submission, case):
    y_pred = np.full((3, 4), 0.25)
    y_true, what = {
        "one_hot_wrong_classes": (np.eye(5)[[0, 1, 2]], "one-hot y_true (3, 5) for y_pred (3, 4)"),
        "labels_wrong_length": (np.array([0, 1, 2, 3]), "4 labels for 3 rows of y_pred"),
        "label_out_of_range": (np.array([0, 4, 1]), "label 4 with only 4 classes (0 .. 3)"),
        "negative_label": (np.array([0, -1, 1]), "label -1"),
        "float_labels": (np.array([0.0, 1.0, 2.0]), "labels of dtype float64"),
        "y_pred_1d": (np.array([0, 1, 2]), "a 1-D y_pred"),
    }[case]
    if case == "y_pred_1d":
        y_pred = np.array([0.2, 0.3, 0.5])
    try:
        got = submission.cross_entropy(y_true, y_pred)
    except ValueError:
        return
    except Exception as exc:  # the student's own exception, carried back from the worker
        raise AssertionError(
            f"{what}: expected ValueError, but {type(exc).__name__} was raised. Check the "
            "shapes and labels yourself and raise ValueError with a clear message"
        ) from None
    raise AssertionError(
        f"{what}: expected ValueError, but cross_entropy returned a {type(got).__name__}. "
        "Shapes that do not fit and labels outside 0 .. C-1 must be rejected (a label -1 would "
        "silently select the last class)"
    )
