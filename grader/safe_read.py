"""The one way the trusted side reads a student's folder: regular files only, links never followed.

The grader usually runs as root, so nothing here may rest on file permissions: a symbolic
link in a submission (zips and git repositories both carry them) would otherwise let the
grader read the reference solution, a classmate's folder or ``/etc/shadow`` *for* the
student. Every name is looked up relative to an open folder descriptor with ``lstat`` first
and opened with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO does not block the open, a link swapped
in after the ``lstat`` fails the open), the descriptor's own ``fstat`` decides, and the size
cap is checked on that descriptor before a byte is read. A hard link is another file's name
in disguise, so a file with more than one link is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import RefusedFileError

_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def kind_of(mode: int) -> str:
    """What an ``lstat`` mode is, in the words a refusal uses."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refusal(st: os.stat_result) -> str | None:
    """Why an entry is not read as a file; None for a regular file with a single name."""
    if stat.S_ISREG(st.st_mode):
        if st.st_nlink > 1:
            return "a hard link (the same file has another name elsewhere): hand in a copy"
        return None
    if stat.S_ISLNK(st.st_mode):
        return _LINK
    return f"{kind_of(st.st_mode)}, not a regular file: only regular files are read"


_LINK = "a symbolic link: links are never followed, hand in the file itself"


@contextmanager
def open_folder(name: str, *, dir_fd: int | None = None) -> Iterator[int]:
    """A descriptor of the folder ``name`` (relative to ``dir_fd``), which must not be a link.

    Raises:
        RefusedFileError: ``name`` is a link or not a folder.
        OSError: the folder cannot be opened for another reason.
    """
    st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    if not stat.S_ISDIR(st.st_mode):
        raise RefusedFileError(name, _not_a_folder(st.st_mode))
    try:
        fd = os.open(name, _FOLDER_FLAGS, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in _SWAPPED:
            raise RefusedFileError(name, _not_a_folder(stat.S_IFLNK)) from error
        raise
    try:
        yield fd
    finally:
        os.close(fd)


def _not_a_folder(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never followed), not a folder"
    return f"{kind_of(mode)}, not a folder"


_SWAPPED = {errno.ELOOP, errno.ENOTDIR}
"""What ``open`` says when an entry became a link (or a file) after its ``lstat``."""


def entries(dir_fd: int) -> list[tuple[str, os.stat_result]]:
    """The names in a folder with their ``lstat``, sorted by name; nothing is followed."""
    found = []
    for name in sorted(os.listdir(dir_fd)):
        found.append((name, os.stat(name, dir_fd=dir_fd, follow_symlinks=False)))
    return found


def read_file(dir_fd: int, name: str, limit: int) -> bytes:
    """The bytes of the regular file ``name`` in the folder ``dir_fd``, at most ``limit``.

    Raises:
        RefusedFileError: not a regular file (a link, a FIFO, a device...), a hard link,
            or larger than ``limit`` bytes.
        OSError: the file cannot be read for another reason.
    """
    reason = refusal(os.stat(name, dir_fd=dir_fd, follow_symlinks=False))
    if reason:
        raise RefusedFileError(name, reason)
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in _SWAPPED:
            raise RefusedFileError(name, _LINK) from error
        raise
    try:
        reason = refusal(os.fstat(fd))
        if reason:
            raise RefusedFileError(name, reason)
        if os.fstat(fd).st_size > limit:
            raise RefusedFileError(name, f"larger than {_size(limit)}: not read")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise RefusedFileError(name, f"larger than {_size(limit)}: not read")
        return data
    finally:
        os.close(fd)


def newest_mtime(dir_fd: int, *, max_depth: int = 16, max_entries: int = 10_000) -> float | None:
    """The newest modification time of the regular files below a folder, or None.

    Hidden entries and ``__pycache__`` are skipped, links are neither followed nor counted,
    and the walk (depth first, one open descriptor per level) stops ``max_depth`` folders
    down and after ``max_entries`` entries: a tree thousands of levels deep costs no more
    than a shallow one, and never the interpreter's recursion limit.
    """
    newest: float | None = None
    seen = 0
    stack: list[tuple[int, Iterator[os.DirEntry[str]], int]] = []
    try:
        top = os.open(".", _FOLDER_FLAGS, dir_fd=dir_fd)
        stack.append((top, _scan(top), 0))
        while stack and seen < max_entries:
            fd, scan, depth = stack[-1]
            entry = next(scan, None)
            if entry is None:
                stack.pop()
                os.close(fd)
                continue
            seen += 1
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode):
                newest = st.st_mtime if newest is None else max(newest, st.st_mtime)
            elif stat.S_ISDIR(st.st_mode) and depth < max_depth:
                try:
                    child = os.open(entry.name, _FOLDER_FLAGS, dir_fd=fd)
                except OSError:
                    continue
                stack.append((child, _scan(child), depth + 1))
    finally:
        for fd, _, _ in stack:
            os.close(fd)
    return newest


def _scan(fd: int) -> Iterator[os.DirEntry[str]]:
    """The entries of an open folder, lazily; an unreadable folder has none."""
    try:
        with os.scandir(fd) as scan:
            yield from scan
    except OSError:
        return


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"
