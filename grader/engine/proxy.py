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
from ..forbidden import RulesReport, read_source, trapped_calls
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

    __slots__ = ("_call", "_handle", "_label", "_methods", "_run", "_source", "_type")

    def __init__(self, run: AssignmentRun, handle: int, type_name: str, is_callable: bool,
                 label: str = "", methods: frozenset[str] = frozenset()):
        self._run = run
        self._handle = handle
        self._type = type_name
        self._call = is_callable
        self._label = label
        self._methods = methods
        self._source = ""  # the function that returned it, for messages

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

    def _grader_observe(self, args: tuple[Any, ...],
                        kwargs: dict[str, Any]) -> tuple[Any, protocol.Observed]:
        return self._run.observe(self._ref(), None, args, kwargs, what=self._label,
                                 key=self._label or self._type)

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

    # A value that stayed in the worker is no number and no array (the worker converts every
    # one it can, ``worker.disguise``): say what it is, in the student's words, where a test
    # asks for numbers, instead of "not 'RemoteObject'".
    def _grader_not_numbers(self) -> TypeError:
        who = self._source or self._label or "your code"
        return TypeError(
            f"{who} returned a {_type_words(self._type)}, which is not a number or an array"
            " and could not be converted to one: return what the assignment asks for"
            " (a numpy array or a Python number)")

    def __float__(self) -> float:
        raise self._grader_not_numbers()

    def __int__(self) -> int:
        raise self._grader_not_numbers()

    def __index__(self) -> int:
        raise self._grader_not_numbers()

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._grader_not_numbers()

    def _grader_describe(self) -> str:
        """The type name a test message uses for this value (``testing.assert_close``)."""
        return _type_words(self._type)


def _type_words(qualified: str) -> str:
    """``tensorflow.python.framework.ops.SymbolicTensor`` -> "tensorflow SymbolicTensor"."""
    package, _, rest = qualified.partition(".")
    name = rest.rsplit(".", 1)[-1] if rest else package
    return name if package in ("builtins", "__main__", name) else f"{package} {name}"


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

    def _grader_observe(self, args: tuple[Any, ...],
                        kwargs: dict[str, Any]) -> tuple[Any, protocol.Observed]:
        """``grader.testing.observe`` on this function: the call, watched in the worker."""
        return self._run.observe(self._ref, self._attr, args, kwargs, what=self._label,
                                 key=self._key)

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

    def grader_hold(self, value: Any) -> Any:
        """Leave ``value`` in the worker and get a handle on it (``grader.testing.hand_over``)."""
        return self._run.hold(value)

    def grader_rules(self) -> RulesReport:
        """The forbidden-call rule: the source read here, and the calls the worker trapped."""
        run: AssignmentRun = self._run
        source = read_source(run.files, run.forbidden)
        trapped = trapped_calls(run.builtin("forbidden_calls", (), {}), run.forbidden) \
            if run.forbidden else []
        return RulesReport(used=[f.describe() for f in source.forbidden] + trapped,
                           review=[f.describe() for f in source.review])

    @property
    def files(self) -> list[str]:
        return list(self._run.files)

    @property
    def sources(self) -> dict[str, bytes]:
        """The submitted files' bytes, for checks that read the code (nothing runs here)."""
        return dict(self._run.files)


def _missing_message(name: str, run: AssignmentRun, load: LoadReport) -> str:
    """Why ``name`` is missing, in one line: the errors themselves are listed once, above
    the tests (``grading._summary``), not inside every test's message."""
    broken = [entry["file"] for entry in load.files if entry.get("error")]
    if broken:
        return (f"{name} is not available because {' and '.join(broken)} failed to load "
                "(the error is shown above the tests)")
    files = ", ".join(run.files) or "no file"
    failing = [f"{entry['file']} cell {cell['cell']}" for entry in load.files
               for cell in entry.get("cell_errors", [])]
    if failing:
        where = ", ".join(failing[:5]) + (" and more" if len(failing) > 5 else "")
        return (f"{name} is not defined in {files}: define it with exactly this name (it may "
                f"be in a cell that failed: {where}; the errors are shown above the tests)")
    return f"{name} is not defined in {files}: define it with exactly this name"
