"""A sandboxed autograder for machine-learning courses.

Student code runs in a sandboxed worker; the hidden tests, the reference and every assertion
stay in the trusted process. This top-level module stays light: the worker imports
``grader.worker`` inside the sandbox, and must not pull the trusted side in with it.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]


def check(assignment: str, path: str | None = None, **kwargs: Any) -> Any:
    """Run an assignment's public tests from a notebook or a script (``grader.checking``)."""
    from .checking import notebook_check  # noqa: PLC0415 - keeps ``import grader`` light

    return notebook_check(assignment, path, **kwargs)
