"""The public suite as students meet it: ``grade check`` runs ``test_public.py`` on their file.

``grade validate`` runs it the same way (the public engine, the fixed public seed, no
reference) against the reference solution, which must pass every public test, and against
the stub, which must fail them without breaking a test itself: a public test that raises
on the trusted side (a ``TypeError`` of its own, a fixture that is not there) would fail
every student's self-check with a message about the suite rather than their code.

Before anything runs, the suite's source is read for fixtures that exist only while the
hidden suite grades (``INSTRUCTOR_ONLY_FIXTURES``): a student's machine has no
``reference/``, so a public test asking for one fails for everybody.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..results import AssignmentResult

INSTRUCTOR_ONLY_FIXTURES = {
    "reference": "the reference solution, which is never released",
}
"""Fixtures a public test may not use, and why (docs/writing-suites.md lists them)."""

# How the runner words an exception raised by the test itself rather than by the student's
# code (``grader.engine.plugin.classify``): ``TypeError: ...``.
_TRUSTED_SIDE_ERROR = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception|Exit): ")


def instructor_fixtures(path: Path) -> list[str]:
    """Where ``path`` (a public suite) asks for an instructor-only fixture, one line each:
    as an argument of a test or fixture function, or through ``request.getfixturevalue``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            found += [f"{path.name}:{node.lineno}: {node.name} takes the fixture "
                      f"'{a.arg}' ({INSTRUCTOR_ONLY_FIXTURES[a.arg]})"
                      for a in arguments if a.arg in INSTRUCTOR_ONLY_FIXTURES]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "getfixturevalue" and node.args
              and isinstance(node.args[0], ast.Constant)
              and node.args[0].value in INSTRUCTOR_ONLY_FIXTURES):
            found.append(f"{path.name}:{node.lineno}: getfixturevalue('{node.args[0].value}') "
                         f"({INSTRUCTOR_ONLY_FIXTURES[str(node.args[0].value)]})")
    return found


def suite_errors(result: AssignmentResult) -> list[str]:
    """The public tests that broke on the trusted side, and any failure of the grader."""
    broken = [f"{t.name}: {t.message.splitlines()[0]}" for t in result.tests
              if t.status == "error" and _TRUSTED_SIDE_ERROR.match(t.message)]
    if result.grader_failure:
        broken.append(f"the grader failed: {result.grader_failure.splitlines()[0]}")
    if result.status == "timeout":
        broken.append("the public checks ran out of time")
    return broken


def judge_public(kind: str, result: AssignmentResult) -> tuple[bool, str]:
    """The reference must pass every public test; the stub must not break any."""
    broken = suite_errors(result)
    if kind == "reference":
        failing = [f"{t.name}: {t.message.splitlines()[0] if t.message else t.status}"
                   for t in result.tests if t.status != "passed"]
        full = bool(result.tests) and not failing and not broken
        return full, "passes every public test" if full else "; ".join((broken or failing)[:3])
    return not broken, ("no public test broke" if not broken
                        else "a public test broke: " + "; ".join(broken[:3]))
