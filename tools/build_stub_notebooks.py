"""Build each assignment's stub notebook from its stub script and README.

    python tools/build_stub_notebooks.py            # (re)write assignments/*/<name>.ipynb
    python tools/build_stub_notebooks.py --check    # exit 1 if a notebook is out of date

The notebook holds three cells: the README's summary (everything above the line
``<!-- notebook-summary-end -->``) as markdown, the stub script as code, and a markdown note on
how to self-check. The script stays the single source of the stub, so the two cannot drift
apart. Cell ids are fixed, which keeps the output byte-for-byte reproducible.

Assignments whose folder lacks ``<name>.py`` or a README with the marker are skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- notebook-summary-end -->"


def build(folder: Path) -> nbformat.NotebookNode | None:
    """Return the notebook for ``folder``, or None if it has no stub or no summary marker."""
    name = folder.name
    stub, readme = folder / f"{name}.py", folder / "README.md"
    if not stub.is_file() or not readme.is_file() or MARKER not in readme.read_text():
        return None
    summary = readme.read_text().split(MARKER, 1)[0].strip()
    summary += (
        "\n\nThe full task, with every input, edge case and error, is in `README.md`: "
        "it is the contract your code is graded against."
    )
    howto = (
        "Write your solution in the cell above, replacing each `raise NotImplementedError`. "
        "Keep the names and signatures. The notebook is run from top to bottom when it is "
        "graded, so do not leave cells that fail or wait for input.\n\n"
        f"Self-check before you submit: `grade check {name} {name}.ipynb`"
    )
    nb = new_notebook(
        cells=[
            new_markdown_cell(summary, id=f"{name}-task"),
            new_code_cell(stub.read_text().rstrip("\n"), id=f"{name}-stub"),
            new_markdown_cell(howto, id=f"{name}-check"),
        ],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(nb)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    stale = []
    for folder in sorted(p for p in (ROOT / "assignments").iterdir() if p.is_dir()):
        nb = build(folder)
        if nb is None:
            continue
        target = folder / f"{folder.name}.ipynb"
        text = nbformat.writes(nb) + "\n"
        if target.is_file() and target.read_text() == text:
            continue
        stale.append(target.relative_to(ROOT))
        if not args.check:
            target.write_text(text)
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
