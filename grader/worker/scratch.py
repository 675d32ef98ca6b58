"""What one child may leave behind, and how the zygote makes sure it leaves nothing.

Inside the bubblewrap sandbox, when the grader runs as root, each child runs under a uid of
its own (``child_ids``): it cannot signal, trace or starve the zygote, which keeps uid 0 with
only CAP_SETUID and CAP_SETGID and never runs student code. Between two children the zygote
takes on the finished child's uid for a moment (``as_user``) and, with exactly the rights the
child had, kills every process left under that uid, empties the scratch folder and
``/dev/shm`` (making folders writable first, so a mode-0555 folder cannot block it), removes
the SysV and POSIX IPC objects, and then checks that all of it is empty (``leftovers``). The
zygote reports anything that is left, and the trusted side then restarts the whole sandbox
before the next student: a wipe never fails silently.

This runs beside the student's code: standard library only.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator

IPC_RMID = 0
SYSV_KINDS = ("shm", "msg", "sem")
SHM_DIRS = ("/dev/shm", "/dev/mqueue")
KILL_ROUNDS = 50
FOLDER_MODE = stat.S_IRWXU


def child_ids(base: int, serial: int) -> tuple[int, int]:
    """(uid, gid) of the ``serial``-th child of the zygote whose first child uid is ``base``.

    Two alternating ids: a child never shares its uid with the one before it, so if anything
    of that one survived the wipe it could not signal or read this one (the sandbox is then
    restarted anyway).
    """
    uid = base + serial % 2
    return uid, uid


@contextlib.contextmanager
def as_user(uid: int | None, gid: int | None) -> Iterator[None]:
    """Act with the effective ids of a child (a no-op when the zygote cannot switch).

    The real and saved uid stay 0, so no process of the child can signal the zygote meanwhile,
    and the zygote gets its capabilities back afterwards.
    """
    if uid is None or os.getuid() != 0:
        yield
        return
    os.setegid(gid if gid is not None else uid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def become(uid: int | None, gid: int | None) -> None:
    """Drop to the child's ids for good (in the forked child, before any student code)."""
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid if gid is not None else uid)
    os.setuid(uid)


def own_home(home: str) -> None:
    """HOME, IPYTHONDIR and MPLCONFIGDIR inside the child's own folder, made by the child."""
    for sub in ("", ".ipython", ".matplotlib", ".cache"):
        os.makedirs(os.path.join(home, sub), mode=0o700, exist_ok=True)
    os.environ["HOME"] = home
    os.environ["IPYTHONDIR"] = os.path.join(home, ".ipython")
    os.environ["MPLCONFIGDIR"] = os.path.join(home, ".matplotlib")
    os.environ["XDG_CACHE_HOME"] = os.path.join(home, ".cache")
    matplotlib = __import__("sys").modules.get("matplotlib")
    if matplotlib is not None:
        # matplotlib memoises both folders at import, in the zygote: point them here.
        config = os.environ["MPLCONFIGDIR"]
        matplotlib.get_configdir = lambda: config
        matplotlib.get_cachedir = lambda: config


def kill_child(pid: int) -> None:
    """Kill the child's process group (it is a session leader) and the child itself."""
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(target, signal.SIGKILL)


def kill_user(uid: int) -> None:
    """Kill every process of ``uid`` in this PID namespace, reaping the zygote's own.

    Called with the child's effective uid: ``kill(-1)`` then reaches exactly the processes
    the child could have signalled, never the zygote (real uid 0) nor bwrap's init.
    """
    for _ in range(KILL_ROUNDS):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return
        _reap()
        if not _live_processes(uid):
            return
        time.sleep(0.002)


def _reap() -> None:
    while True:
        try:
            reaped, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if reaped == 0:
            return


def _live_processes(uid: int) -> list[int]:
    """Processes of ``uid`` in this PID namespace that are not zombies yet."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                status = handle.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uids = fields.get("Uid", "").split()
        pid = int(entry)
        if (uids and int(uids[0]) == uid and pid not in (1, os.getpid())
                and not fields.get("State", "").strip().startswith("Z")):
            found.append(pid)
    return found


def empty_folder(folder: str, keep: frozenset[str] = frozenset()) -> None:
    """Remove everything in ``folder`` but ``keep``, chmod-ing folders writable on the way."""
    try:
        entries = os.listdir(folder)
    except FileNotFoundError:
        return
    for entry in entries:
        if entry not in keep:
            remove(os.path.join(folder, entry))


def remove(path: str) -> None:
    """Remove ``path`` whatever the modes its owner set inside it; errors are left to the check."""
    if not os.path.isdir(path) or os.path.islink(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    for root, dirs, _ in os.walk(path, onerror=_unlock_error):
        for name in dirs:
            _unlock(os.path.join(root, name))
    _unlock(path)
    shutil.rmtree(path, onerror=_retry_writable)


def _unlock(path: str) -> None:
    with contextlib.suppress(OSError):
        if not os.path.islink(path):
            os.chmod(path, os.stat(path).st_mode | FOLDER_MODE)


def _unlock_error(error: OSError) -> None:
    if error.filename:
        _unlock(str(error.filename))


def _retry_writable(function: object, path: str, error: object) -> None:
    """shutil.rmtree's error hook: make the folder (and its parent) writable, then retry once."""
    parent = os.path.dirname(path)
    _unlock(parent)
    _unlock(path)
    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)


def remove_sysv_ipc(uid: int | None) -> None:
    """Remove the SysV shared memory, message queues and semaphores the child created."""
    libc = _libc()
    if libc is None:
        return
    calls = {"shm": libc.shmctl, "msg": libc.msgctl, "sem": libc.semctl}
    for kind, ident, owner in sysv_objects():
        if uid is None or owner == uid:
            if kind == "sem":
                calls[kind](ident, 0, IPC_RMID, None)
            else:
                calls[kind](ident, IPC_RMID, None)


def sysv_objects() -> list[tuple[str, int, int]]:
    """(kind, id, creator uid) of every SysV IPC object visible in this IPC namespace."""
    found = []
    for kind in SYSV_KINDS:
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        if not lines:
            continue
        header = lines[0].split()
        for line in lines[1:]:
            values = dict(zip(header, line.split(), strict=False))
            ident = values.get("shmid") or values.get("msqid") or values.get("semid")
            if ident is not None and "cuid" in values:
                found.append((kind, int(ident), int(values["cuid"])))
    return found


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def leftovers(folders: dict[str, frozenset[str]], ipc: bool) -> list[str]:
    """What is still there: entries of ``folders`` (but their ``keep``), and IPC objects."""
    left = []
    for folder, keep in folders.items():
        try:
            left += [os.path.join(folder, e) for e in os.listdir(folder) if e not in keep]
        except FileNotFoundError:
            continue
        except OSError as exc:
            left.append(f"{folder} ({exc.strerror})")
    if ipc:
        left += [f"SysV {kind} {ident}" for kind, ident, _ in sysv_objects()]
    return left


def wipe(uid: int | None, folders: dict[str, frozenset[str]], ipc: bool) -> list[str]:
    """Empty ``folders`` and (with ``ipc``) the IPC namespace as the child would; what is left."""
    with as_user(uid, uid):
        for folder, keep in folders.items():
            empty_folder(folder, keep)
        if ipc:
            remove_sysv_ipc(uid)
    return leftovers(folders, ipc)
