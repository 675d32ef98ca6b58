"""Reading one open student folder into a :class:`~grader.discover.StudentSubmission`.

The folder is walked depth first through :mod:`grader.safe_read` (every name looked up
relative to its open parent, nothing followed), at most :data:`MAX_DEPTH` folders down and
:data:`MAX_ENTRIES` entries in all, so a tree thousands of levels deep costs no more than a
shallow one. A file is read only when its name may serve an assignment (a script taken by
:mod:`grader.near_miss`, any notebook, an archive); an archive is unpacked in memory and its
members judged like files of a folder of that name (``hw3.zip/softmax.py``). Every byte read
counts against the student's budget, members included.

Then each assignment file gets one winner among the scripts taken for it (the rule's
order); losers, stubs and whatever serves nothing are ignored, each with its reason in
``notes``. A folder (or archive) in which nothing was taken is named once (``d/``), not
file by file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .archives import ArchiveRefused, is_archive, unpack
from .config import AssignmentConfig
from .errors import InvalidNotebookError, NotebookTooDeepError, RefusedFileError
from .near_miss import Taken, take, why_not
from .notebook_json import code_of, defined_names, load_notebook
from .safe_read import entries, open_folder, read_file, refusal
from .stubs import code_fingerprint

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .discover import StudentSubmission

MAX_FILE_BYTES = 64 << 20
MAX_SUBMISSION_BYTES = 128 << 20
"""All the files of one student read together (archive members included): past it, further
files are refused."""
MAX_DEPTH = 8
MAX_ENTRIES = 5_000
MANIFEST_NOTE = ("a student file like any other: submission times come from the manifest "
                 "SUBMISSIONS_DIR/submissions.csv, never from the student's folder")
STUB_NOTE = "identical in code to the released stub: not a submission"


def text_name(name: str) -> str:
    """``name`` as valid text: itself when it is, else its bytes with each one that is not
    UTF-8 written as ``\\xNN``, so pages, the gradebook and the terminal can show it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return name


@dataclass
class _Script:
    path: str
    taken: Taken
    data: bytes


@dataclass
class _Walk:
    """What the walk found: scripts taken by name, notebooks, and every other entry."""

    submission: StudentSubmission
    targets: list[str]
    left: int = MAX_SUBMISSION_BYTES
    seen: int = 0
    scripts: list[_Script] = field(default_factory=list)
    notebooks: list[tuple[str, bytes]] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)
    """Path -> reason, for what is ignored (folders end in ``/``)."""
    containers: list[str] = field(default_factory=list)
    """Folders and archives walked, as path prefixes (``hw3/``, ``hw3.zip/``)."""
    wanted: dict[str, str] = field(default_factory=dict)
    """Refused path -> the assignment file its name would have served."""

    def read(self, fd: int, name: str, path: str) -> bytes | None:
        """The file's bytes within the budget, or None with the refusal noted."""
        submission = self.submission
        try:
            data = read_file(fd, name, min(MAX_FILE_BYTES, self.left))
        except RefusedFileError as error:
            reason = error.reason
            if self.left < MAX_FILE_BYTES and "larger than" in reason:
                reason = (f"not read: the folder's files together pass "
                          f"{MAX_SUBMISSION_BYTES >> 20} MiB")
            submission.refused[path] = reason
            return None
        except OSError as error:
            submission.refused[path] = f"could not be read ({error.strerror})"
            return None
        self.left -= len(data)
        return data

    def consider(self, path: str, data: bytes | None, taken: Taken | None) -> None:
        """A file read (or refused: ``data`` None) whose name may serve an assignment."""
        if data is None:
            if taken is not None:
                self.wanted[path] = taken.target
            return
        if taken is not None:
            self.scripts.append(_Script(path, taken, data))
        elif path.lower().endswith(".ipynb"):
            self.notebooks.append((path, data))
        elif is_archive(path):
            self.unpack(path, data)

    def unpack(self, path: str, data: bytes) -> None:
        submission = self.submission
        name = path.rsplit("/", 1)[-1]
        try:
            found = unpack(name, data, max_bytes=min(self.left, 64 << 20))
        except ArchiveRefused as error:
            submission.refused[path] = str(error).removeprefix(f"{name}: ")
            return
        self.left -= sum(len(b) for b in found.files.values())
        self.containers.append(path + "/")
        for junk in found.dropped:
            self.left_out[f"{path}/{junk}"] = "macOS metadata: dropped"
        for member, content in sorted(found.files.items()):
            full = f"{path}/{member}"
            base = member.rsplit("/", 1)[-1]
            self.containers += [f"{path}/{member.rsplit('/', 1)[0]}/"] if "/" in member else []
            if any(part.startswith(".") for part in member.split("/")):
                self.left_out[full] = "hidden: not read"
                continue
            taken = take(base, self.targets)
            if taken is None and not base.lower().endswith(".ipynb"):
                self.left_out[full] = _why(base, self.targets)
                continue
            self.consider(full, content, taken)


def _why(base: str, targets: list[str]) -> str:
    if base.lower() == "submitted_at":
        return MANIFEST_NOTE
    if base.lower().endswith(".py") or base.lower().endswith(".keras"):
        return why_not(base, targets)
    return "not a script, notebook or saved model of an assignment"


def read_folder(fd: int, submission: StudentSubmission, configs: list[AssignmentConfig],
                stubs: Mapping[str, set[str]]) -> None:
    """Fill ``submission`` from the open folder ``fd`` (see the module docstring)."""
    targets = [name for config in configs for name in config.files]
    walk = _Walk(submission, targets)
    _walk_folder(walk, fd, "", depth=0)
    stub_prints = set().union(*stubs.values()) if stubs else set()
    by_file = {name: c.name for c in configs for name in c.files}
    _choose_scripts(walk, by_file, stub_prints)
    _take_notebooks(walk, configs, stub_prints)
    _name_what_is_left(walk)


def _walk_folder(walk: _Walk, fd: int, prefix: str, *, depth: int) -> None:
    submission = walk.submission
    for name, st in entries(fd):
        walk.seen += 1
        shown = text_name(name)
        path = prefix + shown
        if walk.seen > MAX_ENTRIES:
            walk.left_out[prefix or "./"] = f"more than {MAX_ENTRIES} entries: the rest not read"
            return
        if shown != name:
            submission.refused[path] = "a name that is not valid UTF-8: rename it"
            continue
        if name.startswith("."):
            walk.left_out[path + ("/" if stat.S_ISDIR(st.st_mode) else "")] = "hidden: not read"
            continue
        if stat.S_ISDIR(st.st_mode):
            walk.containers.append(path + "/")
            if depth + 1 >= MAX_DEPTH:
                walk.left_out[path + "/"] = f"nested more than {MAX_DEPTH} folders deep: not read"
                continue
            try:
                with open_folder(name, dir_fd=fd) as child:
                    _walk_folder(walk, child, path + "/", depth=depth + 1)
            except RefusedFileError as error:
                submission.refused[path] = error.reason
            except OSError as error:
                submission.refused[path + "/"] = f"could not be read ({error.strerror})"
            continue
        taken = take(name, walk.targets)
        if taken is not None or name.lower().endswith(".ipynb") or is_archive(name):
            walk.consider(path, walk.read(fd, name, path), taken)
            continue
        reason = refusal(st)
        if reason and not reason.startswith("a hard link"):
            submission.refused[path] = reason
        else:
            walk.left_out[path] = _why(name, walk.targets)


def _choose_scripts(walk: _Walk, by_file: dict[str, str], stub_prints: set[str]) -> None:
    submission = walk.submission
    candidates: dict[str, list[_Script]] = {}
    for script in walk.scripts:
        if stub_prints and script.path.lower().endswith(".py") and \
                code_fingerprint(script.path, script.data) in stub_prints:
            walk.left_out[script.path] = STUB_NOTE
            continue
        candidates.setdefault(script.taken.target, []).append(script)
    for target, found in candidates.items():
        found.sort(key=lambda s: (-s.taken.counter, s.path.count("/"), bool(s.taken.forgiven),
                                  s.path))
        winner, *losers = found
        submission.contents[target] = winner.data
        submission.assignments.setdefault(by_file[target], []).append(target)
        if winner.path != target:
            submission.origin[target] = winner.path
            how = ", ".join(winner.taken.forgiven) or "found in a subfolder or archive"
            submission.notes[winner.path] = f"graded as {target} ({how})"
        for loser in losers:
            walk.left_out[loser.path] = (
                f"not graded: {winner.path} was taken as {target} (the highest copy counter "
                "wins, then the shallowest path, then the exact name; never the newest file)")
    for path, target in walk.wanted.items():
        assignment = by_file[target]
        if target not in submission.contents:
            submission.problems.setdefault(
                assignment, f"{path} was not graded: it is {submission.refused[path]}")


def _take_notebooks(walk: _Walk, configs: list[AssignmentConfig], stub_prints: set[str]) -> None:
    submission = walk.submission
    all_names = {n for c in configs for n in c.names}
    # The shallowest first, so a notebook at the top keeps its own name.
    for path, data in sorted(walk.notebooks, key=lambda n: (n[0].count("/"), n[0])):
        try:
            source = code_of(load_notebook(data))
        except NotebookTooDeepError as error:
            submission.refused[path] = f"not a notebook: its JSON is {error}"
            continue
        except InvalidNotebookError:
            source = ""
        if source and stub_prints and code_fingerprint(path, data) in stub_prints:
            walk.left_out[path] = STUB_NOTE
            continue
        key = _free_key(submission.contents, path)
        submission.contents[key] = data
        if key != path:
            submission.origin[key] = path
            submission.notes[path] = f"graded as {key} (found in a subfolder or archive)"
        defined = defined_names(source, all_names)
        for config in configs:
            if defined.intersection(config.names) or not source:
                # Unreadable notebooks are sent to every assignment so the worker says why.
                submission.assignments.setdefault(config.name, []).append(key)
        if source and not defined:
            del submission.contents[key]
            submission.notes.pop(path, None)
            submission.origin.pop(key, None)
            walk.left_out[path] = "a notebook defining nothing an assignment asks for"
    refused = [f"{n} ({r})" for n, r in submission.refused.items()
               if n.lower().endswith(".ipynb") or is_archive(n)]
    for config in configs:
        if refused and config.name not in submission.assignments:
            submission.problems.setdefault(
                config.name, f"nothing was graded for {config.name}: refused {', '.join(refused)}")


def _free_key(contents: Mapping[str, bytes], path: str) -> str:
    """The name a notebook is graded under: its own, else its path flattened, else numbered."""
    for key in (path.rsplit("/", 1)[-1], path.replace("/", "_")):
        if key not in contents:
            return key
    stem, _, suffix = path.replace("/", "_").rpartition(".")
    return next(f"{stem}-{n}.{suffix}" for n in range(2, 10_000)
                if f"{stem}-{n}.{suffix}" not in contents)


def _name_what_is_left(walk: _Walk) -> None:
    """``ignored`` and ``notes`` for what was not taken; a folder or archive holding nothing
    taken is named once, with the number of entries it held."""
    submission = walk.submission
    used = set(submission.origin.values()) | {
        n for files in submission.assignments.values() for n in files}
    empty = sorted({c for c in walk.containers
                    if not any(u.startswith(c) for u in used)}, key=len)
    collapsed: dict[str, int] = {}
    for path in submission.refused:
        outer = next((c for c in empty if path.startswith(c) and path != c), None)
        if outer is not None:
            collapsed[outer] = collapsed.get(outer, 0) + 1
    for path, reason in walk.left_out.items():
        outer = next((c for c in empty if path.startswith(c) and path != c), None)
        if outer is None:
            submission.ignored.append(path)
            submission.notes[path] = reason
        else:
            collapsed[outer] = collapsed.get(outer, 0) + 1
    for container in empty:
        if any(container.startswith(o) and container != o for o in empty):
            continue
        if container in walk.left_out:
            continue
        shown = container.removesuffix("/") if is_archive(container.removesuffix("/")) \
            else container
        count = collapsed.get(container, 0)
        submission.ignored.append(shown)
        submission.notes[shown] = (f"nothing in it is graded ({count} entries left out or "
                                   "refused)" if count else "empty: nothing to grade")
