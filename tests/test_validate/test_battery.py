"""The validate battery as tests: one per variant of every assignment (reference, stub, each
mutant, each alternative), each graded through the sandboxed engine and judged, so a miss
names its variant in the test id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.course import Course
from grader.engine.grading import Engine
from grader.engine.sandbox import choose_sandbox
from grader.validate import Variant, grade_variant, judge, variants

REPO = Path(__file__).resolve().parents[2]
COURSE = Course(REPO)
ASSIGNMENTS = ["softmax", "cross_entropy", "kfold", "early_stopping", "classifier_metrics",
               "titanic"]
CASES = [(name, variant) for name in ASSIGNMENTS for variant in variants(COURSE, name)]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine(COURSE, ASSIGNMENTS, sandbox=choose_sandbox("auto")) as engine:
        yield engine


@pytest.mark.parametrize(("name", "variant"), CASES,
                         ids=[f"{n}-{v.kind}-{v.name}" for n, v in CASES])
def test_variant(engine: Engine, tmp_path: Path, name: str, variant: Variant) -> None:
    _, result = grade_variant(engine, name, variant, tmp_path / "student")
    ok, detail = judge(variant, result)
    assert ok, f"{name} {variant.kind} {variant.name}: {result.score:g}/{result.max_score:g} " \
               f"{detail}"
