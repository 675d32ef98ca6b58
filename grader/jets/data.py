"""The jet data: the real OpenML set when a machine has it, a generated surrogate when not.

The jet-classifier assignment is graded on OpenML 42468 ``hls4ml_lhc_jets_hlf`` (830,000
simulated LHC jets at about 1 TeV, 16 high-level substructure features, five classes g, q, t,
w, z). Machines without network access (this project's CI, an offline demo, a student on a
train) cannot download it, so :func:`load_jets` can also produce a **surrogate**: generated
data with the same schema and physics-shaped class-conditional distributions, tuned so that
the reference network lands where the published baseline does on the real data. Numbers
measured on the surrogate say nothing about the real data beyond "the pipeline works".

The generator is public (the student bundle ships it), so the data it grades on must not be:
the surrogate has no default seed, and the grader draws its seed from the course secret
(:func:`surrogate_seed`). A student who rebuilds "the" surrogate gets other jets than the
held-out ones. (The real data is public with its labels: there only the sandbox, which
shows students neither this package nor the network, stands between a test jet and its
label.)

This module is on the trusted side and never imports TensorFlow.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..seeds import derive_seed

FEATURES: tuple[str, ...] = (
    "zlogz",
    "c1_b0_mmdt",
    "c1_b1_mmdt",
    "c1_b2_mmdt",
    "c2_b1_mmdt",
    "c2_b2_mmdt",
    "d2_b1_mmdt",
    "d2_b2_mmdt",
    "d2_a1_b1_mmdt",
    "d2_a1_b2_mmdt",
    "m2_b1_mmdt",
    "m2_b2_mmdt",
    "n2_b1_mmdt",
    "n2_b2_mmdt",
    "mass_mmdt",
    "multiplicity",
)
"""The 16 feature columns, in the order OpenML 42468 stores them."""

LABELS: tuple[str, ...] = ("g", "q", "t", "w", "z")
"""Class labels in the order ``LabelEncoder`` sorts them: index 0 is g, 4 is z."""

TARGET = "class"
OPENML_DATA_ID = 42468
OPENML_NAME = "hls4ml_lhc_jets_hlf"
N_JETS = 830_000
"""Rows in the real data set, and the default size of the surrogate."""

SOURCES = ("surrogate", "openml", "file")


class JetDataError(ValueError):
    """The jet data could not be loaded as asked (unknown source, bad file, wrong columns)."""


def surrogate_seed(secret: bytes) -> int:
    """The seed of the graded surrogate and of its subsamples and splits, from the secret."""
    return derive_seed(secret, "jet-surrogate")


def load_jets(
    source: str | os.PathLike[str] = "surrogate",
    *,
    data_path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    seed: int | None = None,
    n_samples: int | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Load the jets as ``(X, y)``.

    Args:
        source: ``"surrogate"`` (generated, offline), ``"openml"`` (``fetch_openml``, cached
            under ``cache_dir``), ``"file"`` (a local parquet or csv at ``data_path``), or a
            path to such a file directly.
        data_path: the file for ``source="file"``.
        cache_dir: ``data_home`` for ``fetch_openml``; sklearn's default cache when None.
        seed: seed of the surrogate (required: there is no default draw to rebuild; the
            grader's is :func:`surrogate_seed`); also picks the subsample when
            ``n_samples`` is given for real data (0 when None).
        n_samples: number of rows: a random subset of the real data, or a surrogate of
            that size (its own draw, not the first rows of the 830,000); all when None.

    Returns:
        ``X``, a float32 DataFrame with the columns :data:`FEATURES` in that order, and
        ``y``, a numpy array of the string labels ``g q t w z``.

    Raises:
        JetDataError: an unknown source, a missing file, a table without the schema, or a
            surrogate without a seed.
    """
    kind, path = _resolve_source(source, data_path)
    if n_samples is not None and n_samples <= 0:
        raise JetDataError(f"n_samples must be positive, got {n_samples}")
    if kind == "surrogate":
        if seed is None:
            raise JetDataError(
                "the surrogate needs a seed: load_jets('surrogate', seed=...); the grader's "
                "comes from the course secret"
            )
        return make_surrogate(N_JETS if n_samples is None else n_samples, seed=seed)
    if kind == "openml":
        X, y = _load_openml(cache_dir)
    else:
        assert path is not None
        X, y = _load_file(path)
    if n_samples is not None and n_samples < len(y):
        rng = np.random.default_rng(0 if seed is None else seed)
        rows = np.sort(rng.choice(len(y), n_samples, replace=False))
        X, y = X.iloc[rows].reset_index(drop=True), y[rows]
    return X, y


def split_jets(X: Any, y: Any) -> tuple[Any, Any, Any, Any]:
    """The usual split of this data set: 80/20, ``random_state=42``.

    Returns ``X_train, X_test, y_train, y_test`` exactly as
    ``train_test_split(X, y, test_size=0.2, random_state=42)`` does.
    """
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=0.2, random_state=42)


def encode_labels(y: Any) -> np.ndarray:
    """String labels to integer class indices in the order g, q, t, w, z (0..4).

    The same numbers ``LabelEncoder().fit_transform`` gives on the full data set, but fixed:
    a subset missing a class still maps ``z`` to 4.
    """
    labels = np.asarray(y).astype(str)
    index = {label: i for i, label in enumerate(LABELS)}
    unknown = sorted(set(np.unique(labels)) - set(index))
    if unknown:
        raise JetDataError(f"unknown jet labels {unknown}; expected {list(LABELS)}")
    return np.searchsorted(np.asarray(LABELS), labels).astype(np.int64)


def write_jets_file(X: pd.DataFrame, y: Any, path: str | os.PathLike[str]) -> Path:
    """Write jets as a parquet or csv file that ``load_jets(path)`` reads back."""
    path = Path(path)
    frame = pd.DataFrame(np.asarray(X, dtype=np.float32), columns=list(FEATURES))
    frame[TARGET] = np.asarray(y).astype(str)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise JetDataError(f"{path}: write .parquet or .csv")
    return path


def _resolve_source(
    source: str | os.PathLike[str], data_path: str | os.PathLike[str] | None
) -> tuple[str, Path | None]:
    if isinstance(source, str) and source in SOURCES:
        if source == "file":
            if data_path is None:
                raise JetDataError('source="file" needs data_path (a parquet or csv file)')
            return "file", Path(data_path)
        return source, None
    path = Path(source)
    if path.suffix in (".parquet", ".csv") or path.exists():
        return "file", path
    raise JetDataError(
        f"unknown jet data source {str(source)!r}: use one of {list(SOURCES)} or a file path"
    )


def _load_openml(cache_dir: str | os.PathLike[str] | None) -> tuple[pd.DataFrame, np.ndarray]:
    from sklearn.datasets import fetch_openml

    bunch = fetch_openml(
        data_id=OPENML_DATA_ID,
        data_home=None if cache_dir is None else str(cache_dir),
        as_frame=True,
        parser="auto",
    )
    frame = bunch.frame
    if frame is None or TARGET not in frame.columns:
        frame = bunch.data.copy()
        frame[TARGET] = np.asarray(bunch.target)
    return _from_table(frame, f"OpenML {OPENML_DATA_ID}")


def _load_file(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    if not path.exists():
        raise JetDataError(f"jet data file {path} does not exist")
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif path.suffix == ".csv":
        frame = pd.read_csv(path)
    else:
        raise JetDataError(f"{path}: jet data files must be .parquet or .csv")
    return _from_table(frame, str(path))


def _from_table(frame: pd.DataFrame, where: str) -> tuple[pd.DataFrame, np.ndarray]:
    missing = [c for c in (*FEATURES, TARGET) if c not in frame.columns]
    if missing:
        raise JetDataError(f"{where} lacks the columns {missing}")
    X = frame[list(FEATURES)].astype(np.float32).reset_index(drop=True)
    raw = frame[TARGET]
    if pd.api.types.is_numeric_dtype(raw):
        codes = raw.to_numpy()
        if not np.isin(codes, np.arange(len(LABELS))).all():
            raise JetDataError(f"{where}: numeric labels must be 0..4 (g, q, t, w, z)")
        y = np.asarray(LABELS)[codes.astype(int)]
    else:
        y = raw.astype(str).str.strip().str.lower().to_numpy().astype(str)
    encode_labels(y)  # raises on labels outside g q t w z
    return X, y


# ---------------------------------------------------------------------------------------
# The surrogate
# ---------------------------------------------------------------------------------------

W_MASS, Z_MASS, TOP_MASS = 80.4, 91.2, 172.8


def make_surrogate(n_samples: int = N_JETS, *, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Generate ``n_samples`` surrogate jets, deterministic by ``seed`` (no default: see above).

    A surrogate, not the real data: each jet draws a class (equal fifths), then a few latent
    per-jet quantities, and every feature is a noisy function of those latents, which makes
    the features correlated the way substructure observables are:

    * ``topology``: how many hard prongs survive grooming. W and Z jets are two-prong
      (sometimes one prong is groomed away), top jets three-prong, or two-prong when the b
      falls outside the groomed jet (then the mass sits at the W peak), QCD jets one-prong.
    * ``mass``: peaks at 80.4 (W), 91.2 (Z) and 172.8 GeV (top) with detector-like widths,
      a falling continuum for quarks and (heavier) gluons and for failed grooming.
    * ``a2`` and ``a3``: two- and three-prong ratios (low ``a2``: two-prong-like; low
      ``a3``: three-prong-like), read by the N2, C2, D2 and M2 families through
      independent noise.
    * ``soft``: soft-radiation activity shared by multiplicity, zlogz and C1 with beta 0;
      gluons radiate more than quarks, so their jets have more constituents.
    """
    if n_samples <= 0:
        raise JetDataError(f"n_samples must be positive, got {n_samples}")
    rng = np.random.default_rng(seed)
    n = int(n_samples)
    cls = rng.integers(0, len(LABELS), size=n)
    g, q, t, w, z = (cls == i for i in range(len(LABELS)))

    pt = 1000.0 * np.exp(rng.normal(0.0, 0.08, n))
    soft = rng.normal(0.0, 1.0, n)

    # topology: 1 = one-prong, 2 = two-prong, 3 = three-prong
    u = rng.random(n)
    topo = np.ones(n, dtype=np.int8)
    topo[(w | z) & (u < 0.93)] = 2
    topo[t & (u < 0.75)] = 3
    topo[t & (u >= 0.75) & (u < 0.93)] = 2

    mass = np.empty(n)
    one = topo == 1
    mass[one & q] = rng.gamma(1.9, 19.0, (one & q).sum())
    mass[one & g] = rng.gamma(2.3, 22.0, (one & g).sum())
    lost = one & ~(q | g)
    mass[lost] = rng.gamma(1.7, 17.0, lost.sum())
    peak = np.zeros(n)
    peak[(topo == 2) & (w | t)] = W_MASS
    peak[(topo == 2) & z] = Z_MASS
    peak[topo == 3] = TOP_MASS
    width = np.where(topo == 3, 0.075, np.where(t, 0.1, 0.072))
    resonant = topo > 1
    mass[resonant] = peak[resonant] * (1.0 + width[resonant] * rng.normal(0.0, 1.0, resonant.sum()))
    mass *= np.exp(0.03 * soft)
    mass = np.clip(mass, 0.5, None)
    rel_mass = mass / pt

    a2 = np.empty(n)
    a2[one & q] = rng.beta(6.0, 4.0, (one & q).sum())
    a2[one & g] = rng.beta(6.5, 3.5, (one & g).sum())
    a2[lost] = rng.beta(5.5, 4.5, lost.sum())
    a2[topo == 2] = rng.beta(3.2, 6.8, (topo == 2).sum())
    a2[topo == 3] = rng.beta(5.0, 5.0, (topo == 3).sum())
    a3 = np.where(topo == 3, rng.beta(4.0, 5.0, n), rng.beta(7.0, 3.0, n))
    a3 = np.where(t & (topo == 2), rng.beta(5.0, 4.0, n), a3)

    mult_base = np.select([g, q, w, z, t], [52.0, 35.0, 41.0, 43.0, 56.0])
    mult_base = mult_base * np.where(t & (topo < 3), 0.9, 1.0)
    multiplicity = rng.poisson(mult_base * np.exp(0.17 * soft)).clip(2, None).astype(np.float64)
    log_mult = np.log(multiplicity / 40.0)

    def noise(scale: float) -> np.ndarray:
        return np.exp(rng.normal(0.0, scale, n))

    three = 1.0 - a3
    columns = {
        "zlogz": -(3.0 + 0.8 * log_mult + 0.35 * a2 + rng.normal(0.0, 0.22, n)),
        "c1_b0_mmdt": 0.24 + 0.06 * log_mult + 0.9 * rel_mass + rng.normal(0.0, 0.03, n),
        "c1_b1_mmdt": 0.55 * rel_mass * noise(0.15) + 0.004 * np.exp(0.3 * soft),
        "c1_b2_mmdt": 4.0 * rel_mass**2 * noise(0.2) + 0.001 * np.exp(0.3 * soft),
        "c2_b1_mmdt": 0.05 + 0.28 * a2 * noise(0.22),
        "c2_b2_mmdt": 0.02 + 0.20 * a2**1.5 * noise(0.28),
        "d2_b1_mmdt": 0.6 + 4.0 * a2 * (1.0 + 0.8 * three) * noise(0.24),
        "d2_b2_mmdt": 0.4 + 3.0 * a2**1.3 * (1.0 + 0.6 * three) * noise(0.3),
        "d2_a1_b1_mmdt": 0.5 + 3.5 * a2 * (1.0 + 0.9 * three) * noise(0.28),
        "d2_a1_b2_mmdt": 0.3 + 2.5 * a2**1.2 * (1.0 + 0.7 * three) * noise(0.32),
        "m2_b1_mmdt": 0.02 + 0.12 * a2 * a3 * noise(0.3),
        "m2_b2_mmdt": 0.01 + 0.08 * a2 * a3 * noise(0.35),
        "n2_b1_mmdt": 0.08 + 0.35 * a2 * noise(0.2) + 0.06 * three,
        "n2_b2_mmdt": 0.05 + 0.30 * a2 * noise(0.26) + 0.05 * three,
        "mass_mmdt": mass,
        "multiplicity": multiplicity,
    }
    X = pd.DataFrame({name: columns[name].astype(np.float32) for name in FEATURES})
    y = np.asarray(LABELS)[cls]
    return X, y
