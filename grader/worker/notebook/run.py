"""The run: the per-cell timer, the process state put back afterwards, and ``run_notebook``."""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import os
import signal
import sys
import threading
import types
import warnings
from collections.abc import Iterable
from typing import Any

from .fit import cells_of, fit, priority_cells
from .load import load_notebook, nbformat_module, schema_note
from .outputs import CellStream, Notes, Outputs
from .records import CellError, CellTimeoutError, NotebookRun
from .shims import ColabFinder, no_getpass, no_input
from .state import current
from .tracebacks import Places, format_cell_traceback, install_warning_format, safe_str
from .versions import environment_note

_MISSING = object()

# Environment while a notebook runs: pip run from code fails at once instead of retrying the
# network, and a forgotten breakpoint() does not wait for a debugger command.
_RUN_ENV = {
    "PIP_NO_INDEX": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
    "PYTHONBREAKPOINT": "0",
}


def preload() -> None:
    """Import IPython and nbformat and compile the notebook schema, once per process.

    For a zygote that forks one worker per submission: after this, :func:`run_notebook` pays
    only for its own notebook.  Call it after importing ``matplotlib.pyplot``, if the zygote
    does, so that the inline backend is imported too.
    """
    nbformat = nbformat_module()
    nbformat.validator.get_validator(version=4, version_minor=nbformat.current_nbformat_minor)
    importlib.import_module(f"{__package__}.shell")  # IPython, and the shell classes
    names = list(_LAZY_IMPORTS)  # what the first shell and the first cell would import
    if "matplotlib" in sys.modules:  # then every run switches to the inline backend
        names += ["matplotlib_inline.backend_inline", "IPython.core.pylabtools"]
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    registry = sys.modules.get("matplotlib.backends.registry")
    if registry is not None:  # "inline" is found by scanning entry points: do that once here
        with contextlib.suppress(Exception):
            registry.backend_registry.is_valid_backend("inline")


_LAZY_IMPORTS = (
    "IPython.core.application",
    "IPython.core.logger",
    "IPython.core.magics",
    "IPython.core.oinspect",
    "IPython.core.profiledir",
    "IPython.utils.wildcard",
    "bdb",
    "getpass",
    "glob",
    "hashlib",
)


class Timer:
    """Per-cell wall-clock limit with SIGALRM.

    After the first alarm it keeps firing every second, but raises again only while a
    student frame is on the stack: a bare ``except:`` cannot keep the cell alive, and the
    grader's own code after the cell is never interrupted.
    """

    def __init__(self, seconds: float, places: Places) -> None:
        self.seconds = seconds
        self.places = places
        self.armed = False
        self.fired = False
        self.cell = 0

    def arm(self, cell: int) -> None:
        self.cell, self.fired, self.armed = cell, False, True
        signal.signal(signal.SIGALRM, self.on_alarm)  # again: a cell may have replaced it
        signal.setitimer(signal.ITIMER_REAL, self.seconds, min(1.0, self.seconds))

    def disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def message(self) -> str:
        return f"cell {self.cell} ran past its {self.seconds:g} s limit"

    def on_alarm(self, signum: int, frame: types.FrameType | None) -> None:
        if not self.armed:
            return
        if self.fired and not self._student_running(frame):
            return
        self.fired = True
        raise CellTimeoutError(self.message())

    def _student_running(self, frame: types.FrameType | None) -> bool:
        while frame is not None:
            if self.places.is_student(frame.f_code.co_filename):
                return True
            frame = frame.f_back
        return False


class Run:
    def __init__(self, path: str, cell_timeout: float | None, max_output_bytes: int) -> None:
        self.path = path
        self.folder = os.path.dirname(path)
        self.name = os.path.basename(path)
        self.notes = Notes()
        self.outputs = Outputs(max_output_bytes, self.notes)
        self.places = Places(self.folder)
        self.errors: list[CellError] = []
        self.timer: Timer | None = None
        if cell_timeout is not None and 0 < cell_timeout < 1e9:
            self.timer = Timer(float(cell_timeout), self.places)
        self.saved_env: dict[str, str | None] = {}
        self.stdout = CellStream("stdout", self.outputs)
        self.stderr = CellStream("stderr", self.outputs)

    # -- process state -------------------------------------------------------------------

    def set_env(self, key: str, value: str) -> None:
        """Set an environment variable for the run; ``process_state`` puts it back."""
        self.saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    @contextlib.contextmanager
    def process_state(self):
        """Set up what the notebook sees, and put back everything afterwards."""
        import getpass

        saved_sys = {
            name: getattr(sys, name, _MISSING)
            for name in (
                "stdin",
                "stdout",
                "stderr",
                "displayhook",
                "excepthook",
                "argv",
                "ps1",
                "ps2",
                "ps3",
            )
        }
        saved_path = list(sys.path)
        saved_main = sys.modules.get("__main__")
        saved_cwd = os.getcwd()
        saved_input, saved_getpass = builtins.input, getpass.getpass
        colab = ColabFinder()
        self.saved_env = {}
        old_handler = None
        old_timer = (0.0, 0.0)
        timer_installed = False
        exit_filter = None
        try:
            os.chdir(self.folder)
            if self.folder not in sys.path:
                sys.path.insert(0, self.folder)
            sys.argv = [self.path]
            sys.stdin = io.StringIO()
            builtins.input = no_input
            getpass.getpass = no_getpass
            sys.meta_path.insert(0, colab)
            # IPython warns "To exit: use 'exit', ..." after sys.exit(): noise in a notebook.
            warnings.filterwarnings("ignore", message="To exit: use", category=UserWarning)
            exit_filter = warnings.filters[0]
            install_warning_format()
            for name in [n for n in sys.modules if n.split(".")[:2] == ["google", "colab"]]:
                del sys.modules[name]
            if self.timer is not None:
                if threading.current_thread() is threading.main_thread():
                    old_timer = signal.setitimer(signal.ITIMER_REAL, 0)
                    old_handler = signal.signal(signal.SIGALRM, self.timer.on_alarm)
                    timer_installed = True
                else:
                    self.notes.add(
                        "the per-cell time limit was not applied (not run in the main thread)"
                    )
                    self.timer = None
            for key, value in _RUN_ENV.items():
                self.set_env(key, value)
            yield
        finally:
            if timer_installed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old_handler)
                if old_timer[0] > 0:
                    signal.setitimer(signal.ITIMER_REAL, old_timer[0], old_timer[1])
            colab.remove()
            if exit_filter in warnings.filters:
                warnings.filters.remove(exit_filter)
                getattr(warnings, "_filters_mutated", lambda: None)()
            getpass.getpass = saved_getpass
            builtins.input = saved_input
            for name, value in saved_sys.items():
                if value is _MISSING:
                    with contextlib.suppress(AttributeError):
                        delattr(sys, name)
                else:
                    setattr(sys, name, value)
            sys.path[:] = saved_path
            if saved_main is not None:
                sys.modules["__main__"] = saved_main
            with contextlib.suppress(OSError):
                os.chdir(saved_cwd)
            for key, value in self.saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    # -- cells ---------------------------------------------------------------------------

    def run_cell(self, shell: Any, number: int, source: str, cell_id: Any) -> list[dict]:
        self.outputs.begin(number)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        shell.execution_count = number
        shell._grader_shown = []
        escaped: BaseException | None = None
        result = None
        timer = self.timer
        try:
            if timer is not None:
                timer.arm(number)
            try:
                if not isinstance(cell_id, str):
                    cell_id = None
                result = shell.run_cell(source, store_history=True, cell_id=cell_id)
            finally:
                if timer is not None:
                    timer.disarm()
        except BaseException as exc:  # a timeout or an error that got past IPython
            escaped = exc
        if timer is not None:
            timer.disarm()

        errors = list(shell._grader_shown)
        for found in (
            getattr(result, "error_before_exec", None),
            getattr(result, "error_in_exec", None),
            escaped,
        ):
            if found is not None and not any(found is seen for seen in errors):
                errors.append(found)
        if timer is not None and timer.fired and not any(
            isinstance(e, CellTimeoutError) for e in errors
        ):
            errors.append(CellTimeoutError(timer.message()))  # swallowed by the student's code
        for error in errors:
            self._record_error(number, error)
        return self.outputs.finish()

    def _record_error(self, number: int, exc: BaseException) -> None:
        from IPython.core.error import UsageError  # noqa: PLC0415 - imported on first use

        ename = type(exc).__name__
        evalue = safe_str(exc)
        if isinstance(exc, UsageError):
            text = f"UsageError: {evalue}"
        else:
            text = format_cell_traceback(exc, self.places)
        self.errors.append(CellError(cell=number, ename=ename, evalue=evalue, traceback=text))
        self.outputs.error(ename, evalue, text.splitlines())



def run_notebook(
    path: str,
    *,
    cell_timeout: float | None = 30.0,
    max_output_bytes: int = 64_000,
    graded_names: Iterable[str] = (),
) -> NotebookRun:
    """Execute the notebook at ``path`` top to bottom in this process.

    Its outputs are then cut to ``max_output_bytes`` (``fit``), the cells that name one of
    ``graded_names`` kept first.

    Raises :class:`NotebookError` when the file is not a notebook we can run (the message
    names the file and says what to do); anything that goes wrong inside a cell is recorded
    in the result instead, and the remaining cells still run.
    """
    from .shell import (  # noqa: PLC0415 - IPython is imported on first use
        new_shell,
        prepare_matplotlib,
        release_shell,
        strip_ipython_names,
    )

    path = os.path.abspath(os.fspath(path))
    nb = load_notebook(path)
    run = Run(path, cell_timeout, max_output_bytes)
    state = current()
    state.places = run.places
    problem = schema_note(nb, run.name)
    if problem:
        run.notes.add(problem)
    cells_out: list[dict] = []
    state.run = run
    try:
        with run.process_state():
            shell, previous = new_shell(run)
            try:
                prepare_matplotlib(shell, run)
                number = 0
                for cell in nb.cells:
                    if not isinstance(cell, dict):
                        continue
                    if cell.get("cell_type") != "code":
                        cells_out.append(plain(cell))
                        continue
                    number += 1
                    outputs = run.run_cell(shell, number, cell.get("source", ""), cell.get("id"))
                    out = {k: plain(v) for k, v in cell.items() if k != "outputs"}
                    out["execution_count"] = number
                    out["outputs"] = outputs
                    out.setdefault("metadata", {})
                    cells_out.append(out)
            finally:
                release_shell(shell, previous)
        namespace = strip_ipython_names(shell)
    finally:
        state.run = None
    limit = run.outputs.limit
    cut = fit(cells_of(cells_out, run.outputs.actions, run.outputs.scales), limit,
              max(limit // 2, min(limit, 4096)), priority_cells(cells_out, graded_names))
    if cut:
        run.notes.add(cut)
    notebook = {
        "nbformat": 4,
        "nbformat_minor": nb.get("nbformat_minor", 5),
        "metadata": plain(nb.get("metadata", {})),
        "cells": cells_out,
    }
    return NotebookRun(
        namespace=namespace, notebook=notebook, errors=run.errors, notes=list(run.notes.items),
        versions=environment_note(),
    )


def plain(value: Any) -> Any:
    """NotebookNode -> plain dicts and lists (JSON-able)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
