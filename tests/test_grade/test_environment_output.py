"""The grading environment's own lines stay out of the student's output and of ``--json``.

TensorFlow writes absl log lines to file descriptor 2 (``E0000 ... NodeDef mentions
attribute use_unbounded_threadpool``), with timestamps; Keras progress bars carry timings.
Neither is the student's doing, and neither may make two gradings of the same files differ.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
SOFTMAX = (REPO / "reference" / "softmax" / "solution.py").read_text()
NODEDEF = ("E0000 00:00:1796165326.302060   21191 node_def_util.cc:682] NodeDef mentions "
           "attribute use_unbounded_threadpool which is not in the op definition")
WRITES_LOG_LINES = f'''
import os
os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called "
            b"are written to STDERR\\n")
os.write(2, b"{NODEDEF}\\n")
print("my own line")
'''
JETS = '''
import keras


def build_model(n_features=16, n_classes=5):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Normalization(name="scale")(inputs)
    x = keras.layers.Dense(16, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, X_train, y_train, X_val, y_val):
    model.get_layer("scale").adapt(X_train)
    print("training on", len(X_train), "jets")
    return model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=3, batch_size=256)
'''

pytestmark = pytest.mark.slow


def _grade(tmp_path: Path, name: str, files: dict[str, str], assignment: str,
           **options: object) -> tuple[str, dict]:
    folder = tmp_path / name / "student"
    folder.mkdir(parents=True)
    for file, text in files.items():
        (folder / file).write_text(text)
    out = tmp_path / f"{name}.json"
    grade.main(submissions_dir=folder.parent, assignments=[assignment], db=None, out=None,
               json_path=out, jobs=1, course_dir=REPO, options=options or None)
    text = out.read_text()
    return text, json.loads(text)["students"][0]["assignments"][0]


def test_log_lines_written_to_descriptor_2_are_not_the_students_output(tmp_path: Path) -> None:
    _, result = _grade(tmp_path, "a", {"softmax.py": SOFTMAX + WRITES_LOG_LINES}, "softmax")
    assert result["score"] == result["max_score"]
    assert "my own line" in result["output"]
    assert "NodeDef" not in result["output"] and "absl::InitializeLog" not in result["output"]


@pytest.mark.tensorflow
def test_a_jet_regrade_writes_the_same_json(tmp_path: Path) -> None:
    options = {"jet_data": "surrogate", "jet_n_samples": 3_000}
    first, result = _grade(tmp_path, "first", {"jet_classifier.py": JETS}, "jet_classifier",
                           **options)
    second, _ = _grade(tmp_path, "second", {"jet_classifier.py": JETS}, "jet_classifier",
                       **options)
    assert result["status"] == "graded" and len(result["artifacts"]["history"]["loss"]) == 3
    output = result["output"]
    assert "training on" in output and "Epoch 3/3" in output
    assert "ms/step" not in output and "\u2026 \u2026 - accuracy: " in output  # timings out
    assert "E0000" not in output and "I0000" not in output and "absl" not in output
    assert first == second
