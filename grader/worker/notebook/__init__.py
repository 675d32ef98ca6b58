"""Run a student's notebook top to bottom inside the worker, the way Jupyter would.

The worker that later answers the hidden tests' calls must be the process that holds the
notebook's namespace, so there is no kernel and no zmq here: a fresh IPython
``InteractiveShell`` runs the code cells in this process.  IPython's own machinery handles
magics (``%matplotlib inline``, ``%timeit``, ``%%time``), ``display()`` and ``!shell`` lines;
this module only redirects where their results go:

* stdout/stderr, ``display()`` and the value of a cell's last expression become nbformat
  outputs of that cell, capped at ``max_output_bytes`` for the whole notebook;
* an exception becomes a :class:`CellError` (and an ``error`` output) and the next cell runs;
* a cell that runs past ``cell_timeout`` seconds is interrupted by ``SIGALRM`` with
  :class:`CellTimeoutError`, a ``BaseException``, so ``except Exception`` does not swallow it;
* what cannot work in the grader says so in a note: ``import google.colab`` raises
  ``ImportError`` (the notebook runs outside Colab, and its detection idioms must see that),
  ``%pip``/``!pip install`` are skipped, ``input()`` raises ``EOFError`` at once instead of
  waiting for a person who never comes.

Everything the run changes in the process (``sys.std*``, ``sys.argv``, ``sys.path``, the
working directory, ``builtins.input``, environment variables, the ``SIGALRM`` handler,
``sys.modules['__main__']``) is put back when :func:`run_notebook` returns; what student code
imported or created stays, the namespace first of all.  Three things stay on purpose, because
the worker goes on calling the notebook's functions: the shell remains IPython's singleton (so
``display()`` inside those functions works), the matplotlib backend stays inline, and warnings
from the cells keep saying "Cell N, line L" (:func:`format_traceback` does the same for
errors).  Not thread-safe: one run at a time.

The package, one module per job: ``load`` (reading and checking the file), ``outputs``
(capture into nbformat outputs), ``tracebacks`` (errors and warnings that name the cells),
``shims`` (Colab, installs, ``input``), ``shell`` (the IPython subclasses), ``run`` (the timer,
the process state, :func:`run_notebook`), ``records`` (what a run returns) and ``state`` (the
run in progress, the latest run's cells).

It runs beside untrusted code, so it imports nothing from the rest of ``grader``; IPython and
nbformat are imported on first use (call :func:`preload` in a zygote to pay that once).
"""

from __future__ import annotations

from .records import CellError, CellTimeoutError, NotebookError, NotebookRun
from .run import preload, run_notebook
from .tracebacks import format_traceback

__all__ = [
    "CellError",
    "CellTimeoutError",
    "NotebookError",
    "NotebookRun",
    "format_traceback",
    "preload",
    "run_notebook",
]
