"""The forked child: loads one student's files, then answers calls.

One child serves the assignments of one student that share the same limits, one after the
other: each ``load`` names its assignment (``ns``), which gets a namespace of its own, and a
file is executed once per child however many assignments it serves (a notebook that holds
every part runs once, not once per part).

The requests it serves and the replies it sends are declared in ``protocol``: each request
is answered by an ok reply (the value) or an error reply (the exception, as data). While a
call runs, the student's code may call back a trusted callable: the child sends a callback
and serves any request that arrives until the callback's own answer comes. Objects that are
not plain data stay here in ``objects`` and travel as handles.
"""

from __future__ import annotations

import builtins
import importlib.util
import os
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, cast

from . import disguise, notebook_caps, protocol, wire
from .builtins import BUILTINS
from .observe import observed_call
from .seeding import seed_generators
from .trap import TRAP

WORKER_DIR = str(Path(__file__).resolve().parent)
MAX_MESSAGE = 4000
MAX_TRACEBACK_FRAMES = 12
MAX_STATE = 32
_PLAIN = (type(None), bool, int, float, str)


class CallbackError(RuntimeError):
    """The grader's callable, called by the student's code, raised or refused the call."""


class _Seen(NamedTuple):
    """An observed call's result and what it did (sent as the reply's ``observed``)."""

    value: Any
    observed: protocol.Observed


class _Kept(NamedTuple):
    """A value to keep here and answer with a handle (``protocol.HOLD``)."""

    value: Any


def describe_exception(
    exc: BaseException, format_traceback: Callable[[BaseException], str] | None = None
) -> protocol.ErrorInfo:
    """Type, builtin bases, message and a traceback trimmed to the student's frames.

    ``format_traceback`` is the notebook runner's, once a notebook ran in this child: a
    function a cell defined then fails as "Cell 4, line 2", as its cell errors did, not as
    IPython's cache file name.
    """
    try:
        message = str(exc)[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001 - a hostile __str__ must not kill the worker
        message = "<the exception's message could not be read>"
    bases = [
        cls.__name__
        for cls in type(exc).__mro__
        if getattr(builtins, cls.__name__, None) is cls and issubclass(cls, BaseException)
    ]
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith((WORKER_DIR, "<frozen"))
        and "/site-packages/" not in f.filename
    ][-MAX_TRACEBACK_FRAMES:]
    lines = traceback.format_list(frames)
    text = "Traceback (most recent call last):\n" + "".join(lines) if lines else ""
    text += f"{type(exc).__name__}: {message}"
    if format_traceback is not None:
        try:
            text = format_traceback(exc)
        except Exception:  # noqa: BLE001 - the plain form above is kept
            pass
    return {
        "type": type(exc).__name__,
        "bases": bases,
        "message": message,
        "traceback": text[-8000:],
    }


def _method_names(kind: type) -> list[str]:
    """Public methods of a class, so the trusted side can call them in one round trip."""
    try:
        return sorted(
            name for name in dir(kind)
            if not name.startswith("_") and callable(getattr(kind, name, None))
        )[:200]
    except Exception:  # noqa: BLE001 - a hostile metaclass only costs round trips
        return []


def plain_state(value: Any) -> dict[str, Any] | None:
    """The object's public instance attributes that hold plain scalars, or None.

    They travel with every reply that concerns the object, as a JSON object, so the grader
    reads ``es.best`` after ``es.step(v)`` without another round trip. Only attributes that a
    plain attribute read would return are included: none when the class customises attribute
    access, and never one that a data descriptor (a property) of the class would shadow.
    Values are None, bool, int, str or float (a numpy float64 is a float, and arrives as one
    either way); other numpy scalars are left to an ordinary read.
    """
    try:
        kind = type(value)
        if kind.__getattribute__ is not object.__getattribute__:
            return None
        attrs = object.__getattribute__(value, "__dict__")
        if type(attrs) is not dict:
            return None
        state: dict[str, Any] = {}
        for name, item in list(attrs.items())[:256]:
            if type(name) is not str or name.startswith("_"):
                continue
            if isinstance(item, float):
                item = float(item)
            elif type(item) not in _PLAIN or (type(item) is str and len(item) > 1000):
                continue
            if any(name in vars(klass) and _is_data_descriptor(vars(klass)[name])
                   for klass in kind.__mro__):
                continue
            state[name] = item
            if len(state) >= MAX_STATE:
                break
        return state
    except Exception:  # noqa: BLE001 - a hostile class only costs round trips
        return None


def _names(kwargs: Any) -> bool:
    return isinstance(kwargs, dict) and all(isinstance(k, str) for k in kwargs)


def _is_data_descriptor(attr: Any) -> bool:
    kind = type(attr)
    return hasattr(kind, "__set__") or hasattr(kind, "__delete__")


class ChildServer:
    """Serves one student's assignments over ``sock`` until the trusted side hangs up.

    Its other end is an ``engine.host.ChildHandle``.
    """

    def __init__(self, sock: socket.socket, workdir: str, first_handle: int = 1) -> None:
        self.sock = sock
        # Each child of a student numbers its handles in a range of its own, so a handle kept
        # from a child that was killed never names an object of this one.
        self.next_handle = first_handle
        self.workdir = workdir
        self.namespaces: dict[str, dict[str, Any]] = {}
        self.loaded: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.objects: dict[int, Any] = {}
        self._blobs: list[wire.Blob] = []  # the blobs of the value being encoded
        self.unmasked: dict[str, str] = {}
        """What was converted for the reply being built (``disguise``): kind -> graded as."""
        self.format_traceback: Callable[[BaseException], str] | None = None
        """The notebook runner's, once a notebook ran here (``describe_exception``)."""

    # -- encoding -------------------------------------------------------------------------
    def _keep(self, value: Any) -> dict[str, Any]:
        handle = self.next_handle
        self.next_handle += 1
        self.objects[handle] = value
        kind = type(value)
        node = protocol.handle(handle, f"{kind.__module__}.{kind.__qualname__}",
                               callable(value), _method_names(kind), plain_state(value))
        return cast(dict[str, Any], node)

    def _encode(self, value: Any) -> tuple[dict[str, Any], list[wire.Blob]]:
        blobs: list[wire.Blob] = []
        return self._encode_into(value, blobs), blobs

    def _encode_into(self, value: Any, blobs: list[wire.Blob]) -> dict[str, Any]:
        """Plain data as it is; a number or array in disguise as the plain data it stands
        for (noted in ``unmasked``); anything else as a handle. Plain data never reaches
        the fallback, so it pays nothing for the conversion."""
        self._blobs = blobs
        return wire.encode(value, self._unmask_or_keep, blobs)

    def _unmask_or_keep(self, obj: Any) -> dict[str, Any]:
        blobs = self._blobs  # before the student's __array__ runs (it may call back)
        plain = disguise.unmask(obj)
        self._blobs = blobs
        if plain is None:
            return self._keep(obj)
        if len(self.unmasked) < 8:
            self.unmasked.setdefault(plain.kind, plain.graded_as)
        return wire.encode(plain.value, self._keep, blobs)

    def _resolve(self, node: dict[str, Any]) -> Any:
        if "c" in node:
            return self._callback_stub(int(node["c"]))
        handle = node.get("h")
        if handle not in self.objects:
            raise wire.WireError("unknown handle")
        return self.objects[handle]

    def _decode(self, node: Any, blobs: list[wire.Blob]) -> Any:
        return wire.decode(node, blobs, self._resolve)

    # -- the loop -------------------------------------------------------------------------
    def serve(self) -> None:
        while True:
            try:
                message, blobs = wire.recv(self.sock)
            except wire.ChannelClosed:
                return
            self._answer(message, blobs)

    def _answer(self, message: protocol.Message, blobs: list[wire.Blob]) -> None:
        reply: protocol.Reply
        self.unmasked = {}
        try:
            value = self._dispatch(message, blobs)
            seen = None
            if type(value) is _Seen:
                value, seen = value
            out: list[wire.Blob] = []
            if type(value) is _Kept:
                node = self._keep(value.value)
            else:
                node, out = self._encode(value)
            reply = protocol.ok(node, seen=seen)
            if self.unmasked:
                reply["converted"] = [[kind, how] for kind, how in self.unmasked.items()]
            handle = message.get("ref", {}).get("handle")
            if protocol.op_of(message) in (protocol.CALL, protocol.EACH) and handle in self.objects:
                state = plain_state(self.objects[handle])
                if state is not None:
                    reply["state"] = [handle, state]
        except BaseException as exc:
            if isinstance(exc, wire.ChannelClosed):
                raise
            reply, out = protocol.failed(describe_exception(exc, self.format_traceback)), []
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:  # noqa: BLE001 - a full disk must not stop replies
                    pass
        wire.send(self.sock, reply, out)

    def _dispatch(self, message: protocol.Message, blobs: list[wire.Blob]) -> Any:
        op = protocol.op_of(message)
        if op == protocol.LOAD:
            return self._load(message)
        if op == protocol.HAS:
            return message.get("name") in self.namespaces.get(message.get("ns", ""), {})
        if op == protocol.HOLD:
            return _Kept(self._decode(message["value"], blobs))
        if op == protocol.BUILTIN:
            function = BUILTINS[message["name"]]
            return function(*self._decode(message["args"], blobs), **self._kwargs(message, blobs))
        target = self._target(message.get("ref", {}))
        attr = message.get("attr")
        if op == protocol.GET:
            return target if attr is None else getattr(target, attr)
        if op == protocol.CALL:
            function = target if attr is None else getattr(target, attr)
            args = self._decode(message["args"], blobs)
            if message.get("observe"):
                return _Seen(*observed_call(function, args, self._kwargs(message, blobs)))
            return function(*args, **self._kwargs(message, blobs))
        if op == protocol.EACH:
            return self._each(target if attr is None else getattr(target, attr), message, blobs)
        if op == protocol.ITER:
            return iter(target)
        if op == protocol.NEXT:
            return next(target)
        if op == protocol.LEN:
            return len(target)
        raise wire.WireError(f"unknown operation {op!r}")

    def _each(self, function: Callable[..., Any], message: protocol.Message,
              blobs: list[wire.Blob]) -> list[Any]:
        """Call ``function`` once per (args, kwargs), in order, in this one request."""
        calls = self._decode(message["calls"], blobs)
        if not isinstance(calls, list) or not all(
            isinstance(c, list) and len(c) == 2 and isinstance(c[0], list) and _names(c[1])
            for c in calls
        ):
            raise wire.WireError("calls must be a list of [args, kwargs]")
        results = []
        for args, kwargs in calls:
            result = function(*args, **kwargs)
            results.append(result)
            if message.get("until_true") and result:
                break
        return results

    def _kwargs(self, message: protocol.Message, blobs: list[wire.Blob]) -> dict[str, Any]:
        kwargs = self._decode(message.get("kwargs", {"d": []}), blobs)
        if not _names(kwargs):
            raise wire.WireError("keyword arguments must be a mapping of names")
        return kwargs

    def _target(self, ref: dict[str, Any]) -> Any:
        if "name" in ref:
            name = ref["name"]
            namespace = self.namespaces.get(ref.get("ns", ""), {})
            if name not in namespace:
                raise NameError(f"{name!r} is not defined in your submission")
            return namespace[name]
        if ref.get("handle") in self.objects:
            return self.objects[ref["handle"]]
        raise wire.WireError("unknown object reference")

    # -- callbacks to the trusted side ----------------------------------------------------
    def _callback_stub(self, callback_id: int) -> Callable[..., Any]:
        def call_grader(*args: Any, **kwargs: Any) -> Any:
            blobs: list[wire.Blob] = []
            message = protocol.callback(callback_id,
                                        self._encode_into(list(args), blobs),
                                        self._encode_into(kwargs, blobs))
            wire.send(self.sock, message, blobs)
            while True:
                reply, reply_blobs = wire.recv(self.sock)
                if protocol.is_request(reply):
                    self._answer(reply, reply_blobs)
                    continue
                if reply.get("ok"):
                    return self._decode(reply["value"], reply_blobs)
                raise CallbackError(reply.get("error", {}).get("message", "callback failed"))

        call_grader.__name__ = "grader_callback"
        return call_grader

    # -- loading the student's files ------------------------------------------------------
    def _load(self, message: protocol.Message) -> protocol.LoadReport:
        names: list[str] = list(message.get("names", []))
        namespace = self.namespaces[str(message.get("ns", ""))] = {}
        report: protocol.LoadReport = {"files": [], "notebooks": {}}
        if self.workdir not in sys.path:
            sys.path.insert(0, self.workdir)
        forbidden = message.get("forbidden") or []
        if forbidden:
            TRAP.install(forbidden)
        for filename in message.get("files", []):
            if filename not in self.loaded:
                self.loaded[filename] = self._load_file(filename, message, report)
            defined, loaded = self.loaded[filename]
            if forbidden:
                TRAP.rebind(defined)
            entry = cast(protocol.FileReport, {**loaded, "defines": [], "callables": []})
            for name in names:
                if name in defined:
                    entry["defines"].append(name)
                    if callable(defined[name]):
                        entry["callables"].append(name)
                    namespace.setdefault(name, defined[name])
            report["files"].append(entry)
        return report

    def _load_file(
        self, filename: str, message: protocol.Message, report: protocol.LoadReport
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run one file; its namespace and what to report about it (without the names)."""
        entry: dict[str, Any] = {"file": filename, "ok": True, "error": None}
        namespace: dict[str, Any] = {}
        seed_generators(os.path.join(self.workdir, filename))
        try:
            if filename.endswith(".py"):
                namespace = self._load_script(filename)
            elif filename.endswith(".ipynb"):
                namespace = self._load_notebook(filename, message, report, entry)
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import included
            entry["ok"] = False
            entry["error"] = describe_exception(exc)
        return namespace, entry

    def _load_script(self, filename: str) -> dict[str, Any]:
        module_name = Path(filename).stem
        path = os.path.join(self.workdir, filename)
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {filename}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        return vars(module)

    def _load_notebook(
        self,
        filename: str,
        message: protocol.Message,
        report: protocol.LoadReport,
        entry: dict[str, Any],
    ) -> dict[str, Any]:
        from .notebook import format_traceback, run_notebook  # noqa: PLC0415 - IPython only when needed

        path = os.path.join(self.workdir, filename)
        names = message.get("names") or []
        max_bytes = int(message.get("max_notebook_bytes", notebook_caps.DEFAULT_MAX_BYTES))
        notebook_caps.check_file(path, max_bytes,
                                 int(message.get("max_notebook_cells",
                                                 notebook_caps.DEFAULT_MAX_CELLS)))
        run = run_notebook(
            path,
            cell_timeout=message.get("cell_timeout"),
            max_output_bytes=int(message.get("max_output_bytes", 64_000)),
            graded_names=[str(n) for n in message.get("graded_names") or names],
        )
        self.format_traceback = format_traceback
        text, note = notebook_caps.kept_text(run.notebook, max_bytes)
        report["notebooks"][filename] = text
        entry["cell_errors"] = [
            {"cell": e.cell, "ename": e.ename, "evalue": e.evalue, "traceback": e.traceback}
            for e in run.errors
        ]
        entry["notes"] = [*run.notes, *([note] if note else []), run.versions]
        return run.namespace
