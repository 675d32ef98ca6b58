"""Hidden suite for the k-fold assignment (10 points).

Lecture idea: cut the n samples into k nearly equal parts; each part is the validation set
once while the model trains on the rest; average the k validation scores.

``kfold_indices`` may return a list or be a generator: every result goes through ``list(...)``.
The scorer handed to ``cross_val_score`` is a plain function of this module; the student's
code calls it back, so the test sees exactly which rows it was given.
"""

import itertools

import numpy as np
import pytest

from grader.testing import assert_close, check


def _expected_sizes(n: int, k: int) -> list[int]:
    q, r = divmod(n, k)
    return [q + 1] * r + [q] * (k - r)


def _folds(result, n: int, k: int, what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Materialise what kfold_indices returned and check its structure."""
    check(result is not None, f"kfold_indices returned None for {what}: return or yield folds")
    folds = list(result)
    check(
        len(folds) == k,
        f"kfold_indices for {what} gave {len(folds)} folds; exactly k={k} are expected",
    )
    out = []
    for i, fold in enumerate(folds):
        check(
            len(fold) == 2,
            f"fold {i} for {what} is not a pair (train_idx, val_idx)",
        )
        train, val = (np.asarray(a) for a in fold)
        for name, arr in (("train_idx", train), ("val_idx", val)):
            check(
                arr.ndim == 1 and (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)),
                f"fold {i} for {what}: {name} must be a 1-D integer array, got shape "
                f"{arr.shape} and dtype {arr.dtype}",
            )
        out.append((train.astype(np.int64), val.astype(np.int64)))
    return out


def _check_partition(folds, n: int, what: str) -> None:
    everything = np.arange(n)
    seen = np.concatenate([val for _, val in folds])
    check(
        len(seen) == n and np.array_equal(np.sort(seen), everything),
        f"for {what} the validation sets must be disjoint and together hold every index "
        "0 .. n-1 exactly once (each sample is validated once); some index is missing or "
        "repeated",
    )
    for i, (train, val) in enumerate(folds):
        both = np.concatenate([train, val])
        check(
            len(both) == n and np.array_equal(np.sort(both), everything),
            f"fold {i} for {what}: train_idx and val_idx must be disjoint and together be all "
            f"n={n} indices (train on everything that is not validated); got {len(train)} "
            f"train and {len(val)} validation indices that do not partition 0 .. n-1",
        )


SIZE_CASES = [
    pytest.param(10, 3, id="n10_k3"),
    pytest.param(11, 4, id="n11_k4"),
    pytest.param(7, 7, id="n7_k7"),
    pytest.param(100, 6, id="n100_k6"),
    pytest.param(5, 2, id="n5_k2"),
    pytest.param(12, 4, id="n12_k4"),
]


@pytest.mark.points(2, shared=True)
@pytest.mark.parametrize(("n", "k"), SIZE_CASES)
def test_fold_sizes_match_kfold(submission, n, k):
    what = f"n_samples={n}, k={k}"
    folds = _folds(submission.kfold_indices(n, k), n, k, what)
    sizes = [len(val) for _, val in folds]
    want = _expected_sizes(n, k)
    check(
        sizes == want,
        f"validation sizes for {what} are {sizes}, expected {want}: with q, r = divmod(n, k) "
        "the first r folds get q + 1 indices and the others q, so sizes differ by at most one "
        "(the last fold must not collect the remainder)",
    )
    train_sizes = [len(train) for train, _ in folds]
    check(
        train_sizes == [n - s for s in want],
        f"training sizes for {what} are {train_sizes}, expected {[n - s for s in want]}: "
        "train_idx holds exactly the indices that are not in val_idx (never validate on "
        "training data)",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("n", "k", "shuffle"),
    [
        pytest.param(10, 3, False, id="n10_k3"),
        pytest.param(23, 5, False, id="n23_k5"),
        pytest.param(23, 5, True, id="n23_k5_shuffled"),
        pytest.param(50, 7, True, id="n50_k7_shuffled"),
    ],
)
def test_folds_partition_indices(submission, n, k, shuffle):
    what = f"n_samples={n}, k={k}, shuffle={shuffle}"
    kwargs = {"shuffle": True, "seed": 3} if shuffle else {}
    folds = _folds(submission.kfold_indices(n, k, **kwargs), n, k, what)
    _check_partition(folds, n, what)


@pytest.mark.points(1)
def test_no_shuffle_consecutive_in_order(submission):
    want_val = [np.arange(0, 4), np.arange(4, 8), np.arange(8, 11)]
    for kwargs in ({}, {"shuffle": False, "seed": 5}):
        what = "n_samples=11, k=3" + (", shuffle=False, seed=5" if kwargs else "")
        folds = _folds(submission.kfold_indices(11, 3, **kwargs), 11, 3, what)
        for i, (train, val) in enumerate(folds):
            check(
                np.array_equal(val, want_val[i]),
                f"fold {i} for {what}: without shuffling the validation sets are consecutive "
                f"blocks in order, [0..3], [4..7], [8..10] in ascending order; fold {i} "
                f"got {len(val)} indices that are not block {i}"
                + (" (the seed must be ignored when shuffle=False)" if kwargs else ""),
            )
            want_train = np.setdiff1d(np.arange(11), want_val[i])
            check(
                np.array_equal(train, want_train),
                f"fold {i} for {what}: train_idx must be all other indices in ascending order",
            )


@pytest.mark.points(1)
def test_shuffle_deterministic_per_seed(submission):
    n, k = 60, 4
    what = f"n_samples={n}, k={k}, shuffle=True"

    def val_sets(seed):
        folds = _folds(
            submission.kfold_indices(n, k, shuffle=True, seed=seed), n, k, f"{what}, seed={seed}"
        )
        _check_partition(folds, n, f"{what}, seed={seed}")
        sizes = [len(v) for _, v in folds]
        check(
            sizes == _expected_sizes(n, k),
            f"shuffling must not change the fold sizes: got {sizes} for {what}",
        )
        return [frozenset(v.tolist()) for _, v in folds]

    first, again, other = val_sets(7), val_sets(7), val_sets(8)
    check(
        first == again,
        f"two calls with {what}, seed=7 gave different folds: the same seed must give the same "
        "folds (draw the permutation from np.random.default_rng(seed), not from global or "
        "unseeded randomness)",
    )
    check(
        first != other,
        f"{what} gave identical folds for seed=7 and seed=8: the seed must drive the shuffle",
    )
    plain = [frozenset(range(0, 15)), frozenset(range(15, 30))]
    check(
        first[:2] != plain,
        f"{what}, seed=7 gave the unshuffled blocks: shuffle=True must permute the indices",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("k", "why"),
    [
        pytest.param(1, "k=1 leaves nothing to train on", id="k1"),
        pytest.param(0, "k=0 folds make no sense", id="k0"),
        pytest.param(-2, "a negative k makes no sense", id="k_negative"),
        pytest.param(6, "k=6 folds of 5 samples would leave a fold empty", id="k_above_n"),
        pytest.param(2.5, "k=2.5 is not an integer", id="k_float"),
        pytest.param(3.0, "k=3.0 is a float, not an integer", id="k_whole_float"),
        pytest.param("cvs", "cross_val_score with k=1 must refuse too", id="cross_val_score_k1"),
    ],
)
def test_bad_k_raises(submission, k, why):
    calls = []

    def fit_and_score(X_train, y_train, X_val, y_val):
        calls.append(1)
        return 0.0

    try:
        if k == "cvs":
            got = submission.cross_val_score(fit_and_score, np.zeros((5, 2)), np.zeros(5), 1)
        else:
            got = list(submission.kfold_indices(5, k))
    except ValueError:
        check(not calls, f"{why}; raise ValueError before calling fit_and_score")
        return
    except Exception as exc:  # the student's own exception, carried back from the worker
        raise AssertionError(
            f"{why}: expected ValueError, but {type(exc).__name__} was raised. Check k "
            "yourself (an integer with 2 <= k <= n_samples) and raise ValueError"
        ) from None
    raise AssertionError(
        f"{why}: expected ValueError, but the call returned a {type(got).__name__}. Check k "
        "yourself (an integer with 2 <= k <= n_samples) and raise ValueError"
    )


def _recording_scorer():
    """A scorer that remembers what it was given; returns the mean validation target."""
    calls = []

    def fit_and_score(X_train, y_train, X_val, y_val):
        calls.append(tuple(np.asarray(a) for a in (X_train, y_train, X_val, y_val)))
        return float(np.mean(np.asarray(y_val, dtype=float)))

    return fit_and_score, calls


def _indexed_data(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    """X with the row number in column 0, y = 2 * row + 1: every slice names its rows."""
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=(n, 2))])
    return X, 2.0 * np.arange(n) + 1.0


@pytest.mark.points(1)
@pytest.mark.timeout(30)
def test_cross_val_score_calls_scorer_k_times(submission, rng):
    for n, k in ((13, 4), (6, 2), (9, 9)):
        X, y = _indexed_data(rng, n)
        scorer, calls = _recording_scorer()
        submission.cross_val_score(scorer, X, y, k)
        check(
            len(calls) == k,
            f"cross_val_score with k={k} on {n} samples called fit_and_score {len(calls)} "
            f"times; it must be called exactly k={k} times, once per fold (no extra call on "
            "the full data, no fold twice)",
        )


@pytest.mark.points(2)
@pytest.mark.timeout(30)
def test_cross_val_score_passes_fold_slices(submission, rng):
    n, k = 14, 4
    X, y = _indexed_data(rng, n)
    scorer, calls = _recording_scorer()
    submission.cross_val_score(scorer, X, y, k)
    check(len(calls) == k, f"fit_and_score was called {len(calls)} times instead of k={k}")
    sizes = _expected_sizes(n, k)
    start = 0
    for i, (X_train, y_train, X_val, y_val) in enumerate(calls):
        want_val = np.arange(start, start + sizes[i])
        want_train = np.setdiff1d(np.arange(n), want_val)
        start += sizes[i]
        for name, arr, rows in (
            ("X_train", X_train, want_train),
            ("X_val", X_val, want_val),
        ):
            check(
                arr.ndim == 2 and arr.shape[1:] == X.shape[1:] and len(arr) == len(rows),
                f"call {i}: {name} should be the {len(rows)} rows of X of fold {i}, shape "
                f"({len(rows)}, {X.shape[1]}); got shape {arr.shape}. Call "
                "fit_and_score(X[train_idx], y[train_idx], X[val_idx], y[val_idx]) in this order",
            )
            got_rows = np.sort(arr[:, 0]).astype(int)
            check(
                np.array_equal(got_rows, rows),
                f"call {i}: {name} holds the wrong rows of X; fold {i} of the unshuffled folds "
                f"validates rows {want_val[0]} .. {want_val[-1]} and trains on all other rows",
            )
        for name, ys, xs in (("y_train", y_train, X_train), ("y_val", y_val, X_val)):
            check(
                ys.shape == (len(xs),) and np.array_equal(ys, 2.0 * xs[:, 0] + 1.0),
                f"call {i}: {name} does not belong to the same rows as the X part passed with "
                "it; slice X and y with the same index array",
            )


@pytest.mark.points(1)
@pytest.mark.timeout(30)
def test_cross_val_score_returns_mean_and_scores(submission, rng):
    n, k = 14, 4
    X, y = _indexed_data(rng, n)
    scorer, calls = _recording_scorer()
    result = submission.cross_val_score(scorer, X, y, k)
    check(len(calls) == k, f"fit_and_score was called {len(calls)} times instead of k={k}")
    check(
        isinstance(result, (tuple, list)) and len(result) == 2,
        "cross_val_score must return a pair (mean_score, per_fold_scores); got a "
        f"{type(result).__name__}",
    )
    mean, scores = result
    scores = np.asarray(scores, dtype=float)
    sizes = _expected_sizes(n, k)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    want = [float(np.mean(2.0 * np.arange(a, b) + 1.0)) for a, b in itertools.pairwise(bounds)]
    check(
        scores.shape == (k,),
        f"per_fold_scores should hold k={k} scores, got shape {scores.shape}",
    )
    assert_close(
        scores,
        want,
        rtol=1e-12,
        msg="per_fold_scores must be the values fit_and_score returned, in fold order",
    )
    check(np.ndim(mean) == 0, "mean_score must be a single number")
    assert_close(
        float(mean),
        np.mean(want),
        rtol=1e-12,
        msg=f"mean_score must be the mean of the k={k} fold scores (their sum divided by k), "
        "the cross-validation estimate",
    )
