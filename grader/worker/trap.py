"""The forbidden-call trap: wraps the callables an assignment forbids and notes who called them.

An assignment's ``[rules] forbidden`` lists dotted names (``scipy.special.softmax``); a name
that is a module forbids everything in it, and ``grader`` forbids the grader package except
``grader.check`` (``ALLOWED``). The trusted side reads the submission's source for the same
names (``grader.forbidden``); this trap catches what the source hides (an alias, a name built
at run time) by replacing each forbidden callable, in the modules that hold it, with a wrapper
that records the call when the frame calling it is the student's, then calls the original.

Modules imported later are patched as they finish loading (a finder in ``sys.meta_path``);
nothing is imported here, so a forbidden module the student never imports costs nothing. A
class is trapped in its ``__init__``, so that ``isinstance`` and subclassing keep working.
The worker's own modules are never wrapped: they serve the calls.

This module runs in the sandboxed worker and imports only the standard library.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import sys
import sysconfig
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ALLOWED = ("grader.check",)
"""Names that no entry forbids, whatever it covers (the students' own self-check)."""
_NEVER_WRAPPED = ("grader.worker",)
MAX_RECORDS = 50
_MARK = "__grader_trapped__"


def covers(entry: str, name: str) -> bool:
    """Whether the forbidden ``entry`` covers the dotted ``name`` (itself or inside it)."""
    if any(name == a or name.startswith(a + ".") for a in ALLOWED):
        return False
    return name == entry or name.startswith(entry + ".")


def exempt_below(entry: str, name: str) -> bool:
    """Whether something allowed lies inside ``name`` (``import grader`` is no finding)."""
    return any(a.startswith(name + ".") for a in ALLOWED) and covers(entry, name)


def _library_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {str(Path(paths[key]).resolve()) for key in ("stdlib", "platstdlib", "purelib",
                                                           "platlib") if key in paths}
    found |= {str(Path(p).resolve()) for p in sys.path if "site-packages" in p}
    found.add(str(Path(__file__).resolve().parents[1]))  # the grader package itself
    return (*sorted(found), "<frozen")


class Trap:
    """The entries in force in this child, the wrappers made, and the calls seen."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.records: dict[tuple[str, str, int], int] = {}
        self.wrapped: dict[int, Any] = {}
        self._library: tuple[str, ...] = ()
        """Where library code lives; read at the first install, not at the worker's boot."""
        self._finder: _Finder | None = None

    # -- installing -----------------------------------------------------------------------
    def install(self, entries: Iterable[str]) -> None:
        """Add ``entries``; patch the modules already imported that they cover."""
        new = [e for e in entries if isinstance(e, str) and e and e not in self.entries]
        if not new:
            return
        self.entries += new
        if not self._library:
            self._library = _library_prefixes()
        if self._finder is None:
            self._finder = _Finder(self)
            sys.meta_path.insert(0, self._finder)
        for name in self._imported_under(new):
            module = sys.modules.get(name)
            if isinstance(module, types.ModuleType):
                self.patch(name, module)

    @staticmethod
    def _imported_under(entries: list[str]) -> list[str]:
        """The imported modules an entry may reach: its own prefixes, and what lies inside
        it when it names a module (one pass over the imported names, not a patch of each)."""
        names: set[str] = set()
        for entry in entries:
            parts = entry.split(".")
            names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        inside = tuple(e + "." for e in entries if e in sys.modules)
        if inside:
            names.update(k for k in list(sys.modules) if k.startswith(inside))
        return sorted(n for n in names if n in sys.modules)

    def rebind(self, namespace: dict[str, Any]) -> None:
        """Swap originals that a namespace took before the trap was in force for wrappers."""
        for key, value in list(namespace.items()):
            wrapper = self.wrapped.get(id(value))
            if wrapper is not None and wrapper is not value:
                namespace[key] = wrapper

    def watches(self, module: str) -> bool:
        if module.startswith(_NEVER_WRAPPED):
            return False
        return any(covers(e, module) or e.startswith(module + ".") for e in self.entries)

    def patch(self, name: str, module: types.ModuleType) -> None:
        """Wrap what the entries forbid in ``module``'s namespace."""
        if not self.watches(name):
            return
        if any(covers(e, name) for e in self.entries):
            attrs = _attributes(module)
        else:  # only the names the entries spell out, looked up rather than scanned
            named = {e[len(name) + 1:] for e in self.entries if e.startswith(name + ".")}
            space = getattr(module, "__dict__", {})
            attrs = [(a, space[a]) for a in named if "." not in a and a in space]
        for attr, value in attrs:
            full = f"{name}.{attr}"
            if attr.startswith("_") or isinstance(value, types.ModuleType) or full in ALLOWED:
                continue
            wrapper = self._wrap(full, value)
            if wrapper is not None and wrapper is not value:
                try:
                    setattr(module, attr, wrapper)
                except (AttributeError, TypeError):
                    continue

    def _wrap(self, full: str, value: Any) -> Any:
        known = self.wrapped.get(id(value))
        if known is not None:
            return known
        if getattr(value, _MARK, False) or not callable(value):
            return None
        if isinstance(value, type):
            return self._wrap_class(full, value)
        record = self._record

        @functools.wraps(value)
        def trapped(*args: Any, **kwargs: Any) -> Any:
            record(full, sys._getframe(1))
            return value(*args, **kwargs)

        setattr(trapped, _MARK, True)
        self.wrapped[id(value)] = trapped
        self.wrapped[id(trapped)] = trapped
        return trapped

    def _wrap_class(self, full: str, cls: type) -> Any:
        """Trap the constructor in place: the class stays itself for isinstance and bases."""
        original = vars(cls).get("__init__") or getattr(cls, "__init__")  # noqa: B009
        if getattr(original, _MARK, False):
            return cls
        record = self._record

        @functools.wraps(original)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            record(full, sys._getframe(1))
            original(self, *args, **kwargs)

        setattr(__init__, _MARK, True)
        try:
            cls.__init__ = __init__  # type: ignore[misc]
        except (AttributeError, TypeError):  # an extension type: the source check covers it
            return None
        self.wrapped[id(cls)] = cls
        return cls

    # -- recording ------------------------------------------------------------------------
    def _record(self, full: str, frame: types.FrameType | None) -> None:
        """Note the call when the student's code made it (not a library calling its own)."""
        if frame is None:
            return
        filename = frame.f_code.co_filename
        if filename.startswith(self._library):
            return
        key = (full, Path(filename).name if filename.startswith("/") else filename,
               frame.f_lineno)
        if key in self.records or len(self.records) < MAX_RECORDS:
            self.records[key] = self.records.get(key, 0) + 1

    def report(self) -> list[dict[str, Any]]:
        """What was called, from where and how often: plain data for the trusted side."""
        return [{"name": name, "file": file, "line": line, "count": count}
                for (name, file, line), count in sorted(self.records.items())]


def _attributes(module: types.ModuleType) -> list[tuple[str, Any]]:
    try:
        return list(vars(module).items())
    except TypeError:
        return []


class _Finder(importlib.abc.MetaPathFinder):
    """Lets the other finders find a watched module, then patches it once it has run."""

    def __init__(self, trap: Trap) -> None:
        self.trap = trap

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if not self.trap.watches(fullname):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, self.trap, fullname)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    """Runs the real loader, then wraps what the trap forbids in the new module."""

    def __init__(self, loader: Any, trap: Trap, name: str) -> None:
        self._loader = loader
        self._trap = trap
        self._name = name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        create: Callable[..., Any] | None = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: types.ModuleType) -> None:
        self._loader.exec_module(module)
        self._trap.patch(self._name, module)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._loader, attr)


TRAP = Trap()
"""The one trap of this child process."""
