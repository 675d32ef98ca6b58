"""validate's verdicts, without grading anything: judge, expected failures, the variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import Course
from grader.errors import ConfigError
from grader.results import AssignmentResult, TestResult
from grader.validate import Variant, expected_failures, judge, variants

REPO = Path(__file__).resolve().parents[2]


def _result(*tests: tuple[str, float, float]) -> AssignmentResult:
    records = [TestResult(name, score, most, "passed" if score >= most else "failed",
                          "" if score >= most else "wrong")
               for name, score, most in tests]
    return AssignmentResult(assignment="softmax", score=sum(t.score for t in records),
                            max_score=sum(t.max_score for t in records), status="graded",
                            tests=records)


def _mutant(tmp_path: Path, expected: str) -> Variant:
    path = tmp_path / "mutant.py"
    path.write_text(f"EXPECTED_FAILURES = {expected}\n\ndef softmax(x):\n    return x\n")
    return Variant("mutant", "mutant", path)


def test_the_reference_and_alternatives_need_full_marks(tmp_path: Path) -> None:
    full = _result(("test_a", 1.0, 1.0), ("test_b", 2.0, 2.0))
    short = _result(("test_a", 1.0, 1.0), ("test_b", 1.0, 2.0))
    for kind in ("reference", "alternative"):
        assert judge(Variant(kind, "x", tmp_path), full) == (True, "")
        ok, detail = judge(Variant(kind, "x", tmp_path), short)
        assert not ok and detail == "test_b: wrong"


def test_the_stub_must_stay_near_zero(tmp_path: Path) -> None:
    stub = Variant("stub", "softmax.py", tmp_path)
    assert judge(stub, _result(("test_a", 0.0, 10.0)))[0]
    assert judge(stub, _result(("test_a", 1.0, 10.0)))[0]  # 10 %: the ceiling
    assert not judge(stub, _result(("test_a", 2.0, 10.0)))[0]


def test_a_mutant_must_lose_points_on_every_test_it_names(tmp_path: Path) -> None:
    mutant = _mutant(tmp_path, "['test_a', 'test_b']")
    caught = _result(("test_a", 0.0, 1.0), ("test_b[case1]", 0.5, 1.0), ("test_b[case2]", 1, 1))
    assert judge(mutant, caught) == (True, "caught by 2")
    missed = _result(("test_a", 0.0, 1.0), ("test_b", 1.0, 1.0))
    assert judge(mutant, missed) == (False, "missed: test_b")
    absent = _result(("test_a", 0.0, 1.0))
    assert judge(mutant, absent) == (False, "no such test in test_hidden.py: test_b")


@pytest.mark.parametrize("literal", ["[]", "'test_a'", "[1, 2]", "None"])
def test_a_mutant_without_a_list_of_test_names_is_a_config_error(
        tmp_path: Path, literal: str) -> None:
    with pytest.raises(ConfigError, match="EXPECTED_FAILURES"):
        expected_failures(_mutant(tmp_path, literal).source)


def test_expected_failures_are_read_without_importing(tmp_path: Path) -> None:
    path = tmp_path / "mutant.py"
    path.write_text("raise SystemExit('imported')\nEXPECTED_FAILURES = ('test_a',)\n")
    assert expected_failures(path) == ["test_a"]


@pytest.mark.parametrize("name", ["softmax", "cross_entropy", "kfold", "early_stopping",
                                  "classifier_metrics", "titanic", "iris_classifier"])
def test_every_assignment_has_each_kind_of_variant(name: str) -> None:
    kinds = [v.kind for v in variants(Course(REPO), name)]
    assert kinds[0] == "reference"
    assert {"stub", "mutant", "alternative"} <= set(kinds)
    alternatives = [v.source for v in variants(Course(REPO), name) if v.kind == "alternative"]
    assert alternatives == Course(REPO).alternatives(name)
    assert all(p.parent == REPO / "reference" / name / "alternatives" for p in alternatives)


def test_a_misspelled_expected_failure_is_named_no_such_test(tmp_path: Path) -> None:
    mutant = _mutant(tmp_path, "['test_a', 'test_larg_inputs', 'test_b[case9]']")
    result = _result(("test_a", 0.0, 1.0), ("test_large_inputs", 0.0, 1.0),
                     ("test_b[case1]", 0.0, 1.0))
    assert judge(mutant, result) == (
        False, "no such test in test_hidden.py: test_larg_inputs, test_b[case9]")
