"""``grade validate --mutate``: the operators, the ids, and a small suite with a known survivor."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main as cli
from grader.errors import ConfigError
from grader.validate import mutate
from grader.validate.mutate import make_mutants
from grader.validate.mutate.equivalent import read_marks

SOURCE = '''"""A module docstring."""

import numpy as np


def f(x, axis=-1, flag=True):
    """Docstring: 1 < 2 is not code."""
    if x.ndim != 2 and flag:
        raise ValueError(f"got {x.ndim - 1} dims")
    shift = np.max(x, axis=axis, keepdims=True)
    y = np.clip(x - shift, 0, 1)
    y += 2 * y
    return np.divide(y, shift)
'''


def _diffs(operator: str) -> list[str]:
    return [m.diff.splitlines()[-1][1:].strip() for m in make_mutants(SOURCE)
            if m.operator == operator]


def test_each_operator_makes_its_mistakes() -> None:
    assert _diffs("compare") == ["if x.ndim == 2 and flag:"]
    assert _diffs("arithmetic") == ["y = np.clip(x + shift, 0, 1)", "y -= 2 * y",
                                    "y += 2 / y"]
    assert "shift = np.max(x, keepdims=True)" in _diffs("axis")
    assert "shift = np.max(x, axis=0, keepdims=True)" in _diffs("axis")
    assert _diffs("keepdims") == ["shift = np.max(x, axis=axis)",
                                  "shift = np.max(x, axis=axis, keepdims=False)"]
    assert "def f(x, axis=0, flag=True):" in _diffs("constant")
    assert "y = np.clip(x - shift, 0, 2)" in _diffs("constant")
    assert "if x.ndim != 2 or flag:" in _diffs("boolean")
    assert "y = x - shift" in _diffs("drop_call")  # the clip removed
    assert _diffs("term") == ["y = np.clip(x, 0, 1)"]  # the max shift removed
    assert "y = np.clip(0, x - shift, 1)" in _diffs("arguments")
    assert _diffs("statement").count("pass") == 5


def test_docstrings_messages_and_imports_are_not_mutated() -> None:
    for mutant in make_mutants(SOURCE):
        changed = [line for line in mutant.diff.splitlines()
                   if line.startswith("-") and not line.startswith("---")]
        assert not any("Docstring" in line or "import" in line for line in changed)
        assert "got {x.ndim - 1} dims" in mutant.source or mutant.operator == "statement"


def test_ids_are_unique_and_stable_across_edits_elsewhere() -> None:
    before = {m.id: m.diff.splitlines()[-1] for m in make_mutants(SOURCE)}
    assert len(before) == len(make_mutants(SOURCE))
    edited = SOURCE + "\n\ndef g(z):\n    return z + 1\n"
    after = {m.id: m.diff.splitlines()[-1] for m in make_mutants(edited)}
    assert before.items() <= after.items()
    assert all(mutant_id.split(":")[0] in mutate.OPERATORS for mutant_id in after)


def test_an_equivalent_mark_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "equivalent_mutants.toml"
    path.write_text('[equivalent]\n"drop_call:3:abc" = "always an array"\n')
    assert read_marks(path) == {"drop_call:3:abc": "always an array"}
    path.write_text('[equivalent]\n"drop_call:3:abc" = ""\n')
    with pytest.raises(ConfigError, match="drop_call:3:abc needs a reason"):
        read_marks(path)
    assert read_marks(tmp_path / "absent.toml") == {}


def _course(root: Path) -> Path:
    """``halve(x) = x / 2``, whose hidden suite only halves even numbers: ``x // 2`` survives."""
    public = root / "assignments" / "halve"
    hidden = root / "reference" / "halve"
    public.mkdir(parents=True)
    hidden.mkdir(parents=True)
    (public / "assignment.toml").write_text(
        '[assignment]\ntitle = "Halve"\nnames = ["halve"]\nfiles = ["halve.py"]\n'
        "[limits]\ncall_timeout = 2\ntotal_timeout = 30\n")
    (public / "test_public.py").write_text("def test_nothing(submission):\n    pass\n")
    (hidden / "solution.py").write_text("def halve(x):\n    return x / 2\n")
    (hidden / "test_hidden.py").write_text(
        "import pytest\n\n\n@pytest.mark.points(1)\ndef test_even(submission):\n"
        "    assert submission.halve(8.0) == 4.0\n")
    (root / "reference" / "course-secret").write_text("a test secret\n")
    return root


@pytest.mark.slow
def test_a_small_suite_with_a_known_survivor(tmp_path: Path) -> None:
    course = _course(tmp_path / "course")
    (report,) = mutate.main(course_dir=course, jobs=1)
    assert report.assignment == "halve"
    ops = sorted((r.mutant.operator, r.killed) for r in report.results)
    assert ops == [("arithmetic", False), ("arithmetic", True), ("constant", True),
                   ("constant", True)]
    (survivor,) = report.survivors
    assert "return x // 2" in survivor.mutant.diff
    text = mutate.format_reports([report])
    assert text.splitlines()[0].startswith("mutation score halve: 3/4 killed (75%)")
    assert survivor.mutant.id in text and "+    return x // 2" in text
    assert not mutate.passed([report])

    (course / "reference" / "halve" / mutate.EQUIVALENT_FILE).write_text(
        f'[equivalent]\n"{survivor.mutant.id}" = "the course only halves even numbers"\n')
    result = CliRunner().invoke(cli, ["validate", "--mutate", "--course", str(course),
                                      "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "mutation score halve: 3/4 killed (75%)" in result.output
    assert "marked equivalent 1: 3/3 killed (100%)" in result.output
    assert "the course only halves even numbers" in result.output


@pytest.mark.slow
def test_a_wrong_or_stale_mark_fails(tmp_path: Path) -> None:
    course = _course(tmp_path / "course")
    killed = next(m.id for m in make_mutants("def halve(x):\n    return x / 2\n")
                  if "x * 2" in m.diff)
    (course / "reference" / "halve" / mutate.EQUIVALENT_FILE).write_text(
        f'[equivalent]\n"{killed}" = "wrong"\n"statement:9:deadbeef" = "gone"\n')
    result = CliRunner().invoke(cli, ["validate", "--mutate", "--course", str(course),
                                      "-j", "1", "--min-score", "0"])
    assert result.exit_code == 1
    assert f"{killed}: marked equivalent but killed" in result.output
    assert "statement:9:deadbeef: marked equivalent in reference/halve/" in result.output


def test_slow_assignments_are_left_out_by_default_and_capped(tmp_path: Path) -> None:
    course = _course(tmp_path / "course")
    toml = course / "assignments" / "halve" / "assignment.toml"
    toml.write_text(toml.read_text().replace("total_timeout = 30", "total_timeout = 600"))
    from grader.course import Course

    assert mutate.default_names(Course(course)) == []
    many = make_mutants(SOURCE)
    chosen = mutate.choose(many, 4)
    assert len(chosen) == 4 and chosen == mutate.choose(many, 4)
    assert len({m.operator for m in chosen}) > 1


@pytest.mark.slow
def test_a_hidden_suite_of_one_test_grades_every_submission_alike(tmp_path: Path) -> None:
    """The engine runs the suite once per submission; with one test, its fixtures were kept
    from the first run and every later submission failed (``KeyError: 'submission'``)."""
    from grader.course import Course
    from grader.engine.grading import Engine
    from grader.engine.sandbox import choose_sandbox
    from grader.validate import Variant, grade_variant

    course = _course(tmp_path / "course")
    solution = Variant("reference", "solution", course / "reference" / "halve" / "solution.py")
    with Engine(Course(course), ["halve"], sandbox=choose_sandbox("auto")) as engine:
        scores = [grade_variant(engine, "halve", solution, tmp_path / f"s{i}")[1].score
                  for i in range(3)]
    assert scores == [1.0, 1.0, 1.0]
