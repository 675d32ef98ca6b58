"""Every message between the grading engine and the worker, declared once.

Both sides build their messages with the functions here and read them through the shapes
here, so an operation's name or a field is spelled in this module only (a test fails when an
op string appears anywhere else). The values inside a message (arguments, results) are
encoded by ``wire``; this module says which fields a message has.

To the zygote (``python -m grader.worker``), one byte then a frame::

    ready     zygote -> engine, once       {ready, pid, uid}
    spawn     {files, limits, first_handle} + fds [child socket, output file] -> {pid}
    finish    {pid}                        -> {status, signal, code, clean, left}

To a child (``worker.child.ChildServer``), each answered by a ``Reply``::

    load      {ns, files, names, cell_timeout, max_output_bytes, max_notebook_bytes,
               max_notebook_cells, graded_names?, forbidden?}  -> LoadReport
    get       {ref, attr?, what?}          the object, or one of its attributes
    call      {ref, attr, what, args, kwargs, observe?}
                                           with ``observe``, the reply carries ``Observed``
    hold      {value}                      a handle on the value, kept in the child
    each      {ref, attr, what, calls, until_true}   several calls in one round trip
    iter / next / len  {ref}
    builtin   {name, args, kwargs}         one of ``worker.builtins``
    has       {ns, name}                   whether the namespace defines ``name``

While a call runs, the child may send a ``Callback`` (the student's code called a callable
of the grader's); the engine answers it with a ``Reply`` and the child goes on.

This module runs on both sides of the boundary, so it imports only the standard library.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, cast

Message = dict[str, Any]
"""A frame's JSON document as ``wire`` reads it, before it is known to be any shape here."""

LOAD: Literal["load"] = "load"
GET: Literal["get"] = "get"
CALL: Literal["call"] = "call"
EACH: Literal["each"] = "each"
ITER: Literal["iter"] = "iter"
NEXT: Literal["next"] = "next"
LEN: Literal["len"] = "len"
BUILTIN: Literal["builtin"] = "builtin"
HAS: Literal["has"] = "has"
HOLD: Literal["hold"] = "hold"
SPAWN: Literal["spawn"] = "spawn"
FINISH: Literal["finish"] = "finish"

CHILD_OPS = frozenset({LOAD, GET, CALL, EACH, ITER, NEXT, LEN, BUILTIN, HAS, HOLD})
ZYGOTE_OPS = frozenset({SPAWN, FINISH})
OPS = CHILD_OPS | ZYGOTE_OPS
"""Every operation name; the names a test looks for outside this module."""

SPAWN_BYTE = b"S"
FINISH_BYTE = b"F"
"""The byte before a zygote command's frame (``spawn`` carries file descriptors with it)."""


# -- shapes -----------------------------------------------------------------------------------
class Ref(TypedDict, total=False):
    """Which object a request is about: a name in an assignment's namespace, or a handle."""

    name: str
    ns: str
    handle: int


class ChildLimits(TypedDict):
    """The resource limits the zygote sets on a fresh child (``config.Limits``, in part)."""

    cpu_seconds: int
    memory_mb: int
    """Resident memory: the trusted side's cgroup or watchdog enforces it, not the zygote."""
    address_space_mb: int
    """RLIMIT_AS (0 for none)."""
    max_file_mb: int
    max_processes: int


class Ready(TypedDict):
    ready: bool
    pid: int
    uid: int


class Spawn(TypedDict):
    op: Literal["spawn"]
    files: list[list[Any]]
    """[name, blob index] per file."""
    limits: ChildLimits
    first_handle: int


class Spawned(TypedDict, total=False):
    pid: int
    grouped: bool
    """The child was forked inside the memory group whose ``tasks`` file came with the spawn."""
    returned: bool
    """The zygote went back to its own group after the fork (if not, the sandbox is retired)."""


class Finish(TypedDict):
    op: Literal["finish"]
    pid: int


class Finished(TypedDict):
    status: int
    signal: int | None
    code: int | None
    clean: bool
    """Whether the wipe after the child removed everything it left."""
    left: list[str]
    """What the wipe could not remove (at most 20 entries)."""


class Load(TypedDict):
    op: Literal["load"]
    ns: str
    files: list[str]
    names: list[str]
    cell_timeout: float
    max_output_bytes: int
    max_notebook_bytes: int
    """Largest notebook run, and largest executed notebook sent back (``notebook_caps``)."""
    max_notebook_cells: int
    graded_names: NotRequired[list[str]]
    """Every name graded from these files (all assignments of the child): a notebook's cells
    that name one keep their outputs first when the outputs are cut to fit."""
    forbidden: NotRequired[list[str]]
    """The assignment's ``[rules] forbidden`` names, for the child's trap (``worker.trap``)."""


class Get(TypedDict):
    op: Literal["get"]
    ref: Ref
    attr: NotRequired[str | None]
    what: NotRequired[str]


class Call(TypedDict):
    op: Literal["call"]
    ref: Ref
    attr: str | None
    what: str
    args: dict[str, Any]
    kwargs: dict[str, Any]
    observe: NotRequired[bool]
    """Record the call's warnings and whether it changed its arguments (costs a copy)."""


class Each(TypedDict):
    op: Literal["each"]
    ref: Ref
    attr: str | None
    what: str
    calls: dict[str, Any]
    until_true: bool


class OnObject(TypedDict):
    """``iter``, ``next`` and ``len``: an operation on one object and nothing else."""

    op: Literal["iter", "next", "len"]
    ref: Ref


class Builtin(TypedDict):
    op: Literal["builtin"]
    name: str
    args: dict[str, Any]
    kwargs: dict[str, Any]


class Table(TypedDict):
    """A data frame sent to the worker as columns (the ``table_frame`` builtin builds it there).

    The frame itself never crosses back: the student's ``preprocess`` returns whatever it
    likes, which stays in the worker behind a handle, and the suite asks only for what it
    scores (``float_matrix``: the features as one float64 array). Each column is one numpy
    array (``values``, strings as a ``<U`` array, numbers as themselves) with its pandas
    dtype name (one of ``TABLE_DTYPES``) and a boolean array ``missing`` where the value is
    absent (NaN in the rebuilt frame).
    """

    columns: list[str]
    dtypes: list[str]
    values: list[Any]
    missing: list[Any]


TABLE_DTYPES = ("int64", "float64", "bool", "str")
"""The column dtypes a ``Table`` may carry (Kaggle's CSV needs no other)."""


class Has(TypedDict):
    op: Literal["has"]
    ns: str
    name: str


class Hold(TypedDict):
    """Keep ``value`` in the child and answer with its handle: the student's code then gets
    that very object, which the test may change later (``grader.testing.hand_over``)."""

    op: Literal["hold"]
    value: Any


Request = Load | Get | Call | Each | OnObject | Builtin | Has | Hold


class ErrorInfo(TypedDict):
    """An exception raised in the worker, as data (``child.describe_exception``); a refused
    callback carries only its ``message``."""

    message: str
    type: NotRequired[str]
    bases: NotRequired[list[str]]
    traceback: NotRequired[str]


class WarningInfo(TypedDict):
    """One warning the student's call raised, as data."""

    category: str
    message: str
    file: str
    line: int


class Observed(TypedDict):
    """What an observed call did besides returning (``Call.observe``)."""

    warnings: list[WarningInfo]
    """Every warning raised during the call, in order (at most ``MAX_WARNINGS``)."""
    modified: list[str]
    """The arguments the call changed in place: ``"argument 1"``, ``"keyword y_pred"``."""


MAX_WARNINGS = 20


class OkReply(TypedDict):
    ok: Literal[True]
    value: Any
    state: NotRequired[list[Any]]
    """[handle, plain attributes] of the object a call was made on (``child.plain_state``)."""
    converted: NotRequired[list[list[str]]]
    """[kind, graded as] per kind of number or array in disguise that the value held, turned
    into plain data before it crossed (``worker.disguise``): ["tensorflow EagerTensor",
    "numpy value"]."""
    observed: NotRequired[Observed]


class ErrorReply(TypedDict):
    ok: Literal[False]
    error: ErrorInfo


Reply = OkReply | ErrorReply


class Callback(TypedDict):
    """The student's code called the grader's callable number ``callback``."""

    callback: int
    args: dict[str, Any]
    kwargs: dict[str, Any]


class Handle(TypedDict):
    """An object that stayed in the child, as ``wire`` carries it (its ``h`` tag)."""

    h: int
    type: str
    call: bool
    methods: list[str]
    """Its public methods, so the engine calls them in one round trip."""
    state: NotRequired[dict[str, Any]]
    """Its plain attributes (``child.plain_state``), so the engine reads them without one."""


class CellError(TypedDict):
    cell: int
    ename: str
    evalue: str
    traceback: str


class FileReport(TypedDict):
    """What loading one file did; ``defines`` and ``callables`` are among the asked names."""

    file: str
    ok: bool
    error: ErrorInfo | None
    defines: list[str]
    callables: list[str]
    cell_errors: NotRequired[list[CellError]]
    notes: NotRequired[list[str]]


class LoadReport(TypedDict):
    files: list[FileReport]
    notebooks: dict[str, str]
    """The executed notebook (nbformat JSON) per notebook file that ran."""


# -- building messages ------------------------------------------------------------------------
def spawn(files: list[str], limits: ChildLimits, first_handle: int) -> Spawn:
    return {"op": SPAWN, "files": [[name, i] for i, name in enumerate(files)],
            "limits": limits, "first_handle": first_handle}


def finish(pid: int) -> Finish:
    return {"op": FINISH, "pid": pid}


def load(ns: str, files: list[str], names: list[str], cell_timeout: float,
         max_output_bytes: int, max_notebook_bytes: int, max_notebook_cells: int,
         graded_names: list[str] | None = None, forbidden: list[str] | None = None) -> Load:
    message: Load = {"op": LOAD, "ns": ns, "files": files, "names": names,
                     "cell_timeout": cell_timeout, "max_output_bytes": max_output_bytes,
                     "max_notebook_bytes": max_notebook_bytes,
                     "max_notebook_cells": max_notebook_cells}
    if graded_names:
        message["graded_names"] = graded_names
    if forbidden:
        message["forbidden"] = list(forbidden)
    return message


def get(ref: Ref, attr: str | None = None, what: str | None = None) -> Get:
    message: Get = {"op": GET, "ref": ref}
    if attr is not None:
        message["attr"] = attr
    if what is not None:
        message["what"] = what
    return message


def call(ref: Ref, attr: str | None, what: str, args: dict[str, Any],
         kwargs: dict[str, Any], observe: bool = False) -> Call:
    message: Call = {"op": CALL, "ref": ref, "attr": attr, "what": what, "args": args,
                     "kwargs": kwargs}
    if observe:
        message["observe"] = True
    return message


def hold(value: dict[str, Any]) -> Hold:
    return {"op": HOLD, "value": value}


def observed(warnings: list[WarningInfo], modified: list[str]) -> Observed:
    return {"warnings": warnings[:MAX_WARNINGS], "modified": modified}


def each(ref: Ref, attr: str | None, what: str, calls: dict[str, Any], until_true: bool) -> Each:
    return {"op": EACH, "ref": ref, "attr": attr, "what": what, "calls": calls,
            "until_true": until_true}


def iterate(ref: Ref) -> OnObject:
    return {"op": ITER, "ref": ref}


def next_item(ref: Ref) -> OnObject:
    return {"op": NEXT, "ref": ref}


def length(ref: Ref) -> OnObject:
    return {"op": LEN, "ref": ref}


def builtin(name: str, args: dict[str, Any], kwargs: dict[str, Any]) -> Builtin:
    return {"op": BUILTIN, "name": name, "args": args, "kwargs": kwargs}


def has(ns: str, name: str) -> Has:
    return {"op": HAS, "ns": ns, "name": name}


def ok(value: Any, state: list[Any] | None = None, seen: Observed | None = None) -> OkReply:
    reply: OkReply = {"ok": True, "value": value}
    if state is not None:
        reply["state"] = state
    if seen is not None:
        reply["observed"] = seen
    return reply


def failed(error: ErrorInfo) -> ErrorReply:
    return {"ok": False, "error": error}


def handle(number: int, type_name: str, is_callable: bool, methods: list[str],
           state: dict[str, Any] | None) -> Handle:
    node: Handle = {"h": number, "type": type_name, "call": is_callable, "methods": methods}
    if state is not None:
        node["state"] = state
    return node


def callback(callback_id: int, args: dict[str, Any], kwargs: dict[str, Any]) -> Callback:
    return {"callback": callback_id, "args": args, "kwargs": kwargs}


# -- reading messages -------------------------------------------------------------------------
def op_of(message: Message) -> Any:
    """The operation a request names (not yet checked to be one of ``OPS``)."""
    return message.get("op")


def is_request(message: Message) -> bool:
    """A request from the engine (which the child serves while it waits on a callback)."""
    return "op" in message


def is_callback(message: Message) -> bool:
    """A callback from the child, rather than the reply to the request in flight."""
    return "callback" in message


def handle_is_callable(node: Message) -> bool:
    """Whether a handle the child sent names a callable object."""
    return bool(node.get("call"))


def as_request(message: Message) -> Request:
    """``message`` read as a request; its fields are checked where they are used."""
    return cast(Request, message)


def as_reply(message: Message) -> Reply:
    return cast(Reply, message)
