"""The bundle's top-level README: how a student installs the checks and runs them."""

from __future__ import annotations

from ..config import AssignmentConfig


def student_readme(configs: list[AssignmentConfig]) -> str:
    rows = "\n".join(
        f"| `{c.name}` | {c.title or c.name} | `assignments/{c.name}/` | "
        f"{', '.join(f'`{f}`' for f in c.files) or 'a notebook'} |"
        for c in configs
    )
    first = configs[0].name if configs else "softmax"
    first_file = configs[0].files[0] if configs and configs[0].files else f"{first}.py"
    return f"""# Course assignments

Each folder under `assignments/` holds one assignment:

| name | task | folder | hand in |
|---|---|---|---|
{rows}

In each folder, `README.md` is the task (read it first: it says exactly what the functions
take and return), `<name>.py` and `<name>.ipynb` are stubs to write your code in (a script
or a notebook, whichever you prefer), `test_public.py` holds the public checks, and
`assignment.toml` the time and memory limits your code runs under.

## Install the checks (once)

You need Python 3.11 or newer. In this folder:

```bash
python -m venv .venv
source .venv/bin/activate          # Windows: use WSL (see below)
pip install -e .                   # the `grade` command and the course's libraries
pip install -e '.[jet]'            # only for jet_classifier: TensorFlow/Keras
```

`pip install -e .` (editable) lets `grade check` find the assignments from any folder.
With a plain `pip install .`, run it inside this folder (or below it), or pass
`--course PATH-TO-THIS-FOLDER`. `requirements.txt` lists the same libraries for
environments where you only want those (`pip install -r requirements.txt`).

## Check your work

From a terminal, in the assignment's folder:

```bash
cd assignments/{first}
grade check {first}                  # checks ./{first_file}, else the notebook defining it
grade check {first} my_attempt.py    # any script: it is checked as {first_file}
grade check {first} {first}.ipynb    # a notebook: it runs top to bottom first
```

From inside a Jupyter notebook, after the cells that define your functions:

```python
from grader import check
check("{first}")                     # checks the cells this notebook has run
```

Every check prints `PASS name` or `FAIL name (points)` with a message that says what went
wrong and the idea behind it. The exit code is 0 when every check passed, 1 when one failed,
and 2 when the command was used wrongly (an unknown assignment, a missing file).

The public checks are a subset of the grading: the hidden tests try more inputs and edge
cases, so passing every public check does not guarantee full marks. Read the README's
"edge cases" section and test those yourself too.

## How your code is run

Your file is copied into a fresh folder and run in a separate process, with the time and
memory limits of `assignment.toml`; the checks call your functions from outside. So:

- define the functions at the top level of the script or notebook, with the names and
  arguments the README gives;
- keep slow work (plots, experiments) out of the file you hand in, or behind
  `if __name__ == "__main__":` in a script;
- do not read files next to your code unless the README says so: only the file itself is
  copied.

On Linux with `bubblewrap` installed (`sudo apt install bubblewrap`) your code runs in the
same sandbox as in the real grading (no network, nothing else of your disk visible);
without it, it runs as a plain process. Both give the same results for correct code.

## Windows

The grader's worker uses POSIX features (`fork`, passing file descriptors), so `grade check`
runs on Linux and macOS. On Windows, use WSL (Windows Subsystem for Linux): install
Ubuntu from the Microsoft Store, open it, and follow the steps above inside it.
"""
