"""Soft failures: what cannot work in the grader leaves a note instead of an error.

``import google.colab`` fails (the notebook runs outside Colab), ``%pip``/``!pip install``
are skipped, ``input()`` and ``getpass()`` raise ``EOFError`` at once instead of waiting for
a person.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import os
import re
import shlex
import sys
from typing import Any

from .state import current

INSTALLS_DISABLED = (
    "package installs are disabled in the grader; import what the grading environment "
    "provides (the page lists the versions that graded this notebook), or ask the instructor "
    "to add a package"
)


def note(text: str) -> None:
    """A note for the student on the run in progress, naming the cell that caused it."""
    run = current().run
    if run is not None:
        run.notes.add(f"cell {run.outputs.cell}: {text}" if run.outputs.cell else text)


OUTSIDE_COLAB = (
    "this notebook was run outside Colab: `import google.colab` raises ImportError in the "
    "grader, so code that checks for Colab takes its local branch, and Colab-only calls "
    "(drive.mount, files.upload) fail in their cells; later cells still run"
)


class ColabFinder(importlib.abc.MetaPathFinder):
    """Makes ``import google.colab`` (and its submodules) fail while a notebook runs.

    The notebook runs outside Colab, and the common detection idioms (``try: import
    google.colab``, ``'google.colab' in sys.modules``) must say so: a stand-in that imports
    would send the notebook down its Colab branch (``/content`` paths) and fail further on.
    Failing here, even where some package provides ``google.colab``, also leaves the note.
    """

    def __init__(self) -> None:
        self.noted = False

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "google.colab" or fullname.startswith("google.colab."):
            if not self.noted:  # once, naming the first cell that tried
                self.noted = True
                note(OUTSIDE_COLAB)
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (the grader runs notebooks outside Colab)",
                name=fullname)
        return None

    def remove(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)


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

