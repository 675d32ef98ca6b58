import random


def kfold_indices(n_samples, k, shuffle=False, seed=None):
    try:
        ok = int(k) == k and not isinstance(k, bool) and not isinstance(k, float)
    except (TypeError, ValueError):
        ok = False
    if not ok or k < 2 or k > n_samples:
        raise ValueError(f"invalid k={k!r} for {n_samples} samples")
    order = list(range(n_samples))
    if shuffle:
        random.Random(seed).shuffle(order)
    q, r = n_samples // k, n_samples % k
    cuts = [0]
    for i in range(k):
        cuts.append(cuts[-1] + q + (i < r))
    pairs = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        held = sorted(order[a:b])
        rest = sorted(order[:a] + order[b:])
        pairs.append((rest, held))
    return pairs


def cross_val_score(fit_and_score, X, y, k):
    per_fold = []
    for train_ids, val_ids in kfold_indices(len(X), k):
        s = fit_and_score(X[train_ids], y[train_ids], X[val_ids], y[val_ids])
        per_fold.append(float(s))
    mean = sum(per_fold) / len(per_fold)
    return mean, per_fold
