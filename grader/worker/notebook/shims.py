"""Soft failures: what cannot work in the grader leaves a note instead of an error.

``google.colab`` is a stub whose calls do nothing, ``%pip``/``!pip install`` are skipped,
``input()`` and ``getpass()`` raise ``EOFError`` at once instead of waiting for a person.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import os
import re
import shlex
import sys
import types
from typing import Any

from .state import current

PROVIDED_PACKAGES = "numpy, scipy, scikit-learn, matplotlib"
INSTALLS_DISABLED = (
    "package installs are disabled in the grader; the grader provides " + PROVIDED_PACKAGES
)


def note(text: str) -> None:
    """A note for the student on the run in progress, naming the cell that caused it."""
    run = current().run
    if run is not None:
        run.notes.add(f"cell {run.outputs.cell}: {text}" if run.outputs.cell else text)


class _ColabStub:
    """Anything reached from ``google.colab``: calling it does nothing and leaves a note."""

    _returns = {"files.upload": {}, "userdata.get": ""}

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):  # dunders, and IPython's _repr_*_ probes
            raise AttributeError(attr)
        return _ColabStub(f"{self._name}.{attr}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        note(f"google.colab is not available in the grader; {self._name} skipped")
        value = self._returns.get(self._name)
        return type(value)() if value is not None else None

    def __repr__(self) -> str:
        return f"<google.colab stub {self._name}>"


class _ColabModule(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        prefix = self.__name__[len("google.colab") :].lstrip(".")
        return _ColabStub(f"{prefix}.{attr}" if prefix else attr)


class ColabFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``google.colab`` (and its submodules) as stubs while a notebook runs."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "google.colab" or fullname.startswith("google.colab."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        if fullname == "google" and importlib.machinery.PathFinder.find_spec("google") is None:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        self.made.append(spec.name)
        if spec.name == "google":
            return types.ModuleType("google")
        return _ColabModule(spec.name, "Stand-in for google.colab: its functions do nothing here.")

    def exec_module(self, module: types.ModuleType) -> None:
        pass

    def remove(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        for name in self.made:
            module = sys.modules.get(name)
            spec = getattr(module, "__spec__", None)
            if spec is not None and getattr(spec, "loader", None) is self:
                del sys.modules[name]
        parent = sys.modules.get("google")
        if parent is not None and isinstance(getattr(parent, "colab", None), _ColabModule):
            with contextlib.suppress(AttributeError):
                delattr(parent, "colab")


_PIP = re.compile(r"pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?$")
_SEGMENTS = re.compile(r"&&|\|\||[;|\n]")


def is_install(command: str) -> bool:
    """Does a shell line install packages (pip, conda, mamba, uv, apt)?"""
    for segment in _SEGMENTS.split(command):
        try:
            words = shlex.split(segment)
        except ValueError:
            words = segment.split()
        while words and (words[0] == "sudo" or ("=" in words[0] and words[0][0] != "-")):
            words = words[1:]
        if not words:
            continue
        prog = os.path.basename(words[0])
        args = words[1:]
        if _PYTHON.match(prog) and "-m" in args:
            i = args.index("-m")
            if i + 1 < len(args) and args[i + 1] == "pip":
                prog, args = "pip", args[i + 2 :]
        if prog == "uv" and args[:1] == ["pip"]:
            prog, args = "pip", args[1:]
        subcommands = [a for a in args if not a.startswith("-")]
        if _PIP.match(prog) and subcommands[:1] in (["install"], ["uninstall"], ["download"]):
            return True
        if prog in ("conda", "mamba", "micromamba") and subcommands[:1] in (
            ["install"],
            ["create"],
            ["update"],
            ["upgrade"],
            ["remove"],
        ):
            return True
        if prog == "uv" and subcommands[:1] in (["add"], ["sync"]):
            return True
        if prog in ("apt", "apt-get") and "install" in subcommands:
            return True
    return False


def installs_disabled(what: str) -> None:
    print(f"[{INSTALLS_DISABLED}: {what} skipped]")
    note(f"{INSTALLS_DISABLED} ({what} skipped)")


def install_magic(name: str) -> Any:
    def magic(line: str) -> None:
        installs_disabled(f"%{name} {line}".strip())

    return magic


def no_input(prompt: Any = "") -> str:
    if prompt:
        print(prompt, end="")
    raise EOFError(
        "input() cannot be answered while the grader runs your notebook; "
        "set the value in the code instead"
    )


def no_getpass(prompt: str = "Password: ", stream: Any = None) -> str:
    raise EOFError(
        "getpass() cannot be answered while the grader runs your notebook; "
        "set the value in the code instead"
    )

