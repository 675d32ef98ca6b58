"""Regenerate the saved model of the example student ``hana_saved_model``.

The demo shows the jet classifier's saved-model path: a student who trained at home and
hands in ``jet_model.keras``. This trains the reference network on the training part of the
generated surrogate jets (the same split the grader uses) and saves it. Run from the
repository root with the jet extra installed::

    .venv/bin/python tools/make_example_jet_model.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "examples" / "submissions" / "hana_saved_model" / "jet_model.keras"


def main(n_samples: int = 200_000) -> Path:
    from sklearn.model_selection import train_test_split

    from grader.course import Course
    from grader.jets.data import encode_labels, load_jets, split_jets
    from grader.worker.builtins import seed_everything

    reference = Course(REPO).load_solution("jet_classifier")

    seed_everything(7)
    X, y = load_jets("surrogate", seed=0, n_samples=n_samples)
    X_train, _, y_train, _ = split_jets(X.to_numpy(dtype="float32"), encode_labels(y))
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.1,
                                                  random_state=0)
    model = reference.build_model(16, 5)
    reference.train(model, X_fit, y_fit, X_val, y_val)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    model.save(TARGET)
    return TARGET


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))
