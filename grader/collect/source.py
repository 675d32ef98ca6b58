"""Reading SOURCE, the platform's download as it was handed over: a folder or a zip.

A folder is walked through :mod:`grader.safe_read` (no link followed, regular files only,
sizes capped), since what lies in it was chosen by students; a zip is read in memory by
:mod:`grader.archives` with the caps of a whole class, its inner archives left whole for
each student's own caps.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..archives import ArchiveRefused, unpack
from ..errors import ConfigError, RefusedFileError
from ..safe_read import entries, open_folder, read_file

MAX_SOURCE_BYTES = 4 << 30
MAX_SOURCE_FILES = 200_000
MAX_FILE_BYTES = 256 << 20
MAX_DEPTH = 24


@dataclass
class Source:
    """SOURCE's regular files (relative ``/`` path -> bytes), and what was refused."""

    files: dict[str, bytes] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def read_source(path: Path) -> Source:
    """Every regular file of the folder or zip ``path``.

    Raises:
        ConfigError: ``path`` is neither a folder nor a readable zip.
    """
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if path.is_file():
        try:
            data = path.read_bytes()
            found = unpack(path.name, data, max_bytes=MAX_SOURCE_BYTES,
                           max_members=MAX_SOURCE_FILES, nested=False)
        except (OSError, ArchiveRefused) as error:
            raise ConfigError(f"{path}: cannot be read as the platform's zip ({error}); give "
                              "the downloaded zip or the folder it unpacks to") from error
        return Source(files=found.files, refused={p: "dropped (macOS metadata)"
                                                  for p in found.dropped})
    raise ConfigError(f"{path} does not exist: give the platform's download (a folder or a zip)")


def _read_folder(path: Path) -> Source:
    source = Source()
    with open_folder(str(path)) as fd:
        _walk(fd, "", source, depth=0)
    return source


def _walk(fd: int, prefix: str, source: Source, *, depth: int) -> None:
    for name, st in entries(fd):
        rel = prefix + name
        if stat.S_ISDIR(st.st_mode):
            if name == ".git":
                source.refused[rel + "/"] = "version control data: not read"
                continue
            if depth >= MAX_DEPTH:
                source.refused[rel + "/"] = f"nested more than {MAX_DEPTH} folders deep"
                continue
            try:
                with open_folder(name, dir_fd=fd) as child:
                    _walk(child, rel + "/", source, depth=depth + 1)
            except (RefusedFileError, OSError) as error:
                source.refused[rel + "/"] = getattr(error, "reason", str(error))
            continue
        if len(source.files) >= MAX_SOURCE_FILES:
            source.refused[rel] = f"past {MAX_SOURCE_FILES} files: not read"
            continue
        try:
            source.files[rel] = read_file(fd, name, MAX_FILE_BYTES)
        except RefusedFileError as error:
            source.refused[rel] = error.reason
        except OSError as error:
            source.refused[rel] = f"could not be read ({os.strerror(error.errno or 0)})"
