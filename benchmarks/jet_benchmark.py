"""How long the jet classifier takes to grade, and what the reference reaches, on the surrogate.

Prints three figures:

(a) generating the surrogate jets (830,000 by default);
(b) the reference network: training (with the grader's split and seed) and evaluating, with
    accuracy, per-class AUCs and the most confused class pairs;
(c) grading a saved ``jet_model.keras``: a fresh Python process imports TensorFlow, loads the
    model with the worker's builtin and predicts the test set.

All numbers are measured on the generated surrogate, not on the real OpenML jets.

    python benchmarks/jet_benchmark.py [--n-samples 830000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.jets.data import LABELS, N_JETS, encode_labels, load_jets, split_jets  # noqa: E402
from grader.jets.metrics import (  # noqa: E402
    accuracy,
    auc_per_class,
    confusion,
    macro_auc,
    most_confused_pairs,
)

SAVED_MODEL_PROBE = """
import sys, time
t0 = time.perf_counter()
import numpy as np
import tensorflow as tf
sys.path.insert(0, sys.argv[3])
from grader.worker.builtins import load_keras_model
t1 = time.perf_counter()
model = load_keras_model(sys.argv[1])
t2 = time.perf_counter()
X = np.load(sys.argv[2], allow_pickle=False)
probs = model.predict(X, batch_size=4096, verbose=0)
t3 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f} {probs.shape[0]}")
"""


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=N_JETS, help="surrogate jets")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"data": "surrogate", "n_samples": args.n_samples}

    start = time.perf_counter()
    X, y = load_jets("surrogate", n_samples=args.n_samples, seed=0)
    figures["surrogate_seconds"] = round(time.perf_counter() - start, 2)
    print(f"(a) surrogate: {args.n_samples} jets generated in {figures['surrogate_seconds']} s")

    from sklearn.model_selection import train_test_split

    X_rest, X_test, y_rest, y_test = split_jets(X.to_numpy(np.float32), encode_labels(y))
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.1, random_state=0)

    start = time.perf_counter()
    from grader.worker.builtins import seed_everything

    solution = _load_reference()
    figures["tensorflow_import_seconds"] = round(time.perf_counter() - start, 2)
    seed_everything(1234)
    start = time.perf_counter()
    model = solution.build_model(16, 5)
    history = solution.train(model, X_train, y_train, X_val, y_val)
    train_seconds = time.perf_counter() - start
    start = time.perf_counter()
    probs = model.predict(X_test, batch_size=4096, verbose=0)
    predict_seconds = time.perf_counter() - start
    aucs = auc_per_class(y_test, probs)
    pairs = most_confused_pairs(confusion(y_test, probs), LABELS, top=3)
    figures.update(
        train_rows=len(y_train),
        test_rows=len(y_test),
        train_seconds=round(train_seconds, 1),
        epochs=len(history.history["loss"]),
        predict_seconds=round(predict_seconds, 2),
        accuracy=round(accuracy(y_test, probs), 4),
        macro_auc=round(macro_auc(y_test, probs), 4),
        auc={k: round(v, 4) for k, v in aucs.items()},
        confused_pairs=[[a, b, round(v, 3)] for a, b, v in pairs],
        confusion=confusion(y_test, probs).round(3).tolist(),
    )
    print(
        f"(b) reference: trained on {len(y_train)} surrogate jets in {train_seconds:.1f} s "
        f"({figures['epochs']} epochs), predicted {len(y_test)} in {predict_seconds:.1f} s"
    )
    print(f"    accuracy {figures['accuracy']}  macro AUC {figures['macro_auc']}")
    print("    AUC " + "  ".join(f"{k} {v:.4f}" for k, v in aucs.items()))
    print(
        "    most confused (sum of both directions): "
        + ", ".join(f"{a}/{b} {v:.3f}" for a, b, v in pairs)
    )

    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "jet_model.keras"
        model.save(saved)
        test_file = Path(tmp) / "X_test.npy"
        np.save(test_file, X_test)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", SAVED_MODEL_PROBE, str(saved), str(test_file), str(REPO)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        )
        total = time.perf_counter() - start
    import_s, load_s, predict_s, rows = out.stdout.split()[-4:]
    figures["saved_model"] = {
        "total_seconds": round(total, 2),
        "import_tensorflow_seconds": float(import_s),
        "load_seconds": float(load_s),
        "predict_seconds": float(predict_s),
        "rows": int(rows),
    }
    print(
        f"(c) saved model in a fresh process: {total:.1f} s in all (import TensorFlow "
        f"{float(import_s):.1f} s, load {float(load_s):.2f} s, predict {rows} jets "
        f"{float(predict_s):.1f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


def _load_reference():
    from grader.course import Course  # noqa: PLC0415 - after the path is set up above

    return Course(REPO).load_solution("jet_classifier")


if __name__ == "__main__":
    main()
