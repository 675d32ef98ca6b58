"""validate runs what students will run: each public suite against the reference (it must
pass) and the stub (no test may break), and refuses instructor-only fixtures up front."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import validate
from grader.results import AssignmentResult, TestResult
from grader.validate.public import instructor_fixtures, judge_public

REPO = Path(__file__).resolve().parents[2]


def _course(root: Path) -> Path:
    course = root / "course"
    shutil.copytree(REPO / "assignments" / "softmax", course / "assignments" / "softmax")
    shutil.copytree(REPO / "reference" / "softmax", course / "reference" / "softmax")
    shutil.copyfile(REPO / "reference" / "course-secret", course / "reference" / "course-secret")
    for extra in ("mutants", "alternatives"):
        shutil.rmtree(course / "reference" / "softmax" / extra)
    return course


def _add_public_test(course: Path, source: str) -> None:
    path = course / "assignments" / "softmax" / "test_public.py"
    path.write_text(path.read_text() + "\n\n" + source)


def _public(report: validate.ValidateReport) -> dict[tuple[str, str], validate.Check]:
    return {(c.kind, c.variant): c for c in report.checks if c.kind.startswith("public")}


@pytest.mark.slow
def test_a_public_test_the_reference_fails_fails_validation(tmp_path: Path) -> None:
    course = _course(tmp_path)
    _add_public_test(course, "@pytest.mark.points(1)\ndef test_wrong_on_purpose(submission):\n"
                             "    check(submission.softmax(np.zeros(2))[0] == 0.7, 'wrong')\n")
    report = validate.main(course_dir=course, secrets=1)
    checks = _public(report)
    assert not report.ok
    reference = checks[("public-reference", "solution")]
    assert not reference.ok and "test_wrong_on_purpose" in reference.detail
    assert checks[("public-stub", "softmax.py")].ok


@pytest.mark.slow
def test_a_public_test_that_breaks_on_the_stub_fails_validation(tmp_path: Path) -> None:
    course = _course(tmp_path)
    _add_public_test(course, "@pytest.mark.points(1)\ndef test_breaks(submission):\n"
                             "    try:\n        got = submission.softmax(np.zeros(2))\n"
                             "    except NotImplementedError:\n        got = None\n"
                             "    check(got.sum() == 1, 'sums to one')\n")
    report = validate.main(course_dir=course, secrets=1)
    checks = _public(report)
    assert checks[("public-reference", "solution")].ok
    stub = checks[("public-stub", "softmax.py")]
    assert not stub.ok and "test_breaks: AttributeError" in stub.detail
    assert not report.ok


@pytest.mark.slow
def test_the_shipped_public_suites_pass_on_the_reference(tmp_path: Path) -> None:
    report = validate.main(course_dir=_course(tmp_path), secrets=1)
    assert report.ok
    assert {k for k in _public(report)} == {
        ("public", "fixtures"), ("public-reference", "solution"),
        ("public-stub", "softmax.py"), ("public-stub", "softmax.ipynb")}


@pytest.mark.slow
def test_a_public_test_using_the_reference_fixture_is_refused(tmp_path: Path) -> None:
    course = _course(tmp_path)
    _add_public_test(course, "def test_against_reference(submission, reference):\n"
                             "    pass\n\n\n"
                             "@pytest.fixture\ndef expected(request):\n"
                             "    return request.getfixturevalue('reference')\n")
    found = instructor_fixtures(course / "assignments" / "softmax" / "test_public.py")
    assert len(found) == 2
    assert "test_against_reference takes the fixture 'reference'" in found[0]
    assert "getfixturevalue('reference')" in found[1]
    report = validate.main(course_dir=course, secrets=1, assignments=["softmax"])
    fixtures = _public(report)[("public", "fixtures")]
    assert not fixtures.ok and "never released" in fixtures.detail
    assert ("public-reference", "solution") not in _public(report)


def test_the_stub_may_fail_public_tests_but_not_break_them() -> None:
    def result(*tests: TestResult) -> AssignmentResult:
        return AssignmentResult("softmax", 0.0, 2.0, "graded", list(tests))

    raised = TestResult("test_a", 0.0, 1.0, "error", "your code raised NotImplementedError: x")
    wrong = TestResult("test_b", 0.0, 1.0, "failed", "softmax([1]) should be [1]")
    broke = TestResult("test_c", 0.0, 1.0, "error", "TypeError: 'NoneType' is not iterable")
    assert judge_public("stub", result(raised, wrong)) == (True, "no public test broke")
    ok, detail = judge_public("stub", result(raised, broke))
    assert not ok and detail == "a public test broke: test_c: TypeError: 'NoneType' is not iterable"
    ok, detail = judge_public("reference", result(wrong))
    assert not ok and detail == "test_b: softmax([1]) should be [1]"


def test_the_docs_list_every_instructor_only_fixture_and_mutation_operator() -> None:
    from grader.validate.mutate import OPERATORS
    from grader.validate.public import INSTRUCTOR_ONLY_FIXTURES

    docs = (REPO / "docs" / "writing-suites.md").read_text()
    public = docs[docs.index("### What a public test may use"):docs.index("Remote handles:")]
    for fixture in INSTRUCTOR_ONLY_FIXTURES:
        assert f"| `{fixture}` |" in public
    mutate = docs[docs.index("## Automatic mutants"):docs.index("## The stub")]
    for operator in OPERATORS:
        assert f"| `{operator}` |" in mutate
