"""Finding what each student handed in: ``SUBMISSIONS_DIR/<student>/`` into records.

A script counts for an assignment when its name is one of the assignment's ``files``
(``softmax.py``, ``jet_model.keras``). A notebook counts for every assignment whose names
it defines at the top level of a code cell (``def softmax``, ``class EarlyStopping``,
``softmax = ...``), found by reading its JSON, never by running it here. Everything else is
listed as ignored, never silently dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import AssignmentConfig
from .errors import SubmissionError

METADATA_FILES = {"submitted_at"}
MAX_FILE_BYTES = 64 << 20


@dataclass
class StudentSubmission:
    """One student's folder: which files serve which assignment, and what was ignored."""

    student: str
    folder: Path
    assignments: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)

    def files_for(self, assignment: str) -> dict[str, bytes]:
        return {name: (self.folder / name).read_bytes()
                for name in self.assignments.get(assignment, [])}

    def submission_hash(self, assignment: str) -> str:
        return files_hash(self.files_for(assignment))


def files_hash(files: dict[str, bytes]) -> str:
    """Content hash of a submission's files for one assignment (names and bytes)."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _defines(source: str, name: str) -> bool:
    pattern = rf"^(?:def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*(?::[^=]*)?="
    return re.search(pattern, source, flags=re.MULTILINE) is not None


def notebook_source(path: Path) -> str:
    """The code cells of a notebook as one text; '' when it is not notebook JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (ValueError, OSError):
        return ""
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return ""
    parts = []
    for cell in data["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            parts.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(parts)


def discover_student(folder: Path, configs: list[AssignmentConfig]) -> StudentSubmission:
    submission = StudentSubmission(student=folder.name, folder=folder)
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    notebooks = [p for p in files if p.suffix == ".ipynb" and p.is_file()]
    by_file = {name: c.name for c in configs for name in c.files}
    used: set[str] = set()
    for path in files:
        if path.is_file() and path.name in by_file:
            if path.stat().st_size > MAX_FILE_BYTES:
                submission.problems[by_file[path.name]] = (
                    f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MiB and was not graded"
                )
                used.add(path.name)
                continue
            submission.assignments.setdefault(by_file[path.name], []).append(path.name)
            used.add(path.name)
    for notebook in notebooks:
        if notebook.stat().st_size > MAX_FILE_BYTES:
            continue
        source = notebook_source(notebook)
        for config in configs:
            if source and any(_defines(source, name) for name in config.names):
                submission.assignments.setdefault(config.name, []).append(notebook.name)
                used.add(notebook.name)
        if not source and notebook.name not in used:
            # Unreadable notebooks are sent to every assignment so the worker reports why.
            for config in configs:
                submission.assignments.setdefault(config.name, []).append(notebook.name)
            used.add(notebook.name)
    for path in files:
        if path.name not in used and path.name not in METADATA_FILES:
            submission.ignored.append(path.name + ("/" if path.is_dir() else ""))
    return submission


def discover(submissions_dir: Path, configs: list[AssignmentConfig]) -> list[StudentSubmission]:
    """Every student folder under ``submissions_dir``, sorted by name.

    Raises:
        SubmissionError: the folder does not exist or holds no student folders.
    """
    if not submissions_dir.is_dir():
        raise SubmissionError(
            f"{submissions_dir} is not a folder: give the folder that holds one folder per student"
        )
    students = [
        discover_student(p, configs)
        for p in sorted(submissions_dir.iterdir())
        if p.is_dir() and not p.name.startswith(".")
    ]
    if not students:
        raise SubmissionError(
            f"{submissions_dir} holds no student folders: expected {submissions_dir}/<student>/"
        )
    return students
