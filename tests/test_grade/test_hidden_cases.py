"""Hidden cases are drawn per submission, and the suites pay nothing for gaming them.

A student sees their own printed output, so whatever the hidden tests feed their code can
be printed. These tests play the student who uses that: the inputs printed by one
submission must be useless for the next submission or another student, the order and length
of the calls must not give away the reference's answer, and code that refuses everything
must not earn the "must raise" points.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader import grade
from grader.engine import grading
from grader.results import AssignmentResult
from grader.seeds import SECRET_ENV

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _course_secret_from_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)


def _grade(course: Path, folders: dict[str, dict[str, str]], root: Path,
           assignments: list[str]) -> dict[str, list[AssignmentResult]]:
    """Grade one folder per student (file name -> source) with the course's hidden suites."""
    submissions = root / "submissions"
    if submissions.exists():
        shutil.rmtree(submissions)
    for student, files in folders.items():
        folder = submissions / student
        folder.mkdir(parents=True)
        for name, source in files.items():
            (folder / name).write_text(source)
    run = grade.main(submissions_dir=submissions, assignments=assignments, course_dir=course,
                     db=None, out=None, sandbox="none", jobs=1)
    return {s.student: s.assignments for s in run.students}


# -- the mechanism, on a suite of its own -----------------------------------------------
ECHO_SUITE = '''
import numpy as np
import pytest


@pytest.mark.parametrize("case", ["a", "b", "c"])
def test_drawn(submission, rng, case):
    submission.show(f"test_drawn[{case}]", rng.normal(size=4))


def test_integers(submission, rng):
    submission.show("test_integers", rng.integers(0, 10**9, size=3))
'''
ECHO = ("import json\n\ndef show(label, values):\n"
        "    print(label, json.dumps([float(v) for v in values]))\n")


@pytest.fixture
def echo_course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    public = root / "assignments" / "echo"
    public.mkdir(parents=True)
    (public / "assignment.toml").write_text(
        '[assignment]\ntitle = "Echo"\nnames = ["show"]\nfiles = ["echo.py"]\n')
    (public / "test_public.py").write_text("def test_nothing(submission):\n    pass\n")
    hidden = root / "reference" / "echo"
    hidden.mkdir(parents=True)
    (hidden / "test_hidden.py").write_text(ECHO_SUITE)
    (root / "reference" / "course-secret").write_text("a-secret-for-the-echo-course\n")
    return root


def _printed(results: list[AssignmentResult]) -> dict[str, list[float]]:
    lines = [line.split(" ", 1) for line in results[0].output.splitlines()
             if line.startswith("test_")]
    return {label: json.loads(values) for label, values in lines}


def test_each_submission_meets_its_own_inputs_and_a_regrade_the_same(
        echo_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tests = {"test_drawn[a]", "test_drawn[b]", "test_drawn[c]", "test_integers"}
    first = _grade(echo_course, {"alice": {"echo.py": ECHO}, "bob": {"echo.py": ECHO}},
                   tmp_path, ["echo"])
    alice, bob = _printed(first["alice"]), _printed(first["bob"])
    assert set(alice) == set(bob) == tests
    assert all(alice[t] != bob[t] for t in tests), "the same code of two students: new inputs"

    again = _grade(echo_course, {"alice": {"echo.py": ECHO}}, tmp_path, ["echo"])
    assert _printed(again["alice"]) == alice, "a regrade of the same files meets the same inputs"

    edited = _grade(echo_course, {"alice": {"echo.py": ECHO + "# resubmitted\n"}}, tmp_path,
                    ["echo"])
    assert all(_printed(edited["alice"])[t] != alice[t] for t in tests), (
        "a changed submission meets new inputs: what the last one printed is no table")

    monkeypatch.setenv(SECRET_ENV, "another-secret")
    other = _grade(echo_course, {"alice": {"echo.py": ECHO}}, tmp_path, ["echo"])
    assert all(_printed(other["alice"])[t] != alice[t] for t in tests)
    assert other["alice"][0].suite_hash != first["alice"][0].suite_hash, (
        "the secret is part of the suite hash: a new secret regrades")


# -- a lookup table built from printed inputs ---------------------------------------------
SPY = textwrap.dedent('''
    import json
    import numpy as np


    def softmax(x, axis=-1):
        a = np.asarray(x)
        print("INPUT", json.dumps({"x": a.tolist(), "axis": axis, "dtype": str(a.dtype)}))
        z = a.astype(np.float64) if not np.issubdtype(a.dtype, np.floating) else a
        m = np.max(z, axis=axis, keepdims=True)
        m = np.where(np.isneginf(m), 0.0, m)
        e = np.exp(z - m)
        s = np.sum(e, axis=axis, keepdims=True)
        with np.errstate(invalid="ignore"):
            return e / s
''')

COPYCAT = textwrap.dedent('''
    import json
    import numpy as np

    TABLE = json.loads({table!r})


    def softmax(x, axis=-1):
        a = np.asarray(x)
        key = json.dumps({{"x": a.tolist(), "axis": axis, "dtype": str(a.dtype)}})
        if key in TABLE:
            print("TABLE HIT")
            return np.asarray(TABLE[key], dtype=a.dtype if a.dtype.kind == "f" else float)
        z = a.astype(np.float64) if not np.issubdtype(a.dtype, np.floating) else a
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            e = np.exp(z)
            return e / np.sum(e, axis=axis, keepdims=True)
''')

NAIVE = (REPO / "reference" / "softmax" / "mutants" / "naive_exp.py").read_text()


def test_a_table_of_printed_inputs_earns_nothing_on_the_next_submission(tmp_path: Path) -> None:
    from importlib.util import module_from_spec, spec_from_file_location

    spied = _grade(REPO, {"spy": {"softmax.py": SPY}}, tmp_path, ["softmax"])["spy"][0]
    assert spied.score == spied.max_score
    spec = spec_from_file_location("reference_softmax", REPO / "reference/softmax/solution.py")
    assert spec is not None and spec.loader is not None
    reference = module_from_spec(spec)
    spec.loader.exec_module(reference)
    table = {}
    for line in spied.output.splitlines():
        if line.startswith("INPUT "):
            key = line[len("INPUT "):]
            seen = json.loads(key)
            x = np.asarray(seen["x"], dtype=seen["dtype"])
            right = reference.softmax(x, axis=seen["axis"])
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                e = np.exp(x.astype(float))
                naive = e / e.sum(axis=seen["axis"], keepdims=True)
            if not np.allclose(naive, right, rtol=1e-9, atol=1e-15, equal_nan=True):
                table[key] = right.tolist()  # only where the naive formula is wrong
    assert len(table) >= 3, "the spy printed the hidden inputs on which naive code fails"

    copycat = COPYCAT.format(table=json.dumps(table))
    graded = _grade(REPO, {"spy": {"softmax.py": copycat}, "next": {"softmax.py": copycat},
                           "naive": {"softmax.py": NAIVE}}, tmp_path, ["softmax"])
    naive = graded["naive"][0]
    assert naive.score < naive.max_score
    for student in ("spy", "next"):
        result = graded[student][0]
        assert "TABLE HIT" not in result.output, f"{student}: a hidden input came round again"
        assert result.score == pytest.approx(naive.score), (
            f"{student}: the table earned more than the naive formula")


# -- the call pattern is no oracle ------------------------------------------------------
OFF_BY_ONE = (REPO / "reference" / "early_stopping" / "mutants" / "patience_off_by_one.py"
              ).read_text()
ORACLE = OFF_BY_ONE + textwrap.dedent('''

    import sys

    _plain_step = EarlyStopping.step


    def _last_of_batch():
        """Whether the caller feeding a batch of epochs is on the batch's last value."""
        frame = sys._getframe(2)
        for _ in range(4):
            if frame is None:
                return False
            names = frame.f_locals
            calls = names.get("calls", names.get("pairs"))
            results = names.get("results")
            if isinstance(calls, list) and isinstance(results, list):
                return len(results) == len(calls) - 1
            frame = frame.f_back
        return False


    def _oracle_step(self, value, weights=None):
        stop = _plain_step(self, value, weights)
        if _last_of_batch() and self.stopped_epoch is None:
            self.stopped_epoch = self._epoch
            return True
        return stop


    EarlyStopping.step = _oracle_step
''')


def test_the_stopper_that_stops_on_the_last_value_it_is_given_gains_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both stoppers meet the same cases (one key for every submission here), under three
    secrets: on every test the oracle scores no more than the stopper it is built on."""
    monkeypatch.setattr(grading, "submission_key", lambda secret, student, digest: secret,
                        raising=False)
    for secret in ("one", "two", "three"):
        monkeypatch.setenv(SECRET_ENV, secret)
        graded = _grade(REPO, {"plain": {"early_stopping.py": OFF_BY_ONE},
                               "oracle": {"early_stopping.py": ORACLE}},
                        tmp_path, ["early_stopping"])
        plain = {t.name: t.score for t in graded["plain"][0].tests}
        oracle = {t.name: t.score for t in graded["oracle"][0].tests}
        gained = {name: (plain[name], score) for name, score in oracle.items()
                  if score > plain[name] + 1e-9}
        assert not gained, f"secret {secret!r}: the oracle gained on {gained}"


# -- refusing everything ----------------------------------------------------------------
REFUSE = {
    "softmax.py": "def softmax(x, axis=-1):\n    raise ValueError('no')\n",
    "cross_entropy.py": "def cross_entropy(y_true, y_pred, eps=1e-12):\n"
                        "    raise ValueError('no')\n",
    "kfold.py": "def kfold_indices(n_samples, k, shuffle=False, seed=None):\n"
                "    raise ValueError('no')\n\n\n"
                "def cross_val_score(fit_and_score, X, y, k):\n    raise ValueError('no')\n",
    "early_stopping.py": "class EarlyStopping:\n"
                         "    def __init__(self, patience=5, min_delta=0.0, mode='min',\n"
                         "                 restore_best=True):\n"
                         "        raise ValueError('no')\n\n"
                         "    def step(self, value, weights=None):\n"
                         "        raise ValueError('no')\n",
}


def test_code_that_raises_value_error_everywhere_earns_nothing(tmp_path: Path) -> None:
    names = ["softmax", "cross_entropy", "kfold", "early_stopping"]
    graded = _grade(REPO, {"refuser": REFUSE}, tmp_path, names)["refuser"]
    assert [(a.assignment, a.score) for a in graded] == [(n, 0.0) for n in names]
    assert all(a.max_score > 0 for a in graded)
