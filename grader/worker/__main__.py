"""The zygote: pays the imports once, then forks one fresh child per student to grade.

Started by the trusted side inside the sandbox with its control socket on fd 3. Every
command arrives as one byte (carrying file descriptors for ``spawn``) followed by a frame;
``protocol`` declares them (``spawn`` forks a child, ``finish`` ends it and reports how it
ended and what the wipe after it could not remove).

Given ``--child-uid`` (the sandbox runs it as root), the zygote keeps uid 0 with only
CAP_SETUID and CAP_SETGID and never runs student code; each child drops to a uid of its own
(see ``scratch``), so it cannot signal, trace or starve the zygote or the next child. The
zygote makes itself non-dumpable. Between children it kills every process of the child,
empties the scratch folder, ``/dev/shm`` and the IPC namespace, and reports what it could
not remove: the trusted side then restarts the sandbox before the next student.

A spawn may also carry two open ``tasks`` files of memory cgroups (v1), the child's and the
grader's own: the zygote steps into the child's group, forks, and steps back, so the child
starts inside its budget without being moved (``engine.memory.CgroupBudget.prepare``).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib
import os
import resource
import signal
import socket
import sys
import tempfile
import traceback
from typing import cast

from . import protocol, scratch, wire
from .child import ChildServer

CONTROL_FD = 3
PR_SET_DUMPABLE = 4


def _first_to_go() -> None:
    """Ask the kernel's OOM killer to pick the sandbox (every child inherits this) first.

    Raising one's own score needs no privilege; the zygote does it at start, so every child
    inherits it before it changes uid.
    """
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _set_dumpable(value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _move_self(tasks_fd: int) -> bool:
    """Move this thread into the memory cgroup whose ``tasks`` file is ``tasks_fd``.

    The trusted side opened the file and sent it with the spawn: the zygote steps into the
    child's group, forks the child there, and steps back to its own (``engine.memory``
    explains why a process moving itself is cheaper than being moved).
    """
    try:
        os.write(tasks_fd, b"0")
    except OSError:
        return False
    return True


def _set_limits(limits: protocol.ChildLimits) -> None:
    def limit(kind: int, value: int | None) -> None:
        if value is None or value <= 0:
            return
        _, hard = resource.getrlimit(kind)
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (soft, hard))

    limit(resource.RLIMIT_CPU, limits["cpu_seconds"])
    # memory_mb (resident memory) is the trusted side's cgroup; this is only address space.
    address_mb = limits["address_space_mb"]
    limit(resource.RLIMIT_AS, address_mb << 20 if address_mb > 0 else None)
    limit(resource.RLIMIT_FSIZE, limits["max_file_mb"] << 20)
    if os.getuid() != 0:
        limit(resource.RLIMIT_NPROC, limits["max_processes"])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Zygote:
    def __init__(self, control: socket.socket, scratch_dir: str, own_pid_namespace: bool,
                 keep: tuple[str, ...] = (), child_uid: int | None = None) -> None:
        self.control = control
        self.scratch = scratch_dir
        self.keep = frozenset(keep)
        self.own_pid_namespace = own_pid_namespace
        self.child_uid = child_uid if os.getuid() == 0 else None
        self.root: str | None = None
        self.uid: int | None = None
        self.serial = 0

    def serve(self) -> None:
        ready: protocol.Ready = {"ready": True, "pid": os.getpid(), "uid": os.getuid()}
        wire.send(self.control, ready)
        while True:
            try:
                _, fds, _, _ = socket.recv_fds(self.control, 1, 4)
                message, blobs = wire.recv(self.control)
            except (wire.ChannelClosed, ConnectionError, OSError):
                return
            op = protocol.op_of(message)
            reply: protocol.Spawned | protocol.Finished | dict[str, str]
            if op == protocol.SPAWN:
                reply = self.spawn(cast(protocol.Spawn, message), blobs, fds)
            elif op == protocol.FINISH:
                reply = self.finish(int(message["pid"]))
            else:
                reply = {"error": f"unknown op {op!r}"}
            for fd in fds:
                os.close(fd)
            wire.send(self.control, reply)

    def spawn(self, message: protocol.Spawn, blobs: list[wire.Blob],
              fds: list[int]) -> protocol.Spawned:
        child_fd, output_fd, *group = fds
        if self.own_pid_namespace:
            # Alone in this sandbox: fixed paths keep tracebacks identical between runs.
            self.root = self.scratch
        else:
            self.root = tempfile.mkdtemp(prefix="grader-child-", dir=self.scratch)
        if self.child_uid is not None:
            self.uid, _ = scratch.child_ids(self.child_uid, self.serial)
        self.serial += 1
        sys.stdout.flush()
        sys.stderr.flush()
        grouped = len(group) == 2 and _move_self(group[0])
        try:
            pid = os.fork()
        except OSError:
            if grouped:
                _move_self(group[1])
            raise
        if pid:
            if not grouped:
                return {"pid": pid, "grouped": False}
            return {"pid": pid, "grouped": True, "returned": _move_self(group[1])}
        status = 0
        try:
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(output_fd, 1)
            os.dup2(output_fd, 2)
            os.dup2(child_fd, CONTROL_FD)
            os.closerange(CONTROL_FD + 1, 65536)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            scratch.become(self.uid, self.uid)
            _set_dumpable(1)  # its /proc entries belong to its own uid, not to root
            os.umask(0o077)
            workdir = os.path.join(self.root, "submission")
            os.makedirs(workdir)
            for (name, index) in message["files"]:
                target = os.path.join(workdir, os.path.basename(name))
                with open(target, "wb") as handle:
                    handle.write(blobs[index])
            os.chdir(workdir)
            scratch.own_home(os.path.join(self.root, "home"))
            _set_limits(message["limits"])
            ChildServer(socket.socket(fileno=CONTROL_FD), workdir,
                        first_handle=int(message["first_handle"])).serve()
        except BaseException:  # noqa: BLE001 - the child must never return into the zygote
            traceback.print_exc()  # a failure of ours before the child served: in its output
            status = 70
        finally:
            os._exit(status)

    def finish(self, pid: int) -> protocol.Finished:
        with scratch.as_user(self.uid, self.uid):
            scratch.kill_child(pid)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        if self.own_pid_namespace:  # alone in this sandbox: every process of its uid is its
            with scratch.as_user(self.uid, self.uid):
                scratch.kill_user(self.uid if self.uid is not None else os.getuid())
        while True:
            try:
                reaped, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if reaped == 0:
                break
        left = self._wipe()
        return {
            "status": status,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "clean": not left,
            "left": left[:20],
        }

    def _wipe(self) -> list[str]:
        root, self.root = self.root, None
        if root is None:
            return []
        if self.own_pid_namespace:
            folders = {root: self.keep, **{d: frozenset() for d in scratch.SHM_DIRS}}
            return scratch.wipe(self.uid, folders, ipc=True)
        scratch.remove(root)
        return [root] if os.path.lexists(root) else []


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m grader.worker")
    parser.add_argument("--child-uid", type=int,
                        help="first uid of the children (as root: each child gets its own)")
    parser.add_argument("--preload", default="")
    parser.add_argument("--scratch", default=tempfile.gettempdir())
    parser.add_argument("--own-pid-namespace", action="store_true")
    parser.add_argument("--control-fd", type=int, default=CONTROL_FD)
    parser.add_argument("--keep", action="append", default=[],
                        help="entries of the scratch folder never wiped (bound trees)")
    args = parser.parse_args()
    _first_to_go()
    os.makedirs(args.scratch, exist_ok=True)
    for name in filter(None, args.preload.split(",")):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    if "IPython" in args.preload:
        try:
            from .notebook import preload  # noqa: PLC0415

            preload()
        except Exception:  # noqa: BLE001 - a missing optional piece only costs speed
            pass
    # What the zygote imported is shared with every child: keep the collector off those pages
    # so children do not copy them on write just by scanning them.
    gc.collect()
    gc.freeze()
    _set_dumpable(0)
    if args.control_fd != CONTROL_FD:
        os.dup2(args.control_fd, CONTROL_FD)
        os.close(args.control_fd)
    control = socket.socket(fileno=CONTROL_FD)
    Zygote(control, args.scratch, args.own_pid_namespace, tuple(args.keep),
           child_uid=args.child_uid).serve()


if __name__ == "__main__":
    main()
