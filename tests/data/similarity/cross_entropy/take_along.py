import numpy as np

EPS_DEFAULT = 1e-12


def check_inputs(labels, probs):
    if probs.ndim != 2:
        raise ValueError("probabilities must be two-dimensional")
    if labels.ndim not in (1, 2):
        raise ValueError("labels must be 1-D or 2-D")
    if labels.shape[0] != probs.shape[0]:
        raise ValueError("different number of samples")


def cross_entropy(y_true, y_pred, eps=EPS_DEFAULT):
    labels, probs = np.asarray(y_true), np.asarray(y_pred, dtype=np.float64)
    check_inputs(labels, probs)
    logp = np.log(np.clip(probs, eps, 1.0 - eps))
    if labels.ndim == 2:
        if labels.shape[1] != probs.shape[1]:
            raise ValueError("wrong number of classes")
        return float(np.mean(np.einsum("ij,ij->i", -labels, logp)))
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("integer labels please")
    if labels.min() < 0 or labels.max() > probs.shape[1] - 1:
        raise ValueError("label out of range")
    chosen = np.take_along_axis(logp, labels[:, None], axis=1)[:, 0]
    return float(-chosen.mean())
