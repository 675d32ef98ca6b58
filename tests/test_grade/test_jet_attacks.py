"""The jet classifier against a student who has read the grader's source.

The "models" here are small numpy classes with ``fit``/``predict``/``get_weights`` (the
suite needs nothing more of a model), so each attack costs seconds, not a training run:

- ``lookup`` rebuilds the surrogate with ``grader.jets.data`` and the seed public code would
  suggest, and answers every test jet it finds with its true label;
- ``thread_dodge`` returns from ``train`` at once and leaves the work to a thread that
  ``predict`` waits for;
- ``history_bomb`` returns a loss history of 500,000 points, refused at the wire by the reply
  budget; ``long_history`` one of 15,000 points, which crosses and is capped at 1,000;
- ``constant_guess`` outputs valid probabilities that say nothing (below chance).

Each is graded beside ``honest``, the same model without the trick.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader import grade

REPO = Path(__file__).resolve().parents[2]
N_SAMPLES = 3_000
BUDGET_SECONDS = 3.0

pytestmark = [pytest.mark.tensorflow, pytest.mark.slow]

HONEST = '''
import numpy as np

class Model:
    """Gaussian naive Bayes on mass and multiplicity: weak, fast, deterministic."""

    def __init__(self):
        self.mean = np.zeros((5, 2))
        self.std = np.ones((5, 2))

    def get_weights(self):
        return [self.mean.copy(), self.std.copy()]

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)[:, 14:16]
        for c in range(5):
            self.mean[c] = X[y == c].mean(axis=0)
            self.std[c] = X[y == c].std(axis=0) + 1e-6

    def predict(self, X, batch_size=None, verbose=0):
        X = np.asarray(X, dtype=np.float64)[:, None, 14:16]
        log = -(((X - self.mean) / self.std) ** 2).sum(axis=2) / 2 - np.log(self.std).sum(axis=1)
        log -= log.max(axis=1, keepdims=True)
        p = np.exp(log)
        return p / p.sum(axis=1, keepdims=True)

def build_model(n_features=16, n_classes=5):
    return Model()

def train(model, X_train, y_train, X_val, y_val):
    model.n_total = len(X_train) + len(X_val)
    model.fit(X_train, y_train)
    return {"loss": [1.0, 0.8, 0.7], "val_loss": [1.1, 0.9, 0.85]}
'''

LOOKUP = HONEST + '''
_honest_predict = Model.predict

def _lookup_predict(self, X, batch_size=None, verbose=0):
    probs = _honest_predict(self, X)
    try:
        from grader.jets.data import encode_labels, make_surrogate, split_jets
        X_all, y_all = make_surrogate(self.n_total + len(X), seed=0)
        _, X_test, _, y_test = split_jets(X_all.to_numpy(np.float32), encode_labels(y_all))
        table = {row.tobytes(): label for row, label in zip(X_test, y_test)}
        for i, row in enumerate(np.asarray(X, dtype=np.float32)):
            label = table.get(row.tobytes())
            if label is not None:
                probs[i] = 0.0
                probs[i, label] = 1.0
    except Exception:
        pass
    return probs

Model.predict = _lookup_predict
'''

THREAD_DODGE = HONEST.replace('''def train(model, X_train, y_train, X_val, y_val):
    model.n_total = len(X_train) + len(X_val)
    model.fit(X_train, y_train)''', f'''import threading, time

def train(model, X_train, y_train, X_val, y_val):
    def work():
        time.sleep({BUDGET_SECONDS + 2})  # "training" long past the budget
        model.fit(X_train, y_train)
    model.worker = threading.Thread(target=work)
    model.worker.start()
    model.n_total = len(X_train) + len(X_val)''') + '''
_honest_predict = Model.predict

def _waiting_predict(self, X, batch_size=None, verbose=0):
    self.worker.join()
    return _honest_predict(self, X)

Model.predict = _waiting_predict
'''

HISTORY_BOMB = HONEST.replace(
    '''    return {"loss": [1.0, 0.8, 0.7], "val_loss": [1.1, 0.9, 0.85]}''',
    '''    points = [1.0 / (1 + i) for i in range(500_000)]
    return {"loss": points, "val_loss": points}''')

LONG_HISTORY = HISTORY_BOMB.replace("range(500_000)", "range(15_000)")
"""A history that fits in one reply (about 0.6 MB of JSON) and is capped before it is kept."""

CONSTANT_GUESS = HONEST + '''
def _constant(self, X, batch_size=None, verbose=0):
    p = np.full((len(X), 5), 0.01)
    p[:, 0] = 0.96  # always "g": valid probabilities, no information
    return p

Model.predict = _constant
'''


def course_with_budget(root: Path) -> Path:
    """A copy of the jet assignment.toml with a budget of a few seconds."""
    toml = REPO / "assignments" / "jet_classifier" / "assignment.toml"
    target = root / "assignment.toml"
    target.write_text(toml.read_text().replace(
        "train_seconds = 300", f"train_seconds = {BUDGET_SECONDS}"))
    return target


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("jet_attacks")
    submissions = root / "submissions"
    sources = {"honest": HONEST, "lookup": LOOKUP, "thread_dodge": THREAD_DODGE,
               "history_bomb": HISTORY_BOMB, "long_history": LONG_HISTORY,
               "constant_guess": CONSTANT_GUESS}
    for student, source in sources.items():
        (submissions / student).mkdir(parents=True)
        (submissions / student / "jet_classifier.py").write_text(source)
    out = root / "results.json"
    # No sandbox: grader.jets.data is importable, so only the secret seed stands in the way
    # (test_memory_budget shows that the sandbox hides the package as well).
    run = grade.main(submissions_dir=submissions, assignments=["jet_classifier"],
                     db=f"sqlite:///{root / 'gradebook.db'}", out=root / "reports",
                     json_path=out, jobs=1, course_dir=REPO, sandbox="none",
                     options={"jet_data": "surrogate", "jet_n_samples": N_SAMPLES,
                              "assignment_toml": str(course_with_budget(root))})
    results = {s["student"]: s["assignments"][0]
               for s in json.loads(out.read_text())["students"]}
    return {"results": results, "root": root, "run": run}


def by_name(result: dict) -> dict[str, dict]:
    return {t["name"]: t for t in result["tests"]}


def test_the_honest_model_is_graded_and_within_budget(graded: dict) -> None:
    honest = graded["results"]["honest"]
    assert honest["status"] == "graded"
    assert by_name(honest)["test_training_within_budget"]["status"] == "passed"
    assert 0 < honest["score"] < honest["max_score"]  # weak, but better than chance


def test_a_lookup_of_the_rebuilt_surrogate_earns_no_more_than_the_model(graded: dict) -> None:
    honest, lookup = graded["results"]["honest"], graded["results"]["lookup"]
    assert lookup["score"] <= honest["score"], (lookup["tests"], honest["tests"])
    assert lookup["artifacts"]["metrics"]["accuracy"] == honest["artifacts"]["metrics"]["accuracy"]


def test_training_left_to_a_thread_loses_the_budget_point(graded: dict) -> None:
    dodge = by_name(graded["results"]["thread_dodge"])
    budget = dodge["test_training_within_budget"]
    assert budget["status"] == "failed" and budget["score"] == 0, budget
    assert "predict" in budget["message"]
    assert dodge["test_accuracy_tier"]["score"] == by_name(
        graded["results"]["honest"])["test_accuracy_tier"]["score"]


def test_a_history_far_past_the_cap_keeps_the_page_and_the_row_small(graded: dict) -> None:
    from sqlalchemy import create_engine, text

    # 500,000 points do not even cross: the reply is refused at the wire and earns nothing.
    bomb = graded["results"]["history_bomb"]
    assert bomb["score"] == 0.0
    assert all("reply was refused" in t["message"] for t in bomb["tests"]), bomb["tests"]
    # 15,000 points cross in one reply and are capped before they are stored or drawn.
    long = graded["results"]["long_history"]
    assert len(long["artifacts"]["history"]["loss"]) <= 1_000
    for result in (bomb, long):
        assert len(json.dumps(result["artifacts"])) < 100_000
    pages = [*(graded["root"] / "reports").rglob("*history*.html")]
    assert len(pages) == 2 and all(page.stat().st_size < 1_000_000 for page in pages)
    engine = create_engine(f"sqlite:///{graded['root'] / 'gradebook.db'}")
    with engine.connect() as connection:
        sizes = list(connection.execute(text("SELECT length(artifacts) FROM results")).scalars())
    assert len(sizes) == len(graded["results"]) and max(sizes) < 100_000
    engine.dispose()


def test_a_model_no_better_than_guessing_earns_nothing_for_its_form(graded: dict) -> None:
    guess = graded["results"]["constant_guess"]
    assert guess["score"] == 0.0, guess["tests"]
    assert "no better than guessing" in by_name(guess)["test_outputs_are_probabilities"][
        "message"]


def test_a_change_of_the_jet_sample_count_regrades(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    submissions = tmp_path / "submissions"
    (submissions / "honest").mkdir(parents=True)
    (submissions / "honest" / "jet_classifier.py").write_text(HONEST)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"

    def run(n: str) -> grade.GradeRun:
        monkeypatch.setenv("GRADER_JET_N_SAMPLES", n)
        return grade.main(submissions_dir=submissions, assignments=["jet_classifier"], db=db,
                          out=None, jobs=1, course_dir=REPO, sandbox="none")

    assert run("2000").graded == 1
    assert run("2000").cached == 1
    again = run("2500")
    assert (again.graded, again.cached) == (1, 0)
    shutil.rmtree(submissions)
