"""One pytest session, kept open, that grades job after job.

``pytest.main`` runs in a background thread with ``GradingPlugin``; ``run(job)`` hands it a
job and waits. Collection, imports of the suites and module-scoped fixtures are paid once
per process instead of once per submission.
"""

from __future__ import annotations

import queue
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from ..errors import ConfigError
from .plugin import GradingPlugin, Job

PYTEST_ARGS = [
    # Every plugin the grading loop does not use costs hook calls on each of thousands of tests.
    "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "no:faulthandler",
    "-p", "no:warnings", "-p", "no:terminal", "-p", "no:logging", "-p", "no:junitxml",
    "-p", "no:pastebin", "-p", "no:nose", "-p", "no:doctest", "-p", "no:capture",
    "-p", "no:threadexception", "-p", "no:unraisableexception", "-p", "no:setuponly",
    "-p", "no:setupplan", "-p", "no:legacypath", "-p", "no:python_path",
    "--assert=plain", "--noconftest", "--import-mode=importlib",
    # Only our plugin: an installed pytest-timeout would os._exit the whole grading process.
    "--disable-plugin-autoload",
]


class SuiteSession:
    """A pytest session over ``suites`` that stays open until ``close``."""

    def __init__(self, suites: list[Path], *, options: dict[str, Any] | None = None) -> None:
        self.suites = suites
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.plugin = GradingPlugin(self.jobs, options or {})
        self.thread: threading.Thread | None = None
        self.exit_code: int | pytest.ExitCode | None = None
        self.crash: BaseException | None = None
        self.rootdir = Path(suites[0]).resolve().parent.parent if suites else Path.cwd()
        self._ini = tempfile.TemporaryDirectory(prefix="grader-pytest-")

    def start(self) -> SuiteSession:
        ini = Path(self._ini.name) / "pytest.ini"
        ini.write_text("[pytest]\n")
        # pytest keeps imported suites in sys.modules under names relative to the rootdir
        # ("probe.test_hidden"): an earlier session's module of that name, from another
        # course or from before the suite was edited, would be reused instead of this one.
        self._forget_suites()
        args = [*map(str, self.suites), *PYTEST_ARGS, "-c", str(ini),
                "--rootdir", str(self.rootdir)]
        self.thread = threading.Thread(target=self._main, args=(args,), daemon=True,
                                       name="grader-pytest")
        self.thread.start()
        while not self.plugin.ready.wait(0.05):
            if not self.thread.is_alive():
                break
        if self.plugin.collect_errors or not self.plugin.ready.is_set():
            detail = "\n".join(self.plugin.collect_errors) or repr(self.crash or self.exit_code)
            self.close()
            raise ConfigError(f"the test suites could not be collected:\n{detail}")
        return self

    def _main(self, args: list[str]) -> None:
        try:
            self.exit_code = pytest.main(args, plugins=[self.plugin])
        except BaseException as exc:  # noqa: BLE001 - reported by start()/run()
            self.crash = exc

    def run(self, job: Job) -> Job:
        if self.thread is None or not self.thread.is_alive():
            raise RuntimeError(f"the pytest session is not running ({self.crash!r})")
        self.jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job

    def max_scores(self, assignment: str) -> list[tuple[str, float]]:
        return self.plugin.max_scores(assignment)

    def close(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join(timeout=60)
        self._forget_suites()
        self._ini.cleanup()

    def _forget_suites(self) -> None:
        """Drop the modules imported from suite folders (any course's) from sys.modules."""
        folders = {Path(suite).resolve().parent for suite in self.suites}
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if not file or not name.split(".")[-1].startswith(("test_", "conftest")):
                continue
            path = Path(file)
            if path.parent in folders or path.parent.parent.name in ("reference", "assignments"):
                del sys.modules[name]

    def __enter__(self) -> SuiteSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
