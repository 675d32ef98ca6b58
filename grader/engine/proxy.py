"""What a hidden test holds of the student's code: proxies and the exceptions it raised.

``SubmissionProxy`` is the ``submission`` fixture (the student's namespace for one
assignment); ``RemoteCall`` a function of theirs, ``RemoteObject`` an object that stayed in
the worker, ``RemoteIterator`` an iterator there. Each turns an attribute read, a call or an
iteration into one request of its ``assignment_run.AssignmentRun``. ``RemoteException``
carries back an exception the student's code raised, rebuilt as a subclass of every
builtin it was so that ``pytest.raises(ValueError)`` works; nothing of theirs is unpickled here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import StudentCodeError
from ..worker import protocol

if TYPE_CHECKING:
    from .assignment_run import AssignmentRun, LoadReport


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

    def _ref(self) -> protocol.Ref:
        return {"handle": self._handle}

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        known, value = self._run.snapshot(self._handle, attr)
        if known:
            return value
        if attr in self._methods:
            return RemoteCall(self._run, self._ref(), attr,
                              f"{self._label or 'your object'}.{attr}",
                              key=f"{self._type.rsplit('.', 1)[-1]}.{attr}")
        value = self._run.request(protocol.get(self._ref(), attr,
                                               f"{self._label or 'your object'}.{attr}"))
        if isinstance(value, RemoteObject) and not value._label:
            value._label = f"{self._label or 'your object'}.{attr}"
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._run.call(self._ref(), None, args, kwargs, what=self._label,
                              key=self._label or self._type)

    def _grader_call_each(self, calls: list[tuple[tuple[Any, ...], dict[str, Any]]],
                          until_true: bool = False) -> list[Any]:
        return self._run.call_each(self._ref(), None, calls, until_true,
                                   what=self._label, key=self._label or self._type)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._run.request(protocol.iterate(self._ref()))
        return RemoteIterator(iterator) if isinstance(iterator, RemoteObject) else iter(iterator)

    def __len__(self) -> int:
        size = self._run.request(protocol.length(self._ref()))
        if not isinstance(size, int):
            raise TypeError("len() of the student's object is not an int")
        return size

    def __repr__(self) -> str:
        return f"<student object of type {self._type}>"


class RemoteCall:
    """A function or method of the student's, called in one round trip (no fetch first)."""

    __slots__ = ("_attr", "_key", "_label", "_ref", "_run")

    def __init__(self, run: AssignmentRun, ref: protocol.Ref, attr: str | None, label: str,
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
            return self.remote._run.request(protocol.next_item(self.remote._ref()))
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
        ref: protocol.Ref = {"name": name, "ns": run.assignment}
        if load.callable(name):
            return RemoteCall(run, ref, None, name)
        value = run.request(protocol.get(ref))
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
        return self._run.builtin(name, args, kwargs)

    @property
    def files(self) -> list[str]:
        return list(self._run.files)

    @property
    def sources(self) -> dict[str, bytes]:
        """The submitted files' bytes, for checks that read the code (nothing runs here)."""
        return dict(self._run.files)


def _missing_message(name: str, run: AssignmentRun, load: LoadReport) -> str:
    errors = load.errors()
    if errors:
        return f"{name} is not available because your code did not load:\n" + "\n".join(errors)
    files = ", ".join(run.files) or "no file"
    return f"{name} is not defined in {files}: define it with exactly this name"
