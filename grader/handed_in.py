"""When a student handed a folder in: its ``submitted_at`` file, else its newest file.

Read through :mod:`grader.safe_read` like every other file of a submission: a
``submitted_at`` that is a link, a FIFO or garbage is the student's error, never the
batch's, and the fallback walk over modification times neither follows links nor recurses.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from .errors import RefusedFileError, SubmissionError
from .safe_read import newest_mtime, open_folder, read_file

SUBMITTED_AT_FILE = "submitted_at"
MAX_STAMP_BYTES = 4096


def parse_submitted_at(data: bytes, where: str) -> datetime:
    """The time in a ``submitted_at`` file's bytes, as an aware UTC datetime.

    Raises:
        SubmissionError: not an ISO 8601 timestamp; the message names ``where``.
    """
    text = data.decode("utf-8", errors="replace").strip()
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError as error:
        raise SubmissionError(
            f"{where}: {text[:60]!r} is not an ISO 8601 time such as 2025-03-01T23:59:00+01:00;"
            " write one there or delete the file"
        ) from error


def time_of(dir_fd: int, where: str) -> datetime:
    """When the folder open at ``dir_fd`` was handed in (see :func:`submission_time`)."""
    try:
        os.stat(SUBMITTED_AT_FILE, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        newest = newest_mtime(dir_fd)
        if newest is None:
            newest = os.fstat(dir_fd).st_mtime
        return datetime.fromtimestamp(newest, tz=UTC)
    try:
        data = read_file(dir_fd, SUBMITTED_AT_FILE, MAX_STAMP_BYTES)
    except RefusedFileError as error:
        raise SubmissionError(
            f"{where}/{SUBMITTED_AT_FILE} was not read: it is {error.reason}"
        ) from error
    return parse_submitted_at(data, f"{where}/{SUBMITTED_AT_FILE}")


def submission_time(folder: Path) -> datetime:
    """When the student handed ``folder`` in, as an aware UTC datetime.

    A ``submitted_at`` file (ISO 8601, as an LMS export can write it) wins, because copying
    folders resets modification times; otherwise the newest modification time of the files
    in the folder (hidden files, ``__pycache__`` and links left out), else the folder's own.

    Raises:
        SubmissionError: ``submitted_at`` is not an ISO 8601 timestamp, or not a regular
            file (RefusedFileError); ``folder`` is a link.
    """
    with open_folder(str(folder)) as fd:
        return time_of(fd, str(folder))
