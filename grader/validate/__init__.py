"""``grade validate``: one battery, every assignment, no special cases.

For each assignment the hidden suite must give
- the reference solution full marks,
- the stub about zero (at most 10 %) without crashing anything,
- every mutant less than full marks on each test it declares in ``EXPECTED_FAILURES``,
- every correct alternative under ``reference/<name>/alternatives/`` full marks,
- the reference the same result twice (grading is deterministic),
- the public suite (``test_public.py``, as ``grade check`` runs it) passed by the reference
  and not broken by the stub, and free of fixtures a student's machine lacks
  (``grader.validate.public``),
- the stub notebook made from the stub script as it is now (``grade stub``),

and all of it under several course secrets (``--secrets``, five by default): the hidden
cases are drawn from the secret, so a suite must keep every case's property whatever the
draw. The first secret is the course's own (``reference/course-secret`` or
``$GRADER_COURSE_SECRET``), the others are derived from it, so a run is reproducible.

Each variant is graded exactly as a student would be: copied into a student folder under
the assignment's file name and sent through the sandboxed engine.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..course import Course
from ..discover import StudentSubmission, discover_student
from ..engine.grading import Engine
from ..engine.sandbox import Sandbox, choose_sandbox
from ..errors import ConfigError
from ..results import AssignmentResult, TestResult, results_json
from ..seeds import derive_seed
from ..stub import stale
from .public import instructor_fixtures, judge_public

STUB_CEILING = 0.10
DEFAULT_SECRETS = 5


@dataclass
class Check:
    assignment: str
    kind: str
    variant: str
    score: float
    max_score: float
    ok: bool
    detail: str = ""
    secret: int = 0
    """Which of the secrets the check ran under (0: the course's own)."""


@dataclass
class ValidateReport:
    checks: list[Check] = field(default_factory=list)
    course: str = ""
    """The course validated, as the header names it (its name and folder)."""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


@dataclass(frozen=True)
class Variant:
    kind: str
    name: str
    source: Path


def expected_failures(path: Path) -> list[str]:
    """The mutant's ``EXPECTED_FAILURES`` literal, read without importing the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "EXPECTED_FAILURES" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
                return list(value)
    raise ConfigError(f"{path}: a mutant must declare EXPECTED_FAILURES = ['test_name', ...]")


def variants(course: Course, name: str) -> Iterator[Variant]:
    solution = course.solution(name)
    if solution is None:
        raise ConfigError(f"{name}: reference/{name}/solution.py is missing")
    if not course.config(name).files:
        raise ConfigError(f"{name}: assignment.toml lists no files")
    yield Variant("reference", "solution", solution)
    for stub in sorted((course.assignments_dir / name).glob(f"{name}.*")):
        if stub.suffix in (".py", ".ipynb"):
            yield Variant("stub", stub.name, stub)
    for mutant in sorted((course.reference_dir / name / "mutants").glob("*.py")):
        yield Variant("mutant", mutant.stem, mutant)
    for alternative in course.alternatives(name):
        yield Variant("alternative", alternative.stem, alternative)


def _cases(result: AssignmentResult, test: str) -> list[TestResult]:
    """The results ``test`` names: a function's cases, or one case ``name[id]``."""
    return [t for t in result.tests if t.name == test or t.name.split("[")[0] == test]


def _lost(result: AssignmentResult, test: str) -> bool:
    """Whether ``test`` (a function name, or one case ``name[id]``) lost points."""
    return any(t.score < t.max_score for t in _cases(result, test))


def judge(variant: Variant, result: AssignmentResult) -> tuple[bool, str]:
    full = result.max_score > 0 and abs(result.score - result.max_score) < 1e-9
    failing = [f"{t.name}: {t.message.splitlines()[0] if t.message else t.status}"
               for t in result.tests if t.status != "passed"]
    if variant.kind in ("reference", "alternative"):
        return full, "" if full else "; ".join(failing[:3])
    if variant.kind == "stub":
        ok = result.score <= STUB_CEILING * result.max_score and result.status != "timeout"
        return ok, f"status {result.status}"
    expected = expected_failures(variant.source)
    unknown = [name for name in expected if not _cases(result, name)]
    if unknown:
        return False, f"no such test in test_hidden.py: {', '.join(unknown)}"
    missed = [name for name in expected if not _lost(result, name)]
    return not missed, ("missed: " + ", ".join(missed)) if missed else f"caught by {len(expected)}"


def validation_secrets(course_secret: bytes, count: int) -> list[bytes]:
    """``count`` secrets: the course's own, then ones derived from it (stable per course)."""
    derived = [f"validate-{derive_seed(course_secret, 'grade validate', str(i)):016x}".encode()
               for i in range(1, count)]
    return [course_secret, *derived][:max(count, 1)]


def grade_variant(engine: Engine, name: str, variant: Variant,
                  folder: Path) -> tuple[StudentSubmission, AssignmentResult]:
    """Grade ``variant`` of ``name`` as a student's: copied into ``folder`` (new) under the
    assignment's file name and sent through ``engine``."""
    config = engine.configs[name]
    folder.mkdir()
    target = f"{name}.ipynb" if variant.source.suffix == ".ipynb" else config.files[0]
    shutil.copyfile(variant.source, folder / target)
    submission = discover_student(folder, list(engine.configs.values()))
    return submission, engine.grade(submission, only=[name]).assignments[0]


def main(*, assignments: list[str] | None = None, course_dir: Path | None = None,
         sandbox: str = "auto", options: dict[str, Any] | None = None,
         secrets: int = DEFAULT_SECRETS) -> ValidateReport:
    """Grade every variant of every assignment under ``secrets`` course secrets and judge it.

    Raises:
        ConfigError: a missing reference, a mutant without EXPECTED_FAILURES, no secret.
    """
    course = Course.find(course_dir)
    names = course.check_names(assignments)
    report = ValidateReport(course=course.describe())
    for name in names:
        if not (course.assignments_dir / name / f"{name}.ipynb").is_file():
            continue
        problem = stale(course.assignments_dir / name, name)
        report.checks.append(Check(name, "notebook", f"{name}.ipynb", 0.0, 0.0, not problem,
                                   problem or f"made from {name}.py"))
    box = choose_sandbox(sandbox)
    for number, secret in enumerate(validation_secrets(course.secret(), secrets)):
        with Engine(course, names, sandbox=box, options=options, secret=secret) as engine:
            _validate_under(course, names, engine, report, number)
    _validate_public(course, names, box, report)
    return report


def _validate_public(course: Course, names: list[str], box: Sandbox,
                     report: ValidateReport) -> None:
    """The public suites as ``grade check`` runs them: the reference and the stubs, once (the
    public seed is fixed, so more secrets would draw nothing new)."""
    runnable = []
    for name in names:
        refused = instructor_fixtures(course.suite(name, "public"))
        report.checks.append(Check(name, "public", "fixtures", 0.0, 0.0, not refused,
                                   "; ".join(refused) if refused
                                   else "only fixtures a student's machine has"))
        if not refused:
            runnable.append(name)
    if not runnable:
        return
    with tempfile.TemporaryDirectory(prefix="grader-validate-public-") as tmp, \
            Engine(course, runnable, sandbox=box, kind="public") as engine:
        for name in runnable:
            checked = [v for v in variants(course, name) if v.kind in ("reference", "stub")]
            for index, variant in enumerate(checked):
                folder = Path(tmp) / f"{name}-{index:03d}-{variant.kind}-{variant.name}"
                _, result = grade_variant(engine, name, variant, folder)
                ok, detail = judge_public(variant.kind, result)
                report.checks.append(Check(name, f"public-{variant.kind}", variant.name,
                                           result.score, result.max_score, ok, detail))


def _validate_under(course: Course, names: list[str], engine: Engine, report: ValidateReport,
                    number: int) -> None:
    """Every variant of every assignment, graded by ``engine`` (one secret)."""
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as tmp:
        for name in names:
            for index, variant in enumerate([*variants(course, name)]):
                folder = Path(tmp) / f"{name}-{index:03d}-{variant.kind}-{variant.name}"
                submission, result = grade_variant(engine, name, variant, folder)
                ok, detail = judge(variant, result)
                report.checks.append(Check(name, variant.kind, variant.name, result.score,
                                           result.max_score, ok, detail, number))
                if variant.kind == "reference":
                    again = engine.grade(submission, only=[name]).assignments[0]
                    same = _comparable(again) == _comparable(result)
                    report.checks.append(Check(name, "rerun", "solution", again.score,
                                               again.max_score, same,
                                               "identical" if same else "differs", number))


def _comparable(result: AssignmentResult) -> dict[str, Any]:
    """The grade itself: scores, statuses, messages, artifacts; not the captured output,
    which may carry timestamps (TensorFlow's start-up log does)."""
    from ..results import StudentResult  # noqa: PLC0415

    document = results_json([StudentResult("x", [result])])
    assignment = document["students"][0]["assignments"][0]
    assignment.pop("output", None)
    return assignment


def format_report(report: ValidateReport) -> str:
    rows = [("secret", "assignment", "kind", "variant", "score", "ok", "detail")]
    for c in report.checks:
        rows.append((str(c.secret), c.assignment, c.kind, c.variant,
                     f"{c.score:g}/{c.max_score:g}", "ok" if c.ok else "MISS", c.detail[:90]))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = [f"validated against {report.course}"] if report.course else []
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r[:6], widths)) + "  " + r[6]
              for r in rows]
    misses = sum(not c.ok for c in report.checks)
    count = len({c.secret for c in report.checks})
    lines.append(f"{len(report.checks)} checks under {count} secret(s), {misses} missed")
    return "\n".join(lines)
