"""Every failure the grader names, in one tree.

    GraderError                      anything the grader reports as its own failure
    ├── ConfigError                  a bad assignment.toml, unknown assignment, bad option
    │   ├── GradebookNotFound        a verb that reads a gradebook was given none that exists
    │   └── OutputError              an output file or folder cannot be written
    ├── SubmissionError              a submission that cannot be graded as laid out
    │   ├── InvalidNotebookError     broken JSON, old nbformat, a renamed script
    │   │   └── NotebookTooDeepError JSON nested past what a notebook needs (refused unparsed)
    │   └── RefusedFileError         a link, FIFO, device or oversized file discovery does not read
    ├── StudentCodeError             the student's code did not load or lacks a required name
    ├── SandboxUnavailable           --require-sandbox without bwrap
    ├── ProtocolError                the worker sent something that is not our wire format
    └── GradebookError               the database could not be reached or written

    GradingAborted (BaseException)   ends the current test; student code must not swallow it
    ├── WorkerDiedError              the worker process exited or crashed
    └── SubmissionTimeout            a call or the whole assignment ran past its wall time

``GraderError.exit_code`` is what ``grade`` exits with (``cli`` converts it in one place);
``GradingAborted.status`` is the status of the test it ended (``engine.plugin.classify``).

``RemoteException`` (in ``grader.engine.proxy``) carries an exception raised by the student's
code; it is an ordinary ``Exception`` so hidden tests can ``pytest.raises`` it. A notebook
that cannot be run, or memory the student's code ran out of, reaches the grade that way (as
the file's load error, or as the student's ``MemoryError``). The worker's own exceptions,
which never cross the boundary as objects, are drawn in ``grader/worker/__init__.py``.
"""

from __future__ import annotations

from typing import Literal

EXIT_FAILURES = 1
"""``check`` or ``validate`` ran and found failures."""
EXIT_USAGE = 2
"""A usage error: a missing folder, an unknown assignment, a bad config."""
EXIT_INFRA = 3
"""Our infrastructure failed: the required sandbox is missing, the gradebook is unreachable."""


class GraderError(Exception):
    """Root of the grader's own failures; ``exit_code`` is what ``grade`` exits with."""

    exit_code = EXIT_USAGE


class ConfigError(GraderError):
    """A configuration value is missing, unknown or of the wrong type."""


class GradebookNotFound(ConfigError):
    """``--db`` names no gradebook (a typo, most likely); nothing was created."""


class OutputError(ConfigError):
    """A report, export or results file cannot be written where the user asked."""


class SubmissionError(GraderError):
    """A submission folder or file cannot be graded as it is laid out."""


class InvalidNotebookError(SubmissionError):
    """A ``.ipynb`` file that nbformat cannot read as a version 4 notebook."""


class NotebookTooDeepError(InvalidNotebookError):
    """Notebook JSON nested deeper than any notebook needs: refused before it is parsed on."""


class RefusedFileError(SubmissionError):
    """An entry of a student's folder that discovery does not read, and why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class StudentCodeError(GraderError):
    """The student's files did not load, or do not define what the assignment asks for."""


class SandboxUnavailable(GraderError):
    """The sandbox that was required is not installed or does not start."""

    exit_code = EXIT_INFRA


class ProtocolError(GraderError):
    """A frame from the worker broke the wire format (size, encoding, types)."""


class GradebookError(GraderError):
    """The gradebook database could not be opened, migrated or written."""

    exit_code = EXIT_INFRA


class GradingAborted(BaseException):
    """Ends the current test from the grader's side; never an ordinary Exception."""

    status: Literal["error", "timeout"] = "error"


class WorkerDiedError(GradingAborted):
    """The worker process ended while a call was in flight."""

    status = "error"


class SubmissionTimeout(GradingAborted):
    """A call into student code, or the whole assignment, ran past its wall time."""

    status = "timeout"

