"""``grade collect`` on the command line: the table at the end, one-line errors, exit 2."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from grader.cli import main
from grader.errors import EXIT_USAGE

from .fixtures import CORRECT


def test_the_table_names_what_was_renamed_and_ignored(tmp_path: Path) -> None:
    download = tmp_path / "download"
    download.mkdir()
    (download / "hopperg_LATE_1018_55002_softmax-1.py").write_bytes(CORRECT)
    (download / "hopperg_LATE_1018_55003_notes.txt").write_text("draft")
    (download / "stray.txt").write_text("")
    result = CliRunner().invoke(main, ["collect", str(download), str(tmp_path / "subs"),
                                       "--from", "canvas"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for words in ("hopperg", "collected (LATE)", "renamed softmax-1.py -> softmax.py",
                  "ignored notes.txt: not a script", "not collected: stray.txt",
                  "wrote " + str(tmp_path / "subs" / "submissions.csv")):
        assert words in result.output


def test_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "old").mkdir()
    runner = CliRunner()
    cases = [
        (["collect", str(tmp_path), str(tmp_path / "subs"), "--from", "canvas"],
         "not an empty folder"),
        (["collect", str(tmp_path / "nowhere"), str(tmp_path / "new"), "--from", "moodle"],
         "does not exist"),
        (["collect", str(tmp_path), str(tmp_path / "new"), "--from", "pattern",
          "--pattern", "(?P<student>.+)"], "no group file"),
    ]
    for args, words in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == EXIT_USAGE, result.output
        assert words in result.output and "Traceback" not in result.output
