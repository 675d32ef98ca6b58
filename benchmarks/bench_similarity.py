"""Benchmark ``grade similarity`` on a generated class: time, memory, copies found.

The batch (deterministic for ``--seed``), for each of the four numeric assignments:

- honest students (the rest) write their own code: the assignment's functions with a body of
  ``--statements`` generated statements (assignments of numpy calls, arithmetic, branches,
  loops, comprehensions over the student's own variables) and a helper they call, so no two
  are alike yet all draw on the same small vocabulary, as real answers do;
- ``--copy-share`` of the students (5% by default) copy another student's file for the
  assignment and disguise it (renamed, recommented, reordered, reformatted);
- ``--stub-share`` (10%) hand in the stub as released;
- ``--notebook-share`` (25%) hand in one notebook with every part instead of scripts.

Then it runs the real command line (``grade similarity DIR --out --json``) in a subprocess and
prints the wall time, the CPU time (the command is one process, so on a busy machine the CPU
time is what it would take alone), the peak memory, the pairs scored and flagged,
and how many planted copies were flagged (recall) and how many flagged pairs were not
planted copies.

    .venv/bin/python benchmarks/bench_similarity.py --n 500
    .venv/bin/python benchmarks/bench_similarity.py --n 100 --keep
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.similarity.disguise import as_notebook, disguise  # noqa: E402

PARTS = {
    "softmax": [("softmax", "x, axis=-1")],
    "cross_entropy": [("cross_entropy", "y_true, y_pred, eps=1e-12")],
    "kfold": [("kfold_indices", "n_samples, k, shuffle=False, seed=None"),
              ("cross_val_score", "fit_and_score, X, y, k")],
    "early_stopping": [("EarlyStopping", "")],
}
FUNCTIONS = ("exp", "log", "max", "min", "sum", "mean", "abs", "sqrt", "clip", "where",
             "asarray", "zeros_like", "ones_like", "maximum", "minimum", "cumsum", "sort",
             "argmax", "isfinite", "concatenate", "arange", "full_like", "expand_dims")
OPERATORS = ("+", "-", "*", "/")
COMPARISONS = ("<", ">", "<=", ">=", "==")


def expression(rng: random.Random, names: list[str], depth: int = 0) -> str:
    """A random expression over the student's own names, up to three levels deep."""
    if depth >= 3 or rng.random() < 0.25:
        return rng.choice(names) if rng.random() < 0.8 else str(rng.randrange(1, 9))
    inner = lambda: expression(rng, names, depth + 1)  # noqa: E731
    kind = rng.randrange(10)
    if kind == 0:
        return f"np.{rng.choice(FUNCTIONS)}({inner()})"
    if kind == 1:
        return f"np.{rng.choice(FUNCTIONS)}({inner()}, axis={rng.choice((0, 1, -1))})"
    if kind == 2:
        return f"np.{rng.choice(FUNCTIONS)}({inner()}, {inner()})"
    if kind == 3:
        return f"({inner()} {rng.choice(OPERATORS)} {inner()})"
    if kind == 4:
        return f"({inner()})[{rng.choice(('1:', ':-1', '::2', '0', '-1', 'None'))}]"
    if kind == 5:
        return f"({inner()}).{rng.choice(('T', 'shape[0]', 'size', 'ndim', 'real'))}"
    if kind == 6:
        return f"{rng.choice(('len', 'float', 'abs', 'int', 'sorted', 'list'))}({inner()})"
    if kind == 7:
        return f"({inner()}).reshape(-1, {rng.randrange(1, 5)})"
    if kind == 8:
        return f"[{inner()} for q in range({rng.randrange(2, 9)})]"
    return f"({inner()} if {inner()} {rng.choice(COMPARISONS)} {inner()} else {inner()})"


def statement(rng: random.Random, names: list[str], indent: str) -> str:
    target = f"{rng.choice(('v', 'w', 't', 'acc', 'cur', 'res', 'tmp'))}{rng.randrange(30)}"
    kind = rng.randrange(5)
    if kind <= 1:
        line = f"{target} = {expression(rng, names)}"
    elif kind == 2:
        line = (f"if {expression(rng, names, 1)} {rng.choice(COMPARISONS)} "
                f"{expression(rng, names, 2)}:\n{indent}    {target} = "
                f"{expression(rng, names, 1)}\n{indent}else:\n{indent}    {target} = "
                f"{expression(rng, names, 2)}")
    elif kind == 3:
        line = (f"for i{rng.randrange(5)} in range({rng.randrange(2, 9)}):\n{indent}    "
                f"{target} = {expression(rng, names, 1)}")
    else:
        line = (f"{target} = {rng.choice(names)}\n{indent}{target} "
                f"{rng.choice(OPERATORS)}= {expression(rng, names, 1)}")
    names.append(target)
    return indent + line


def body(rng: random.Random, params: list[str], statements: int, indent: str,
         helper: str) -> str:
    names = [p for p in params if p not in ("self",)] or ["value"]
    lines = [statement(rng, names, indent) for _ in range(statements)]
    lines.append(f"{indent}return {helper}({names[-1]}, {names[0]})")
    return "\n".join(lines)


def honest(rng: random.Random, assignment: str, statements: int) -> str:
    helper = f"_{assignment}_helper"  # one per assignment: a notebook holds them all
    parts = ["import numpy as np", ""]
    parts.append(f"def {helper}(a, b):\n"
                 + body(rng, ["a", "b"], max(3, statements // 4), "    ", "np.add") + "\n")
    for name, params in PARTS[assignment]:
        if name == "EarlyStopping":
            parts.append("class EarlyStopping:\n"
                         "    def __init__(self, patience=5, min_delta=0.0, mode='min', "
                         "restore_best=True):\n"
                         "        self.patience = patience\n"
                         + body(rng, ["patience", "min_delta"], statements // 2, "        ",
                                helper).replace("return ", "self.state = ") + "\n\n"
                         "    def step(self, value, weights=None):\n"
                         + body(rng, ["value", "weights"], statements // 2, "        ", helper)
                         + "\n")
        else:
            arguments = [p.split("=")[0].strip() for p in params.split(",")]
            parts.append(f"def {name}({params}):\n"
                         + body(rng, arguments, statements, "    ", helper) + "\n")
    return "\n\n".join(parts)


def build(root: Path, n: int, args: argparse.Namespace) -> set[tuple[str, str, str]]:
    """Write the class; return the planted copies as (assignment, copier, original)."""
    rng = random.Random(args.seed)
    students = [f"student{i:04d}" for i in range(n)]
    copies: set[tuple[str, str, str]] = set()
    code: dict[tuple[str, str], str] = {}
    for assignment in PARTS:
        stub = (REPO / "assignments" / assignment / f"{assignment}.py").read_text()
        order = students[:]
        rng.shuffle(order)
        n_copy = round(args.copy_share * n)
        n_stub = round(args.stub_share * n)
        copiers = set(order[:n_copy])
        stubs = set(order[n_copy:n_copy + n_stub])
        for student in students:
            if student in stubs:
                code[student, assignment] = stub
            elif student not in copiers:
                code[student, assignment] = honest(rng, assignment, args.statements)
        sources = [s for s in students if s not in copiers and s not in stubs]
        origin: dict[str, list[str]] = {}
        for copier in sorted(copiers):
            original = rng.choice(sources)
            keep = {name for name, _ in PARTS[assignment]}
            code[copier, assignment] = disguise(code[original, assignment], keep,
                                                rng.randrange(1 << 30))
            origin.setdefault(original, [original]).append(copier)
        for group in origin.values():  # copiers of one original copy each other too
            copies.update((assignment, *sorted(pair)) for pair in itertools.combinations(group, 2))
    for student in students:
        folder = root / student
        folder.mkdir(parents=True)
        if rng.random() < args.notebook_share:
            merged = "\n\n".join(code[student, a] for a in PARTS)
            try:
                (folder / "homework.ipynb").write_text(as_notebook(merged, demo="print('ok')"))
                continue
            except SyntaxError:
                pass
        for assignment in PARTS:
            (folder / f"{assignment}.py").write_text(code[student, assignment])
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--statements", type=int, default=12,
                        help="generated statements per function body")
    parser.add_argument("--copy-share", type=float, default=0.05)
    parser.add_argument("--stub-share", type=float, default=0.10)
    parser.add_argument("--notebook-share", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="grader-bench-similarity-"))
    try:
        started = time.monotonic()
        planted = build(tmp / "submissions", args.n, args)
        generated = time.monotonic() - started
        command = [sys.executable, "-m", "grader.cli", "similarity", str(tmp / "submissions"),
                   "--course", str(REPO), "--out", str(tmp / "out"),
                   "--json", str(tmp / "pairs.json")]
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                              env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        seconds = time.monotonic() - started
        if done.returncode != 0:
            sys.exit(f"grade similarity failed ({done.returncode}):\n{done.stderr}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        peak_mb = after.ru_maxrss / 1024
        document = json.loads((tmp / "pairs.json").read_text())
        flagged = {(p["assignment"], *sorted(p["students"])) for p in document["pairs"]
                   if p["flagged"]}
        found = planted & flagged
        sizes = sorted(len(p.read_bytes()) for p in (tmp / "submissions").rglob("*.py"))
        print(f"class: {args.n} students x {len(PARTS)} assignments, "
              f"{args.copy_share:.0%} copiers, {args.stub_share:.0%} stub only, "
              f"{args.notebook_share:.0%} notebooks; scripts {sizes[0]}-{sizes[-1]} bytes "
              f"(median {sizes[len(sizes) // 2]}); generated in {generated:.1f} s")
        print(f"grade similarity: {seconds:.1f} s wall, {cpu:.1f} s CPU (one process), "
              f"peak {peak_mb:.0f} MB; load average before {load:.1f}")
        print(f"pairs listed {len(document['pairs'])}, flagged {len(flagged)}; planted copies "
              f"flagged {len(found)}/{len(planted)}; flagged but not planted "
              f"{len(flagged - planted)}")
        for verdict in document["assignments"]:
            print(f"  {verdict['assignment']}: {verdict['message']}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
