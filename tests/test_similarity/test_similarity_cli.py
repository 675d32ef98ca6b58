"""``grade similarity`` as an instructor runs it: outputs, pages, names, links, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_report.external import external_references

from grader.cli import main
from grader.course import Course
from grader.gradebook import Gradebook
from grader.report import main as redraw
from grader.results import AssignmentResult
from grader.similarity.compare import PairScore
from grader.similarity.disguise import disguise
from grader.similarity.report import pair_filename

from .conftest import REPO, Class, independent, write_class

HOSTILE = '<b>"eve" & co'


def kfold_class(course: Course) -> Class:
    original = course.solution("kfold").read_text()  # type: ignore[union-attr]
    students: Class = {f"honest_{k}": {"kfold.py": v}
                       for k, v in independent(course, "kfold").items() if k != "reference"}
    students["ada"] = {"kfold.py": original}
    students[HOSTILE] = {"kfold.py": disguise(original, {"kfold_indices", "cross_val_score"}, 2)}
    return students


def grade(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["similarity", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def submissions(course: Course, tmp_path: Path) -> Path:
    return write_class(tmp_path / "submissions", kfold_class(course))


def test_json_lists_scored_pairs_and_every_assignment(submissions: Path, tmp_path: Path) -> None:
    done = grade(submissions, "--course", REPO, "-a", "kfold", "-a", "softmax",
                 "--out", tmp_path / "out", "--json", tmp_path / "pairs.json")
    assert done.exit_code == 0, done.output
    document = json.loads((tmp_path / "pairs.json").read_text())
    assert set(document) == {"pairs", "assignments"}
    for pair in document["pairs"]:
        assert {"students", "assignment", "similarity", "flagged"} <= set(pair)
        assert len(pair["students"]) == 2 and 0.0 <= pair["similarity"] <= 1.0
        assert isinstance(pair["flagged"], bool)
    flagged = [p for p in document["pairs"] if p["flagged"]]
    assert [(p["assignment"], p["students"]) for p in flagged] == [("kfold", [HOSTILE, "ada"])]
    assert (tmp_path / "out" / flagged[0]["page"]).is_file()
    verdicts = {a["assignment"]: a["status"] for a in document["assignments"]}
    assert verdicts == {"kfold": "compared", "softmax": "too_few_submissions"}
    count = sum(1 for folder in submissions.iterdir() if folder.is_dir())
    assert f"kfold: {count} submissions, 1 pair(s) at or above 0.5" in done.output
    assert f"1. {flagged[0]['similarity']:.2f}  {HOSTILE}  ada" in done.output


def test_the_pair_page_is_self_contained_escaped_and_marked(
    submissions: Path, tmp_path: Path
) -> None:
    assert grade(submissions, "--course", REPO, "-a", "kfold", "--out", tmp_path).exit_code == 0
    pages = sorted(p for p in tmp_path.glob("*.html") if p.name != "index.html")
    assert len(pages) == 1
    html = pages[0].read_text()
    assert external_references(html) == [] and "<script" not in html
    assert 'http-equiv="Content-Security-Policy"' in html
    assert HOSTILE not in html and "&lt;b&gt;&#34;eve&#34; &amp; co" in html
    regions = set(re.findall(r'<mark class="r\d" title="region (\d+)">', html))
    assert regions and all(f'id="a{r}"' in html and f'id="b{r}"' in html for r in regions)
    assert "never an automatic penalty" in html
    index = (tmp_path / "index.html").read_text()
    assert external_references(index) == [] and f'href="{pages[0].name}"' in index


def test_page_names_cannot_collide() -> None:
    def name(a: str, b: str, assignment: str = "kfold") -> str:
        return pair_filename(PairScore(assignment, (a, b), 1.0, 1, (1, 1), True, "flagged"))

    names = {name("a--b", "c"), name("a", "b--c"), name("Alice", "bob"), name("alice", "bob"),
             name("a", "b", "softmax"), name("a b", "c"), name("a_b", "c")}
    assert len(names) == 7
    hostile = name("../../etc/passwd", "x" * 300)
    assert "/" not in hostile and not hostile.startswith(".") and len(hostile.encode()) < 255


def test_the_threshold_option_overrides_the_assignments_own(
    submissions: Path, tmp_path: Path
) -> None:
    def flagged(*extra: str) -> int:
        done = grade(submissions, "--course", REPO, "-a", "kfold", "--out", tmp_path / "out",
                     "--json", tmp_path / "pairs.json", *extra)
        assert done.exit_code == 0, done.output
        return sum(p["flagged"] for p in json.loads((tmp_path / "pairs.json").read_text())[
            "pairs"])

    assert flagged() == 1
    assert flagged("--threshold", "0.2") > 1
    low = json.loads((tmp_path / "pairs.json").read_text())
    assert all(a["threshold"] == 0.2 for a in low["assignments"])


@pytest.mark.parametrize(("args", "message"), [
    (["{tmp}/nope"], "is not a folder"),
    (["{subs}", "-a", "nosuch"], "unknown assignment nosuch"),
    (["{subs}", "--threshold", "1.5"], "--threshold must be between 0 and 1"),
])
def test_usage_errors_exit_2_with_one_line(
    args: list[str], message: str, submissions: Path, tmp_path: Path
) -> None:
    filled = [a.format(tmp=tmp_path, subs=submissions) for a in args]
    done = CliRunner().invoke(main, ["similarity", *filled, "--course", str(REPO),
                                     "--out", str(tmp_path / "out")])
    assert done.exit_code == 2
    assert message in done.output and done.output.count("grade: error:") == 1


def test_an_unreachable_gradebook_exits_3(submissions: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    done = CliRunner().invoke(main, [
        "similarity", str(submissions), "--course", str(REPO), "-a", "kfold",
        "--out", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path}/a-file/gradebook.db"])
    assert done.exit_code == 3, done.output
    assert "grade: error: gradebook" in done.output


def test_with_a_gradebook_the_class_summary_links_the_index_and_no_student_page_does(
    submissions: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db) as book:
        book.record("ada", AssignmentResult("kfold", 5.0, 10.0, "graded",
                                            submission_hash="h", suite_hash="s"))
    reports = tmp_path / "reports"
    done = grade(submissions, "--course", REPO, "-a", "kfold", "--db", db,
                 "--out", reports / "similarity")
    assert done.exit_code == 0, done.output
    written = redraw(db=db, out=reports)
    summary = (reports / "index.html").read_text()
    assert '<a href="similarity/index.html">Similarity across the class</a>' in summary
    assert "1 pair flagged" in summary
    for page in written:
        if page.name != "index.html":
            assert "similarity" not in page.read_text().lower()
