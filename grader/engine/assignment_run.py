"""One assignment of one student, run in the child its student shares (``host.SharedChild``).

``AssignmentRun`` loads the assignment's files into the shared child, enforces the per-call
and per-assignment wall time, restarts a child that crashed (a few times), stops calling a
function that ran out of time, serves the child's callbacks, and turns what comes back into
plain values, ``proxy.RemoteObject`` handles, or ``proxy.RemoteException`` subclasses.
Nothing the student wrote is ever executed or unpickled here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from ..config import Limits
from ..errors import ProtocolError, SandboxUnavailable, SubmissionTimeout, WorkerDiedError
from ..worker import protocol, wire
from .budget import ReplyBudget, ReplyTooLarge
from .host import ChildHandle, ExitInfo, SharedChild
from .load_entries import clean_entries
from .proxy import RemoteObject, remote_exception

# A child that crashed is restarted for the next test (a bad input costs one test, not all);
# after a third timeout the remaining tests fail at once instead of waiting out the clock.
# A function that ran out of time is not called again in the same assignment: an infinite
# loop costs its call timeout once, not once per test.
MAX_RESTARTS = 3
MAX_TIMEOUTS = 3
_STATE_TYPES = (bool, int, float, str)


@dataclass
class LoadReport:
    """What the child said about loading the student's files."""

    files: list[protocol.FileReport] = field(default_factory=list)
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
                assert err is not None
                lines.append(f"{entry['file']} failed to load:\n{err.get('traceback') or err}")
            for cell in entry.get("cell_errors", []):
                lines.append(
                    f"{entry['file']}, cell {cell['cell']}: {cell['ename']}: {cell['evalue']}"
                )
        return lines


class AssignmentRun:
    """One (student, assignment): its files, its clock, and the child it shares."""

    def __init__(
        self,
        shared: SharedChild,
        assignment: str,
        files: dict[str, bytes],
        names: list[str],
        limits: Limits,
        forbidden: tuple[str, ...] = (),
        graded_names: list[str] | None = None,
    ) -> None:
        self.shared = shared
        self.graded_names = graded_names or names
        """Every name graded from the student's files (a notebook keeps their cells first)."""
        self.assignment = assignment
        self.files = files
        self.names = names
        self.limits = limits
        self.forbidden = forbidden
        """The assignment's ``[rules] forbidden`` names (``grader.forbidden``)."""
        self.observed: protocol.Observed | None = None
        """What the last observed call did (``protocol.Observed``)."""
        self.call_timeout = float(limits.call_timeout)
        self.total_timeout = float(limits.total_timeout)
        self.max_output = int(limits.max_output_kb) * 1024
        self.deadline: float | None = None
        self.child: ChildHandle | None = None
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
        self.notes: dict[str, None] = {}
        """Notes for the page, in order, each once (a tensor graded as its numpy value)."""

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
        # Loading runs the student's files (a notebook's every cell): it may take the
        # assignment's whole wall time, not just one call's.
        report = self.request(
            protocol.load(self.assignment, list(self.files), self.names,
                          self.limits.cell_timeout, self.max_output,
                          max_notebook_bytes=int(self.limits.max_notebook_kb) * 1024,
                          max_notebook_cells=int(self.limits.max_notebook_cells),
                          graded_names=list(self.graded_names),
                          forbidden=list(self.forbidden)),
            timeout=self.total_timeout,
        )
        if not isinstance(report, dict):
            raise ProtocolError("the worker answered the load with something that is no report")
        notebooks = report.get("notebooks", {})
        if isinstance(notebooks, dict):
            self.shared.notebooks.update({str(k): str(v) for k, v in notebooks.items()})
        self.load = LoadReport(
            # One shape whatever the worker sent (load_entries), read as the protocol's.
            files=cast(list[protocol.FileReport], clean_entries(report.get("files"))),
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
    def request(self, message: protocol.Request, blobs: list[wire.Blob] | None = None,
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
                received, reply_blobs = wire.recv(
                    self.child.sock, deadline, max_bytes=self.budget.frame_limit(sum(sizes)),
                    max_json=self.budget.json_bytes, sizes=sizes)
                if protocol.is_callback(received):
                    # The grader's own callable does not run on the student's clock.
                    deadline += self._serve_callback(received, reply_blobs)
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
        reply: dict[str, Any] = received
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
            self._note_converted(message, reply.get("converted"))
            if "observed" in reply:
                self.observed = _observed(reply["observed"])
            return value
        error = reply.get("error")
        raise remote_exception(error if isinstance(error, dict) else {"message": str(error)})

    def _serve_callback(self, message: protocol.Message, blobs: list[wire.Blob]) -> float:
        """Answer one callback; the seconds the grader's own callable ran."""
        assert self.child is not None
        function = self.callbacks.get(message.get("callback"))  # type: ignore[arg-type]
        out: list[wire.Blob] = []
        answer: protocol.Reply
        ran = 0.0
        try:
            if function is None:
                raise ProtocolError("unknown callback (a callable is only valid during the "
                                    "test that passed it)")
            args = self.decode(message.get("args"), blobs)
            kwargs = self.decode(message.get("kwargs"), blobs)
            started = time.monotonic()
            try:
                result = function(*args, **kwargs)
            finally:
                ran = time.monotonic() - started
            answer = protocol.ok(self.encode(result, out))
        except Exception as exc:  # noqa: BLE001 - the grader's callable refused these arguments
            # Only the message travels: the child raises its own CallbackError with it.
            answer, out = protocol.failed({"message": f"{type(exc).__name__}: {exc}"}), []
        del blobs[:]  # the arguments' buffers are not kept while the call goes on
        wire.send(self.child.sock, answer, out)
        return ran

    def _note_converted(self, message: protocol.Request, converted: Any) -> None:
        """"softmax returned a tensorflow EagerTensor; graded as its numpy value"."""
        if not isinstance(converted, list) or len(self.notes) >= 20:
            return
        for pair in converted[:8]:
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                kind, how = (p[:80] for p in pair)
                self.notes.setdefault(
                    f"{_subject(message)} returned a {kind}; graded as its {how}", None)

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
                                    protocol.handle_is_callable(tagged),
                                    methods=frozenset(m for m in methods if isinstance(m, str))
                                    if isinstance(methods, list) else frozenset())
            raise wire.WireError("the worker may not send callbacks")

        self.budget.check_value(node)
        try:
            return wire.decode(node, blobs, fallback)
        except wire.WireError as exc:
            raise ProtocolError(f"the worker sent a malformed value: {exc}") from None

    def call(self, ref: protocol.Ref, attr: str | None, args: tuple[Any, ...],
             kwargs: dict[str, Any], what: str = "", key: str = "") -> Any:
        """Call the student's function (``key`` names it for the timeout rule)."""
        blobs: list[wire.Blob] = []
        message = protocol.call(ref, attr, what, self.encode(list(args), blobs),
                                self.encode(kwargs, blobs))
        result = self.request(message, blobs, key=key or what)
        if isinstance(result, RemoteObject):
            result._source = _subject(message)
        return result

    def observe(self, ref: protocol.Ref, attr: str | None, args: tuple[Any, ...],
                kwargs: dict[str, Any], what: str = "",
                key: str = "") -> tuple[Any, protocol.Observed]:
        """``call``, and what the call did in the child: its warnings, the arguments it
        changed (``worker.observe``)."""
        blobs: list[wire.Blob] = []
        message = protocol.call(ref, attr, what, self.encode(list(args), blobs),
                                self.encode(kwargs, blobs), observe=True)
        self.observed = None
        value = self.request(message, blobs, key=key or what)
        if self.observed is None:
            raise ProtocolError("the worker answered an observed call without its record")
        return value, self.observed

    def hold(self, value: Any) -> Any:
        """Hand ``value`` to the child to keep; a handle on that very object comes back."""
        self.ensure()
        blobs: list[wire.Blob] = []
        return self.request(protocol.hold(self.encode(value, blobs)), blobs)

    def call_each(self, ref: protocol.Ref, attr: str | None,
                  calls: list[tuple[tuple[Any, ...], dict[str, Any]]], until_true: bool,
                  what: str = "", key: str = "") -> list[Any]:
        """Make every call of ``calls`` in one round trip (the call timeout covers them all)."""
        blobs: list[wire.Blob] = []
        encoded = self.encode([[list(args), dict(kwargs)] for args, kwargs in calls], blobs)
        message = protocol.each(ref, attr, what, encoded, until_true)
        results = self.request(message, blobs, key=key or what)
        if not isinstance(results, list) or len(results) > len(calls):
            raise ProtocolError("the worker answered a batch of calls with something else")
        return results

    def builtin(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Run one of the worker's own operations (``grader.worker.builtins``)."""
        self.ensure()
        blobs: list[wire.Blob] = []
        message = protocol.builtin(name, self.encode(list(args), blobs),
                                   self.encode(kwargs, blobs))
        return self.request(message, blobs)

    def output(self) -> str:
        return "\n".join(o for o in self.outputs if o)


def _observed(node: Any) -> protocol.Observed:
    """The child's ``Observed`` record, kept to its declared shape."""
    if not isinstance(node, dict):
        raise ProtocolError("the worker sent a malformed record of an observed call")
    warnings = [w for w in node.get("warnings", []) if isinstance(w, dict)]
    return protocol.observed(
        [{"category": str(w.get("category", ""))[:100], "message": str(w.get("message", ""))[:500],
          "file": str(w.get("file", ""))[:200],
          "line": int(w["line"]) if isinstance(w.get("line"), int) else 0} for w in warnings],
        [str(m)[:100] for m in node.get("modified", []) if isinstance(m, str)][:64])


def _fresh(failure: BaseException) -> BaseException:
    try:
        return type(failure)(*failure.args)
    except TypeError:
        return failure.with_traceback(None)


def _subject(message: protocol.Request) -> str:
    """What a request is about, in the student's names: ``softmax``, ``es.step``."""
    fields: dict[str, Any] = dict(message)
    ref = fields.get("ref", {})
    name = str(fields.get("what") or ref.get("name") or "an object you returned")
    if fields.get("attr") and not name.endswith(f".{fields['attr']}"):
        name = f"{name}.{fields['attr']}"
    return name


def _describe(message: protocol.Request) -> str:
    op = protocol.op_of(dict(message))
    if op == protocol.LOAD:
        return "loading your files"
    return f"calling {_subject(message)}" if op == protocol.CALL else f"using {_subject(message)}"
