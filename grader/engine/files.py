"""What a student's child is given: the submission's code, read once, within a byte budget.

An assignment's own files are the ones it loads (runs); beside them its child holds every
other script and notebook of the student, so ``softmax.py`` importing from ``kfold.py``
works the same whether ``-a`` selected kfold or not, and the content hash that keys the
cache covers them all: the cached grade never depends on the selection. Each file is read
once per student, at discovery (``StudentSubmission.contents``: the bytes that were read
safely and hashed are the bytes shipped, never the folder read again), and a student whose
files for one assignment exceed ``MAX_SHIPPED_BYTES`` gets that assignment refused with a
message.
"""

from __future__ import annotations

import hashlib

from ..discover import StudentSubmission

MAX_SHIPPED_BYTES = 96 << 20
CODE_SUFFIXES = (".py", ".ipynb")


class FilesTooLarge(ValueError):
    """The files one assignment would ship exceed the byte budget."""


class StudentFiles:
    """One student's files (read once, at discovery), shipped per assignment."""

    def __init__(self, submission: StudentSubmission, budget: int = MAX_SHIPPED_BYTES) -> None:
        self.submission = submission
        self.budget = budget
        self._digests: dict[str, bytes] = {}

    def own(self, assignment: str) -> list[str]:
        """The files that serve ``assignment`` (the ones its child loads)."""
        return list(self.submission.assignments.get(assignment, []))

    def names(self, assignment: str) -> list[str]:
        """Its own files, then the student's other code files; none if it has none."""
        own = self.own(assignment)
        if not own:
            return []
        code = {name for files in self.submission.assignments.values() for name in files
                if name.endswith(CODE_SUFFIXES)}
        return [*own, *sorted(code - set(own))]

    def sizes(self, names: list[str]) -> dict[str, int]:
        contents = self.submission.contents
        return {name: len(contents.get(name, b"")) for name in names}

    def shipped(self, assignment: str) -> dict[str, bytes]:
        """Name -> bytes of what ``assignment``'s child holds.

        Raises:
            FilesTooLarge: more than the budget.
        """
        names = self.names(assignment)
        sizes = self.sizes(names)
        total = sum(sizes.values())
        if total > self.budget:
            biggest = max(sizes, key=sizes.__getitem__)
            raise FilesTooLarge(
                f"the files for {assignment} hold {total >> 20} MiB ({biggest}: "
                f"{sizes[biggest] >> 20} MiB); at most {self.budget >> 20} MiB are graded: "
                "clear the outputs of your notebooks and remove large data"
            )
        contents = self.submission.contents
        return {name: contents.get(name, b"") for name in names}

    def content_hash(self, assignment: str) -> str:
        """The cache key's half from the submission: what ``shipped`` holds (or, over the
        budget, the names and sizes that refuse it, without reading a byte)."""
        try:
            shipped = self.shipped(assignment)
        except FilesTooLarge:
            digest = hashlib.sha256(b"over the byte budget\0")
            for name, size in sorted(self.sizes(self.names(assignment)).items()):
                digest.update(f"{name}\0{size}\0".encode("utf-8", "surrogateescape"))
            return digest.hexdigest()
        # files_hash(shipped), with each file's digest computed once per student.
        digest = hashlib.sha256()
        for name in sorted(shipped):
            if name not in self._digests:
                self._digests[name] = hashlib.sha256(shipped[name]).digest()
            digest.update(name.encode() + b"\0" + self._digests[name])
        return digest.hexdigest()
