"""The generated batch of ``bench_grade.py``: the course's parts, the students, their files.

The mix is 60% correct (the reference solution or a correct alternative from
``reference/<name>/alternatives``), 30% with one bug (one part replaced by a mutant from
``reference/<name>/mutants``), 10% broken (one part with an infinite loop in one function,
an exception at import, or ``os._exit`` in one function), deterministic for a seed.
``nbgrader_compare.py`` draws the same batch.
"""

from __future__ import annotations

import ast
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

COURSE = Path(__file__).resolve().parents[1]
NUMERIC = ("softmax", "cross_entropy", "kfold", "early_stopping")
BROKEN_KINDS = ("loop", "import_error", "exit")
# A short call per part, as a student tries their code in the notebook; only the API that
# DESIGN.md fixes is used, and a failing demo is just a cell error in the executed notebook.
DEMOS = {
    "softmax": "print(softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])))",
    "cross_entropy": "print(cross_entropy(np.array([0, 1]), np.array([[0.9, 0.1], [0.2, 0.8]])))",
    "kfold": "print(list(kfold_indices(10, 3))[:1])",
    "early_stopping": (
        "stopper = EarlyStopping(patience=2)\n"
        "print([stopper.step(v) for v in [1.0, 0.8, 0.9, 0.85, 0.95]])"
    ),
}


# -- the course's parts --------------------------------------------------------------------
@dataclass
class Part:
    """One finished assignment: the file it is graded from and the sources to draw from."""

    name: str
    file: str
    names: list[str]
    correct: list[str]
    mutants: dict[str, str]


def load_parts(course: Path, wanted: list[str]) -> tuple[list[Part], list[str]]:
    """The finished assignments among ``wanted``, and a line for each one skipped."""
    parts: list[Part] = []
    skipped: list[str] = []
    for name in wanted:
        toml = course / "assignments" / name / "assignment.toml"
        solution = course / "reference" / name / "solution.py"
        suite = course / "reference" / name / "test_hidden.py"
        missing = [p.relative_to(course).as_posix() for p in (toml, solution, suite)
                   if not p.is_file()]
        if missing:
            skipped.append(f"{name} (missing {', '.join(missing)})")
            continue
        head = tomllib.loads(toml.read_text())["assignment"]
        alternatives = sorted((course / "reference" / name / "alternatives").glob("*.py"))
        mutants = sorted((course / "reference" / name / "mutants").glob("*.py"))
        parts.append(Part(
            name=name,
            file=next(f for f in head.get("files", [f"{name}.py"]) if f.endswith(".py")),
            names=list(head.get("names", [])),
            correct=[solution.read_text()] + [p.read_text() for p in alternatives],
            mutants={p.stem: p.read_text() for p in mutants},
        ))
    return parts, skipped


def break_source(source: str, names: list[str], kind: str) -> str:
    """``source`` with one realistic fault: a loop or ``os._exit`` in one function, or an
    exception at import (a data file read at the top level that the sandbox does not have)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    if kind == "import_error":
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        at = (imports[-1].end_lineno or 0) if imports else 0
        lines.insert(at, 'TRAIN = open("data/train.csv").read()  # tried it on my own data')
        return "\n".join(lines) + "\n"
    target = _function_to_break(tree, names)
    if target is None:
        raise ValueError(f"no function to break among {names}")
    first = target.body[0]
    indent = " " * first.col_offset
    if kind == "loop":
        fault = [f"{indent}while True:  # converges eventually, surely", f"{indent}    pass"]
    elif kind == "exit":
        fault = [f"{indent}import os", f"{indent}os._exit(3)  # stop here while debugging"]
    else:
        raise ValueError(f"unknown fault {kind!r}")
    lines[first.lineno - 1:first.lineno - 1] = fault
    return "\n".join(lines) + "\n"


def _function_to_break(tree: ast.Module, names: list[str]) -> ast.FunctionDef | None:
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    for name in names:
        if name in functions:
            return functions[name]
        if name in classes:
            methods = [m for m in classes[name].body if isinstance(m, ast.FunctionDef)]
            public = [m for m in methods if not m.name.startswith("_")]
            if public or methods:
                return (public or methods)[0]
    return None


# -- the batch -----------------------------------------------------------------------------
@dataclass
class Student:
    """What was generated for one student: the category and the part that is wrong."""

    name: str
    category: str
    part: str | None = None
    detail: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def plan_batch(parts: list[Part], n: int, seed: int, broken_kinds: tuple[str, ...],
               shares: tuple[float, float, float]) -> list[Student]:
    """``n`` students: ``shares`` of correct / one bug / broken, shuffled, reproducible."""
    rng = random.Random(seed)
    n_correct = round(n * shares[0])
    n_bug = round(n * shares[1]) if any(p.mutants for p in parts) else 0
    n_broken = n - n_correct - n_bug if broken_kinds else 0
    n_correct = n - n_bug - n_broken
    categories = ["correct"] * n_correct + ["bug"] * n_bug
    categories += [broken_kinds[i % len(broken_kinds)] for i in range(n_broken)]
    rng.shuffle(categories)
    buggable = [p for p in parts if p.mutants]
    students = []
    for index, category in enumerate(categories):
        student = Student(name=f"student_{index:04d}", category=category)
        for part in parts:
            student.sources[part.name] = rng.choice(part.correct)
        if category == "bug":
            part = rng.choice(buggable)
            mutant = rng.choice(sorted(part.mutants))
            student.part, student.detail = part.name, mutant
            student.sources[part.name] = part.mutants[mutant]
        elif category != "correct":
            part = rng.choice(parts)
            student.part, student.detail = part.name, category
            student.sources[part.name] = break_source(student.sources[part.name], part.names,
                                                      category)
        students.append(student)
    return students


def write_batch(students: list[Student], parts: list[Part], root: Path, kind: str) -> None:
    for student in students:
        folder = root / student.name
        folder.mkdir(parents=True)
        if kind == "scripts":
            for part in parts:
                header = f"# {student.name}: {part.name}\n"
                (folder / part.file).write_text(header + student.sources[part.name])
        else:
            (folder / "assignment.ipynb").write_text(_notebook(student, parts))


def _notebook(student: Student, parts: list[Part]) -> str:
    import nbformat  # noqa: PLC0415 - only for --kind notebooks

    cells = [nbformat.v4.new_markdown_cell(f"# ML basics: exercises\n{student.name}"),
             nbformat.v4.new_code_cell("import numpy as np")]
    for number, part in enumerate(parts, 1):
        cells.append(nbformat.v4.new_markdown_cell(f"## Part {number}: {part.name}"))
        cells.append(nbformat.v4.new_code_cell(student.sources[part.name].strip()))
        demo = DEMOS.get(part.name, "")
        if student.part == part.name and student.category in ("loop", "exit"):
            # A student whose demo hung or killed the kernel comments it out and submits.
            demo = "\n".join(f"# {line}" for line in demo.splitlines())
        if demo:
            cells.append(nbformat.v4.new_code_cell(demo))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return nbformat.writes(notebook)
