"""Finding what each student handed in: ``SUBMISSIONS_DIR/<student>/`` into records.

A script counts for an assignment when its name is one of the assignment's ``files``
(``softmax.py``, ``jet_model.keras``). A notebook counts for every assignment whose names
it defines at the top level of a code cell (``def softmax``, ``class EarlyStopping``,
``softmax = ...``), found by reading its JSON, never by running it here. Everything else is
listed as ignored, never silently dropped.

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
from dataclasses import dataclass, field
from pathlib import Path

from .config import AssignmentConfig
from .errors import InvalidNotebookError, NotebookTooDeepError, RefusedFileError, SubmissionError
from .notebook_json import code_of, defined_names, load_notebook
from .safe_read import entries, open_folder, read_file, refusal

MAX_FILE_BYTES = 64 << 20
MAX_SUBMISSION_BYTES = 128 << 20
"""All the files of one student read together: past it, further files are refused."""


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


class _Reader:
    """Reads the files of one open student folder within the per-student byte budget."""

    def __init__(self, fd: int, submission: StudentSubmission) -> None:
        self.fd = fd
        self.submission = submission
        self.left = MAX_SUBMISSION_BYTES

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None with the refusal noted."""
        try:
            data = read_file(self.fd, name, min(MAX_FILE_BYTES, self.left))
        except RefusedFileError as error:
            reason = error.reason
            if self.left < MAX_FILE_BYTES and "larger than" in reason:
                reason = (f"not read: the folder's files together pass "
                          f"{MAX_SUBMISSION_BYTES >> 20} MiB")
            self.submission.refused[name] = reason
            return None
        except OSError as error:
            self.submission.refused[name] = f"could not be read ({error.strerror})"
            return None
        self.left -= len(data)
        self.submission.contents[name] = data
        return data


def text_name(name: str) -> str:
    """``name`` as valid text: itself when it is, else its bytes with each one that is not
    UTF-8 written as ``\\xNN``, so pages, the gradebook and the terminal can show it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return name


def discover_student(folder: Path, configs: list[AssignmentConfig], *,
                     dir_fd: int | None = None, student: str | None = None) -> StudentSubmission:
    """The record of one student folder; never raises for what the folder holds.

    ``folder`` is opened without following a link (relative to ``dir_fd`` when given, as
    :func:`discover` does); a folder that cannot be read at all comes back with ``failure``.
    ``student`` is the name to give the student (the folder's name as text by default).
    """
    submission = StudentSubmission(student=student or text_name(folder.name), folder=folder)
    shown = submission.student
    name = folder.name if dir_fd is not None else str(folder)
    try:
        with open_folder(name, dir_fd=dir_fd) as fd:
            _read_folder(fd, submission, configs)
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


def _read_folder(fd: int, submission: StudentSubmission,
                 configs: list[AssignmentConfig]) -> None:
    listing = []
    for name, st in entries(fd):
        if name.startswith("."):
            continue
        if text_name(name) != name:
            submission.refused[text_name(name)] = "a name that is not valid UTF-8: rename it"
            continue
        listing.append((name, st))
    by_file = {name: c.name for c in configs for name in c.files}
    reader = _Reader(fd, submission)
    used: set[str] = set()
    for name, _ in listing:
        if name in by_file:
            used.add(name)
            if reader.read(name) is not None:
                submission.assignments.setdefault(by_file[name], []).append(name)
            else:
                submission.problems[by_file[name]] = (
                    f"{name} was not graded: it is {submission.refused[name]}"
                )
    for name, _ in listing:
        if not name.endswith(".ipynb") or name in used:
            continue
        used.add(name)
        data = reader.read(name)
        if data is None:
            continue
        try:
            source = code_of(load_notebook(data))
        except NotebookTooDeepError as error:
            submission.refused[name] = f"not a notebook: its JSON is {error}"
            del submission.contents[name]
            continue
        except InvalidNotebookError:
            source = ""
        defined = defined_names(source, {n for c in configs for n in c.names})
        for config in configs:
            if defined.intersection(config.names):
                submission.assignments.setdefault(config.name, []).append(name)
        if not source:
            # Unreadable notebooks are sent to every assignment so the worker reports why.
            for config in configs:
                submission.assignments.setdefault(config.name, []).append(name)
    refused_notebooks = [f"{n} ({submission.refused[n]})" for n, _ in listing
                         if n.endswith(".ipynb") and n in submission.refused]
    for config in configs:
        if refused_notebooks and config.name not in submission.assignments:
            submission.problems.setdefault(
                config.name, f"nothing was graded for {config.name}: refused "
                             f"{', '.join(refused_notebooks)}")
    for name, st in listing:
        if name in used or name in submission.refused:
            continue
        reason = refusal(st)
        if stat.S_ISDIR(st.st_mode):
            submission.ignored.append(name + "/")
        elif reason and not reason.startswith("a hard link"):
            submission.refused[name] = reason
        else:
            submission.ignored.append(name)


def discover(submissions_dir: Path, configs: list[AssignmentConfig]) -> list[StudentSubmission]:
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
                                             student=student))
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
