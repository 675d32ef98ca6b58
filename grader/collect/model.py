"""The records ``grade collect`` passes between its steps: what a platform handed over, per
student, and what was done with each file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Handed:
    """One file as the platform handed it over.

    ``source`` is where it lies in SOURCE (for messages); ``name`` is the student's own
    name for it, the platform's prefix taken off (a path inside a checkout keeps its
    folders, ``assignments/softmax/softmax.py``).
    """

    source: str
    name: str
    data: bytes


@dataclass
class Entry:
    """One student's submission as the platform's naming gives it."""

    student: str
    lms_id: str = ""
    login: str = ""
    late: bool | None = None
    submitted_at: datetime | None = None
    files: list[Handed] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)
    """What the platform's layout says is not the student's work (``.git/``), and why."""


@dataclass
class Parsed:
    """A platform's download read: the students found, and the entries that name none."""

    entries: dict[str, Entry] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)
    """Path in SOURCE -> why it belongs to no student."""

    consumed: set[str] = field(default_factory=set)
    """Entries of SOURCE named on a student's row instead (a checkout's ``.git/``)."""
    dedup_suffix: bool = False
    """The platform adds ``-N`` to a name it has seen (Canvas): take it off again."""

    def entry(self, key: str, *, lms_id: str = "", login: str = "") -> Entry:
        """The entry for ``key``, created on first use with the platform's ids."""
        if key not in self.entries:
            self.entries[key] = Entry(student=key, lms_id=lms_id, login=login)
        return self.entries[key]


@dataclass
class StudentOutcome:
    """What ``collect`` wrote for one student, and what it left out, each with the reason."""

    student: str
    taken: list[str] = field(default_factory=list)
    """``name`` written into the student's folder."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Original name -> the name it was written under, with the reason."""
    unpacked: list[str] = field(default_factory=list)
    """Archives whose members were taken."""
    ignored: dict[str, str] = field(default_factory=dict)
    """Original name -> why it was left out (an archive refused included)."""
    status: str = "collected"
    """``collected``, ``nothing submitted`` (a roster student without files), ``refused``
    (everything handed in was refused: an archive bomb, say)."""
