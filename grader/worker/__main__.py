"""The zygote: pays the imports once, then forks one fresh child per student to grade.

Started by the trusted side inside the sandbox with its control socket on fd 3. Every
command arrives as one byte (carrying file descriptors for ``spawn``) followed by a frame;
``protocol`` declares them (``spawn`` forks a child, ``finish`` ends it and reports how).

Before anything else it drops to the unprivileged uid it was given, imports the heavy
modules, and makes itself non-dumpable so that a child cannot ptrace it or read its memory.
Between children it kills every other process it can see (only in its own PID namespace)
and wipes the scratch folder, so one student leaves nothing behind for the next.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
from typing import cast

from . import protocol, wire
from .child import ChildServer

CONTROL_FD = 3
PR_SET_DUMPABLE = 4


def _drop_privileges(uid: int | None, gid: int | None) -> None:
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid if gid is not None else uid)
    os.setuid(uid)


def _non_dumpable() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _set_limits(limits: protocol.ChildLimits) -> None:
    def limit(kind: int, value: int | None) -> None:
        if value is None or value <= 0:
            return
        _, hard = resource.getrlimit(kind)
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (soft, hard))

    limit(resource.RLIMIT_CPU, limits["cpu_seconds"])
    memory_mb = limits["memory_mb"]
    limit(resource.RLIMIT_AS, memory_mb << 20 if memory_mb > 0 else None)
    limit(resource.RLIMIT_FSIZE, limits["max_file_mb"] << 20)
    if os.getuid() != 0:
        limit(resource.RLIMIT_NPROC, limits["max_processes"])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Zygote:
    def __init__(self, control: socket.socket, scratch: str, own_pid_namespace: bool,
                 keep: tuple[str, ...] = ()) -> None:
        self.control = control
        self.scratch = scratch
        self.keep = set(keep)
        self.own_pid_namespace = own_pid_namespace
        self.workdir: str | None = None

    def serve(self) -> None:
        ready: protocol.Ready = {"ready": True, "pid": os.getpid(), "uid": os.getuid()}
        wire.send(self.control, ready)
        while True:
            try:
                _, fds, _, _ = socket.recv_fds(self.control, 1, 2)
                message, blobs = wire.recv(self.control)
            except (wire.ChannelClosed, ConnectionError, OSError):
                return
            op = protocol.op_of(message)
            reply: protocol.Spawned | protocol.Finished | dict[str, str]
            if op == protocol.SPAWN:
                reply = {"pid": self.spawn(cast(protocol.Spawn, message), blobs, fds)}
            elif op == protocol.FINISH:
                reply = self.finish(int(message["pid"]))
            else:
                reply = {"error": f"unknown op {op!r}"}
            for fd in fds:
                os.close(fd)
            wire.send(self.control, reply)

    def spawn(self, message: protocol.Spawn, blobs: list[wire.Blob], fds: list[int]) -> int:
        child_fd, output_fd = fds
        if self.own_pid_namespace:
            # Alone in this sandbox: a fixed path keeps tracebacks identical between runs.
            self.workdir = os.path.join(self.scratch, "submission")
            os.makedirs(self.workdir)
        else:
            self.workdir = tempfile.mkdtemp(prefix="submission-", dir=self.scratch)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return pid
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
            for (name, index) in message["files"]:
                target = os.path.join(self.workdir, os.path.basename(name))
                with open(target, "wb") as handle:
                    handle.write(blobs[index])
            os.chdir(self.workdir)
            os.environ["HOME"] = self.workdir
            _set_limits(message["limits"])
            ChildServer(socket.socket(fileno=CONTROL_FD), self.workdir,
                        first_handle=int(message["first_handle"])).serve()
        except BaseException:  # noqa: BLE001 - the child must never return into the zygote
            status = 70
        finally:
            os._exit(status)

    def finish(self, pid: int) -> protocol.Finished:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.own_pid_namespace:
            try:
                os.kill(-1, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        while True:
            try:
                reaped, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if reaped == 0:
                break
        self._wipe()
        return {
            "status": status,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        }

    def _wipe(self) -> None:
        if self.own_pid_namespace:
            for entry in os.listdir(self.scratch):
                if entry in self.keep:
                    continue
                path = os.path.join(self.scratch, entry)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
        elif self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m grader.worker")
    parser.add_argument("--uid", type=int)
    parser.add_argument("--gid", type=int)
    parser.add_argument("--preload", default="")
    parser.add_argument("--scratch", default=tempfile.gettempdir())
    parser.add_argument("--own-pid-namespace", action="store_true")
    parser.add_argument("--control-fd", type=int, default=CONTROL_FD)
    parser.add_argument("--keep", action="append", default=[],
                        help="entries of the scratch folder never wiped (bound trees)")
    args = parser.parse_args()
    _drop_privileges(args.uid, args.gid)
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
    _non_dumpable()
    if args.control_fd != CONTROL_FD:
        os.dup2(args.control_fd, CONTROL_FD)
        os.close(args.control_fd)
    control = socket.socket(fileno=CONTROL_FD)
    Zygote(control, args.scratch, args.own_pid_namespace, tuple(args.keep)).serve()


if __name__ == "__main__":
    main()
