"""``grade validate`` judges every variant under several course secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import validate
from grader.seeds import SECRET_ENV


def test_the_secrets_are_the_courses_own_then_distinct_derived_ones() -> None:
    secrets = validate.validation_secrets(b"course", 5)
    assert secrets[0] == b"course" and len(set(secrets)) == 5
    assert secrets == validate.validation_secrets(b"course", 5), "reproducible"
    assert validate.validation_secrets(b"other", 5)[1:] != secrets[1:], "drawn from the course's"


SUITE = """
import numpy as np
import pytest

from grader.testing import assert_close


@pytest.mark.parametrize("case", ["small", "large"])
def test_doubles(submission, reference, rng, case):
    x = rng.normal(scale=1.0 if case == "small" else 1e6, size=5)
    assert_close(submission.double(x), reference.double(x), msg="2 * x")
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    public = root / "assignments" / "double"
    public.mkdir(parents=True)
    (public / "assignment.toml").write_text(
        '[assignment]\ntitle = "Double"\nnames = ["double"]\nfiles = ["double.py"]\n')
    (public / "test_public.py").write_text("def test_nothing(submission):\n    pass\n")
    (public / "double.py").write_text("def double(x):\n    raise NotImplementedError\n")
    hidden = root / "reference" / "double"
    (hidden / "mutants").mkdir(parents=True)
    (hidden / "test_hidden.py").write_text(SUITE)
    (hidden / "solution.py").write_text("def double(x):\n    return 2 * x\n")
    (hidden / "mutants" / "plus_one.py").write_text(
        'EXPECTED_FAILURES = ["test_doubles[small]"]\n\n\ndef double(x):\n'
        '    return 2 * x + 1\n')
    (root / "reference" / "course-secret").write_text("the double course\n")
    return root


def test_validate_runs_every_check_under_each_secret(course: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    report = validate.main(assignments=["double"], course_dir=course, sandbox="none",
                           secrets=3)
    assert report.ok, validate.format_report(report)
    kinds = [(c.secret, c.kind) for c in report.checks]
    assert kinds == [(s, k) for s in range(3)
                     for k in ("reference", "rerun", "stub", "mutant")] + [
        (0, "public"), (0, "public-reference"), (0, "public-stub")]
    assert "15 checks under 3 secret(s), 0 missed" in validate.format_report(report)
