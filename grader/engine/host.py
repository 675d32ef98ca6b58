"""The trusted side's handle on one sandboxed zygote and the children it forks.

The zygote starts once per pool process (``WorkerHost.start``): the sandbox, the interpreter
and the heavy imports are paid once. Each student (each group of their assignments with equal
limits, see ``SharedChild``) gets a fresh child forked from it, with its own scratch folder,
limits, output file and socket (``ChildHandle``); ``finish`` kills the child's whole process
group (and, inside the sandbox, every process of the child's uid) and has the zygote wipe
what the child left. When the zygote reports that something survived the wipe, or when it
stops answering, the sandbox is taken down: the next spawn starts a fresh one, so nothing of
one student ever reaches the next.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import IO, Any, cast

from ..config import Limits
from ..errors import SandboxUnavailable
from ..worker import protocol, wire
from .memory import Group, MemoryBudget, choose_budget, host_pid
from .sandbox import DEFAULT_SCRATCH_MB, Sandbox, worker_command

DEFAULT_PRELOAD = ("numpy", "scipy.special", "scipy.stats", "sklearn.model_selection",
                   "sklearn.metrics", "IPython", "matplotlib.pyplot", "nbformat")
START_TIMEOUT = 120.0
CONTROL_TIMEOUT = 30.0
HANDLES_PER_CHILD = 1 << 32


@dataclass
class ChildHandle:
    """One forked child: the trusted end of its socket and the file holding its output.

    Its other end is a ``worker.child.ChildServer``.
    """

    pid: int
    sock: socket.socket
    output: IO[bytes]
    memory: Group | None = None

    def output_size(self) -> int:
        self.output.flush()
        return os.fstat(self.output.fileno()).st_size

    def read_output(self, limit: int, start: int = 0) -> str:
        """What the child printed from byte ``start`` on, at most ``limit`` bytes of it."""
        size = self.output_size() - start
        self.output.seek(start)
        text = self.output.read(limit).decode("utf-8", errors="replace")
        if size > limit:
            text += f"\n... [{size - limit} more bytes of output not kept]"
        return text


@dataclass
class ExitInfo:
    signal: int | None
    code: int | None
    memory_mb: int | None = None
    """Set when the child was stopped for going past its memory budget of that many MiB."""
    zygote_lost: bool = False
    """The zygote (not the child) was gone or stopped answering: a failure of ours."""

    def describe(self) -> str:
        if self.memory_mb is not None:
            return (f"the worker used more than the {self.memory_mb} MiB of memory this "
                    "assignment allows and was stopped: use smaller arrays or batches")
        if self.zygote_lost:
            return "the grader's sandbox stopped answering (a failure of the grader, not yours)"
        if self.signal is not None:
            import signal as signals  # noqa: PLC0415

            try:
                name = signals.Signals(self.signal).name
            except ValueError:
                name = ""
            meaning = {
                "SIGSEGV": "a segmentation fault",
                "SIGKILL": "killed (out of memory, or a limit was hit)",
                "SIGXCPU": "the CPU-time limit",
                "SIGABRT": "an abort",
                "SIGBUS": "a bus error",
            }.get(name, name or f"signal {self.signal}")
            return f"the worker process was ended by {name or self.signal} ({meaning})"
        return f"the worker process exited with code {self.code} (os._exit or sys.exit?)"


class WorkerHost:
    """A zygote in its sandbox. Not thread-safe: one grading engine uses it at a time."""

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        slot: int = 0,
        preload: tuple[str, ...] = DEFAULT_PRELOAD,
        scratch_mb: int = DEFAULT_SCRATCH_MB,
    ) -> None:
        self.sandbox = sandbox
        self.slot = slot
        self.preload = preload
        self.scratch_mb = scratch_mb
        self.restarts = 0
        """Sandboxes taken down because a wipe left something or the zygote failed."""
        self.left: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.info: dict[str, Any] = {}
        self.memory: MemoryBudget = choose_budget()
        self.restart_after = False
        """The sandbox goes down after this child (the zygote could not leave its group)."""

    # -- lifetime --------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        argv = worker_command("--control-fd", str(theirs.fileno()),
                              "--preload", ",".join(self.preload),
                              *self.sandbox.worker_args(self.slot))
        command, env = self.sandbox.wrap(argv, self.slot, scratch_mb=self.scratch_mb)
        if env:
            os.makedirs(env["HOME"], exist_ok=True)
        self.process = subprocess.Popen(
            command,
            pass_fds=(theirs.fileno(),),
            env=env or None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        theirs.close()
        self.control = ours
        try:
            self.info, _ = wire.recv(ours, time.monotonic() + START_TIMEOUT)
        except wire.WireError as exc:
            detail = self._stderr()
            self.close()
            raise SandboxUnavailable(
                f"the {self.sandbox.name} worker did not start: {exc}. {detail}".strip()
            ) from exc

    def _stderr(self) -> str:
        if self.process is None or self.process.stderr is None or self.process.poll() is None:
            return ""
        return self.process.stderr.read(2000).decode(errors="replace").strip()

    def close(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, 9)
                except ProcessLookupError:
                    pass
            self.process.wait()
            if self.process.stderr is not None:
                self.process.stderr.close()
            self.process = None

    def __enter__(self) -> WorkerHost:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- children --------------------------------------------------------------------------
    def spawn(self, files: dict[str, bytes], limits: Limits,
              first_handle: int = 1) -> ChildHandle:
        """Fork a fresh child holding ``files`` in its scratch folder, under ``limits``."""
        if not self.alive():
            self.close()
            self.start()
        assert self.control is not None
        limit_mb = int(limits.memory_mb or 0)
        group = self._prepare(limit_mb)
        ours, theirs = socket.socketpair()
        output = tempfile.TemporaryFile()
        blobs: list[wire.Blob] = list(files.values())
        message = protocol.spawn(list(files), child_limits(limits), first_handle)
        fds = [theirs.fileno(), output.fileno()]
        home = self.memory.home() if group is not None else None
        if group is not None and group.entry is not None and home is not None:
            fds += [group.entry, home]
        try:
            socket.send_fds(self.control, [protocol.SPAWN_BYTE], fds)
            wire.send(self.control, message, blobs)
            reply, _ = wire.recv(self.control, time.monotonic() + CONTROL_TIMEOUT)
        except (OSError, wire.WireError) as exc:
            ours.close()
            output.close()
            if group is not None:
                self.memory.release(group)
            self.close()
            raise SandboxUnavailable(f"the worker's zygote stopped answering: {exc}") from exc
        finally:
            theirs.close()
        child = ChildHandle(pid=int(reply["pid"]), sock=ours, output=output)
        child.memory = self._budget(child.pid, limit_mb, group, cast(protocol.Spawned, reply))
        return child

    def _prepare(self, limit_mb: int) -> Group | None:
        try:
            return self.memory.prepare(limit_mb)
        except OSError:
            return None  # no group to fork into: the child is moved into one (_budget)

    def _budget(self, pid: int, limit_mb: int, group: Group | None,
                reply: protocol.Spawned) -> Group | None:
        """Put the new child under its memory budget before any student code runs in it.

        The zygote forked it into ``group`` when the reply says so (``protocol.Spawned``);
        otherwise it is moved there, or watched.
        """
        assert self.process is not None
        if not reply.get("returned", True):
            self.restart_after = True  # the zygote is stuck in the child's group
        try:
            real = host_pid(self.process.pid, pid)
        except ProcessLookupError:
            if group is not None and reply.get("grouped"):
                return group  # it died at once, in its group; finish() reports how
            if group is not None:
                self.memory.release(group)
            return None  # it died at once; finish() reports how
        try:
            if group is not None:
                return (self.memory.adopt(group, real) if reply.get("grouped")
                        else self.memory.enter(group, real))
            return self.memory.attach(real, limit_mb)
        except OSError:
            if group is not None:
                self.memory.release(group)
            return MemoryBudget().attach(real, limit_mb)  # the cgroup refused: watch instead

    def finish(self, child: ChildHandle) -> ExitInfo:
        """Kill what is left of ``child`` and report how it ended."""
        child.sock.close()
        info = ExitInfo(signal=None, code=None)
        if self.alive() and self.control is not None:
            try:
                socket.send_fds(self.control, [protocol.FINISH_BYTE], [])
                wire.send(self.control, protocol.finish(child.pid))
                reply, _ = wire.recv(self.control, time.monotonic() + CONTROL_TIMEOUT)
                info = ExitInfo(signal=reply.get("signal"), code=reply.get("code"))
            except (OSError, wire.WireError):
                self.restart()
                info = ExitInfo(signal=None, code=None, zygote_lost=True)
                reply = {"clean": True}
            if self.restart_after:
                self.restart()
            elif not reply.get("clean", False):
                # Something of this child survived the wipe: the next student gets a new sandbox.
                self.left = [str(item) for item in reply.get("left", [])][:20]
                self.restart()
        else:
            # The zygote itself is gone: take the sandbox down with it.
            self.restart()
            info.zygote_lost = True
        if child.memory is not None and self.memory.release(child.memory):
            # The student's memory, not a failure of ours, even if the sandbox went with it.
            info.memory_mb = child.memory.limit_mb
            info.zygote_lost = False
        return info

    def restart(self) -> None:
        """Take the sandbox down now; the next spawn starts a fresh one."""
        self.restarts += 1
        self.restart_after = False
        self.close()

def child_limits(limits: Limits) -> protocol.ChildLimits:
    """The part of ``limits`` the zygote sets as resource limits of a fresh child."""
    return {"cpu_seconds": limits.cpu_seconds, "memory_mb": limits.memory_mb,
            "address_space_mb": limits.address_space_mb,
            "max_file_mb": limits.max_file_mb, "max_processes": limits.max_processes}


class SharedChild:
    """The child one student's assignments share while their sandbox limits are equal.

    It is forked on first use with every file of those assignments in its scratch folder;
    each assignment loads its own files into it (a file runs once per child), so a student
    costs one fork, not one per assignment. A timeout or a crash kills it (``kill``) and the
    next test forks a fresh one; ``close`` ends it after the student.
    """

    def __init__(self, host: WorkerHost, files: dict[str, bytes], limits: Limits):
        self.host = host
        self.files = files
        self.limits = limits
        self.child: ChildHandle | None = None
        self.notebooks: dict[str, str] = {}
        self.spawned = 0

    def acquire(self) -> tuple[ChildHandle, int]:
        """The live child (forked if there is none) and where its output stands now."""
        if self.child is None:
            # Each child numbers its handles in a range of its own (see worker.child).
            first = self.spawned * HANDLES_PER_CHILD + 1
            self.child = self.host.spawn(self.files, self.limits, first_handle=first)
            self.spawned += 1
        return self.child, self.child.output_size()

    def output(self, mark: int, limit: int) -> str:
        return self.child.read_output(limit, mark) if self.child is not None else ""

    def kill(self, mark: int, limit: int) -> tuple[ExitInfo | None, str]:
        """End the child; how it ended and what it printed from ``mark`` on."""
        if self.child is None:
            return None, ""
        info = self.host.finish(self.child)
        text = self.child.read_output(limit, mark)
        self.child.output.close()
        self.child = None
        return info, text

    def close(self) -> None:
        self.kill(0, 0)
