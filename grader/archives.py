"""Reading a student's archive (zip or tar) as untrusted input, in memory.

An archive is a list of names and sizes its author chose, so nothing it says is believed:
a member's path must stay inside the archive (no absolute path, no ``..``, checked on the
normalised name and again by ``tarfile``'s ``data`` filter), only regular files and folders
are taken (a symbolic link, a hard link, a device or a FIFO is refused, whatever it points
at), and the caps on members, on the bytes actually read out of them (a header's size can
lie, a ratio of 1000:1 is a few lines of Python) and on archives inside archives are
enforced while reading, not from the headers. Past a cap the whole archive is refused with
:class:`ArchiveRefused`, so a bomb costs at most the caps and gives its owner one clear line.

Nothing is written to disk here: discovery hands the bytes straight to the worker, and
``grade collect`` writes what it was given into the student's folder itself. ``__MACOSX/``
(resource forks) and ``.DS_Store`` (Finder's state) are dropped and said so.
"""

from __future__ import annotations

import io
import posixpath
import stat
import tarfile
import zipfile
from dataclasses import dataclass, field
from typing import IO

from .errors import SubmissionError

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
MAX_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 64 << 20
"""All the bytes read out of one archive, archives inside it included."""
MAX_NESTING = 3
"""Archives inside archives: the archive handed in is level 1."""
MAX_PATH_DEPTH = 16
JUNK = ("__MACOSX", ".DS_Store")
_CHUNK = 1 << 16


class ArchiveRefused(SubmissionError):
    """An archive that is not unpacked at all: a bomb, a broken file, a hostile entry."""


@dataclass
class Unpacked:
    """What an archive held: member path -> bytes, and what was left out and why.

    Paths are relative and ``/``-separated; a member of an archive inside the archive is
    ``inner.zip/path``. ``dropped`` names the junk left out, ``archives`` the inner archives
    that were unpacked in their place.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def unpack(name: str, data: bytes, *, max_bytes: int = MAX_UNPACKED_BYTES,
           max_members: int = MAX_MEMBERS, nested: bool = True) -> Unpacked:
    """The members of the archive ``name`` (its bytes ``data``), archives inside unpacked
    unless ``nested`` is False (a platform's download, whose inner archives are each one
    student's, unpacked under that student's caps).

    Raises:
        ArchiveRefused: not a zip or tar archive, a member outside it or not a regular file,
            or past the caps on members, bytes read or nesting.
    """
    budget = _Budget(name, max_bytes, max_members)
    result = Unpacked()
    budget.nested = nested
    _unpack_into(result, "", name, data, budget, level=1)
    return result


class _Budget:
    def __init__(self, name: str, max_bytes: int, max_members: int) -> None:
        self.name = name
        self.bytes_left = max_bytes
        self.members_left = max_members
        self.max_bytes = max_bytes
        self.max_members = max_members
        self.nested = True

    def member(self) -> None:
        self.members_left -= 1
        if self.members_left < 0:
            raise ArchiveRefused(f"{self.name}: more than {self.max_members} entries: "
                                 "not unpacked (hand in only your code)")

    def spend(self, count: int) -> None:
        self.bytes_left -= count
        if self.bytes_left < 0:
            raise ArchiveRefused(f"{self.name}: unpacks to more than {self.max_bytes >> 20} "
                                 "MiB: not unpacked (an archive bomb, or data that does not "
                                 "belong in a submission)")


def _unpack_into(result: Unpacked, prefix: str, name: str, data: bytes, budget: _Budget,
                 *, level: int) -> None:
    if level > MAX_NESTING:
        raise ArchiveRefused(f"{budget.name}: archives nested more than {MAX_NESTING} deep: "
                             "not unpacked")
    if zipfile.is_zipfile(io.BytesIO(data)):
        members = _zip_members(name, data, budget)
    else:
        members = _tar_members(name, data, budget)
    for path, content in members:
        full = prefix + path
        parts = full.split("/")
        if any(part in JUNK for part in parts):
            result.dropped.append(full)
            continue
        if is_archive(path) and budget.nested:
            result.archives.append(full)
            _unpack_into(result, full + "/", path, content, budget, level=level + 1)
            continue
        result.files[full] = content


def _clean_path(archive: str, raw: str) -> str | None:
    """The member's relative path, None for a folder entry; refuses one that leaves."""
    path = raw.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise ArchiveRefused(f"{archive}: the entry {raw[:80]!r} has an absolute path: "
                             "not unpacked")
    normal = posixpath.normpath(path)
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts or normal.startswith(".."):
        raise ArchiveRefused(f"{archive}: the entry {raw[:80]!r} points outside the archive: "
                             "not unpacked")
    if len(parts) > MAX_PATH_DEPTH:
        raise ArchiveRefused(f"{archive}: the entry {raw[:80]!r} is nested more than "
                             f"{MAX_PATH_DEPTH} folders deep: not unpacked")
    if path.endswith("/") or not parts:
        return None
    return "/".join(parts)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author meant it: zips without the UTF-8 flag (bit 11) are
    read by Python as CP437, but most tools that omit the flag wrote UTF-8 anyway."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_members(archive: str, data: bytes, budget: _Budget) -> list[tuple[str, bytes]]:
    members = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as handle:
            for info in handle.infolist():
                budget.member()
                kind = stat.S_IFMT(info.external_attr >> 16)
                name = _zip_name(info)
                # Zips made on Windows carry no file type; one that says "link" is refused.
                if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                    what = "a symbolic link" if kind == stat.S_IFLNK else "not a regular file"
                    raise ArchiveRefused(f"{archive}: the entry {name[:80]!r} is {what}: "
                                         "not unpacked (archive links are never followed)")
                path = _clean_path(archive, name)
                if path is None or info.is_dir():
                    continue
                with handle.open(info) as stream:
                    members.append((path, _read_capped(stream, budget)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, ValueError) as error:
        raise ArchiveRefused(f"{archive}: not a readable zip archive ({error})") from error
    return members


def _tar_members(archive: str, data: bytes, budget: _Budget) -> list[tuple[str, bytes]]:
    members = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as handle:
            for info in handle:
                budget.member()
                if not (info.isreg() or info.isdir()):
                    kind = ("a symbolic link" if info.issym() else
                            "a hard link" if info.islnk() else "not a regular file")
                    raise ArchiveRefused(f"{archive}: the entry {info.name[:80]!r} is {kind}: "
                                         "not unpacked (archive links are never followed)")
                path = _clean_path(archive, info.name)
                try:
                    tarfile.data_filter(info, "/unpacked")
                except tarfile.FilterError as error:
                    raise ArchiveRefused(f"{archive}: the entry {info.name[:80]!r} is refused "
                                         f"({error}): not unpacked") from error
                if path is None or info.isdir():
                    continue
                stream = handle.extractfile(info)
                if stream is None:
                    continue
                members.append((path, _read_capped(stream, budget)))
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise ArchiveRefused(f"{archive}: not a readable zip or tar archive ({error})") from error
    return members


def _read_capped(stream: IO[bytes], budget: _Budget) -> bytes:
    """The member's bytes, counted as they come out (the size in its header may lie)."""
    chunks = []
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        budget.spend(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks)
