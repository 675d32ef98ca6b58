"""Grades back to Canvas and Moodle, read back as each platform reads its import.

The readers below follow the column rules the platforms document (docs/lms.md), written
apart from the exporter so that a mistake there is not repeated here: Canvas identifies a
student by the ``ID`` column beside ``Student``, ``SIS Login ID`` and ``Section``, reads an
assignment column headed ``Name (id)`` and skips the ``Points Possible`` row; Moodle's
worksheet import finds ``Identifier``, ``Grade`` and ``Last modified (grade)`` by their
headers and strips ``Participant `` from the identifier.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main as cli
from grader.errors import ConfigError
from grader.export import to_lms
from grader.gradebook import Gradebook
from grader.results import StudentResult

REPO = Path(__file__).resolve().parents[2]
CANVAS_TEMPLATE = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Softmax (1101),kfold (1102),"
    "Current Score,Final Score\n"
) + """    Points Possible,,,,,10.00,5.00,(read only),(read only)
"Carter, Alice",501,S-1,alice@uni.example,ML 101,,,88.2,88.2
"Brown, Bob",502,S-2,bob@uni.example,ML 101,3,,40,40
"Student, Test",999,,,ML 101,,,,
"""
MOODLE_TEMPLATE = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\n"
    'Participant 2001,Alice Carter,alice@uni.example,Submitted for grading,,10.00,Yes,'
    '"Monday, 2 March 2026, 10:00 AM",-,\n'
    'Participant 2002,Bob Brown,bob@uni.example,Submitted for grading,,10.00,Yes,'
    '"Monday, 2 March 2026, 11:00 AM",-,\n'
    'Participant 2003,Dora Diaz,dora@uni.example,No submission,,10.00,Yes,-,-,\n'
)


def canvas_reads(path: Path) -> dict[str, dict[str, float | None]]:
    """Canvas user id -> {assignment id: score}, as Canvas's gradebook import reads it."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    for required in ("Student", "ID", "SIS Login ID", "Section"):
        assert required in header, f"Canvas needs the column {required}"
    assignments = {i: m[2] for i, h in enumerate(header)
                   if (m := re.fullmatch(r"(.+) \((\d+)\)", h))}
    assert assignments, "no assignment column named 'Name (id)'"
    student, canvas_id = header.index("Student"), header.index("ID")
    read = {}
    for row in rows[1:]:
        if row[student].strip() == "Points Possible":
            continue
        assert row[canvas_id].isdigit(), row
        read[row[canvas_id]] = {
            a: (float(row[i]) if row[i].strip() else None) for i, a in assignments.items()}
    return read


def moodle_reads(path: Path) -> dict[str, float]:
    """Participant number -> grade, as Moodle's offline worksheet import reads it."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    ident, grade = header.index("Identifier"), header.index("Grade")
    header.index("Last modified (grade)")  # Moodle refuses a sheet without it
    read = {}
    for row in rows[1:]:
        assert row[ident].startswith("Participant "), row
        read[row[ident][len("Participant "):]] = float(row[grade])
    return read


@pytest.fixture
def db(tmp_path: Path, students: list[StudentResult]) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        for student in students:
            for result in student.assignments:
                book.record(student.student, result)
        book.override("bob", "softmax", 9.0, reason="re-marked by hand")
    return url


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """The ingest manifest: alice by Canvas id, bob by login only, carol by an id that no
    sheet holds."""
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "submissions.csv").write_text(
        "student,submitted_at,late,lms_id,login,files\n"
        "alice,,,501,alice@uni.example,softmax.py\n"
        "bob,,,,bob@uni.example,softmax.py\n"
        "=carol,,,777,,softmax.py\n")
    return subs


def export(tmp_path: Path, db: str, fmt: str, text: str, **kwargs: object) -> to_lms.LmsExport:
    template = tmp_path / f"{fmt}-template.csv"
    template.write_text(text, encoding="utf-8")
    return to_lms.main(fmt=fmt, template=template, assignment="softmax", db=db,
                       out=tmp_path / "exports", course_dir=REPO, **kwargs)  # type: ignore[arg-type]


def test_canvas_imports_the_adjusted_scores_of_matched_students(
        tmp_path: Path, db: str, manifest: Path) -> None:
    result = export(tmp_path, db, "canvas", CANVAS_TEMPLATE, submissions=manifest)
    assert result.path == tmp_path / "exports" / "canvas-softmax.csv"
    assert canvas_reads(result.path) == {"501": {"1101": 10.0}, "502": {"1101": 9.0}}
    assert result.matched == ["alice", "bob"]
    assert list(result.unmatched) == ["=carol"]
    assert "lms_id 777" in result.unmatched["=carol"]
    with result.path.open(encoding="utf-8") as stream:
        header, points, *_ = csv.reader(stream)
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Softmax (1101)"]
    assert points[0] == "Points Possible" and points[-1] == "10.00"


def test_canvas_scores_follow_the_points_possible(
        tmp_path: Path, db: str, manifest: Path) -> None:
    text = CANVAS_TEMPLATE.replace(",10.00,5.00,", ",20,5.00,")
    result = export(tmp_path, db, "canvas", text, submissions=manifest)
    assert canvas_reads(result.path)["501"] == {"1101": 20.0}


def test_moodle_imports_the_grades_by_participant(tmp_path: Path, db: str) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student,login,lms_id\nalice,alice@uni.example,2001\n"
                      "bob,bob@uni.example,Participant 2002\n=carol,carol@uni.example,\n")
    result = export(tmp_path, db, "moodle", MOODLE_TEMPLATE, roster=roster)
    assert moodle_reads(result.path) == {"2001": 10.0, "2002": 9.0}
    assert list(result.unmatched) == ["=carol"]
    with result.path.open(encoding="utf-8") as stream:
        header, alice, _ = csv.reader(stream)
    template_header, template_alice = list(csv.reader(MOODLE_TEMPLATE.splitlines()))[:2]
    assert header == template_header
    changed = [h for h, a, b in zip(header, alice, template_alice, strict=True) if a != b]
    assert changed == ["Grade"], "Moodle compares Last modified (grade): keep it as downloaded"


def test_the_cli_lists_whom_it_could_not_match(
        tmp_path: Path, db: str, manifest: Path) -> None:
    template = tmp_path / "gradebook.csv"
    template.write_text(CANVAS_TEMPLATE, encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "export", "--format", "canvas", "--template", str(template), "-a", "softmax",
        "--db", db, "--course", str(REPO), "--submissions", str(manifest),
        "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "2 students" in result.output
    assert "not matched, left out: =carol: no row of the template has lms_id 777" in result.output


@pytest.mark.parametrize(("fmt", "text", "says"), [
    ("canvas", "Student,ID,Section,Softmax (1)\n", "no column 'SIS Login ID'"),
    ("canvas", CANVAS_TEMPLATE.replace("Softmax (1101)", "Week 1 (1101)"),
     "no column for softmax"),
    ("moodle", "Identifier,Grade\nParticipant 1,\n", "no column 'Last modified (grade)'"),
    ("moodle", MOODLE_TEMPLATE.replace("Participant 2001", "alice"), "is not 'Participant N'"),
])
def test_a_sheet_of_another_kind_is_refused_by_name(
        tmp_path: Path, db: str, manifest: Path, fmt: str, text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)) as raised:
        export(tmp_path, db, fmt, text, submissions=manifest)
    assert "--template" in str(raised.value)


def test_no_ids_at_all_says_how_to_give_them(tmp_path: Path, db: str) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    with pytest.raises(ConfigError, match="--roster"):
        export(tmp_path, db, "canvas", CANVAS_TEMPLATE, submissions=bare)


def test_an_unreleased_assignment_is_not_exported(tmp_path: Path, db: str) -> None:
    course = tmp_path / "course"
    for kind in ("assignments", "reference"):
        (course / kind).mkdir(parents=True)
        for name in ("softmax", "kfold"):
            (course / kind / name).symlink_to(REPO / kind / name)
    (course / "course.toml").write_text('[course]\nreleased = ["kfold"]\n')
    template = tmp_path / "t.csv"
    template.write_text(CANVAS_TEMPLATE)
    with pytest.raises(ConfigError, match="not released"):
        to_lms.main(fmt="canvas", template=template, assignment="softmax", db=db,
                    out=tmp_path, course_dir=course)
