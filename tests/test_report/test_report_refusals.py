"""``grade report`` and ``grade export`` refuse what does not exist and fail in one line.

A mistyped ``--db`` must not create an empty gradebook and overwrite the class's pages
with "0 students"; an unwritable ``--out`` is one line with exit code 2, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from grader.cli import main
from grader.gradebook import Gradebook
from grader.results import AssignmentResult

REPO = Path(__file__).resolve().parents[2]
VERBS = [["report"], ["export", "--format", "csv"], ["export", "--format", "gradescope"],
         ["export", "--format", "junit"]]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as book:
        book.record("alice", AssignmentResult("softmax", 7.0, 10.0, "graded"))
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--course", str(REPO)])


def one_line(result: Result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("grade: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("verb", VERBS)
def test_a_mistyped_gradebook_creates_and_overwrites_nothing(here: Path, verb: list[str]) -> None:
    (here / "out").mkdir()
    (here / "out" / "index.html").write_text("last week's pages")
    one_line(run(*verb, "--db", "sqlite:///gradebok.db", "--out", "out"), 2,
             "gradebok.db", "--db")
    assert not (here / "gradebok.db").exists()
    assert sorted(p.name for p in (here / "out").iterdir()) == ["index.html"]
    assert (here / "out" / "index.html").read_text() == "last week's pages"


def test_an_unreachable_server_is_an_infrastructure_error(here: Path) -> None:
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    url = "postgresql://grader:secret@127.0.0.1:1/course"
    result = run("report", "--db", url, "--out", "out")
    one_line(result, 3, "127.0.0.1:1")
    assert "secret" not in result.output
    assert not (here / "out").exists()


@pytest.mark.parametrize("verb", VERBS)
def test_an_unwritable_out_is_one_line_with_exit_2(here: Path, verb: list[str]) -> None:
    (here / "taken").write_text("a file where a folder should go")
    one_line(run(*verb, "--out", "taken"), 2, "taken", "--out")


def test_a_gradebook_of_another_course_is_refused(here: Path, tmp_path: Path) -> None:
    with Gradebook(f"sqlite:///{here / 'gradebook.db'}") as book:
        run_id = book.start_run(submissions_dir="subs", options={"course": "/elsewhere/course"})
        book.finish_run(run_id, seconds=1.0, graded=0, cached=0)
    one_line(run("report", "--out", "out"), 2, "/elsewhere/course", "--course")
    assert not (here / "out").exists()


def test_outside_a_course_report_says_how_to_name_it(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    one_line(CliRunner().invoke(main, ["report"]), 2, "no course here", "--course")
