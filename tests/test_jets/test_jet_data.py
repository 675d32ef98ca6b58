"""The jet data loaders and the surrogate: schema, determinism, physics shape, the split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from grader.jets.data import (
    FEATURES,
    LABELS,
    JetDataError,
    encode_labels,
    load_jets,
    make_surrogate,
    split_jets,
    surrogate_seed,
    write_jets_file,
)

N = 20_000


@pytest.fixture(scope="module")
def jets() -> tuple[pd.DataFrame, np.ndarray]:
    return load_jets("surrogate", n_samples=N, seed=0)


def test_feature_names_match_openml_42468() -> None:
    assert FEATURES == (
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


def test_surrogate_has_the_real_schema(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = jets
    assert isinstance(X, pd.DataFrame)
    assert list(X.columns) == list(FEATURES)
    assert X.shape == (N, 16)
    assert set(X.dtypes) == {np.dtype(np.float32)}
    assert np.isfinite(X.to_numpy()).all()
    assert y.shape == (N,)
    assert set(np.unique(y)) == set(LABELS)
    assert all(isinstance(label, str) for label in y[:10])


def test_surrogate_is_deterministic_by_seed() -> None:
    X1, y1 = make_surrogate(2_000, seed=7)
    X2, y2 = make_surrogate(2_000, seed=7)
    X3, y3 = make_surrogate(2_000, seed=8)
    pd.testing.assert_frame_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not X1.equals(X3)
    assert not np.array_equal(y1, y3)


def test_default_surrogate_is_as_large_as_the_real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake(n: int, *, seed: int) -> tuple[str, int]:
        seen["n"] = n
        return "X", seed

    monkeypatch.setattr("grader.jets.data.make_surrogate", fake)
    load_jets(seed=3)
    assert seen["n"] == 830_000


def test_the_surrogate_has_no_default_draw_and_the_graders_comes_from_the_secret() -> None:
    with pytest.raises(JetDataError, match="needs a seed"):
        load_jets("surrogate", n_samples=10)
    assert surrogate_seed(b"one secret") == surrogate_seed(b"one secret")
    assert surrogate_seed(b"one secret") != surrogate_seed(b"another secret")
    assert surrogate_seed(b"one secret") not in (0, 42)


def test_classes_are_roughly_equal_fifths(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    _, y = jets
    shares = np.bincount(encode_labels(y), minlength=5) / len(y)
    np.testing.assert_allclose(shares, 0.2, atol=0.01)


def _mode(values: np.ndarray, lo: float, hi: float, width: float = 4.0) -> float:
    counts, edges = np.histogram(values, bins=np.arange(lo, hi + width, width))
    k = int(np.argmax(counts))
    return float((edges[k] + edges[k + 1]) / 2)


def test_mass_peaks_where_the_particles_are(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = jets
    mass = X["mass_mmdt"].to_numpy()
    assert abs(_mode(mass[y == "w"], 40, 140) - 80.4) <= 4
    assert abs(_mode(mass[y == "z"], 40, 140) - 91.2) <= 4
    assert abs(_mode(mass[y == "t"], 120, 240) - 172.8) <= 6
    # W below Z: the pair the classifier finds hardest
    assert np.median(mass[y == "w"]) < np.median(mass[y == "z"])
    # quark and gluon jets: a falling continuum at low mass, gluons heavier
    for label in ("q", "g"):
        assert np.median(mass[y == label]) < 60
        assert np.mean(mass[y == label] < 30) > np.mean(mass[y == label] > 120)
    assert np.median(mass[y == "g"]) > np.median(mass[y == "q"])


def test_gluons_have_more_constituents_than_quarks(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = jets
    mult = X["multiplicity"].to_numpy()
    assert mult[y == "g"].mean() > 1.3 * mult[y == "q"].mean()
    assert (mult == np.round(mult)).all() and mult.min() >= 1


def test_prong_ratios_separate_two_from_three_prong_jets(
    jets: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = jets
    n2 = X["n2_b1_mmdt"].to_numpy()
    # two-prong W/Z jets have the lowest N2, QCD jets the highest, top in between
    assert np.median(n2[y == "w"]) < np.median(n2[y == "t"]) < np.median(n2[y == "q"])
    d2 = X["d2_b1_mmdt"].to_numpy()
    assert np.median(d2[y == "z"]) < np.median(d2[y == "g"])


def test_features_are_correlated(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, _ = jets
    corr = X.corr().to_numpy()
    assert corr[FEATURES.index("c2_b1_mmdt"), FEATURES.index("n2_b1_mmdt")] > 0.5
    assert corr[FEATURES.index("zlogz"), FEATURES.index("multiplicity")] < -0.5


def test_split_is_the_usual_80_20_with_seed_42(jets: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = jets
    X_train, X_test, y_train, y_test = split_jets(X, y)
    assert len(X_train) == 16_000 and len(X_test) == 4_000
    assert len(y_train) == 16_000 and len(y_test) == 4_000
    again = split_jets(X, y)
    pd.testing.assert_frame_equal(X_test, again[1])
    assert not set(X_train.index) & set(X_test.index)


def test_encode_labels_uses_label_encoder_order() -> None:
    from sklearn.preprocessing import LabelEncoder

    y = np.array(["z", "g", "t", "q", "w", "g"])
    np.testing.assert_array_equal(encode_labels(y), [4, 0, 2, 1, 3, 0])
    np.testing.assert_array_equal(encode_labels(y), LabelEncoder().fit_transform(y))
    assert encode_labels(["z"]).tolist() == [4]
    with pytest.raises(JetDataError, match="unknown jet labels"):
        encode_labels(["x"])


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_file_round_trip(tmp_path, suffix: str) -> None:
    X, y = make_surrogate(500, seed=1)
    path = write_jets_file(X, y, tmp_path / f"jets{suffix}")
    for X2, y2 in (load_jets(path), load_jets("file", data_path=path)):
        np.testing.assert_allclose(X2.to_numpy(), X.to_numpy(), rtol=1e-6)
        np.testing.assert_array_equal(y2, y)
        assert list(X2.columns) == list(FEATURES)
    X3, y3 = load_jets(path, n_samples=100, seed=5)
    assert len(X3) == len(y3) == 100


def test_file_with_integer_labels_and_extra_columns(tmp_path) -> None:
    X, y = make_surrogate(50, seed=2)
    frame = X.assign(jet_id=np.arange(50), **{"class": encode_labels(y)})
    frame.to_csv(tmp_path / "jets.csv", index=False)
    _, y2 = load_jets(tmp_path / "jets.csv")
    np.testing.assert_array_equal(y2, y)


def test_bad_sources_name_themselves(tmp_path) -> None:
    with pytest.raises(JetDataError, match="unknown jet data source"):
        load_jets("kaggle")
    with pytest.raises(JetDataError, match="does not exist"):
        load_jets(tmp_path / "missing.parquet")
    with pytest.raises(JetDataError, match="needs data_path"):
        load_jets("file")
    pd.DataFrame({"mass_mmdt": [1.0], "class": ["g"]}).to_csv(tmp_path / "thin.csv", index=False)
    with pytest.raises(JetDataError, match="lacks the columns"):
        load_jets(tmp_path / "thin.csv")
    with pytest.raises(JetDataError, match="positive"):
        load_jets(n_samples=0)
