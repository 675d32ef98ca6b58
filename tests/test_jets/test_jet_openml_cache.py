"""The OpenML path runs offline from a cache laid out as fetch_openml writes it."""

from __future__ import annotations

import numpy as np
import pytest

from grader.jets.data import FEATURES, load_jets, make_surrogate

from .jet_openml_cache import write_openml_cache


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import sklearn.datasets._openml as openml

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"fetch_openml tried the network: {args[0]!r}")

    monkeypatch.setattr(openml, "urlopen", refuse)


def test_openml_source_reads_the_cache_without_network(tmp_path, no_network) -> None:
    X, y = make_surrogate(300, seed=3)
    write_openml_cache(tmp_path, X, y)

    X2, y2 = load_jets("openml", cache_dir=tmp_path)

    assert list(X2.columns) == list(FEATURES)
    assert set(X2.dtypes) == {np.dtype(np.float32)}
    np.testing.assert_array_equal(X2.to_numpy(), X.to_numpy())
    np.testing.assert_array_equal(y2, y)
    X3, y3 = load_jets("openml", cache_dir=tmp_path, n_samples=50, seed=1)
    assert len(X3) == len(y3) == 50


def test_fetch_openml_by_name_also_reads_the_cache(tmp_path, no_network) -> None:
    from sklearn.datasets import fetch_openml

    X, y = make_surrogate(40, seed=4)
    write_openml_cache(tmp_path, X, y)
    bunch = fetch_openml("hls4ml_lhc_jets_hlf", data_home=tmp_path, as_frame=True, parser="auto")
    assert bunch.frame.shape == (40, 17)
    np.testing.assert_array_equal(bunch.target.astype(str).to_numpy(), y)


@pytest.mark.filterwarnings("ignore:Invalid cache:RuntimeWarning")
def test_without_a_cache_the_network_is_needed(tmp_path, no_network) -> None:
    with pytest.raises(AssertionError, match="tried the network"):
        load_jets("openml", cache_dir=tmp_path)
