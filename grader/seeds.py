"""Seeds for generated grading data, drawn from the course secret.

Hidden case data and the jet surrogate must not be rebuildable from public code: every seed is
derived from the course secret (instructor-side, ``reference/course-secret``, never released),
mixed with what the data is for (``"jet-surrogate"``; a student, a submission hash and a test
id). ``GRADER_COURSE_SECRET`` overrides the file, so ``grade validate`` can judge a suite under
several secrets.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import ConfigError

SECRET_FILE = "course-secret"
SECRET_ENV = "GRADER_COURSE_SECRET"


def course_secret(reference_dir: Path) -> bytes:
    """The course secret: ``$GRADER_COURSE_SECRET``, else ``reference_dir/course-secret``.

    Raises:
        ConfigError: neither is set, or the file is empty.
    """
    override = os.environ.get(SECRET_ENV)
    if override:
        return override.encode()
    path = reference_dir / SECRET_FILE
    try:
        secret = path.read_bytes().strip()
    except OSError:
        secret = b""
    if not secret:
        raise ConfigError(
            f"{path} is missing or empty: write a long random line into it "
            f"(python -c 'import secrets; print(secrets.token_hex(32))' > {path}); "
            "it seeds the hidden cases and must never be given to students"
        )
    return secret


def derive_seed(secret: bytes, *parts: str | bytes) -> int:
    """A 64-bit seed from the secret and the parts, stable across runs and machines."""
    digest = hashlib.sha256(secret)
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "little") + data)
    return int.from_bytes(digest.digest()[:8], "little")


PUBLIC_SECRET = b"grader: public checks"
"""What ``grade check`` seeds with: a student's machine has no course secret, and the public
tests are published anyway, so their cases may be the same for everyone."""


def submission_key(secret: bytes, student: str, submission_hash: str) -> bytes:
    """The key one submission's hidden cases are drawn from (``case_seed``).

    The student and the content hash both go in: a regrade of the same files meets the same
    cases, a changed file or another student meets new ones, and without the secret nobody
    can compute them.
    """
    parts = (b"hidden cases", student.encode("utf-8", "surrogateescape"),
             submission_hash.encode())
    digest = hashlib.sha256(secret)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.digest()


def case_seed(key: bytes, assignment: str, test: str) -> int:
    """The seed of one test's ``rng``: the submission's key and the test's id."""
    return derive_seed(key, assignment, test)
