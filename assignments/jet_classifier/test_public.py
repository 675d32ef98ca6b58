"""Quick checks of the jet classifier you can run yourself: ``grade check jet_classifier``.

They use a few hundred surrogate jets (generated data with the real schema), so they say
whether your code keeps the contract, not how good your model is. The hidden suite trains
on the full data and grades accuracy and AUC.
"""

import numpy as np
import pytest

from grader.jets.data import encode_labels, load_jets


@pytest.fixture(scope="module")
def few_jets():
    X, y = load_jets("surrogate", n_samples=2_000, seed=11)
    return X.to_numpy(dtype=np.float32), encode_labels(y)


def _model(submission):
    if "build_model" in submission:
        return submission.build_model(16, 5)
    return submission.grader_builtin("load_keras_model", "jet_model.keras")


def test_submission_has_build_model_and_train_or_a_saved_model(submission):
    if "build_model" in submission:
        assert "train" in submission, "build_model is defined, but train is not"
    else:
        _model(submission)  # raises if jet_model.keras is missing or does not load


def test_model_maps_16_features_to_5_probabilities(submission, few_jets):
    X, _ = few_jets
    probs = np.asarray(_model(submission).predict(X[:8], verbose=0))
    assert probs.shape == (8, 5), f"predict on 8 jets gave shape {probs.shape}, expected (8, 5)"
    assert np.isfinite(probs).all(), "predict returned NaN or inf"
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-3), (
        "the 5 outputs of a jet should sum to 1: end the network with a softmax layer"
    )


@pytest.mark.timeout(120)
def test_train_runs_on_a_small_sample(submission, few_jets):
    if "build_model" not in submission:
        pytest.skip("a saved jet_model.keras is graded as it is; nothing to train")
    X, y = few_jets
    model = submission.build_model(16, 5)
    submission.train(model, X[:1_600], y[:1_600], X[1_600:], y[1_600:])
    probs = np.asarray(model.predict(X[1_600:], verbose=0))
    assert probs.shape == (400, 5)
    assert np.isfinite(probs).all(), "after train, predict returns NaN or inf: scale the features"
