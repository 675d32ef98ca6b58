"""The IPython shell the cells run in: outputs, errors and side doors go to the grader.

Importing this module imports IPython: ``run`` imports it on first use (``preload`` pays for
it once in a zygote).
"""

from __future__ import annotations

import builtins
import codecs
import contextlib
import functools
import os
import re
import signal
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from .shims import install_magic, installs_disabled, is_install, note
from .tracebacks import safe_str

if TYPE_CHECKING:
    from .run import Run

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@functools.cache
def ipython_dir() -> str:
    """One scratch IPython directory per process, so nothing is written under ``~``."""
    import atexit
    import shutil

    configured = os.environ.get("IPYTHONDIR")
    if configured:
        # The grader's worker names one inside its scratch folder, wiped with it.
        os.makedirs(configured, exist_ok=True)
        return configured
    path = tempfile.mkdtemp(prefix="grader-ipython-")
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def profile_dir() -> Any:
    from IPython.core.profiledir import ProfileDir

    return ProfileDir.create_profile_dir_by_name(ipython_dir(), "default")


class GraderDisplayPublisher(DisplayPublisher):
    def publish(  # type: ignore[override]
        self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs
    ):
        self.shell._grader_outputs.display(data, metadata, transient, update)

    def clear_output(self, wait=False):
        self.shell._grader_outputs.clear(wait)

class GraderDisplayHook(DisplayHook):
    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell._grader_outputs.execute_result(format_dict, md_dict)

    def log_output(self, format_dict):
        pass

    def finish_displayhook(self):
        self._is_active = False

class GraderShell(InteractiveShell):
    """An InteractiveShell whose outputs, errors and side doors go to the grader."""

    display_pub_class = GraderDisplayPublisher
    displayhook_class = GraderDisplayHook

    def __init__(self, *args, **kwargs):
        self._grader_outputs = kwargs.pop("grader_outputs")
        self._grader_shown: list[BaseException] = []
        self._grader_exit_code: int | None = None
        super().__init__(*args, **kwargs)

    # -- quieter, cheaper set-up --------------------------------------------------------
    def init_virtualenv(self):
        pass

    def init_completer(self):
        self.Completer = None

    @contextlib.contextmanager
    def _tee(self, channel):  # IPython 9 keeps every output in memory for %history
        yield

    def _format_exception_for_storage(self, exception, *args, **kwargs):
        return {
            "ename": type(exception).__name__,
            "evalue": safe_str(exception),
            "traceback": [],
        }

    # -- errors are recorded, the grader formats them ----------------------------------
    def _record(self, exc_tuple=None):
        try:
            value = self._get_exc_info(exc_tuple)[1]
        except ValueError:
            return
        if value is not None and not any(value is seen for seen in self._grader_shown):
            self._grader_shown.append(value)

    def showtraceback(
        self,
        exc_tuple=None,
        filename=None,
        tb_offset=None,
        exception_only=False,
        running_compiled_code=False,
    ):
        self._record(exc_tuple)

    def showsyntaxerror(self, filename=None, running_compiled_code=False):
        self._record()

    def showindentationerror(self):
        self._record()

    def show_usage_error(self, exc):
        if not any(exc is seen for seen in self._grader_shown):
            self._grader_shown.append(exc)

    # -- matplotlib: always inline -----------------------------------------------------
    def enable_gui(self, gui=None):
        pass

    def enable_matplotlib(self, gui=None):
        if gui not in (None, "auto", "inline", "agg"):
            note(
                f"matplotlib backend {gui!r} is not available in the grader; "
                "figures are shown inline"
            )
        use_inline(self)
        return "inline", INLINE_BACKEND

    def ask_exit(self):
        note("exit() does not stop the grader; the remaining cells still ran")

    # -- shell commands ----------------------------------------------------------------
    def system_piped(self, cmd):
        cmd = self.var_expand(cmd, depth=1)
        if is_install(cmd):
            installs_disabled(f"!{cmd.strip()}")
            self.user_ns["_exit_code"] = self._grader_exit_code = 0
            return
        self.user_ns["_exit_code"] = self._grader_exit_code = run_shell(cmd)

    system = system_piped
    system_raw = system_piped

    def getoutput(self, cmd, split=True, depth=0):
        expanded = self.var_expand(cmd, depth=depth + 1)
        if is_install(expanded):
            installs_disabled(f"!{expanded.strip()}")
            return super().getoutput("true", split=split)
        return super().getoutput(cmd, split=split, depth=depth + 1)


def _config() -> Config:
    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.warn_venv = False
    return config


CONFIG = _config()
"""The shell's configuration: no history file, no colours, no virtualenv warning."""


def _shell_executable() -> str | None:
    for candidate in ("/bin/bash", "/usr/bin/bash"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def run_shell(cmd: str) -> int:
    """``!cmd``: run it in a shell, its output (stdout and stderr merged, as in Jupyter) into
    the cell's stdout.  A failure says so; the per-cell timeout ends the process group."""
    if cmd.rstrip().endswith("&"):
        print("[background shell commands are not supported in the grader]", file=sys.stderr)
        return 1
    try:
        proc = subprocess.Popen(
            cmd,
            shell=True,
            executable=_shell_executable(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        print(f"[shell command could not start: {exc}]", file=sys.stderr)
        return 127
    try:
        assert proc.stdout is not None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        while True:
            chunk = proc.stdout.read1(65536)  # type: ignore[attr-defined]
            text = decoder.decode(chunk, final=not chunk)
            if text:
                sys.stdout.write(text)
            if not chunk:
                break
        code = proc.wait()
    finally:
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    if code != 0:
        status = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        print(f"[shell command `{cmd.strip()}` {status}]", file=sys.stderr)
    return code


def prepare_matplotlib(shell: Any, run: Run) -> None:
    """Inline figures, as in Jupyter, without importing matplotlib for notebooks that never
    plot: if it is not imported yet, ``MPLBACKEND`` picks the inline backend when it is (and
    the backend module then configures the shell itself)."""
    if "matplotlib" not in sys.modules:
        run.set_env("MPLBACKEND", INLINE_BACKEND)
        return
    try:
        use_inline(shell)
    except Exception as exc:  # plotting trouble must not stop the run
        note(f"inline figures could not be set up ({type(exc).__name__}: {exc})")


def use_inline(shell: Any) -> None:
    """Switch matplotlib to the inline backend for ``shell``.

    Does what ``InteractiveShell.enable_matplotlib("inline")`` does, minus the backend-name
    resolution that scans every installed package's entry points (tens of milliseconds).
    """
    import matplotlib
    from matplotlib_inline import backend_inline

    # A previous run in this process left the inline backend configured for its own shell.
    with contextlib.suppress(AttributeError):
        del backend_inline.configure_inline_support.current_backend  # type: ignore[attr-defined]
    backend_inline.show._to_draw = []  # type: ignore[attr-defined]
    backend_inline.show._draw_called = False  # type: ignore[attr-defined]
    if "matplotlib.pyplot" in sys.modules:
        from IPython.core.pylabtools import activate_matplotlib

        sys.modules["matplotlib.pyplot"].close("all")
        activate_matplotlib(INLINE_BACKEND)
    else:  # pyplot, when imported, loads the backend named here
        matplotlib.interactive(True)
        matplotlib.rcParams["backend"] = INLINE_BACKEND
    backend_inline.configure_inline_support(shell, INLINE_BACKEND)



def new_shell(run: Run) -> tuple[Any, Any]:
    base = InteractiveShell
    previous = base._instance if base.initialized() else None
    shell = GraderShell(
        config=CONFIG,
        ipython_dir=ipython_dir(),
        profile_dir=profile_dir(),
        user_ns={"__name__": "__main__"},
        grader_outputs=run.outputs,
    )
    import atexit

    atexit.unregister(shell.atexit_operations)
    # display() and get_ipython() look for the singleton; point them at this shell (IPython
    # types the attribute as None).
    GraderShell._instance = shell  # type: ignore[assignment]
    base._instance = shell  # type: ignore[assignment]
    for name in ("pip", "conda", "mamba", "micromamba", "uv"):
        shell.register_magic_function(install_magic(name), "line", name)
    orig_cache = shell.compile.cache

    def cache(transformed_code, number=0, raw_code=None):
        name = orig_cache(transformed_code, number, raw_code)
        run.places.add_cell(name, run.outputs.cell, raw_code, transformed_code)
        return name

    shell.compile.cache = cache
    return shell, previous


def release_shell(shell: Any, previous: Any) -> None:
    """Leave this shell as the singleton (so ``display()`` in student functions keeps working
    when the worker calls them), unless it displaced somebody else's shell."""
    if previous is not None and not isinstance(previous, GraderShell):
        GraderShell._instance = None
        InteractiveShell._instance = previous


_UNDERSCORE = re.compile(r"_i{0,3}$|_i?\d+$|_{2,3}$")


def strip_ipython_names(shell: Any) -> dict:
    """The namespace as the student's code left it, without IPython's bookkeeping names."""
    ns = shell.user_ns
    hidden = shell.user_ns_hidden
    for key in list(ns):
        if key in hidden and ns[key] is hidden[key] and key not in ("__name__", "__builtins__"):
            del ns[key]
    if ns.get("__builtin__") is builtins:
        del ns["__builtin__"]
    code = getattr(shell, "_grader_exit_code", None)
    if code is not None and ns.get("_exit_code") is code:
        del ns["_exit_code"]
    out_cache = getattr(shell.history_manager, "output_hist", {})
    inputs = getattr(shell.history_manager, "input_hist_raw", [])
    hm = shell.history_manager
    dh = shell.displayhook
    for key in [k for k in ns if _UNDERSCORE.match(k)]:
        value = ns[key]
        owned = False
        if key in ("_", "__", "___"):
            owned = value is getattr(dh, key, object())
        elif key in ("_i", "_ii", "_iii"):
            owned = value == getattr(hm, key, object())
        elif key.startswith("_i"):
            idx = int(key[2:])
            owned = idx < len(inputs) and value == inputs[idx]
        else:
            idx = int(key[1:])
            owned = out_cache.get(idx, object()) is value
        if owned:
            del ns[key]
    return ns

