"""One error boundary: every GraderError leaves ``grade`` as one line and its exit code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.errors import (
    EXIT_INFRA,
    EXIT_USAGE,
    ConfigError,
    GradebookError,
    GraderError,
    ProtocolError,
    SandboxUnavailable,
    StudentCodeError,
    SubmissionError,
)

CLI = Path(cli.__file__)


def test_cli_converts_grader_errors_in_one_place() -> None:
    handlers = [node for node in ast.walk(ast.parse(CLI.read_text()))
                if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name)
                and node.type.id == "GraderError"]
    assert len(handlers) == 1


@pytest.mark.parametrize(("error", "code"), [
    (ConfigError, EXIT_USAGE), (SubmissionError, EXIT_USAGE), (StudentCodeError, EXIT_USAGE),
    (ProtocolError, EXIT_USAGE), (SandboxUnavailable, EXIT_INFRA), (GradebookError, EXIT_INFRA),
])
def test_each_error_carries_its_exit_code(error: type[GraderError], code: int) -> None:
    assert error("x").exit_code == code


@pytest.mark.parametrize("command", ["run", "check", "validate", "release", "report", "export",
                                     "override", "similarity"])
def test_every_command_goes_through_the_boundary(monkeypatch: pytest.MonkeyPatch,
                                                 command: str) -> None:
    """Whatever command raises, the group prints the one line and exits with the code."""
    def broken(*args: object, **kwargs: object) -> None:
        raise GradebookError("the gradebook at db is unreachable: start the server")

    args = {"run": ["run", "subs"], "check": ["check", "softmax"], "validate": ["validate"],
            "release": ["release", "out"], "report": ["report"],
            "export": ["export", "--format", "csv"],
            "override": ["override", "ada", "softmax", "1", "--reason", "r"],
            "similarity": ["similarity", "subs"]}[command]
    targets = {"run": ("grader.grade", "main"), "check": ("grader.checking", "main"),
               "validate": ("grader.validate", "main"), "release": ("grader.release", "main"),
               "report": ("grader.report", "main"), "export": ("grader.export", "main"),
               "override": ("grader.override", "main"),
               "similarity": ("grader.similarity", "main")}
    module, name = targets[command]
    monkeypatch.setattr(f"{module}.{name}", broken)
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == EXIT_INFRA, result.output
    assert result.output.strip().splitlines()[-1] == (
        "grade: error: the gradebook at db is unreachable: start the server")


def test_a_usage_error_exits_two(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["run", str(tmp_path / "missing"), "--course", str(
        Path(__file__).resolve().parents[2]), "--quiet"])
    assert result.exit_code == EXIT_USAGE
    assert result.output.startswith("grade: error: ")
    assert len(result.output.strip().splitlines()) == 1
