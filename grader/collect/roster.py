"""``--roster FILE``: the course's names for the platform's ids and logins.

Read in any of these shapes (the header decides):

- ours: ``student,login,lms_id`` (either id column may be left out);
- GitHub Classroom's ``classroom_roster.csv``: ``identifier,github_username,github_id,name``
  (``identifier`` is the course's name for the student, ``github_username`` the login);
- Canvas's gradebook export: ``Student,ID,SIS User ID,SIS Login ID,...`` (``ID`` is the user
  id in the download's names; the student is ``SIS Login ID``, else the name);
- Moodle's grading worksheet: ``Identifier,Full name,...`` (``Identifier`` reads
  ``Participant 123``; ``123`` is the id in the download's folder names).

A roster student with nothing in the download gets an empty folder, so ``grade`` lists
them as missing instead of forgetting them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .names import folder_name


@dataclass
class Roster:
    """student -> (login, lms_id), with lookups the other way."""

    students: dict[str, tuple[str, str]] = field(default_factory=dict)

    def student_for(self, *, lms_id: str = "", login: str = "") -> str | None:
        for student, (their_login, their_id) in self.students.items():
            if (lms_id and their_id == lms_id) or (
                    login and their_login and their_login.lower() == login.lower()):
                return student
        return None

    def login_for(self, student: str) -> str:
        return self.students.get(student, ("", ""))[0]

    def logins(self) -> list[str]:
        return [login for login, _ in self.students.values() if login]


def read_roster(path: Path | None) -> Roster:
    """The roster at ``path``; an empty one for None.

    Raises:
        ConfigError: unreadable, or a header in none of the shapes above.
    """
    roster = Roster()
    if path is None:
        return roster
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"--roster {path}: cannot be read as UTF-8 text ({error})") from error
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    pick = _shape(columns)
    if pick is None:
        raise ConfigError(
            f"--roster {path}: columns {', '.join(sorted(columns)) or '(none)'} are none of "
            "student,login,lms_id / GitHub Classroom's identifier,github_username / Canvas's "
            "Student,ID,SIS Login ID / Moodle's Identifier,Full name")
    for row in reader:
        student, login, lms_id = (value.strip() for value in pick(row))
        if student:
            roster.students[folder_name(student)] = (login, lms_id)
    return roster


_Pick = Callable[[dict[str, str]], tuple[str, str, str]]


def _shape(columns: set[str]) -> _Pick | None:
    if "student" in columns:
        return lambda r: (r.get("student") or "", r.get("login") or "", r.get("lms_id") or "")
    if {"identifier", "github_username"} <= columns:
        return lambda r: (r.get("identifier") or r.get("github_username") or "",
                          r.get("github_username") or "", r.get("github_id") or "")
    if {"Student", "ID"} <= columns:
        # The row under the header ("Points Possible") has no ID: not a student.
        return lambda r: ((r.get("SIS Login ID") or r.get("Student") or "") if r.get("ID")
                          else "", "", r.get("ID") or "")
    if {"Identifier", "Full name"} <= columns:
        return lambda r: (r.get("Full name") or "", "",
                          _digits(r.get("Identifier") or ""))
    return None


def _digits(text: str) -> str:
    found = re.search(r"\d+", text)
    return found.group(0) if found else ""
