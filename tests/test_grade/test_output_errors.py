"""``grade``: an output it cannot write is one line with exit code 2, and no grade is lost.

The gradebook is written before any report or results file, so a run whose ``--out``,
``--json`` or ``--junit`` cannot be written still keeps every grade for the next command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.gradebook import Gradebook

from .course_copy import make_course, make_submissions

pytestmark = pytest.mark.slow


def test_unwritable_outputs_fail_cleanly_after_the_grades_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = make_course(tmp_path, late="")
    subs = make_submissions(tmp_path, {"ada": ""})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file, not a folder")
    (tmp_path / "folder").mkdir()
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    common = [str(subs), "--course", str(course), "--db", db, "--no-sandbox", "--quiet"]
    for option, value in (("--out", "taken"), ("--json", "folder"), ("--junit", "taken/r.xml")):
        extra = [option, value] if option == "--out" else [option, value, "--no-reports"]
        result = CliRunner().invoke(main, [*common, *extra])
        assert result.exit_code == 2, result.output
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("grade: error: cannot write ") and option in line, line
        assert value.split("/")[0] in line
        with Gradebook(db) as book:
            [ada] = book.students()
        assert ada.score == 10.0, "the grade was stored before the outputs failed"
