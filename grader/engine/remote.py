"""The trusted side of the channel: proxies for the student's namespace and objects.

``SharedChild`` is the child that one student's assignments with equal limits share: it is
forked on first use with all of their files, and killed after the student (or at once, on a
timeout or a crash). ``AssignmentRun`` is one assignment of that student: it loads its files
into the shared child, enforces the per-call and per-assignment wall time, restarts a child
that crashed (a few times), stops calling a function that ran out of time, and turns what
comes back into plain values, ``RemoteObject`` handles, or ``RemoteException`` subclasses.
Nothing the student wrote is ever executed or unpickled here.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import (
    ProtocolError,
    SandboxUnavailable,
    StudentCodeError,
    SubmissionTimeout,
    WorkerDiedError,
)
from ..worker import wire
from .budget import ReplyBudget, ReplyTooLarge
from .host import Child, ExitInfo, WorkerHost
from .load_entries import clean_entries

# A child that crashed is restarted for the next test (a bad input costs one test, not all);
# after a third timeout the remaining tests fail at once instead of waiting out the clock.
# A function that ran out of time is not called again in the same assignment: an infinite
# loop costs its call timeout once, not once per test.
MAX_RESTARTS = 3
MAX_TIMEOUTS = 3
_STATE_TYPES = (bool, int, float, str)
HANDLES_PER_CHILD = 1 << 32


class RemoteException(Exception):
    """An exception raised by the student's code, carried back as data."""

    remote_type: str = "Exception"
    remote_traceback: str = ""


_SAFE_BASES = {
    name: cls
    for name, cls in vars(builtins).items()
    if isinstance(cls, type) and issubclass(cls, Exception) and cls is not Exception
}
_CLASS_CACHE: dict[tuple[str, tuple[str, ...]], type[RemoteException]] = {}


def remote_exception(error: dict[str, Any]) -> RemoteException:
    """Rebuild the student's exception as a RemoteException that also is every builtin it was.

    ``class ShapeError(TypeError, ValueError)`` comes back as both, so ``pytest.raises`` of
    either matches; bases come in the order of the student's MRO, each one a builtin
    exception, and one that cannot be combined with the others is left out.
    """
    type_name = str(error.get("type", "Exception"))[:80]
    bases = _safe_bases(error.get("bases", []))
    key = (type_name, bases)
    cls = _CLASS_CACHE.get(key)
    if cls is None:
        cls = _CLASS_CACHE[key] = _remote_class(
            type_name if type_name.isidentifier() else "StudentError", bases)
    exc = cls(str(error.get("message", "")))
    exc.remote_type = type_name
    exc.remote_traceback = str(error.get("traceback", ""))[:8000]
    return exc


def _safe_bases(names: Any) -> tuple[str, ...]:
    """The builtin exception bases named (in the student's MRO order), each once."""
    if not isinstance(names, list):
        return ()
    return tuple(dict.fromkeys(str(n) for n in names[:32] if str(n) in _SAFE_BASES))


def _remote_class(name: str, bases: tuple[str, ...]) -> type[RemoteException]:
    """Greedily, in order: a base already implied, or whose layout or constructor clashes
    with the others (UnicodeDecodeError wants five arguments), is left out."""
    chosen: list[type] = []
    for base in (_SAFE_BASES[b] for b in bases):
        if any(issubclass(c, base) for c in chosen):
            continue
        try:
            type(name, (RemoteException, *chosen, base), {})("probe")
        except TypeError:
            continue
        chosen.append(base)
    return type(name, (RemoteException, *chosen), {})


@dataclass
class LoadReport:
    """What the child said about loading the student's files."""

    files: list[dict[str, Any]] = field(default_factory=list)
    notebooks: dict[str, str] = field(default_factory=dict)

    def callable(self, name: str) -> bool:
        provider = self.provider(name)
        return any(entry["file"] == provider and name in entry.get("callables", [])
                   for entry in self.files)

    def provider(self, name: str) -> str | None:
        for entry in self.files:
            if name in entry.get("defines", []):
                return str(entry["file"])
        return None

    def errors(self) -> list[str]:
        lines = []
        for entry in self.files:
            if entry.get("error"):
                err = entry["error"]
                lines.append(f"{entry['file']} failed to load:\n{err.get('traceback') or err}")
            for cell in entry.get("cell_errors", []):
                lines.append(
                    f"{entry['file']}, cell {cell['cell']}: {cell['ename']}: {cell['evalue']}"
                )
        return lines


class SharedChild:
    """The child one student's assignments share while their sandbox limits are equal.

    It is forked on first use with every file of those assignments in its scratch folder;
    each assignment loads its own files into it (a file runs once per child), so a student
    costs one fork, not one per assignment. A timeout or a crash kills it (``kill``) and the
    next test forks a fresh one; ``close`` ends it after the student.
    """

    def __init__(self, host: WorkerHost, files: dict[str, bytes], limits: dict[str, Any]):
        self.host = host
        self.files = files
        self.limits = limits
        self.child: Child | None = None
        self.notebooks: dict[str, str] = {}
        self.spawned = 0

    def acquire(self) -> tuple[Child, int]:
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


class AssignmentRun:
    """One (student, assignment): its files, its clock, and the child it shares."""

    def __init__(
        self,
        shared: SharedChild,
        assignment: str,
        files: dict[str, bytes],
        names: list[str],
        limits: dict[str, Any],
    ) -> None:
        self.shared = shared
        self.assignment = assignment
        self.files = files
        self.names = names
        self.limits = limits
        self.call_timeout = float(limits.get("call_timeout", 10.0))
        self.total_timeout = float(limits.get("total_timeout", 120.0))
        self.max_output = int(limits.get("max_output_kb", 64)) * 1024
        self.deadline: float | None = None
        self.child: Child | None = None
        self.mark = 0
        self.load: LoadReport | None = None
        self.failure: BaseException | None = None
        self.restarts = 0
        self.timeouts = 0
        self.outputs: list[str] = []
        self.grader_failure = ""
        """Why a failure of ours (not of the student's code) cost a test, if one did."""
        self.timed_out = False
        self._test = ""
        self.stopped: dict[str, str] = {}
        self.budget = ReplyBudget.from_limits(limits)
        self.callbacks: dict[int, Callable[..., Any]] = {}
        self.last_callback = 0
        # Plain attributes of the student's objects as of the last reply (see child.plain_state);
        # any request may run student code, so each one makes every snapshot stale.
        self.epoch = 0
        self.states: dict[int, tuple[int, dict[str, Any]]] = {}

    @property
    def test(self) -> str:
        """The test now running; setting the next one releases the last one's callables."""
        return self._test

    @test.setter
    def test(self, name: str) -> None:
        self._test = name
        self.callbacks.clear()

    # -- lifetime --------------------------------------------------------------------------
    def ensure(self) -> LoadReport:
        """A live child with the student's files loaded; raises if we gave up on them."""
        if self.child is not None and self.load is not None:
            return self.load
        if self.failure is not None and self.restarts >= MAX_RESTARTS:
            if self.timeouts >= MAX_TIMEOUTS:
                raise SubmissionTimeout(
                    f"not run: {self.timeouts} earlier calls of this assignment ran out of time, "
                    "so its remaining tests were stopped"
                )
            # A fresh exception each time: re-raising one object grows its traceback.
            raise _fresh(self.failure)
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.timed_out = True
            raise SubmissionTimeout(
                f"the assignment used up its {self.total_timeout:g} s of wall time"
            )
        try:
            self.child, self.mark = self.shared.acquire()
        except SandboxUnavailable as exc:
            self.grader_failure = str(exc)
            raise
        if self.deadline is None:  # starting the sandbox is the grader's time, not the student's
            self.deadline = time.monotonic() + self.total_timeout
        load_timeout = float(self.limits.get("load_timeout", self.total_timeout))
        report = self.request(
            {
                "op": "load",
                "ns": self.assignment,
                "files": list(self.files),
                "names": self.names,
                "cell_timeout": self.limits.get("cell_timeout"),
                "max_output_bytes": self.max_output,
                "max_notebook_bytes": int(self.limits.get("max_notebook_kb", 4096)) * 1024,
                "max_notebook_cells": int(self.limits.get("max_notebook_cells", 400)),
            },
            timeout=load_timeout,
        )
        if not isinstance(report, dict):
            raise ProtocolError("the worker answered the load with something that is no report")
        notebooks = report.get("notebooks", {})
        if isinstance(notebooks, dict):
            self.shared.notebooks.update({str(k): str(v) for k, v in notebooks.items()})
        self.load = LoadReport(
            files=clean_entries(report.get("files")),
            notebooks={f: self.shared.notebooks[f] for f in self.files
                       if f in self.shared.notebooks},
        )
        return self.load

    def close(self) -> None:
        """The assignment is done: keep what it printed; the child lives on for the next."""
        self.callbacks.clear()
        if self.child is not None:
            self.outputs.append(self.shared.output(self.mark, self.max_output))
            self.child = None

    def _drop_child(self) -> ExitInfo | None:
        if self.child is None:
            return None
        info, text = self.shared.kill(self.mark, self.max_output)
        self.outputs.append(text)
        self.child = None
        return info

    def _abort(self, failure: BaseException) -> BaseException:
        self._drop_child()
        self.failure = failure
        self.restarts += 1
        return failure

    # -- calls -----------------------------------------------------------------------------
    def request(self, message: dict[str, Any], blobs: list[wire.Blob] | None = None,
                timeout: float | None = None, key: str = "") -> Any:
        if key in self.stopped:
            self.timed_out = True
            raise SubmissionTimeout(
                f"not run: {key} ran past the {self.call_timeout:g} s allowed for one call in "
                f"{self.stopped[key]}, so it is not called again in this assignment"
            )
        if self.child is None:
            self.ensure()
        assert self.child is not None and self.deadline is not None
        started = time.monotonic()
        limit = min(timeout or self.call_timeout, self.deadline - started)
        deadline = started + max(limit, 0.0)
        self.epoch += 1
        sizes: list[int] = []
        try:
            wire.send(self.child.sock, message, blobs or [])
            while True:
                reply, reply_blobs = wire.recv(
                    self.child.sock, deadline, max_bytes=self.budget.frame_limit(sum(sizes)),
                    max_json=self.budget.json_bytes, sizes=sizes)
                if "callback" in reply:
                    # The grader's own callable does not run on the student's clock.
                    deadline += self._serve_callback(reply, reply_blobs)
                    continue
                break
        except (wire.FrameTooLarge, ReplyTooLarge) as exc:
            raise self._abort(ReplyTooLarge(
                f"{_describe(message)}: the reply was refused, {exc} (the limits are "
                "max_reply_mb, max_reply_json_kb and max_call_mb in assignment.toml)"
            )) from None
        except wire.ChannelTimeout:
            self.timed_out = True
            self.timeouts += 1
            if key:
                self.stopped[key] = self.test or "an earlier test"
            if self.timeouts >= MAX_TIMEOUTS:
                self.restarts = MAX_RESTARTS - 1
            what = "the whole assignment" if limit < (timeout or self.call_timeout) else "one call"
            allowed = limit if what == "one call" else self.total_timeout
            raise self._abort(SubmissionTimeout(
                f"{_describe(message)} ran past the {allowed:g} s allowed for {what}: "
                "an infinite loop, or far too slow"
            )) from None
        except (wire.ChannelClosed, BrokenPipeError, ConnectionError) as exc:
            info = self._drop_child()
            if info is not None and info.zygote_lost:
                self.grader_failure = info.describe()
            raise self._abort(WorkerDiedError(
                f"{_describe(message)} crashed: {info.describe() if info else exc}"
            )) from None
        except wire.WireError as exc:
            raise self._abort(ProtocolError(f"the worker broke the protocol: {exc}")) from None
        if reply.get("ok"):
            value = self.decode(reply.get("value"), reply_blobs)
            if time.monotonic() > deadline:  # reading the reply is part of the call
                self.timed_out = True
                raise SubmissionTimeout(
                    f"{_describe(message)} ran past the {limit:g} s allowed for one call "
                    "(its reply took that long to read)")
            state = reply.get("state")
            if isinstance(state, list) and len(state) == 2 and isinstance(state[0], int):
                self._remember(state[0], state[1])
            return value
        error = reply.get("error")
        raise remote_exception(error if isinstance(error, dict) else {"message": str(error)})

    def _serve_callback(self, reply: dict[str, Any], blobs: list[wire.Blob]) -> float:
        """Answer one callback; the seconds the grader's own callable ran."""
        assert self.child is not None
        function = self.callbacks.get(reply.get("callback"))  # type: ignore[arg-type]
        out: list[wire.Blob] = []
        ran = 0.0
        try:
            if function is None:
                raise ProtocolError("unknown callback (a callable is only valid during the "
                                    "test that passed it)")
            args = self.decode(reply.get("args"), blobs)
            kwargs = self.decode(reply.get("kwargs"), blobs)
            started = time.monotonic()
            try:
                result = function(*args, **kwargs)
            finally:
                ran = time.monotonic() - started
            answer = {"ok": True, "value": self.encode(result, out)}
        except Exception as exc:  # noqa: BLE001 - the grader's callable refused these arguments
            answer, out = {"ok": False, "error": {"message": f"{type(exc).__name__}: {exc}"}}, []
        del blobs[:]  # the arguments' buffers are not kept while the call goes on
        wire.send(self.child.sock, answer, out)
        return ran

    def _remember(self, handle: int, state: Any) -> None:
        if isinstance(state, dict) and all(
            isinstance(k, str) and (v is None or type(v) in _STATE_TYPES)
            for k, v in state.items()
        ):
            self.states[handle] = (self.epoch, state)

    def snapshot(self, handle: int, attr: str) -> tuple[bool, Any]:
        """(True, value) when ``attr`` of the object is known and nothing ran since."""
        epoch, state = self.states.get(handle, (-1, {}))
        if epoch == self.epoch and attr in state:
            return True, state[attr]
        return False, None

    # -- values ----------------------------------------------------------------------------
    def encode(self, value: Any, blobs: list[wire.Blob]) -> dict[str, Any]:
        def fallback(obj: Any) -> dict[str, Any]:
            if isinstance(obj, RemoteObject):
                return {"h": obj._handle}
            if callable(obj):
                # Numbers are never reused: a stub kept from an earlier test names nothing.
                self.last_callback += 1
                self.callbacks[self.last_callback] = obj
                return {"c": self.last_callback}
            raise TypeError(f"a {type(obj).__name__} cannot be sent to the student's code")

        return wire.encode(value, fallback, blobs)

    def decode(self, node: Any, blobs: list[wire.Blob]) -> Any:
        def fallback(tagged: dict[str, Any]) -> Any:
            if "h" in tagged and isinstance(tagged["h"], int):
                if "state" in tagged:
                    self._remember(tagged["h"], tagged["state"])
                methods = tagged.get("methods")
                return RemoteObject(self, tagged["h"], str(tagged.get("type", "object")),
                                    bool(tagged.get("call")),
                                    methods=frozenset(m for m in methods if isinstance(m, str))
                                    if isinstance(methods, list) else frozenset())
            raise wire.WireError("the worker may not send callbacks")

        self.budget.check_value(node)
        try:
            return wire.decode(node, blobs, fallback)
        except wire.WireError as exc:
            raise ProtocolError(f"the worker sent a malformed value: {exc}") from None

    def call(self, ref: dict[str, Any], attr: str | None, args: tuple[Any, ...],
             kwargs: dict[str, Any], what: str = "", key: str = "") -> Any:
        """Call the student's function (``key`` names it for the timeout rule)."""
        blobs: list[wire.Blob] = []
        message = {"op": "call", "ref": ref, "attr": attr, "what": what,
                   "args": self.encode(list(args), blobs), "kwargs": self.encode(kwargs, blobs)}
        return self.request(message, blobs, key=key or what)

    def call_each(self, ref: dict[str, Any], attr: str | None,
                  calls: list[tuple[tuple[Any, ...], dict[str, Any]]], until_true: bool,
                  what: str = "", key: str = "") -> list[Any]:
        """Make every call of ``calls`` in one round trip (the call timeout covers them all)."""
        blobs: list[wire.Blob] = []
        encoded = self.encode([[list(args), dict(kwargs)] for args, kwargs in calls], blobs)
        message = {"op": "each", "ref": ref, "attr": attr, "what": what, "calls": encoded,
                   "until_true": until_true}
        results = self.request(message, blobs, key=key or what)
        if not isinstance(results, list) or len(results) > len(calls):
            raise ProtocolError("the worker answered a batch of calls with something else")
        return results

    def output(self) -> str:
        return "\n".join(o for o in self.outputs if o)


def _fresh(failure: BaseException) -> BaseException:
    try:
        return type(failure)(*failure.args)
    except TypeError:
        return failure.with_traceback(None)


def _describe(message: dict[str, Any]) -> str:
    op = message.get("op")
    if op == "load":
        return "loading your files"
    ref = message.get("ref", {})
    name = ref.get("name") or message.get("what") or "an object you returned"
    if message.get("attr"):
        name = f"{name}.{message['attr']}"
    return f"calling {name}" if op == "call" else f"using {name}"


class RemoteObject:
    """An object that stayed in the worker; attributes and calls go through the channel."""

    __slots__ = ("_call", "_handle", "_label", "_methods", "_run", "_type")

    def __init__(self, run: AssignmentRun, handle: int, type_name: str, is_callable: bool,
                 label: str = "", methods: frozenset[str] = frozenset()):
        self._run = run
        self._handle = handle
        self._type = type_name
        self._call = is_callable
        self._label = label
        self._methods = methods

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        known, value = self._run.snapshot(self._handle, attr)
        if known:
            return value
        if attr in self._methods:
            return RemoteCall(self._run, {"handle": self._handle}, attr,
                              f"{self._label or 'your object'}.{attr}",
                              key=f"{self._type.rsplit('.', 1)[-1]}.{attr}")
        value = self._run.request({"op": "get", "ref": {"handle": self._handle}, "attr": attr,
                                   "what": f"{self._label or 'your object'}.{attr}"})
        if isinstance(value, RemoteObject) and not value._label:
            value._label = f"{self._label or 'your object'}.{attr}"
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._run.call({"handle": self._handle}, None, args, kwargs, what=self._label,
                              key=self._label or self._type)

    def _grader_call_each(self, calls: list[tuple[tuple[Any, ...], dict[str, Any]]],
                          until_true: bool = False) -> list[Any]:
        return self._run.call_each({"handle": self._handle}, None, calls, until_true,
                                   what=self._label, key=self._label or self._type)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._run.request({"op": "iter", "ref": {"handle": self._handle}})
        return RemoteIterator(iterator) if isinstance(iterator, RemoteObject) else iter(iterator)

    def __len__(self) -> int:
        size = self._run.request({"op": "len", "ref": {"handle": self._handle}})
        if not isinstance(size, int):
            raise TypeError("len() of the student's object is not an int")
        return size

    def __repr__(self) -> str:
        return f"<student object of type {self._type}>"


class RemoteCall:
    """A function or method of the student's, called in one round trip (no fetch first)."""

    __slots__ = ("_attr", "_key", "_label", "_ref", "_run")

    def __init__(self, run: AssignmentRun, ref: dict[str, Any], attr: str | None, label: str,
                 key: str = ""):
        self._run = run
        self._ref = ref
        self._attr = attr
        self._label = label
        self._key = key or label

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._run.call(self._ref, self._attr, args, kwargs, what=self._label,
                              key=self._key)

    def _grader_call_each(self, calls: list[tuple[tuple[Any, ...], dict[str, Any]]],
                          until_true: bool = False) -> list[Any]:
        """``grader.testing.call_each`` on this function: all calls in one round trip."""
        return self._run.call_each(self._ref, self._attr, calls, until_true,
                                   what=self._label, key=self._key)

    def __repr__(self) -> str:
        return f"<student function {self._label}>"


class RemoteIterator:
    """Iterates an iterator that lives in the worker, one ``next`` per item."""

    def __init__(self, remote: RemoteObject) -> None:
        self.remote = remote

    def __iter__(self) -> RemoteIterator:
        return self

    def __next__(self) -> Any:
        try:
            return self.remote._run.request({"op": "next", "ref": {"handle": self.remote._handle}})
        except StopIteration:
            raise StopIteration from None


class SubmissionProxy:
    """The ``submission`` fixture: the student's namespace for one assignment."""

    def __init__(self, run: AssignmentRun) -> None:
        object.__setattr__(self, "_run", run)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        run: AssignmentRun = self._run
        load = run.ensure()
        if name not in run.names or load.provider(name) is None:
            raise StudentCodeError(_missing_message(name, run, load))
        if load.callable(name):
            return RemoteCall(run, {"name": name, "ns": run.assignment}, None, name)
        value = run.request({"op": "get", "ref": {"name": name, "ns": run.assignment}})
        if isinstance(value, RemoteObject):
            value._label = name
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the submission proxy is read-only")

    def __contains__(self, name: str) -> bool:
        load = self._run.ensure()
        return load.provider(name) is not None

    def grader_builtin(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run one of the worker's own operations (``grader.worker.builtins``)."""
        run: AssignmentRun = self._run
        run.ensure()
        blobs: list[wire.Blob] = []
        message = {"op": "builtin", "name": name, "args": run.encode(list(args), blobs),
                   "kwargs": run.encode(kwargs, blobs)}
        return run.request(message, blobs)

    @property
    def files(self) -> list[str]:
        return list(self._run.files)


def _missing_message(name: str, run: AssignmentRun, load: LoadReport) -> str:
    errors = load.errors()
    if errors:
        return f"{name} is not available because your code did not load:\n" + "\n".join(errors)
    files = ", ".join(run.files) or "no file"
    return f"{name} is not defined in {files}: define it with exactly this name"
