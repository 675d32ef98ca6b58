"""What a notebook run gives back, and the two ways it fails."""

from __future__ import annotations

from dataclasses import dataclass, field


class NotebookError(Exception):
    """The file is not a notebook we can run (message says why and what to do)."""


class CellTimeoutError(BaseException):
    """Raised inside a cell that ran past its time limit.

    A ``BaseException`` so that a student's ``except Exception`` around a slow call does not
    swallow it.
    """


@dataclass
class CellError:
    cell: int  # 1-based index among code cells
    ename: str
    evalue: str
    traceback: str  # plain text, ANSI stripped, trimmed to the student's own frames


@dataclass
class NotebookRun:
    namespace: dict  # the notebook's global namespace after all cells ran
    notebook: dict  # the executed notebook as nbformat v4 JSON-able dict
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # soft notes for the student
    versions: str = ""  # "graded with Python 3.12.3, numpy 2.1.3, ..." (``versions``)
