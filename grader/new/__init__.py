"""``grade new NAME``: a complete assignment to edit, which ``grade validate`` passes at once.

It writes the public half (``assignments/NAME/``: README, the stub script and its notebook,
``test_public.py``, ``assignment.toml``) and the instructor's half (``reference/NAME/``: the
solution, the hidden suite, one mutant, one alternative, and the mark of the one automatic
mutant that behaves like the solution) from ``templates``; a course
without a secret gets one (``reference/course-secret``). Nothing is released: ``course.toml``'s
list leaves the assignment out until ``grade release OUT -a NAME``.
"""

from __future__ import annotations

import keyword
import re
import secrets
from pathlib import Path
from string import Template

from ..course import Course
from ..errors import ConfigError
from ..seeds import SECRET_FILE
from ..stub import render
from ..validate.mutate.equivalent import EQUIVALENT_FILE
from ..validate.mutate.mutants import make_mutants
from . import templates

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _files(name: str) -> dict[str, str]:
    """Course-relative path -> text, for every file of the new assignment but the notebook."""
    fill = {"name": name}
    return {f"assignments/{name}/{path}": Template(text).substitute(fill)
            for path, text in (("README.md", templates.README), (f"{name}.py", templates.STUB),
                               ("test_public.py", templates.PUBLIC),
                               ("assignment.toml", templates.TOML))} | {
        f"reference/{name}/{path}": Template(text).substitute(fill)
        for path, text in (("solution.py", templates.SOLUTION),
                           ("test_hidden.py", templates.HIDDEN),
                           ("mutants/sums_instead_of_mean.py", templates.MUTANT),
                           ("alternatives/loop_over_rows.py", templates.ALTERNATIVE))}


def _last_axis_mutant(solution: Path) -> str:
    """The id of the solution's one equivalent mutant (``axis=1`` -> ``axis=-1``)."""
    return next(m.id for m in make_mutants(solution.read_text(encoding="utf-8"))
                if m.operator == "axis" and "+    return x.mean(axis=-1)" in m.diff)


def main(*, name: str, course_dir: Path | None = None) -> list[Path]:
    """Write the new assignment ``name`` into the course folder.

    Args:
        name: the assignment's name, also its function's and its script's: lower case
            letters, digits and ``_``, starting with a letter, not a Python keyword.
        course_dir: the course folder; default: the current folder (created when missing).

    Returns:
        Every file written.

    Raises:
        ConfigError: a name that is no identifier, or an assignment that exists already.
    """
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise ConfigError(f"{name!r} cannot name an assignment: use lower case letters, digits "
                          "and _, starting with a letter (it names the function and the file)")
    root = Path(course_dir) if course_dir is not None else Path.cwd()
    taken = [p for p in (root / "assignments" / name, root / "reference" / name) if p.exists()]
    if taken:
        raise ConfigError(f"{taken[0]} exists already: pick another name or remove it")
    written = []
    for relative, text in _files(name).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    stub = root / "assignments" / name / f"{name}.py"
    notebook = stub.with_suffix(".ipynb")
    notebook.write_text(render(stub), encoding="utf-8")
    written.append(notebook)
    equivalent = root / "reference" / name / EQUIVALENT_FILE
    equivalent.write_text(Template(templates.EQUIVALENT).substitute(
        mutant=_last_axis_mutant(root / "reference" / name / "solution.py")), encoding="utf-8")
    written.append(equivalent)
    Course(root).hold_back(name)  # written, not released: course.toml leaves it out
    secret = root / "reference" / SECRET_FILE
    if not secret.exists():
        secret.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        written.append(secret)
    return sorted(written)
