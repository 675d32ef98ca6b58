"""Finding what each student handed in: ``SUBMISSIONS_DIR/<student>/`` into records.

A script counts for an assignment when its name is one of the assignment's ``files``
(``softmax.py``, ``jet_model.keras``) or is taken for one by the rule of
:mod:`grader.near_miss` (case, a copy counter, a course prefix), wherever it lies in the
student's folder: in subfolders (the bundle's ``assignments/softmax/``) and in archives
handed in (zip and tar, unpacked in memory by :mod:`grader.archives`). A notebook counts
for every assignment whose names it defines at the top level of a code cell (``def
softmax``, ``class EarlyStopping``, ``softmax = ...``), found by reading its JSON, never by
running it here. A file whose code is the released stub's is never a submission (when the
course's stubs are given). What is graded is keyed by the assignment's own file name
(``softmax.py``), whatever it was called; ``notes`` says, per file, what was taken as what
and what was left out and why. Nothing is taken or left out silently.

Discovery is the only place that reads a student's folder, and it reads it once: every file
that will be graded is read here through :mod:`grader.safe_read` (regular files only, links
never followed, sizes capped on the open descriptor) and its bytes stay on the record, so
what is hashed is what is graded and nothing can be swapped in between. What is refused
(a link, a FIFO, a device, a file too large) is named with the reason; a folder that cannot
be graded at all (itself a link, an unreadable folder) becomes a record with a
``failure`` that the engine turns into that student's ``error``, never the batch's.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .config import AssignmentConfig
from .errors import RefusedFileError, SubmissionError
from .safe_read import entries, open_folder
from .student_folder import MAX_FILE_BYTES, MAX_SUBMISSION_BYTES, read_folder, text_name

__all__ = ["MAX_FILE_BYTES", "MAX_SUBMISSION_BYTES", "StudentSubmission", "discover",
           "discover_student", "files_hash", "text_name"]



@dataclass
class StudentSubmission:
    """One student's folder: which files serve which assignment, and what was left out.

    ``contents`` holds the bytes of every file read, read once at discovery. ``refused``
    names each entry that was not read and why; ``problems`` says, per assignment, why the
    file meant for it was refused; ``failure`` says why nothing of the folder can be graded.
    """

    student: str
    folder: Path
    assignments: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    failure: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    """Path in the folder -> what discovery did with it when that was not plain: taken under
    another name, not taken and why (the reason of every ignored entry)."""
    origin: dict[str, str] = field(default_factory=dict)
    """Graded name -> the path in the folder it was read from, where they differ."""

    def files_for(self, assignment: str) -> dict[str, bytes]:
        """The files that serve ``assignment``, as read at discovery."""
        return {name: self.contents[name] for name in self.assignments.get(assignment, [])
                if name in self.contents}

    def submission_hash(self, assignment: str) -> str:
        return files_hash(self.files_for(assignment))


def files_hash(files: dict[str, bytes]) -> str:
    """Content hash of a submission's files for one assignment (names and bytes).

    Names are hashed as the file system's bytes (``os.fsencode``), so a name that is not
    valid UTF-8 hashes like any other.
    """
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(os.fsencode(name) + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def discover_student(folder: Path, configs: list[AssignmentConfig], *,
                     dir_fd: int | None = None, student: str | None = None,
                     stubs: Mapping[str, set[str]] | None = None) -> StudentSubmission:
    """The record of one student folder; never raises for what the folder holds.

    ``folder`` is opened without following a link (relative to ``dir_fd`` when given, as
    :func:`discover` does); a folder that cannot be read at all comes back with ``failure``.
    ``student`` is the name to give the student (the folder's name as text by default).
    ``stubs`` (assignment -> code fingerprints, :mod:`grader.stubs`) names the released
    stubs, which are never taken; without it no file is judged a stub.
    """
    submission = StudentSubmission(student=student or text_name(folder.name), folder=folder)
    shown = submission.student
    name = folder.name if dir_fd is not None else str(folder)
    try:
        with open_folder(name, dir_fd=dir_fd) as fd:
            read_folder(fd, submission, configs, stubs or {})
    except RefusedFileError as error:
        submission.failure = (f"the student folder {shown} was not read: it is "
                              f"{error.reason}; hand in a folder of regular files")
    except SubmissionError as error:
        submission.failure = str(error)
    except (OSError, ValueError, RecursionError, MemoryError) as error:
        submission.failure = f"the student folder {shown} could not be read: {error}"
    if submission.failure:
        submission.assignments.clear()
        submission.contents.clear()
    return submission


def discover(submissions_dir: Path, configs: list[AssignmentConfig], *,
             stubs: Mapping[str, set[str]] | None = None) -> list[StudentSubmission]:
    """Every student folder under ``submissions_dir``, sorted by name.

    An entry that is a link to a folder is a student too, whose record says it was refused.

    Raises:
        SubmissionError: the folder does not exist or holds no student folders.
    """
    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise SubmissionError(
            f"{submissions_dir} is not a folder: give the folder that holds one folder per student"
        )
    students = []
    fd = os.open(submissions_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        listing = entries(fd)
        taken = {name for name, _ in listing}
        for name, st in listing:
            if name.startswith(".") or not (stat.S_ISDIR(st.st_mode) or _links_to_folder(fd, name)):
                continue
            student = text_name(name)
            if student != name and student in taken:
                # A folder literally named like this one's escaped form keeps its name.
                student = f"{student}-{hashlib.sha256(os.fsencode(name)).hexdigest()[:8]}"
            students.append(discover_student(submissions_dir / name, configs, dir_fd=fd,
                                             student=student, stubs=stubs))
    finally:
        os.close(fd)
    if not students:
        raise SubmissionError(
            f"{submissions_dir} holds no student folders: expected {submissions_dir}/<student>/"
        )
    return students


def _links_to_folder(dir_fd: int, name: str) -> bool:
    """A link whose target is a folder: a student whose folder is refused, not a stray file."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        return stat.S_ISLNK(st.st_mode) and stat.S_ISDIR(os.stat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        return False
