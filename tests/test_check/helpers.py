"""Running the real ``grade`` command, as a student would, and writing submissions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
SOLUTION = REPO / "reference" / "softmax" / "solution.py"
NAIVE = '''import numpy as np


def softmax(x, axis=-1):
    e = np.exp(np.asarray(x))
    return e / e.sum(axis=axis, keepdims=True)
'''


def grade_command() -> list[str]:
    """The ``grade`` script of this environment, else the same entry point through python."""
    script = Path(sys.executable).parent / "grade"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "grader.cli"]


def student_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def grade(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*grade_command(), *map(str, args)], cwd=cwd, env=student_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def write_notebook(path: Path, *cells: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, str(path))
    return path
