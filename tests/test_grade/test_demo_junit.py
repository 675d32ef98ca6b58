"""``make demo``'s JUnit: an assignment not handed in is one skipped case, never an error
per hidden test (docs/ci.md)."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

from .course_copy import REPO

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]
NUMERIC = ("softmax", "cross_entropy", "kfold", "early_stopping")


def demo_arguments() -> list[str]:
    """The arguments ``make demo`` passes to ``grade``, read from the Makefile."""
    text = (REPO / "Makefile").read_text().replace("\\\n", " ")
    [line] = [line for line in text.splitlines() if "$(BIN)/grade examples/submissions" in line]
    return shlex.split(line.split("$(BIN)/grade", 1)[1])


def test_the_demo_junit_has_one_skipped_case_per_missing_assignment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = demo_arguments()
    assert "--junit" in arguments
    monkeypatch.chdir(tmp_path)
    # The demo's own command, less the jet classifier (TensorFlow training is another test's).
    out = arguments.index("--out")
    del arguments[out:out + 2]
    arguments[0] = str(REPO / "examples" / "submissions")
    args = [*arguments, "--course", str(REPO), *(f"-a{name}" for name in NUMERIC),
            "--no-reports", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    root = ET.parse(tmp_path / "reports" / "results.xml").getroot()

    missing = [suite for suite in root.iter("testsuite")
               if suite.find("properties/property[@name='status']").get("value") == "missing"]  # type: ignore[union-attr]
    names = {suite.get("name") for suite in missing}
    assert {"fay_empty.softmax", "fay_empty.kfold", "ben_naive_softmax.kfold",
            "cleo_overlapping_folds.softmax"} <= names
    for suite in missing:
        [case] = suite.findall("testcase")
        skipped = case.find("skipped")
        assert skipped is not None, suite.get("name")
        message = skipped.get("message", "")
        assert message.startswith("not submitted: expected "), message
        assert suite.get("errors") == "0" and suite.get("skipped") == "1"
    assert int(root.get("skipped", "-1")) == len(missing)
    graded = [suite for suite in root.iter("testsuite") if suite not in missing]
    assert all(suite.find("testcase/skipped") is None for suite in graded)
