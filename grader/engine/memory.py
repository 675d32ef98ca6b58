"""Real memory per student: a memory cgroup around each sandboxed child, else a watchdog.

``memory_mb`` in ``assignment.toml`` is resident memory (what the host actually gives up),
not address space: TensorFlow reserves tens of GiB of address space it never touches, so an
address-space limit either breaks it or has to be switched off, and then nothing bounds a
student at all. Each child forked for a student is moved, before any of its code runs, into a
group of its own that every process it starts inherits (threads, ``fork``, ``multiprocessing``),
so the limit holds for all of them together. Best available first:

- ``cgroup2``: ``memory.max`` with ``memory.swap.max = 0`` and ``memory.oom.group = 1`` (the
  whole group dies together), where the grader's cgroup can delegate the memory controller.
- ``cgroup1``: the v1 memory controller (``memory.limit_in_bytes``, and
  ``memory.memsw.limit_in_bytes`` equal to it, so no swap), as on hosts that mount the
  controllers separately (many containers).
- ``watchdog``: no writable memory cgroup. A thread sums the resident memory of the child's
  processes (its descendants and everything in its session) every ``WATCH_INTERVAL`` and
  kills them all past the limit. A burst faster than one interval can overshoot, so keep
  ``address_space_mb`` (``RLIMIT_AS``) on for assignments that need no TensorFlow.

Whichever is used, the kernel OOM killer prefers the sandbox: the zygote (and so every child)
runs with ``oom_score_adj = 1000`` (``grader.worker``), the coordinator with what it had.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
WATCH_INTERVAL = 0.1


@dataclass
class Group:
    """The memory budget of one child: where it lives and whether the child went past it."""

    pid: int
    limit_mb: int
    path: Path | None = None
    entry: int | None = None
    """An open ``tasks`` file of the group (cgroup v1), for the zygote to fork into it."""
    killed: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


class MemoryBudget:
    """Puts a child (by its pid on this host) under ``limit_mb`` of resident memory."""

    name = "watchdog"

    def prepare(self, limit_mb: int) -> Group | None:
        """A group made before the child exists, that the zygote can fork it into.

        None where there is no such thing (the watchdog needs the child's pid): the child is
        then put under its budget by ``attach`` once it is forked.
        """
        return None

    def home(self) -> int | None:
        """An open ``tasks`` file of the grader's own group: where the zygote goes back to."""
        return None

    def adopt(self, group: Group, pid: int) -> Group:
        """The child was forked into ``group`` (``prepare``); ``pid`` is its pid on this host."""
        group.pid = pid
        return group

    def enter(self, group: Group, pid: int) -> Group:
        """Move a child forked outside ``group`` into it (``prepare`` made it; costly)."""
        return self.attach(pid, group.limit_mb)

    def attach(self, pid: int, limit_mb: int) -> Group:
        group = Group(pid=pid, limit_mb=limit_mb)
        if limit_mb > 0:
            group.thread = threading.Thread(target=self._watch, args=(group,), daemon=True,
                                            name=f"grader-memory-{pid}")
            group.thread.start()
        return group

    def release(self, group: Group) -> bool:
        """Stop watching ``group`` (its processes are gone); True if it went past its limit."""
        group.stop.set()
        if group.thread is not None:
            group.thread.join(timeout=5)
        return group.killed

    def _watch(self, group: Group) -> None:
        limit = group.limit_mb << 20
        while not group.stop.wait(WATCH_INTERVAL):
            pids = tree(group.pid)
            if not pids:
                return
            if sum(map(resident_bytes, pids)) > limit:
                group.killed = True
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)


class CgroupBudget(MemoryBudget):
    """A memory cgroup per child under ``base``, the grader's own group."""

    def __init__(self, base: Path, version: int) -> None:
        self.base = base
        self.version = version
        self.name = f"cgroup{version}"
        self.count = 0
        self._home: int | None = None

    def attach(self, pid: int, limit_mb: int) -> Group:
        group = self._create(pid, limit_mb)
        if group.path is not None:
            _write(group.path / "cgroup.procs", str(pid))
        return group

    def prepare(self, limit_mb: int) -> Group | None:
        """The child's group, made before the fork, with its ``tasks`` file open (v1 only).

        Moving a process into a cgroup (``cgroup.procs``) takes a lock whose writer waits for
        an RCU grace period: about 10 ms of idle wall time per student, more on a busy host.
        A thread that moves *itself* (``0`` written to ``tasks``) skips that lock; so the
        zygote steps into the child's group, forks (the child starts there) and steps back.
        Cgroup v2 has no per-thread move between domain groups: there the child is moved.
        """
        if self.version != 1 or limit_mb <= 0:
            return None
        group = self._create(0, limit_mb)
        assert group.path is not None
        try:
            group.entry = os.open(group.path / "tasks", os.O_WRONLY | os.O_CLOEXEC)
        except OSError:
            self.release(group)
            return None
        return group

    def home(self) -> int | None:
        if self.version != 1:
            return None
        if self._home is None:
            with contextlib.suppress(OSError):
                self._home = os.open(self.base / "tasks", os.O_WRONLY | os.O_CLOEXEC)
        return self._home

    def enter(self, group: Group, pid: int) -> Group:
        if group.path is None:
            return self.attach(pid, group.limit_mb)
        group.pid = pid
        _write(group.path / "cgroup.procs", str(pid))
        return group

    def _create(self, pid: int, limit_mb: int) -> Group:
        group = Group(pid=pid, limit_mb=limit_mb)
        if limit_mb <= 0:
            return group
        self.count += 1
        path = self.base / f"grader-{os.getpid()}-{self.count}"
        path.mkdir()
        group.path = path
        limit = str(limit_mb << 20)
        if self.version == 2:
            _write(path / "memory.max", limit)
            _write(path / "memory.swap.max", "0", optional=True)
            _write(path / "memory.oom.group", "1", optional=True)
        else:
            _write(path / "memory.limit_in_bytes", limit)
            _write(path / "memory.memsw.limit_in_bytes", limit, optional=True)
            _write(path / "memory.swappiness", "0", optional=True)
        return group

    def release(self, group: Group) -> bool:
        if group.entry is not None:
            os.close(group.entry)
            group.entry = None
        if group.path is None:
            return super().release(group)
        group.killed = _oom_kills(group.path, self.version) > 0
        for _ in range(100):  # the kernel frees a group a moment after its last process
            try:
                group.path.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.02)
        return group.killed


def _write(path: Path, value: str, optional: bool = False) -> None:
    try:
        path.write_text(value)
    except OSError:
        if not optional:
            raise


def _oom_kills(path: Path, version: int) -> int:
    name = "memory.events" if version == 2 else "memory.oom_control"
    try:
        lines = (path / name).read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        key, _, value = line.partition(" ")
        if key == "oom_kill":
            return int(value)
    if version == 1:  # kernels before 4.13 report no oom_kill count: hitting the limit counts
        with contextlib.suppress(OSError, ValueError):
            return int((path / "memory.failcnt").read_text())
    return 0


def _own_group(version: int) -> Path | None:
    """This process's cgroup folder for ``version``, if it is mounted where we can see it."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, where = line.split(":", 2)
        if version == 2 and controllers == "":
            mount = CGROUP_ROOT if _is_cgroup2(CGROUP_ROOT) else CGROUP_ROOT / "unified"
        elif version == 1 and "memory" in controllers.split(","):
            mount = CGROUP_ROOT / "memory"
        else:
            continue
        own = mount / where.lstrip("/")
        # Inside a cgroup namespace the mount's root is this group already.
        return own if own.is_dir() else mount if mount.is_dir() else None
    return None


def _is_cgroup2(path: Path) -> bool:
    return (path / "cgroup.controllers").is_file()


def _usable(base: Path, version: int) -> bool:
    """Can we make a child group here that really limits memory? (Probe, then clean up.)"""
    if version == 2:
        try:
            if "memory" not in (base / "cgroup.controllers").read_text().split():
                return False
            if "memory" not in (base / "cgroup.subtree_control").read_text().split():
                (base / "cgroup.subtree_control").write_text("+memory")
        except OSError:
            return False
    probe = base / f"grader-probe-{os.getpid()}"
    try:
        probe.mkdir()
    except OSError:
        return False
    try:
        limit = "memory.max" if version == 2 else "memory.limit_in_bytes"
        return (probe / limit).is_file() and os.access(probe / "cgroup.procs", os.W_OK)
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


_CHOSEN: MemoryBudget | None = None


def choose_budget(mode: str = "auto") -> MemoryBudget:
    """The strongest memory budget this host offers (``mode`` "watchdog" forces the fallback).

    ``GRADER_MEMORY_BUDGET=watchdog`` does the same from the environment.
    """
    global _CHOSEN
    mode = os.environ.get("GRADER_MEMORY_BUDGET", mode)
    if mode == "watchdog":
        return MemoryBudget()
    if _CHOSEN is None:
        _CHOSEN = MemoryBudget()
        for version in (2, 1):
            base = _own_group(version)
            if base is not None and _usable(base, version):
                _CHOSEN = CgroupBudget(base, version)
                _remove_stale(base)
                break
    return _CHOSEN


def _remove_stale(base: Path) -> None:
    """Empty groups left by a grader that was killed before it could remove them."""
    for path in base.glob("grader-*-*"):
        owner = path.name.split("-")[1]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            with contextlib.suppress(OSError):
                path.rmdir()


def host_pid(root: int, ns_pid: int) -> int:
    """The pid on this host of the process that calls itself ``ns_pid`` below ``root``.

    The zygote reports its children's pids as its PID namespace numbers them (the sandbox
    gives it one of its own); ``/proc/PID/status`` lists a process's pid in every namespace
    it is in, the innermost last. The search walks down from ``root`` through the kernel's
    per-thread ``children`` lists (a handful of reads: bubblewrap, its init, the zygote, the
    child) instead of reading every process on the host, which costs milliseconds per
    student on a busy machine; without those lists it falls back to one pass over /proc.
    """
    try:
        return _host_pid_below(root, ns_pid)
    except FileNotFoundError:
        pass
    for pid in tree(root):
        nspids = _status(pid).get("NSpid", "").split()
        if nspids and int(nspids[-1]) == ns_pid:
            return pid
    raise ProcessLookupError(f"no process {ns_pid} below {root}")


def _host_pid_below(root: int, ns_pid: int) -> int:
    """Breadth first from ``root`` through ``/proc/PID/task/TID/children``.

    Raises:
        FileNotFoundError: the kernel keeps no children lists (``CONFIG_PROC_CHILDREN``).
        ProcessLookupError: no such process below ``root``.
    """
    if not Path(f"/proc/{root}/task/{root}/children").exists():
        if Path(f"/proc/{root}").exists():
            raise FileNotFoundError(f"/proc/{root}/task/{root}/children")
        raise ProcessLookupError(f"no process {root}")
    queue = [root]
    seen: set[int] = set()
    while queue:
        pid = queue.pop(0)
        if pid in seen:
            continue
        seen.add(pid)
        nspids = _status(pid).get("NSpid", "").split()
        if pid != root and nspids and int(nspids[-1]) == ns_pid:
            return pid
        queue += _children(pid)
    raise ProcessLookupError(f"no process {ns_pid} below {root}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in threads:
        with contextlib.suppress(OSError, ValueError):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
    return found


def tree(root: int) -> list[int]:
    """``root`` and every process started below it or in its session (one pass over /proc)."""
    parents: dict[int, int] = {}
    session: set[int] = set()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[pid] = int(fields[1])
        if int(fields[3]) == root:
            session.add(pid)
    if root not in parents:
        return []
    found = {root} | session
    grown = True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grown = True
    return sorted(found)


def resident_bytes(pid: int) -> int:
    """The process's proportional share of resident memory (PSS), else RSS less shared pages.

    A forked child shares the zygote's preloaded pages: RSS would count them once per child.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) << 10
    except (OSError, IndexError, ValueError):
        pass
    try:
        resident, shared = Path(f"/proc/{pid}/statm").read_text().split()[1:3]
    except (OSError, ValueError):
        return 0
    return max(int(resident) - int(shared), 0) * os.sysconf("SC_PAGE_SIZE")


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {k: v.strip() for k, _, v in (line.partition(":") for line in text.splitlines())}
