"""Quick checks of the Iris classifier you can run yourself: ``grade check iris_classifier``.

They train on the grader's training part (``grader.iris.iris_split``) and predict its
validation part, so they say whether your code keeps the contract; the hidden suite grades
the accuracy on 30 held-out flowers.
"""

import numpy as np
import pytest

from grader.iris import iris_split
from grader.testing import check


def _model(submission):
    if "build_model" in submission:
        return submission.build_model(4, 3)
    return submission.grader_builtin("load_keras_model", "iris_model.keras")


@pytest.mark.points(1)
def test_model_maps_4_measurements_to_3_probabilities(submission):
    X = iris_split().X_val
    probs = np.asarray(_model(submission).predict(X[:8], verbose=0))
    check(probs.shape == (8, 3), f"predict on 8 flowers gave shape {probs.shape}, expected (8, 3)")
    check(bool(np.isfinite(probs).all()), "predict returned NaN or inf")
    check(bool(np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)),
          "the 3 outputs of a flower should sum to 1: end the network with a softmax layer")


@pytest.mark.points(1)
@pytest.mark.timeout(300)
def test_train_learns_the_training_flowers(submission):
    if "build_model" not in submission:
        pytest.skip("a saved iris_model.keras is graded as it is; nothing to train")
    data = iris_split()
    model = submission.build_model(4, 3)
    submission.train(model, data.X_train, data.y_train, data.X_val, data.y_val)
    probs = np.asarray(model.predict(data.X_val, verbose=0))
    accuracy = float(np.mean(np.argmax(probs, axis=1) == data.y_val))
    check(accuracy >= 0.8, f"validation accuracy {accuracy:.3f} after train: below 0.80; train "
                           "longer, with one-hot labels and categorical_crossentropy")
