"""Hidden suite for the k-fold assignment (10 points).

Lecture idea: cut the n samples into k nearly equal parts; each part is the validation set
once while the model trains on the rest; average the k validation scores.

``kfold_indices`` may return a list or be a generator: every result goes through ``list(...)``.
The scorer handed to ``cross_val_score`` is a plain function of this module; the student's
code calls it back, so the test sees exactly which rows it was given. Sizes, seeds and data
are drawn from the ``rng`` fixture (seeded per submission): each size family fixes what it
tests (the remainder n % k) and draws the rest.

The README's rules are tests too: ``X`` and ``y`` are not written into (checked in the worker,
where the call's own arrays live) and the folds are not borrowed from sklearn or the grader
(``[rules] forbidden``, read in the source and trapped at run time).
"""

import itertools

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


def _draw(rng, case: str) -> tuple[int, int]:
    """(n, k) of one size family; the family fixes the remainder n % k, the draw the rest."""
    if case == "remainder_one":
        k = int(rng.integers(3, 7))
        return k * int(rng.integers(2, 7)) + 1, k
    if case == "remainder_several":
        k = int(rng.integers(4, 8))
        return k * int(rng.integers(2, 6)) + int(rng.integers(2, k)), k
    if case == "k_equals_n":
        k = int(rng.integers(4, 10))
        return k, k
    if case == "many_samples":
        k = int(rng.integers(5, 10))
        return k * int(rng.integers(10, 20)) + int(rng.integers(1, k)), k
    if case == "two_folds_odd":
        return 2 * int(rng.integers(2, 8)) + 1, 2
    if case == "divisible":
        k = int(rng.integers(3, 7))
        return k * int(rng.integers(2, 6)), k
    raise ValueError(case)


def _size_hint(sizes: list[int], want: list[int], n: int, k: int) -> str:
    """What the wrong sizes say about the fault, so the hint names the real one."""
    rule = ("with q, r = divmod(n, k) the first r folds get q + 1 indices and the others q, so "
            "sizes differ by at most one")
    if sum(sizes) < n:
        return (f"the folds hold only {sum(sizes)} of the {n} indices, so the remainder "
                f"r = n % k = {n % k} was dropped; {rule} (every index is validated once)")
    if sum(sizes) > n:
        return f"the folds hold {sum(sizes)} indices for n={n}: some are repeated; {rule}"
    if sizes and sizes[-1] > max(want):
        return f"{rule}; the last fold must not collect the remainder"
    return rule + " (the larger folds come first)"


SIZE_CASES = ["remainder_one", "remainder_several", "k_equals_n", "many_samples",
              "two_folds_odd", "divisible"]


@pytest.mark.points(1.5, shared=True)
@pytest.mark.parametrize("case", SIZE_CASES)
def test_fold_sizes_match_kfold(submission, rng, case):
    n, k = _draw(rng, case)
    what = f"n_samples={n}, k={k}"
    folds = _folds(submission.kfold_indices(n, k), n, k, what)
    sizes = [len(val) for _, val in folds]
    want = _expected_sizes(n, k)
    check(sizes == want, f"validation sizes for {what} are {sizes}, expected {want}: "
          + _size_hint(sizes, want, n, k))
    train_sizes = [len(train) for train, _ in folds]
    check(
        train_sizes == [n - s for s in want],
        f"training sizes for {what} are {train_sizes}, expected {[n - s for s in want]}: "
        "train_idx holds exactly the indices that are not in val_idx (never validate on "
        "training data)",
    )


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("case", "shuffle"),
    [
        pytest.param("remainder_one", False, id="unshuffled"),
        pytest.param("remainder_several", False, id="unshuffled_remainder"),
        pytest.param("remainder_several", True, id="shuffled"),
        pytest.param("many_samples", True, id="shuffled_many"),
    ],
)
def test_folds_partition_indices(submission, rng, case, shuffle):
    n, k = _draw(rng, case)
    what = f"n_samples={n}, k={k}, shuffle={shuffle}"
    kwargs = {"shuffle": True, "seed": int(rng.integers(0, 2**31))} if shuffle else {}
    folds = _folds(submission.kfold_indices(n, k, **kwargs), n, k, what)
    _check_partition(folds, n, what)


@pytest.mark.points(1)
def test_no_shuffle_consecutive_in_order(submission, rng):
    n, k = _draw(rng, "remainder_several")
    bounds = np.concatenate(([0], np.cumsum(_expected_sizes(n, k))))
    want_val = [np.arange(a, b) for a, b in itertools.pairwise(bounds)]
    seed = int(rng.integers(0, 2**31))
    for kwargs in ({}, {"shuffle": False, "seed": seed}):
        what = f"n_samples={n}, k={k}" + (f", shuffle=False, seed={seed}" if kwargs else "")
        folds = _folds(submission.kfold_indices(n, k, **kwargs), n, k, what)
        for i, (train, val) in enumerate(folds):
            check(
                np.array_equal(val, want_val[i]),
                f"fold {i} for {what}: without shuffling the validation sets are consecutive "
                f"blocks in order, block {i} being {want_val[i][0]} .. {want_val[i][-1]} in "
                f"ascending order; fold {i} got {len(val)} indices that are not block {i}"
                + (" (the seed must be ignored when shuffle=False)" if kwargs else ""),
            )
            want_train = np.setdiff1d(np.arange(n), want_val[i])
            check(
                np.array_equal(train, want_train),
                f"fold {i} for {what}: train_idx must be all other indices in ascending order",
            )


@pytest.mark.points(1)
def test_shuffle_deterministic_per_seed(submission, rng):
    k = int(rng.integers(3, 7))
    n = k * int(rng.integers(10, 20)) + int(rng.integers(0, k))
    what = f"n_samples={n}, k={k}, shuffle=True"
    seed, other_seed = (int(s) for s in rng.choice(2**31, size=2, replace=False))

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

    first, again, other = val_sets(seed), val_sets(seed), val_sets(other_seed)
    check(
        first == again,
        f"two calls with {what}, seed={seed} gave different folds: the same seed must give the "
        "same folds (draw the permutation from np.random.default_rng(seed), not from global or "
        "unseeded randomness)",
    )
    check(
        first != other,
        f"{what} gave identical folds for seed={seed} and seed={other_seed}: the seed must "
        "drive the shuffle",
    )
    bounds = np.concatenate(([0], np.cumsum(_expected_sizes(n, k))))
    plain = [frozenset(range(a, b)) for a, b in itertools.pairwise(bounds)][:2]
    check(
        first[:2] != plain,
        f"{what}, seed={seed} gave the unshuffled blocks: shuffle=True must permute the indices",
    )


def _fold_list(submission):
    """kfold_indices with its folds materialised: a generator raises only when iterated."""

    def folds(n, k):
        return list(submission.kfold_indices(n, k))

    return folds


@pytest.mark.points(1, shared=True)
@pytest.mark.parametrize(
    ("k", "why"),
    [
        pytest.param(1, "k=1 leaves nothing to train on", id="k1"),
        pytest.param(0, "k=0 folds make no sense", id="k0"),
        pytest.param(-2, "a negative k makes no sense", id="k_negative"),
        pytest.param("n+1", "k above n_samples would leave a fold empty", id="k_above_n"),
        pytest.param(2.5, "k=2.5 is not an integer", id="k_float"),
        pytest.param(3.0, "k=3.0 is a float, not an integer", id="k_whole_float"),
        pytest.param("cvs", "cross_val_score with k=1 must refuse too", id="cross_val_score_k1"),
    ],
)
def test_bad_k_raises(submission, rng, k, why):
    n, good_k = _draw(rng, "remainder_several")
    hint = "Check k yourself (an integer with 2 <= k <= n_samples) and raise ValueError"
    if k == "cvs":
        X, y = _indexed_data(rng, n)
        scorer, calls = _recording_scorer()

        def judge(result) -> None:
            check(
                len(calls) == good_k and isinstance(result, (tuple, list)) and len(result) == 2,
                f"before refusing k=1, cross_val_score with k={good_k} on {n} samples must "
                "call fit_and_score once per fold and return (mean_score, per_fold_scores)",
            )
            calls.clear()

        rejects(submission.cross_val_score, ((scorer, X, y, 1), {}),
                valid=((scorer, X, y, good_k), {}), judge=judge, what=why, hint=hint)
        check(not calls, f"{why}; raise ValueError before calling fit_and_score")
        return

    def judge_folds(folds) -> None:
        what = f"n_samples={n}, k={good_k}"
        _check_partition(_folds(folds, n, good_k, what), n, what)

    bad_k = n + 1 if k == "n+1" else k
    rejects(_fold_list(submission), ((n, bad_k), {}), valid=((n, good_k), {}),
            judge=judge_folds, what=f"{why} (n_samples={n}, k={bad_k})", hint=hint)


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
    for case in ("remainder_several", "two_folds_odd", "k_equals_n"):
        n, k = _draw(rng, case)
        X, y = _indexed_data(rng, n)
        scorer, calls = _recording_scorer()
        submission.cross_val_score(scorer, X, y, k)
        check(
            len(calls) == k,
            f"cross_val_score with k={k} on {n} samples called fit_and_score {len(calls)} "
            f"times; it must be called exactly k={k} times, once per fold (no extra call on "
            "the full data, no fold twice)",
        )


@pytest.mark.points(1.5)
@pytest.mark.timeout(30)
def test_cross_val_score_passes_fold_slices(submission, rng):
    n, k = _draw(rng, "remainder_several")
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
                arr.ndim == 2 and arr.shape[1:] == X.shape[1:],
                f"call {i}: {name} should be the {len(rows)} rows of X of fold {i}, shape "
                f"({len(rows)}, {X.shape[1]}); got shape {arr.shape}, which is no slice of X's "
                "rows. Call fit_and_score(X[train_idx], y[train_idx], X[val_idx], y[val_idx]) "
                "in this order",
            )
            check(
                len(arr) == len(rows),
                f"call {i}: {name} has {len(arr)} rows of X, expected {len(rows)}: fold {i} of "
                f"the unshuffled folds validates rows {want_val[0]} .. {want_val[-1]} and trains "
                "on all other rows, none dropped and none repeated (slice X with the fold's "
                "own index arrays)",
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
    n, k = _draw(rng, "remainder_several")
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


@pytest.mark.points(0.5)
@pytest.mark.timeout(30)
def test_inputs_not_modified(submission, rng):
    n, k = _draw(rng, "remainder_several")
    X, y = _indexed_data(rng, n)
    scorer, calls = _recording_scorer()
    seen = observe(submission.cross_val_score, scorer, X, y, k)
    check(len(calls) == k, f"fit_and_score was called {len(calls)} times instead of k={k}")
    check(
        isinstance(seen.value, (tuple, list)) and len(seen.value) == 2,
        "cross_val_score must return a pair (mean_score, per_fold_scores)",
    )
    check_unchanged(
        seen,
        f"cross_val_score(fit_and_score, X, y, k={k}) on a ({n}, 3) X",
        "The README says: do not modify X or y. Slicing (X[train_idx]) makes new arrays; "
        "X -= ..., X.sort() or np.random.shuffle(X) change the caller's data",
    )


@pytest.mark.points(0.5)
@pytest.mark.timeout(30)
def test_written_yourself(submission, rng, credit):
    n, k = _draw(rng, "remainder_one")
    what = f"n_samples={n}, k={k}"
    _check_partition(_folds(submission.kfold_indices(n, k), n, k, what), n, what)
    X, y = _indexed_data(rng, n)
    scorer, calls = _recording_scorer()
    submission.cross_val_score(scorer, X, y, k)
    check(len(calls) == k, f"fit_and_score was called {len(calls)} times instead of k={k}")
    check_written_yourself(
        submission,
        "The README asks for the folds written with numpy: sklearn's KFold, StratifiedKFold, "
        "RepeatedKFold, cross_val_score and cross_validate (and the grader's own code) skip "
        "the exercise.",
        credit,
    )
